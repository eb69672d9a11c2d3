#include "cli/demo_pki.h"

#include <sodium.h>

#include <map>

#include "cli/key_files.h"
#include "cli/output.h"
#include "service/environment.h"
#include "trust/key_file.h"

namespace liaison::cli {

namespace {

using nlohmann::json;

template <typename T>
T check(Result<T> r) {
  if (!r.ok()) fail(r.error());
  return std::move(r).value();
}

}  // namespace

json create_demo_pki(HubRuntime& hub, const std::vector<DemoAuthority>& authorities) {
  Principal op = Principal::local_operator();
  const std::string dir = hub.data_dir() + "/keys";
  // One passphrase for every demo key, and libsodium's interactive Argon2id
  // limits so the tour stays quick; real key files use the stronger default.
  const std::string passphrase = random_base64url(12);
  trust::KeyFileOptions fast{crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE, ""};
  auto seal = [&](const std::string& file, const trust::SecretKey& key, const std::string& label) {
    trust::KeyFileOptions o = fast;
    o.label = label;
    save_key(dir + "/" + file, key, passphrase, o);
    return dir + "/" + file;
  };
  // Certified a day ago, so the tour's first signature is not flagged as made
  // with a key fresh from enrolment.
  std::int64_t now = SystemClock().now().seconds();
  Timestamp from = Timestamp::from_seconds(now - 86400);

  json out = {
      {"key_passphrase", passphrase}, {"keys", json::object()}, {"recipients", json::object()}};
  // One root per country, as each country's central authority certifies its
  // own organisations. The first is the demo's own national point of contact.
  struct Root {
    trust::SecretKey key = trust::SecretKey::generate();
    std::string name;
  };
  std::map<std::string, Root> roots;
  auto root_for = [&](const std::string& country) -> Root& {
    auto it = roots.find(country);
    if (it != roots.end()) return it->second;
    Root& r = roots[country];
    r.name = roots.size() == 1 ? "Northport National 24/7 Point of Contact (demo)"
                               : "National 24/7 Point of Contact " + country + " (demo)";
    trust::Certificate root;
    root.kind = trust::CertKind::kRoot;
    root.subject_name = r.name;
    root.public_key = r.key.public_key();
    root.country = country;
    root.not_before = from;
    root.not_after = Timestamp::from_seconds(now + 5LL * 365 * 86400);
    root = check(trust::issue_certificate(root, r.key, r.name));
    check(hub.trust().add_root(op, trust::to_json(root)));
    out["keys"][roots.size() == 1 ? "root" : "root_" + country] =
        seal(roots.size() == 1 ? "demo-root.key" : "demo-root-" + country + ".key", r.key, r.name);
    return r;
  };

  for (const auto& a : authorities) {
    trust::SecretKey org_key = trust::SecretKey::generate();
    trust::Certificate org;
    org.kind = trust::CertKind::kOrganisation;
    org.subject_name = a.org.name;
    org.public_key = org_key.public_key();
    org.organisation = a.org;
    org.country = a.org.country;
    org.emergency_contacts = a.emergency_contacts;
    org.not_before = from;
    org.not_after = Timestamp::from_seconds(now + 2LL * 365 * 86400);
    Root& root = root_for(a.org.country);
    org = check(trust::issue_certificate(org, root.key, root.name));
    check(hub.trust().add_certificate(op, trust::to_json(org)));
    out["keys"][a.key + "_organisation"] = seal(a.key + "-organisation.key", org_key, a.org.name);
    if (!a.recipient_name.empty()) {
      // The key evidence for the authority is sealed to: separate from the
      // organisation's certifying key, and from every signer's.
      trust::SecretKey recipient_key = trust::SecretKey::generate();
      trust::Certificate recipient;
      recipient.kind = trust::CertKind::kRecipient;
      recipient.subject_name = a.recipient_name;
      recipient.public_key = recipient_key.public_key();
      recipient.organisation = a.org;
      recipient.country = a.org.country;
      recipient.not_before = from;
      recipient.not_after = Timestamp::from_seconds(now + 2LL * 365 * 86400);
      recipient = check(trust::issue_certificate(recipient, org_key, a.org.name));
      check(hub.trust().add_certificate(op, trust::to_json(recipient)));
      out["keys"][a.key + "_recipient"] =
          seal(a.key + "-recipient.key", recipient_key, a.recipient_name);
      const std::string cert_file = dir + "/" + a.key + "-recipient.cert.json";
      write_new_file(cert_file, trust::to_json(recipient).dump(2) + "\n", true);
      out["recipients"][a.key] = {{"key_file", out["keys"][a.key + "_recipient"]},
                                  {"certificate_file", cert_file},
                                  {"key_id", recipient.key_id()}};
    }
    for (const auto& s : a.signers) {
      trust::SecretKey user_key = trust::SecretKey::generate();
      trust::Certificate user;
      user.kind = trust::CertKind::kUser;
      user.subject_name = s.name;
      user.subject_email = s.email;
      user.public_key = user_key.public_key();
      user.organisation = a.org;
      user.roles = s.roles;
      user.country = a.org.country;
      user.not_before = from;
      user.not_after = Timestamp::from_seconds(now + 365 * 86400LL);
      user = check(trust::issue_certificate(user, org_key, a.org.name));
      check(hub.trust().add_certificate(op, trust::to_json(user)));
      out["keys"][s.user_key] = seal(s.user_key + ".key", user_key, s.name);
    }
  }
  return out;
}

}  // namespace liaison::cli
