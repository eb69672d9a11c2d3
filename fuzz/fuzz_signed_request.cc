// Arbitrary bytes through the whole signed-request path: JSON, strict
// decoding of the envelope and its certificates, and verification against a
// small fixed trust store (a root, an authority, a provider). Nothing may
// crash; whatever decodes must re-encode to JSON that decodes to the same
// request; and every report must be writable as JSON (valid UTF-8 throughout),
// since the hub returns it to the client.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/request_json.h"
#include "trust/encoding.h"
#include "trust/request_payload.h"
#include "trust/signed_request.h"
#include "trust/trust_store.h"

namespace {

using namespace liaison;
using namespace liaison::trust;

const Timestamp kNow = Timestamp::from_seconds(1793610900);  // 2026-11-02T09:15:00Z

Timestamp days(std::int64_t d) { return Timestamp::from_seconds(kNow.seconds() + d * 86400); }

template <typename T>
T must(Result<T> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "fixture: %s\n", r.error().message.c_str());
    std::abort();
  }
  return std::move(r).value();
}

SecretKey key_for(const std::string& name) {
  return must(SecretKey::from_seed(sha256("liaison fuzz seed: " + name)));
}

// Keys come from fixed seeds, so a corpus entry signed with them stays valid.
struct World {
  SecretKey root_key = key_for("root");
  SecretKey police_key = key_for("police");
  SecretKey officer_key = key_for("officer");
  OrgRef police{"NL", "NL-POL-EX", "Politie Eenheid Voorbeeld", OrgKind::kAuthority};
  OrgRef provider{"NL", "NL-EXMAIL", "Example Mail B.V.", OrgKind::kProvider};
  TrustStore store;
  std::string valid_request_text;  // verifies ok: the seed for the corpus

  World() {
    Certificate r;
    r.serial = std::string(32, 'a');
    r.kind = CertKind::kRoot;
    r.subject_name = "Liaison Root Netherlands";
    r.public_key = root_key.public_key();
    r.country = "NL";
    r.not_before = days(-365);
    r.not_after = days(3650);
    Certificate root = must(issue_certificate(r, root_key, r.subject_name));
    Certificate o;
    o.serial = std::string(32, 'b');
    o.kind = CertKind::kOrganisation;
    o.subject_name = police.name;
    o.public_key = police_key.public_key();
    o.organisation = police;
    o.country = "NL";
    o.emergency_contacts = {{"phone", "+31205550100"}};
    o.not_before = days(-90);
    o.not_after = days(730);
    Certificate police_cert = must(issue_certificate(o, root_key, root.subject_name));
    Certificate u;
    u.serial = std::string(32, 'c');
    u.kind = CertKind::kUser;
    u.subject_name = "Jan de Vries";
    u.subject_email = "jan.devries@police.example.org";
    u.public_key = officer_key.public_key();
    u.organisation = police;
    u.country = "NL";
    u.roles.add(Role::kOfficer);
    u.roles.add(Role::kSupervisor);
    u.not_before = days(-30);
    u.not_after = days(365);
    Certificate officer = must(issue_certificate(u, police_key, police.name));
    if (!store.add_root(root).ok() || !store.add_certificate(police_cert).ok()) std::abort();

    Request req;
    req.id = "01890a5d-ac96-774b-bcce-b302099a8057";
    req.draft.kind = RequestKind::kEmergencyDisclosure;
    req.draft.categories = {DataCategory::kSubscriberData};
    Identifier ip;
    ip.kind = IdentifierKind::kIpAddress;
    ip.value = "192.0.2.10";
    ip.port = 51234;
    ip.observed_at = "2026-10-30T20:04:05Z";
    req.draft.targets = {ip};
    req.draft.legal_basis = {"Budapest Convention", "Art. 18(1)(b)", ""};
    req.draft.offence_description = "Threat to life announced from this address";
    req.draft.emergency_justification = "A person has announced harming themselves tonight";
    nlohmann::json payload = request_payload(req, police, provider, "AAECAwQFBgcICQoLDA0ODw", kNow,
                                             Contact{"phone", "+31205550100"});
    SignedRequest signed_request{
        payload, {sign_request(payload, "officer", officer_key, officer, {police_cert}, kNow)}};
    valid_request_text = to_json(signed_request).dump(2);
    // The officer alone does not satisfy the emergency rules; that is fine for
    // a seed, which should reach every check.
    VerificationReport report = verify_signed_request(store, signed_request, {}, kNow);
    if (report.signers.size() != 1 || !report.signers[0].valid) std::abort();
  }
};

const World& world() {
  static const World w;
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const World& w = world();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto body = parse_json_text(text);
  if (!body.ok()) return 0;
  auto request = signed_request_from_json(*body);
  if (!request.ok()) {
    if (request.error().issues.empty()) std::abort();  // every refusal names a field
    return 0;
  }
  nlohmann::json encoded = to_json(*request);
  auto again = signed_request_from_json(encoded);
  if (!again.ok() || to_json(*again) != encoded) {
    std::fprintf(stderr, "a decoded request does not decode again after encoding\n");
    std::abort();
  }
  for (Timestamp at : {kNow, days(3)}) {
    VerificationReport report = verify_signed_request(w.store, *request, {1, 1}, at);
    if (report.ok != report.failures.empty()) std::abort();
    try {
      (void)to_json(report).dump();
    } catch (const nlohmann::json::exception& e) {
      std::fprintf(stderr, "report is not writable as JSON: %s\n", e.what());
      std::abort();
    }
  }
  return 0;
}
