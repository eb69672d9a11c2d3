// RequestService: who must sign a draft before it is sent, and the
// validating authority an issuer asks to co-sign it.
//
// The rule comes from CoSignatureRule (the route and the organisation's
// policy); an emergency needs a supervisor besides. The hub says what is
// missing on every view of a draft and refuses to submit until it is there,
// so an officer learns it while the request can still be completed rather
// than from a quarantine. Verification on receipt checks the same rule again,
// with the cryptography.
#include <set>

#include "core/request_json.h"
#include "service/request_service.h"

namespace liaison {

namespace {

std::string org_label(const Organisation& o) {
  return o.name + " (" + o.country + "/" + o.endpoint_uid + ")";
}

}  // namespace

Result<SignatureNeeds> RequestService::signature_needs(ReadTx& tx, const Request& r,
                                                       const std::vector<SignerFact>& signers) {
  LIAISON_ASSIGN_OR_RETURN(trust::SignaturePolicy policy, cosignatures_.required(tx, r));
  SignatureNeeds out;
  out.validators = policy.validators;
  out.validator_types = policy.validator_types;
  out.supervisors = policy.supervisors;
  out.basis = policy.basis;
  bool emergency = r.draft.kind == RequestKind::kEmergencyDisclosure;
  std::string supervisor_why = ", required by " + policy.basis;
  if (emergency && out.supervisors < 1) {
    out.supervisors = 1;
    supervisor_why = ": a supervisor confirms every emergency request";
  }

  std::set<std::string> counted;
  for (const auto& s : signers) {
    if (s.role == "officer" && counted.insert(s.key_id).second) ++out.officers_signed;
  }
  for (const auto& s : signers) {
    if (s.role == "officer" || counted.count(s.key_id)) continue;
    if (s.role == "validator") {
      // A summary stored before signers' organisations were kept cannot say:
      // receipt decides, with the certificates.
      if (s.organisation && !policy.admits(*s.organisation)) continue;
      ++out.validators_signed;
    } else if (s.role == "supervisor") {
      ++out.supervisors_signed;
    } else {
      continue;
    }
    counted.insert(s.key_id);
  }

  if (out.officers_signed == 0) {
    out.missing.push_back("the officer's signature (liaison request sign)");
  }
  if (out.validators_signed < out.validators) {
    std::string m = "a validator's co-signature";
    if (!out.validator_types.empty()) m += " by a " + authority_list_text(out.validator_types);
    if (!out.basis.empty()) m += ", required by " + out.basis;
    if (r.validator_org_id) {
      LIAISON_ASSIGN_OR_RETURN(Organisation v, organisation(tx, *r.validator_org_id));
      m += "; " + org_label(v) + " was asked to validate it";
    } else {
      m += "; ask the validating authority to (liaison request validator)";
    }
    out.missing.push_back(m);
  }
  if (out.supervisors_signed < out.supervisors) {
    out.missing.push_back("a supervisor's co-signature from the issuing organisation" +
                          supervisor_why);
  }
  return out;
}

Result<RequestView> RequestService::ask_validation(const Principal& p, const std::string& id,
                                                   const std::optional<std::string>& org_id) {
  std::string now_text = format_rfc3339_micros(clock_.now());
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, load_visible(tx, p, id));
    auto actor = actor_for(p, r);
    LIAISON_TRY(authorise(p, Action::kAskValidation, relation_of(*actor),
                          "only the issuing authority's officers and supervisors ask for "
                          "validation"));
    if (r.status != RequestStatus::kDraft) {
      return Error::make(ErrorCode::kConflict,
                         "the request is " + std::string(request_status_name(r.status)) +
                             ": a request is validated before it is submitted");
    }
    LIAISON_ASSIGN_OR_RETURN(Organisation issuer, organisation(tx, r.issuer_org_id));
    std::string note;
    if (org_id) {
      auto found = tx.get_org(*org_id);
      if (!found.ok()) {
        if (found.error().code != ErrorCode::kNotFound) return found.take_error();
        return Error::invalid("organisation_id", "no organisation with this id on this hub");
      }
      const Organisation& v = found.value();
      if (v.kind != OrgKind::kAuthority) {
        return Error::invalid("organisation_id",
                              org_label(v) +
                                  " is not an authority: a request is validated by a "
                                  "prosecutor's office or a court");
      }
      if (v.id == issuer.id) {
        return Error::invalid("organisation_id",
                              "is the issuing organisation: its own validators co-sign without "
                              "being asked");
      }
      if (v.country != issuer.country) {
        return Error::invalid("organisation_id",
                              org_label(v) + " is in " + v.country +
                                  "; a request is validated by an authority of the issuing "
                                  "State (" +
                                  issuer.country + ")");
      }
      LIAISON_ASSIGN_OR_RETURN(trust::SignaturePolicy policy, cosignatures_.required(tx, r));
      if (!policy.admits(v.authority_type)) {
        return Error::invalid(
            "organisation_id",
            org_label(v) + " is " +
                (v.authority_type
                     ? std::string("registered as ") + authority_type_name(*v.authority_type)
                     : std::string("of no recorded kind of authority")) +
                "; this request is validated by a " + authority_list_text(policy.validator_types) +
                " (" + policy.basis + ")");
      }
      if (r.validator_org_id == v.id) return Ok{};  // asked already
      note = "asked " + org_label(v) + " to validate it";
    } else {
      if (!r.validator_org_id) return Ok{};
      LIAISON_ASSIGN_OR_RETURN(Organisation before, organisation(tx, *r.validator_org_id));
      note = "withdrew the request for validation from " + org_label(before);
    }
    std::int64_t expected = r.version;
    r.validator_org_id = org_id;
    r.version += 1;
    r.updated_at = now_text;
    LIAISON_TRY(tx.update_request(r, expected));
    std::string status = request_status_name(r.status);
    return record(tx,
                  {0, r.id, "validation_requested", status, status, p.user.id, p.org->id, now_text,
                   note, org_id},
                  r);
  }));
  return get(p, id);
}

}  // namespace liaison
