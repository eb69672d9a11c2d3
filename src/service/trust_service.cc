#include "service/trust_service.h"

#include "core/uuid.h"
#include "trust/certificate.h"
#include "trust/revocation.h"
#include "trust/trust_failure.h"

namespace liaison {

namespace {

// The organisation a ledger entry names as the actor: "hub" for hub administrators.
std::string actor_org(const Principal& p) { return p.org ? p.org->id : "hub"; }

StoredCertificate stored_form(const trust::Certificate& c, const std::string& added_by,
                              const std::string& now) {
  StoredCertificate s;
  s.fingerprint = c.fingerprint();
  s.key_id = c.key_id();
  s.serial = c.serial;
  s.kind = trust::cert_kind_name(c.kind);
  s.subject_name = c.subject_name;
  s.country = c.country;
  if (c.organisation) {
    s.org_country = c.organisation->country;
    s.org_endpoint_uid = c.organisation->endpoint_uid;
  }
  s.not_before = format_rfc3339(c.not_before);
  s.not_after = format_rfc3339(c.not_after);
  s.issuer_key_id = c.issuer_key_id;
  s.certificate_json = trust::to_json(c).dump();
  s.added_by = added_by;
  s.added_at = now;
  return s;
}

// A trust failure as the API reports it: invalid input, with the stable code
// as the field so a client can match on it. A revocation list that is not
// newer is valid in itself but clashes with the one held, so it is a conflict.
Error refused(const Error& e) {
  trust::TrustFailure f = trust::trust_failure_of(e);
  if (f.code == trust::failure::kMalformed) return e;
  Error out = Error::invalid("trust:" + f.code, f.detail);
  out.message = f.code + ": " + f.detail;
  if (f.code == trust::failure::kRevocationListNotNewer) out.code = ErrorCode::kConflict;
  return out;
}

}  // namespace

Result<std::shared_ptr<const trust::TrustStore>> TrustService::load(ReadTx& tx) {
  LIAISON_ASSIGN_OR_RETURN(auto certs, tx.list_certificates());
  LIAISON_ASSIGN_OR_RETURN(auto lists, tx.list_revocation_lists());
  auto store = std::make_shared<trust::TrustStore>();
  // Issuers before what they issued: roots, organisations, then users and
  // recipients. A stored entry whose issuer is no longer trusted simply stays
  // out of the store.
  for (const char* kind : {"root", "organisation", "user", "recipient"}) {
    for (const auto& s : certs) {
      if (s.kind != kind || (s.kind == std::string("root") && !s.trusted_root)) continue;
      auto json = nlohmann::json::parse(s.certificate_json, nullptr, false);
      auto cert = trust::certificate_from_json(json);
      if (!cert.ok()) continue;
      (void)(s.kind == std::string("root") ? store->add_root(*cert)
                                           : store->add_certificate(*cert));
    }
  }
  for (const auto& l : lists) {
    auto list =
        trust::revocation_list_from_json(nlohmann::json::parse(l.list_json, nullptr, false));
    if (list.ok()) (void)store->add_revocation_list(*list);
  }
  return std::shared_ptr<const trust::TrustStore>(std::move(store));
}

void TrustService::publish(std::shared_ptr<const trust::TrustStore> next) {
  std::lock_guard lock(mu_);
  current_ = std::move(next);
}

Result<std::shared_ptr<const trust::TrustStore>> TrustService::snapshot() {
  {
    std::lock_guard lock(mu_);
    if (current_) return current_;
  }
  std::shared_ptr<const trust::TrustStore> loaded;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(loaded, load(tx));
    return Ok{};
  }));
  std::lock_guard lock(mu_);
  if (!current_) current_ = loaded;
  return current_;
}

Result<StoredCertificate> TrustService::store_certificate(const Principal& p,
                                                          const nlohmann::json& json,
                                                          bool as_root) {
  LIAISON_ASSIGN_OR_RETURN(trust::Certificate cert, trust::certificate_from_json(json));
  if (as_root) {
    LIAISON_TRY(authorise(p, Action::kChooseRoots, Relation::kForeign,
                          "only hub administrators choose the roots a hub trusts"));
    if (cert.kind != trust::CertKind::kRoot)
      return Error::invalid("certificate/kind", "must be root to be accepted as a root");
  } else if (cert.kind == trust::CertKind::kRoot) {
    return Error::invalid("certificate/kind", "roots are added as roots, by a hub administrator");
  } else if (cert.kind == trust::CertKind::kOrganisation) {
    LIAISON_TRY(authorise(p, Action::kCertifyOrganisation, Relation::kForeign,
                          "only hub administrators add organisation certificates"));
  } else {
    // An org admin vouches for the people and recipient keys of their own
    // organisation only.
    bool own = p.org && cert.organisation && p.org->country == cert.organisation->country &&
               p.org->endpoint_uid == cert.organisation->endpoint_uid;
    Relation rel = own ? Relation::kOwn : Relation::kForeign;
    if (cert.kind == trust::CertKind::kRecipient) {
      LIAISON_TRY(authorise(p, Action::kCertifyRecipient, rel,
                            "recipient certificates are added by their organisation's org_admin"));
    } else {
      LIAISON_TRY(authorise(p, Action::kCertifyUser, rel,
                            "user certificates are added by their organisation's org_admin"));
    }
  }
  std::string now = format_rfc3339_micros(clock_.now());
  StoredCertificate stored = stored_form(cert, p.user.id, now);
  stored.trusted_root = as_root;
  std::lock_guard change(change_mu_);
  std::shared_ptr<trust::TrustStore> next;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    // Checked against the committed state, inside the write, so two
    // concurrent additions cannot both rest on something the other removed.
    LIAISON_ASSIGN_OR_RETURN(auto base, load(tx));
    next = std::make_shared<trust::TrustStore>(*base);
    Status added = as_root ? next->add_root(cert) : next->add_certificate(cert);
    if (!added.ok()) return refused(added.error());
    LIAISON_TRY(tx.insert_certificate(stored));
    // A user or recipient certificate is a key an organisation certified;
    // the entry's content says which kind.
    const char* type = cert.kind == trust::CertKind::kRoot           ? "root.added"
                       : cert.kind == trust::CertKind::kOrganisation ? "certificate.added"
                                                                     : "key.certified";
    // The key that certified: the issuer's.
    return ledger_.append(tx, {type,
                               std::nullopt,
                               actor_org(p),
                               stored.issuer_key_id,
                               clock_.now(),
                               {{"certificate", json}}});
  }));
  publish(std::move(next));
  return stored;
}

Result<StoredCertificate> TrustService::add_root(const Principal& p, const nlohmann::json& cert) {
  return store_certificate(p, cert, true);
}

Result<StoredCertificate> TrustService::add_certificate(const Principal& p,
                                                        const nlohmann::json& cert) {
  return store_certificate(p, cert, false);
}

Status TrustService::distrust_root(const Principal& p, const std::string& fingerprint) {
  LIAISON_TRY(authorise(p, Action::kChooseRoots, Relation::kForeign,
                        "only hub administrators choose the roots a hub trusts"));
  std::lock_guard change(change_mu_);
  std::shared_ptr<const trust::TrustStore> next;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_TRY(tx.set_trusted_root(fingerprint, false));
    LIAISON_ASSIGN_OR_RETURN(next, load(tx));
    return ledger_.append(tx, {"root.distrusted",
                               std::nullopt,
                               actor_org(p),
                               std::nullopt,
                               clock_.now(),
                               {{"fingerprint", fingerprint}}});
  }));
  publish(std::move(next));
  return Ok{};
}

Result<StoredRevocationList> TrustService::add_revocation_list(const Principal& p,
                                                               const nlohmann::json& json) {
  // The list's own signature decides whose keys it may revoke (the trust store
  // refuses a list its issuer did not sign); the matrix decides who may post one.
  LIAISON_TRY(authorise(p, Action::kPublishRevocations, Relation::kOwn,
                        "revocation lists are published by hub and org administrators"));
  LIAISON_ASSIGN_OR_RETURN(trust::RevocationList list, trust::revocation_list_from_json(json));
  StoredRevocationList stored{
      list.issuer_key_id,          list.number, format_rfc3339(list.issued_at),
      trust::to_json(list).dump(), p.user.id,   format_rfc3339_micros(clock_.now())};
  std::lock_guard change(change_mu_);
  std::shared_ptr<trust::TrustStore> next;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto base, load(tx));
    next = std::make_shared<trust::TrustStore>(*base);
    Status added = next->add_revocation_list(list);
    if (!added.ok()) return refused(added.error());
    LIAISON_TRY(tx.put_revocation_list(stored));
    return ledger_.append(tx, {"revocation.published",
                               std::nullopt,
                               actor_org(p),
                               list.issuer_key_id,
                               clock_.now(),
                               {{"revocation_list", json}}});
  }));
  publish(std::move(next));
  return stored;
}

Result<std::vector<StoredCertificate>> TrustService::certificates(const Principal&,
                                                                  const CertificateFilter& filter) {
  if (filter.kind && !trust::cert_kind_from_name(*filter.kind))
    return Error::invalid("kind", "must be root, organisation, user or recipient");
  std::optional<std::string> org_id;
  if (filter.org_id) {
    LIAISON_ASSIGN_OR_RETURN(org_id, parse_uuid(*filter.org_id, "organisation"));
  }
  std::vector<StoredCertificate> all;
  std::optional<Organisation> org;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    if (org_id) {
      auto found = tx.get_org(*org_id);
      if (!found.ok()) {
        if (found.error().code != ErrorCode::kNotFound) return found.error();
        return Error::invalid("organisation", "no organisation with this id on this hub");
      }
      org = std::move(found).value();
    }
    LIAISON_ASSIGN_OR_RETURN(all, tx.list_certificates());
    return Ok{};
  }));
  // Certificates name an organisation by country and endpoint id, which is
  // how the hub's directory identifies it too.
  std::vector<StoredCertificate> out;
  for (auto& c : all) {
    if (filter.kind && c.kind != *filter.kind) continue;
    if (org && (c.org_country != org->country || c.org_endpoint_uid != org->endpoint_uid)) continue;
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<StoredRevocationList>> TrustService::revocation_lists(const Principal&) {
  std::vector<StoredRevocationList> out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(out, tx.list_revocation_lists());
    return Ok{};
  }));
  return out;
}

Result<nlohmann::json> TrustService::export_bundle(const Principal&) {
  LIAISON_ASSIGN_OR_RETURN(auto store, snapshot());
  return store->to_json();
}

Result<SigningPolicy> TrustService::policy(const Principal& p, const std::string& org_id) {
  LIAISON_ASSIGN_OR_RETURN(std::string id, parse_uuid(org_id, "id"));
  if (!permits(Action::kReadSigningPolicy, caller_of(p), relation_to_org(p, id)))
    return Error::not_found("organisation " + org_id + " not found");
  SigningPolicy out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto org, tx.get_org(id));
    LIAISON_ASSIGN_OR_RETURN(auto stored, tx.get_signing_policy(id));
    out = stored.value_or(SigningPolicy{id, 0, 0, SigningPolicy{}.follow_up_hours, "", ""});
    return Ok{};
  }));
  return out;
}

Result<SigningPolicy> TrustService::set_policy(const Principal& p, const std::string& org_id,
                                               const SigningPolicy& in) {
  LIAISON_ASSIGN_OR_RETURN(std::string id, parse_uuid(org_id, "id"));
  if (!p.is_hub_admin() && !p.member_of(id))
    return Error::not_found("organisation " + org_id + " not found");
  LIAISON_TRY(
      authorise(p, Action::kSetSigningPolicy, relation_to_org(p, id),
                "only the organisation's org_admin or a hub administrator sets its policy"));
  if (in.validators < 0 || in.validators > 5)
    return Error::invalid("validators", "must be between 0 and 5");
  if (in.supervisors < 0 || in.supervisors > 5)
    return Error::invalid("supervisors", "must be between 0 and 5");
  if (in.follow_up_hours < 1 || in.follow_up_hours > std::int64_t{24} * 30)
    return Error::invalid("follow_up_hours", "must be between 1 and 720");
  SigningPolicy out = in;
  out.org_id = id;
  out.updated_by = p.user.id;
  out.updated_at = format_rfc3339_micros(clock_.now());
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto org, tx.get_org(id));
    if (org.kind == OrgKind::kProvider)
      return Error::invalid("id", "providers do not issue requests and need no signing policy");
    return tx.put_signing_policy(out);
  }));
  return out;
}

}  // namespace liaison
