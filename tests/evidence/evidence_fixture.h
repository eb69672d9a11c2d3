// Shared pieces of the evidence tests: a small made-up PKI (a provider with
// one signing officer, two authorities with recipient keys), all from fixed
// seeds and with fixed serials so that packages made from them are
// reproducible, and helpers for files in a temporary directory.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/time.h"
#include "evidence/package.h"
#include "ledger/ledger_fixture.h"
#include "ledger/receipt.h"
#include "support/test_support.h"
#include "trust/certificate.h"
#include "trust/encoding.h"
#include "trust/keys.h"

namespace liaison::evidence::testing {

// 2026-12-01T09:30:00Z.
inline const Timestamp kSealedAt = Timestamp::from_seconds(1796117400);
inline const Timestamp kValidFrom = Timestamp::from_seconds(1796117400 - 200 * 86400);
inline const Timestamp kValidUntil = Timestamp::from_seconds(1796117400 + 400 * 86400);

inline std::string seed_for(const std::string& name) {
  return trust::sha256("liaison evidence test seed: " + name);
}
inline trust::SecretKey key_for(const std::string& name) {
  return trust::SecretKey::from_seed(seed_for(name)).value();
}

inline trust::Certificate issue(trust::Certificate c, const trust::SecretKey& issuer,
                                const std::string& issuer_name, const std::string& serial_seed) {
  c.serial = trust::hex_encode(trust::sha256("serial " + serial_seed).substr(0, 16));
  c.not_before = kValidFrom;
  c.not_after = kValidUntil;
  auto issued = trust::issue_certificate(std::move(c), issuer, issuer_name);
  EXPECT_TRUE(issued.ok()) << (issued.ok() ? "" : issued.error().message);
  return std::move(issued).value();
}

struct Pki {
  trust::SecretKey root_key = key_for("root");
  trust::SecretKey provider_key = key_for("provider");
  trust::SecretKey officer_key = key_for("provider officer");
  trust::SecretKey police_key = key_for("police");
  trust::SecretKey court_key = key_for("court");
  trust::SecretKey police_unit_key = key_for("police evidence unit");
  trust::SecretKey court_unit_key = key_for("court registry");

  trust::OrgRef provider{"NL", "NL-EXMAIL", "Example Mail B.V.", OrgKind::kProvider};
  trust::OrgRef police{"NL", "NL-POL-EX", "Politie Eenheid Voorbeeld", OrgKind::kAuthority};
  trust::OrgRef court{"NL", "NL-RB-EX", "Rechtbank Voorbeeld", OrgKind::kAuthority};

  trust::Certificate root, provider_cert, officer, police_cert, court_cert, police_unit, court_unit;

  Pki() {
    trust::Certificate r;
    r.kind = trust::CertKind::kRoot;
    r.subject_name = "Liaison Root Example";
    r.public_key = root_key.public_key();
    r.country = "NL";
    root = issue(r, root_key, r.subject_name, "root");
    provider_cert = org_cert(provider, provider_key);
    police_cert = org_cert(police, police_key);
    court_cert = org_cert(court, court_key);

    trust::Certificate u;
    u.kind = trust::CertKind::kUser;
    u.subject_name = "Eva Voorbeeld";
    u.subject_email = "eva@mail.example.org";
    u.public_key = officer_key.public_key();
    u.organisation = provider;
    u.roles.add(Role::kAnalyst);
    u.country = "NL";
    officer = issue(u, provider_key, provider.name, "officer");

    police_unit = recipient_cert(police, police_key, police_unit_key, "Digitale Recherche");
    court_unit = recipient_cert(court, court_key, court_unit_key, "Griffie");
  }

  trust::Certificate org_cert(const trust::OrgRef& ref, const trust::SecretKey& key) const {
    trust::Certificate c;
    c.kind = trust::CertKind::kOrganisation;
    c.subject_name = ref.name;
    c.public_key = key.public_key();
    c.organisation = ref;
    c.country = ref.country;
    return issue(c, root_key, root.subject_name, "org " + ref.endpoint_uid);
  }

  static trust::Certificate recipient_cert(const trust::OrgRef& ref,
                                           const trust::SecretKey& org_key,
                                           const trust::SecretKey& key, const std::string& name) {
    trust::Certificate c;
    c.kind = trust::CertKind::kRecipient;
    c.subject_name = name;
    c.public_key = key.public_key();
    c.organisation = ref;
    c.country = ref.country;
    return issue(c, org_key, ref.name, "recipient " + name);
  }

  std::vector<trust::Certificate> signer_chain() const { return {officer, provider_cert}; }
};

inline const Pki& pki() {
  static const Pki* p = new Pki();  // NOLINT(cppcoreguidelines-owning-memory): lives for the tests
  return *p;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_file(const std::filesystem::path& p, std::string_view bytes) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Deterministic bytes of any length, different for each `tag`.
inline std::string pattern(std::size_t size, const std::string& tag) {
  std::string out;
  out.reserve(size + 32);
  for (std::uint64_t block = 0; out.size() < size; ++block) {
    out += trust::sha256(tag + ":" + std::to_string(block));
  }
  out.resize(size);
  return out;
}

inline SealOptions options(Aead aead = Aead::kAes256Gcm, int chunk_log2 = 16) {
  SealOptions o;
  o.request_id = "0191a7e2-4c1d-7b3e-9f00-1234567890ab";
  o.reference = "EX-2026-0042";
  o.created_at = kSealedAt;
  o.aead = aead;
  o.chunk_log2 = chunk_log2;
  return o;
}

// The field of a failed result, or "ok".
template <typename T>
std::string field_of(const Result<T>& r) {
  if (r.ok()) return "ok";
  return r.error().issues.empty() ? "(no field) " + r.error().message
                                  : r.error().issues.front().field;
}

// Collects every item's plaintext, as a recipient would store it.
class MemorySink : public ItemSink {
 public:
  struct Received {
    Item item;
    std::string data;
    bool finished = false;
  };
  Status begin(const Item& item) override {
    items.push_back({item, {}, false});
    return Ok{};
  }
  Status write(std::string_view plaintext) override {
    items.back().data += plaintext;
    return Ok{};
  }
  Status finish() override {
    items.back().finished = true;
    return Ok{};
  }
  void abort() override { aborted = true; }

  std::vector<Received> items;
  bool aborted = false;
};

// A directory of input files and the package made from them.
class Workspace {
 public:
  std::filesystem::path path(const std::string& name) const { return dir_.path() / name; }

  SealInput input(const std::string& name, std::string_view bytes,
                  std::string media_type = "application/octet-stream") {
    auto p = path("in-" + std::to_string(files_++));
    write_file(p, bytes);
    return SealInput{p.string(), name, std::move(media_type), ""};
  }

  Result<PackageInfo> seal(const std::vector<SealInput>& inputs, const std::string& out,
                           const SealOptions& o = options(),
                           std::vector<trust::Certificate> recipients = {pki().police_unit}) {
    return seal_package(inputs, recipients, pki().officer_key, pki().signer_chain(), o,
                        path(out).string());
  }

 private:
  liaison::testing::TempDir dir_;
  int files_ = 0;
};

// A receipt from a small made-up ledger whose entry 2 commits to `content`,
// as a hub registers a package.
inline ledger::Receipt receipt_for(const std::string& content,
                                   const std::string& type = "evidence.produced") {
  namespace lt = ledger::testing;
  lt::MemoryNodes nodes;
  ledger::Receipt r;
  r.salt = trust::sha256("registration salt");
  for (std::uint64_t i = 0; i < 5; ++i) {
    ledger::Entry e = lt::entry_at(i);
    if (i == 2) {
      e.type = type;
      e.commitment = ledger::commit(r.salt, content).value();
    }
    std::string bytes = ledger::encode_entry(e).value();
    if (i == 2) r.entry = bytes;
    nodes.append_entry(bytes);
  }
  r.leaf_index = 2;
  r.content = content;
  r.tree_size = 5;
  r.path = ledger::inclusion_proof(nodes, 2, 5).value();
  ledger::Checkpoint c{lt::kOrigin, 5, ledger::root_at(nodes, 5).value()};
  r.checkpoint = ledger::sign_checkpoint(c, lt::kOrigin, lt::key_for(lt::kOrigin)).value();
  r.vkey = lt::verifier_for(lt::kOrigin).vkey();
  return r;
}

// A copy of `from` at `to` with the byte at `offset` changed by `mask`.
inline void copy_with_flip(const std::filesystem::path& from, const std::filesystem::path& to,
                           std::uint64_t offset, std::uint8_t mask = 0x01) {
  std::string bytes = read_file(from);
  bytes.at(offset) = static_cast<char>(bytes.at(offset) ^ mask);
  write_file(to, bytes);
}

}  // namespace liaison::evidence::testing
