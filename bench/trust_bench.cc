// Signed-request verification on one thread, and what bounds it.
//
//   BM_VerifyWarm     a complete verification (officer signature, the user →
//                     organisation → root chain, revocation lookups) with the
//                     store's certificate cache warm: the hub's steady state
//   BM_VerifyCold     the same with the cache emptied before each iteration, so
//                     both certificate signatures are verified again (the store
//                     copy is outside the timing)
//   BM_ParseAndVerify the warm path from JSON text, as the hub receives it
//   BM_Ed25519Verify  one bare crypto_sign_verify_detached: the floor
//   BM_OpenSslEd25519Verify  the same verification with OpenSSL 3, the other
//                     Ed25519 implementation on the machine, as a peer
//   BM_CanonicalJson  RFC 8785 canonicalisation of a typical payload
//
// Run: build/bench/trust_bench (items/s is verifications per second).
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <cstdio>
#include <cstdlib>

#include "core/request.h"
#include "trust/canonical_json.h"
#include "trust/certificate.h"
#include "trust/encoding.h"
#include "trust/init.h"
#include "trust/request_payload.h"
#include "trust/revocation.h"
#include "trust/signed_request.h"
#include "trust/trust_store.h"

namespace liaison::trust {
namespace {

const Timestamp kNow = Timestamp::from_seconds(1793610900);  // 2026-11-02T09:15:00Z

Timestamp days(std::int64_t d) { return Timestamp::from_seconds(kNow.seconds() + d * 86400); }

template <typename T>
T must(Result<T> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "bench setup failed: %s\n", r.error().message.c_str());
    std::abort();
  }
  return std::move(r).value();
}

SecretKey key_for(const std::string& name) { return must(SecretKey::from_seed(sha256(name))); }

// One root, one authority, one provider, one officer; a revocation list from
// each issuer with entries for other certificates, so lookups are real.
struct World {
  SecretKey root_key = key_for("bench root");
  SecretKey police_key = key_for("bench police");
  SecretKey officer_key = key_for("bench officer");
  OrgRef police{"NL", "NL-POL-EX", "Politie Eenheid Voorbeeld", OrgKind::kAuthority};
  OrgRef provider{"NL", "NL-EXMAIL", "Example Mail B.V.", OrgKind::kProvider};
  Certificate root, police_cert, officer_cert;
  TrustStore store;
  SignedRequest request;
  std::string request_text;

  World() {
    Certificate r;
    r.kind = CertKind::kRoot;
    r.subject_name = "Liaison Root Netherlands";
    r.public_key = root_key.public_key();
    r.country = "NL";
    r.not_before = days(-365);
    r.not_after = days(3650);
    root = must(issue_certificate(r, root_key, r.subject_name));

    Certificate o;
    o.kind = CertKind::kOrganisation;
    o.subject_name = police.name;
    o.public_key = police_key.public_key();
    o.organisation = police;
    o.country = "NL";
    o.emergency_contacts = {{"phone", "+31205550100"}};
    o.not_before = days(-90);
    o.not_after = days(730);
    police_cert = must(issue_certificate(o, root_key, root.subject_name));

    Certificate u;
    u.kind = CertKind::kUser;
    u.subject_name = "Jan de Vries";
    u.subject_email = "jan.devries@police.example.org";
    u.public_key = officer_key.public_key();
    u.organisation = police;
    u.country = "NL";
    u.roles.add(Role::kOfficer);
    u.not_before = days(-30);
    u.not_after = days(365);
    officer_cert = must(issue_certificate(u, police_key, police.name));

    if (!store.add_root(root).ok() || !store.add_certificate(police_cert).ok()) std::abort();
    for (const SecretKey* issuer : {&root_key, &police_key}) {
      RevocationList l;
      l.issuer_name = issuer == &root_key ? root.subject_name : police.name;
      l.number = 1;
      l.issued_at = days(-1);
      for (int i = 0; i < 100; ++i) {
        l.entries.push_back(
            {hex_encode(random_bytes(16)), hex_encode(random_bytes(16)), days(-2), "superseded"});
      }
      if (!store.add_revocation_list(must(sign_revocation_list(l, *issuer))).ok()) std::abort();
    }

    Request req;
    req.id = "01890a5d-ac96-774b-bcce-b302099a8057";
    RequestDraft& d = req.draft;
    d.kind = RequestKind::kProduction;
    d.categories = {DataCategory::kSubscriberData, DataCategory::kTrafficData};
    Identifier mail;
    mail.kind = IdentifierKind::kEmail;
    mail.value = "suspect@example.org";
    Identifier ip;
    ip.kind = IdentifierKind::kIpAddress;
    ip.value = "192.0.2.10";
    ip.port = 51234;
    ip.observed_at = "2026-10-30T20:04:05Z";
    d.targets = {mail, ip};
    d.period = Period{"2026-10-01T00:00:00Z", "2026-10-31T00:00:00Z"};
    d.legal_basis = {"Budapest Convention", "Art. 18(1)(b)", "Sv art. 126na"};
    d.case_type = "Cybercrime";
    d.offence_description = "Phishing campaign against customers of a made-up bank";
    d.max_penalty_months = 72;
    d.issuer_reference = "PL0900-2026-1234";
    nlohmann::json payload =
        request_payload(req, police, provider, new_request_nonce(), kNow, std::nullopt);
    request.payload = payload;
    request.signatures.push_back(
        sign_request(payload, "officer", officer_key, officer_cert, {police_cert}, kNow));
    request_text = to_json(request).dump();
    if (!verify(store).ok) std::abort();
  }

  VerificationReport verify(const TrustStore& s) const {
    return verify_signed_request(s, request, {}, Timestamp{kNow.unix_micros + 1'000'000});
  }
};

const World& world() {
  static const World w;
  return w;
}

void BM_VerifyWarm(benchmark::State& state) {
  const World& w = world();
  for (auto _ : state) {
    VerificationReport r = w.verify(w.store);
    if (!r.ok) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyWarm);

void BM_VerifyCold(benchmark::State& state) {
  const World& w = world();
  for (auto _ : state) {
    state.PauseTiming();
    TrustStore fresh = w.store;
    fresh.forget_verified_signatures();
    state.ResumeTiming();
    VerificationReport r = w.verify(fresh);
    if (!r.ok) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(r);
    state.PauseTiming();
    { TrustStore gone = std::move(fresh); }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyCold);

void BM_ParseAndVerify(benchmark::State& state) {
  const World& w = world();
  for (auto _ : state) {
    auto parsed = signed_request_from_json(nlohmann::json::parse(w.request_text));
    if (!parsed.ok()) state.SkipWithError("parse failed");
    VerificationReport r =
        verify_signed_request(w.store, *parsed, {}, Timestamp{kNow.unix_micros + 1'000'000});
    if (!r.ok) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseAndVerify);

void BM_Ed25519Verify(benchmark::State& state) {
  init();
  const World& w = world();
  std::string message = request_signing_input("officer", kNow, payload_digest(w.request.payload));
  std::string sig = w.officer_key.sign(message);
  const auto* pk = reinterpret_cast<const unsigned char*>(w.officer_cert.public_key.bytes.data());
  for (auto _ : state) {
    int rc = crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                         reinterpret_cast<const unsigned char*>(message.data()),
                                         message.size(), pk);
    if (rc != 0) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(rc);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ed25519Verify);

void BM_OpenSslEd25519Verify(benchmark::State& state) {
  const World& w = world();
  std::string message = request_signing_input("officer", kNow, payload_digest(w.request.payload));
  std::string sig = w.officer_key.sign(message);
  const auto* pk = reinterpret_cast<const unsigned char*>(w.officer_cert.public_key.bytes.data());
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, pk, 32);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  for (auto _ : state) {
    // Ed25519 in OpenSSL is one-shot: the context is initialised per message.
    int rc = EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key) == 1 &&
             EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                              reinterpret_cast<const unsigned char*>(message.data()),
                              message.size()) == 1;
    if (rc != 1) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(rc);
  }
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OpenSslEd25519Verify);

void BM_CanonicalJson(benchmark::State& state) {
  const World& w = world();
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto text = canonical_json(w.request.payload);
    bytes = text->size();
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_CanonicalJson);

}  // namespace
}  // namespace liaison::trust

BENCHMARK_MAIN();
