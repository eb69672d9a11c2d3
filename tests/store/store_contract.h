// The Store contract: behaviour every backend must share, written against the
// Store interface alone. A backend joins in its own test file with
//
//   namespace liaison::store_contract {
//   LIAISON_INSTANTIATE_STORE_CONTRACT(Sqlite, make_sqlite_store);
//   }
//
// Nothing here may depend on how a backend is built; anything that does
// belongs in that backend's own test file.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

#include "store/store.h"
#include "support/test_support.h"

namespace liaison::store_contract {

// Builds a fresh, empty store whose files (if any) live under `dir`; `dir`
// outlives the store. Returns nullptr when the backend cannot be opened.
using StoreFactory = std::function<std::unique_ptr<Store>(const std::filesystem::path& dir)>;

struct StoreBackend {
  std::string name;  // a valid GoogleTest name fragment
  StoreFactory make;
};

// Keeps GoogleTest from printing the factory's bytes in test listings.
inline void PrintTo(const StoreBackend& backend, std::ostream* os) { *os << backend.name; }

inline std::string StoreBackendName(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

// Distinct, well-formed version 4 UUIDs: a backend may store ids in a UUID
// column, so made-up ids must parse as UUIDs.
inline std::string test_uuid(std::uint64_t n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(n));
  return buf;
}

class StoreContract : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    store_ = GetParam().make(dir_.path());
    ASSERT_NE(store_, nullptr) << "backend " << GetParam().name << " did not open";
  }

  Store& store() { return *store_; }

  std::string next_id() { return test_uuid(++id_counter_); }

  // Runs `fn` in a read transaction and hands back what it returned, so tests
  // can read one value without writing a lambda that captures an optional.
  template <typename F>
  auto read(F&& fn) -> decltype(fn(std::declval<ReadTx&>())) {
    using R = decltype(fn(std::declval<ReadTx&>()));
    std::optional<R> out;
    Status s = store().read([&](ReadTx& tx) -> Status {
      out.emplace(fn(tx));
      return Ok{};
    });
    if (!s.ok()) return s.take_error();
    return std::move(*out);
  }

  Status write(const std::function<Status(WriteTx&)>& fn) { return store().write(fn); }

  // --- fixtures: rows that satisfy every foreign key a backend may enforce ---

  Organisation make_org(OrgKind kind, const std::string& country, const std::string& endpoint_uid) {
    Organisation o;
    o.id = next_id();
    o.kind = kind;
    o.name = "Org " + endpoint_uid;
    o.country = country;
    o.endpoint_uid = endpoint_uid;
    o.created_at = "2024-01-02T03:04:05Z";
    return o;
  }

  Organisation add_org(OrgKind kind, const std::string& country, const std::string& endpoint_uid) {
    Organisation o = make_org(kind, country, endpoint_uid);
    Status s = write([&](WriteTx& tx) { return tx.insert_org(o); });
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return o;
  }

  User make_user(const std::optional<std::string>& org_id, const std::string& email) {
    User u;
    u.id = next_id();
    u.org_id = org_id;
    u.name = "User " + email;
    u.email = email;
    u.created_at = "2024-01-02T03:04:05Z";
    if (org_id) {
      u.roles.add(Role::kOfficer);
      u.roles.add(Role::kOrgAdmin);
    } else {
      u.hub_admin = true;
    }
    return u;
  }

  User add_user(const std::optional<std::string>& org_id, const std::string& email) {
    User u = make_user(org_id, email);
    Status s = write([&](WriteTx& tx) { return tx.insert_user(u); });
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return u;
  }

  // A request with a small valid draft; tests adjust fields before adding it.
  Request make_request(const Organisation& issuer, const Organisation& provider,
                       const User& creator, RequestStatus status = RequestStatus::kSubmitted) {
    Request r;
    r.id = next_id();
    r.issuer_org_id = issuer.id;
    r.created_by = creator.id;
    r.status = status;
    r.created_at = "2024-03-01T10:00:00Z";
    r.updated_at = r.created_at;
    if (status != RequestStatus::kDraft) r.submitted_at = "2024-03-01T10:05:00Z";
    r.draft.kind = RequestKind::kProduction;
    r.draft.categories = {DataCategory::kSubscriberData};
    r.draft.targets = {Identifier{IdentifierKind::kEmail, "suspect@example.org", {}, {}, {}}};
    r.draft.legal_basis = {"Budapest Convention", "Art. 18(1)(b)", "StPO 100j"};
    r.draft.offence_description = "Fraud using a made-up shop at example.org";
    r.draft.provider_org_id = provider.id;
    r.draft.issuer_reference = "CASE-" + r.id.substr(r.id.size() - 4);
    return r;
  }

  // Inserts with the next number in the issuer's sequence for 2024, the way
  // the service does, and fills in the reference from it.
  Request add_request(Request r, int year = 2024) {
    Status s = write([&](WriteTx& tx) -> Status {
      LIAISON_ASSIGN_OR_RETURN(std::int64_t n, tx.next_request_number(r.issuer_org_id, year));
      r.reference = "XX-" + r.issuer_org_id.substr(r.issuer_org_id.size() - 6) + "-" +
                    std::to_string(year) + "-" + std::to_string(n);
      return tx.insert_request(r, n, year);
    });
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return r;
  }

 private:
  liaison::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::uint64_t id_counter_ = 0;
};

// The request tests need two authorities, two providers and an officer each.
class StoreRequests : public StoreContract {
 protected:
  void SetUp() override {
    StoreContract::SetUp();
    if (HasFatalFailure()) return;
    police_ = add_org(OrgKind::kAuthority, "DE", "police.example");
    other_police_ = add_org(OrgKind::kAuthority, "FR", "gendarmerie.example");
    provider_ = add_org(OrgKind::kProvider, "IE", "provider.example");
    other_provider_ = add_org(OrgKind::kProvider, "NL", "registrar.example");
    officer_ = add_user(police_.id, "officer@police.example.org");
    other_officer_ = add_user(other_police_.id, "officer@gendarmerie.example.org");
  }

  Organisation police_, other_police_, provider_, other_provider_;
  User officer_, other_officer_;
};

// Evidence packages: uploads, packages and custody, on the request fixtures.
class StoreEvidence : public StoreRequests {
 protected:
  EvidenceUpload upload_of(const Request& r) {
    return EvidenceUpload{next_id(),
                          r.id,
                          officer_.id,
                          police_.id,
                          5'000'000'000ull,
                          0,
                          UploadState::kOpen,
                          std::nullopt,
                          "2026-12-01T10:00:00.000000Z",
                          "2026-12-01T10:00:00.000000Z"};
  }
  Attachment attachment_of(const Request& r) {
    return Attachment{next_id(),
                      r.id,
                      officer_.id,
                      police_.id,
                      "evidence.liaison",
                      "application/vnd.liaison.evidence-package",
                      5'000'000'000ull,
                      std::string(64, 'a'),
                      AttachmentPurpose::kProduction,
                      "2026-12-01T10:00:00Z"};
  }
};

}  // namespace liaison::store_contract

// Instantiates every suite of the contract for one backend. `prefix` names the
// backend in test names; `factory` is a StoreFactory.
#define LIAISON_INSTANTIATE_STORE_CONTRACT(prefix, factory)                         \
  INSTANTIATE_TEST_SUITE_P(                                                         \
      prefix, StoreContract,                                                        \
      ::testing::Values(::liaison::store_contract::StoreBackend{#prefix, factory}), \
      ::liaison::store_contract::StoreBackendName);                                 \
  INSTANTIATE_TEST_SUITE_P(                                                         \
      prefix, StoreRequests,                                                        \
      ::testing::Values(::liaison::store_contract::StoreBackend{#prefix, factory}), \
      ::liaison::store_contract::StoreBackendName);                                 \
  INSTANTIATE_TEST_SUITE_P(                                                         \
      prefix, StoreEvidence,                                                        \
      ::testing::Values(::liaison::store_contract::StoreBackend{#prefix, factory}), \
      ::liaison::store_contract::StoreBackendName)
