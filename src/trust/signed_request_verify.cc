// verify_signed_request: the checks listed in signed_request.h.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "trust/chain.h"
#include "trust/encoding.h"
#include "trust/request_payload.h"
#include "trust/signed_request.h"

namespace liaison::trust {

using nlohmann::json;

namespace {

// Shorter than this, a justification cannot state a threat and whose.
constexpr std::size_t kMinJustificationChars = 20;

std::size_t utf8_chars(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

std::string trimmed(std::string_view s) {
  auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

std::string org_text(const OrgRef& org) {
  return org.name + " (" + org.country + "/" + org.endpoint_uid + ")";
}

class Verifier {
 public:
  Verifier(const TrustStore& store, const SignedRequest& request, const SignaturePolicy& policy,
           Timestamp received_at, const VerifyOptions& options)
      : store_(store),
        request_(request),
        policy_(policy),
        received_at_(received_at),
        options_(options) {}

  VerificationReport run() {
    auto summary = read_request_payload(request_.payload);
    std::string digest = payload_digest(request_.payload);
    if (!summary.ok() || digest.empty()) {
      fail(failure::kMalformed, summary.ok()
                                    ? "the payload has no canonical JSON form"
                                    : "the payload is malformed: " + summary.error().message);
      return finish();
    }
    payload_ = std::move(summary).value();
    report_.digest_hex = hex_encode(digest);
    report_.nonce = payload_.nonce;
    report_.request_id = payload_.request_id;
    check_freshness("the request's issued_at", payload_.issued_at, -1);

    for (std::size_t i = 0; i < request_.signatures.size(); ++i) check_signer(i, digest);
    check_officer();
    if (officer_ >= 0) {
      check_issuer();
      check_cosigners();
    }
    check_counts();
    if (payload_.emergency) check_emergency();
    return finish();
  }

 private:
  const RequestSignature& sig(std::size_t i) const { return request_.signatures[i]; }

  // "officer Jan de Vries (certificate 3fa8…)"
  std::string who(std::size_t i) const {
    return sig(i).role + " " + sig(i).certificate.subject_name + " (certificate " +
           sig(i).certificate.serial + ")";
  }

  void fail(std::string_view code, std::string detail, int signer = -1) {
    report_.failures.push_back({std::string(code), std::move(detail)});
    if (signer >= 0) {
      auto& codes = report_.signers[static_cast<std::size_t>(signer)].failures;
      if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.emplace_back(code);
    }
  }

  void check_freshness(const std::string& what, Timestamp t, int signer) {
    const std::int64_t age = std::chrono::microseconds(options_.max_age).count();
    const std::int64_t skew = std::chrono::microseconds(options_.max_skew).count();
    if (t.unix_micros < received_at_.unix_micros - age) {
      fail(failure::kStale,
           what + " (" + format_rfc3339(t) + ") is older than the accepted " +
               std::to_string(options_.max_age.count() / 3600) + " hours before receipt at " +
               format_rfc3339(received_at_),
           signer);
    } else if (t.unix_micros > received_at_.unix_micros + skew) {
      fail(failure::kFutureDated,
           what + " (" + format_rfc3339(t) + ") is later than receipt at " +
               format_rfc3339(received_at_) + " allowing for clock skew",
           signer);
    }
  }

  void check_signer(std::size_t i, const std::string& digest) {
    const RequestSignature& s = sig(i);
    const Certificate& cert = s.certificate;
    SignerReport r;
    r.role = s.role;
    r.name = cert.subject_name;
    r.email = cert.subject_email.value_or("");
    r.key_id = cert.key_id();
    if (cert.organisation) r.organisation = *cert.organisation;
    r.certificate_serial = cert.serial;
    r.signed_at = s.signed_at;
    report_.signers.push_back(std::move(r));
    const int index = static_cast<int>(i);
    auto role = role_from_name(s.role);
    if (s.role != "officer" && s.role != "validator" && s.role != "supervisor") {
      fail(failure::kMalformed,
           "signature " + std::to_string(i) + " is made as '" + s.role +
               "', which is not a signing role",
           index);
      return;
    }
    if (!verify_signature(cert.public_key, request_signing_input(s.role, s.signed_at, digest),
                          s.signature)) {
      fail(failure::kSignatureInvalid,
           "the request's content does not match what " + cert.subject_name + " signed as " +
               s.role + " at " + format_rfc3339(s.signed_at) + " (certificate " + cert.serial +
               "): it was altered after signing, or the signature is not theirs",
           index);
    }
    auto chain = verify_chain(store_, cert, s.chain, s.signed_at);
    if (!chain.ok()) {
      TrustFailure f = trust_failure_of(chain.error());
      fail(f.code, who(i) + ": " + f.detail, index);
    } else {
      chains_.emplace(i, std::move(chain).value());
      const auto& later = chains_.at(i).revoked_later_at;
      if (later) {
        report_.signers[i].revoked_later_at = later;
        report_.notes.push_back("a certificate in the chain of " + who(i) + " was revoked at " +
                                format_rfc3339(*later) + ", after the signature at " +
                                format_rfc3339(s.signed_at) + "; the signature stands");
      }
    }
    if (!cert.roles.has(*role)) {
      fail(failure::kRoleNotCertified,
           who(i) + " signs as " + s.role + ", but the certificate certifies only " +
               (cert.roles.empty() ? std::string("no roles") : cert.roles.to_string()),
           index);
    }
    check_freshness("the signature of " + who(i), s.signed_at, index);
  }

  void check_officer() {
    std::vector<std::size_t> officers;
    for (std::size_t i = 0; i < request_.signatures.size(); ++i) {
      if (sig(i).role == "officer") officers.push_back(i);
    }
    if (officers.empty()) {
      fail(failure::kOfficerSignatureMissing, "no officer signed this request");
      return;
    }
    officer_ = static_cast<int>(officers.front());
    if (officers.size() > 1) {
      fail(failure::kOfficerSignatureMissing,
           std::to_string(officers.size()) +
               " officer signatures: exactly one officer signs a request");
    }
  }

  const Certificate& officer_cert() const {
    return sig(static_cast<std::size_t>(officer_)).certificate;
  }

  void check_issuer() {
    const Certificate& cert = officer_cert();
    if (!cert.organisation || cert.organisation->country != payload_.issuer_country ||
        cert.organisation->endpoint_uid != payload_.issuer_endpoint_uid) {
      fail(failure::kIssuerMismatch,
           "the request is issued in the name of " + payload_.issuer_country + "/" +
               payload_.issuer_endpoint_uid + ", but " + who(static_cast<std::size_t>(officer_)) +
               " belongs to " +
               (cert.organisation ? org_text(*cert.organisation) : std::string("no organisation")),
           officer_);
    }
  }

  void check_cosigners() {
    const std::optional<OrgRef>& home = officer_cert().organisation;
    if (!home) return;
    for (std::size_t i = 0; i < request_.signatures.size(); ++i) {
      if (static_cast<int>(i) == officer_ || sig(i).role == "officer") continue;
      const std::optional<OrgRef>& org = sig(i).certificate.organisation;
      if (!org) continue;  // the chain check has already refused it
      bool same = org->same_identity(*home);
      if (sig(i).role == "supervisor" && !same) {
        fail(failure::kCosignerForeign,
             who(i) + " belongs to " + org_text(*org) + ", not to the officer's " +
                 org_text(*home) + "; a supervisor confirms for their own organisation",
             static_cast<int>(i));
        if (payload_.emergency) {
          fail(failure::kEmergencySupervisorForeign,
               who(i) + " belongs to " + org_text(*org) +
                   "; an emergency is confirmed by a supervisor of the officer's own " +
                   org_text(*home),
               static_cast<int>(i));
        }
      } else if (sig(i).role == "validator" && !same &&
                 (org->country != home->country || org->kind == OrgKind::kProvider)) {
        fail(failure::kCosignerForeign,
             who(i) + " belongs to " + org_text(*org) +
                 "; a validator belongs to an authority of the officer's country (" +
                 home->country + ")",
             static_cast<int>(i));
      }
    }
  }

  bool signer_valid(std::size_t i) const { return report_.signers[i].failures.empty(); }

  // The person behind a signature, as far as certificates tell: their
  // organisation and e-mail address, or their name when the certificate names
  // no address. One person certified with two keys is still one person, so two
  // such certificates without addresses and with the same name count once:
  // the check errs towards asking for another signature.
  std::string person(std::size_t i) const {
    const SignerReport& s = report_.signers[i];
    std::string who = s.email.empty() ? "name:" + s.name : "email:" + s.email;
    std::transform(who.begin(), who.end(), who.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s.organisation.country + "/" + s.organisation.endpoint_uid + "/" + who;
  }

  // Distinct people per role, never the officer, and nobody counted for two
  // roles, whatever keys they hold.
  void check_counts() {
    std::set<std::string> counted;
    if (officer_ >= 0) {
      counted.insert(report_.signers[static_cast<std::size_t>(officer_)].key_id);
      counted.insert(person(static_cast<std::size_t>(officer_)));
    }
    for (std::size_t i = 0; i < request_.signatures.size(); ++i) {
      if (static_cast<int>(i) == officer_ || !signer_valid(i)) continue;
      const std::string& key = report_.signers[i].key_id;
      if (counted.count(key) || counted.count(person(i))) continue;
      int* tally = sig(i).role == "validator"    ? &validators_
                   : sig(i).role == "supervisor" ? &supervisors_
                                                 : nullptr;
      if (tally == nullptr) continue;
      if (tally == &validators_ && !competent_validator(i)) continue;
      ++*tally;
      counted.insert(key);
      counted.insert(person(i));
    }
    if (validators_ < policy_.validators) {
      for (const auto& [signer, why] : not_competent_) {
        fail(failure::kValidatorNotCompetent, why, static_cast<int>(signer));
      }
      std::string of_whom = policy_.validator_types.empty()
                                ? std::string()
                                : " of a " + authority_list_text(policy_.validator_types);
      fail(failure::kCosignatureMissing,
           "the request needs " + std::to_string(policy_.validators) + " validator signature(s)" +
               of_whom + " by distinct people, and has " + std::to_string(validators_) +
               " valid one(s)" + (policy_.basis.empty() ? "" : "; required by " + policy_.basis));
    }
    if (supervisors_ < policy_.supervisors) {
      fail(failure::kCosignatureMissing,
           "the request needs " + std::to_string(policy_.supervisors) +
               " supervisor signature(s) by distinct people, and has " +
               std::to_string(supervisors_) + " valid one(s)");
    }
  }

  // A validator of a kind of authority the policy accepts, when it names any.
  // One that is not counts for nothing; why is said only if the request then
  // lacks a validator, since a competent one may have signed as well.
  bool competent_validator(std::size_t i) {
    const OrgRef& org = report_.signers[i].organisation;
    if (policy_.admits(org)) return true;
    std::optional<AuthorityType> type;
    if (policy_.authority_type_of) type = policy_.authority_type_of(org);
    not_competent_.push_back(
        {i, who(i) + " validates for " + org_text(org) + ", " +
                (type ? std::string("registered on this hub as ") + authority_type_name(*type)
                      : std::string("whose kind of authority this hub has not recorded")) +
                "; this request is validated by a " + authority_list_text(policy_.validator_types) +
                (policy_.basis.empty() ? "" : " (" + policy_.basis + ")")});
    return false;
  }

  void check_emergency() {
    if (utf8_chars(trimmed(payload_.emergency_justification)) < kMinJustificationChars) {
      fail(failure::kEmergencyJustificationMissing,
           "an emergency request states the threat to life or physical safety it averts; "
           "this one's justification is " +
               (trimmed(payload_.emergency_justification).empty()
                    ? std::string("empty")
                    : "only \"" + trimmed(payload_.emergency_justification) + "\""));
    }
    if (supervisors_ == 0) {
      fail(failure::kEmergencySupervisorMissing,
           "an emergency request needs a valid signature by a supervisor of the officer's "
           "organisation");
    }
    if (!payload_.callback) {
      fail(failure::kEmergencyCallbackUnvouched,
           "the emergency request gives no call-back contact for the provider to confirm it");
      return;
    }
    const std::string contact = payload_.callback->kind + " " + payload_.callback->value;
    auto chain = officer_ >= 0 ? chains_.find(static_cast<std::size_t>(officer_)) : chains_.end();
    if (chain == chains_.end()) {
      fail(failure::kEmergencyCallbackUnvouched,
           "the call-back contact " + contact +
               " cannot be checked: the officer's organisation certificate did not verify");
      return;
    }
    const auto& vouched = chain->second.organisation.emergency_contacts;
    if (std::find(vouched.begin(), vouched.end(), *payload_.callback) == vouched.end()) {
      fail(failure::kEmergencyCallbackUnvouched,
           "the call-back contact " + contact + " is not among the emergency contacts that " +
               chain->second.root.subject_name + " certified for " +
               chain->second.organisation.subject_name +
               "; call the organisation on a contact its certificate lists");
    }
  }

  VerificationReport finish() {
    for (std::size_t i = 0; i < report_.signers.size(); ++i) {
      report_.signers[i].valid = report_.signers[i].failures.empty();
    }
    report_.ok = report_.failures.empty();
    return std::move(report_);
  }

  const TrustStore& store_;
  const SignedRequest& request_;
  const SignaturePolicy& policy_;
  std::vector<std::pair<std::size_t, std::string>> not_competent_;
  const Timestamp received_at_;
  const VerifyOptions& options_;
  PayloadSummary payload_;
  VerificationReport report_;
  std::map<std::size_t, VerifiedSigner> chains_;
  int officer_ = -1;
  int validators_ = 0;
  int supervisors_ = 0;
};

}  // namespace

VerificationReport verify_signed_request(const TrustStore& store, const SignedRequest& request,
                                         const SignaturePolicy& policy, Timestamp received_at,
                                         const VerifyOptions& options) {
  return Verifier(store, request, policy, received_at, options).run();
}

json to_json(const VerificationReport& report) {
  json failures = json::array();
  for (const auto& f : report.failures)
    failures.push_back({{"code", f.code}, {"detail", f.detail}});
  json signers = json::array();
  for (const auto& s : report.signers) {
    signers.push_back(
        {{"role", s.role},
         {"name", s.name},
         {"email", s.email.empty() ? json(nullptr) : json(s.email)},
         {"key_id", s.key_id},
         {"organisation",
          {{"country", s.organisation.country},
           {"endpoint_uid", s.organisation.endpoint_uid},
           {"name", s.organisation.name},
           {"kind", org_kind_name(s.organisation.kind)}}},
         {"certificate_serial", s.certificate_serial},
         {"signed_at", format_rfc3339(s.signed_at)},
         {"valid", s.valid},
         {"revoked_later_at",
          s.revoked_later_at ? json(format_rfc3339(*s.revoked_later_at)) : json(nullptr)},
         {"failures", s.failures}});
  }
  return {{"ok", report.ok},
          {"failures", std::move(failures)},
          {"signers", std::move(signers)},
          {"digest", report.digest_hex},
          {"nonce", report.nonce},
          {"request_id", report.request_id},
          {"notes", report.notes}};
}

}  // namespace liaison::trust
