// The Store contract for trust data: certificates, revocation lists, request
// signatures, the replay memory, signing policies, and the request fields the
// hub computes at receipt.
#include <gtest/gtest.h>

#include "store/store_contract.h"

namespace liaison::store_contract {
namespace {

StoredCertificate certificate(const std::string& fingerprint, const std::string& kind) {
  StoredCertificate c;
  c.fingerprint = fingerprint;
  c.key_id = "key-" + fingerprint;
  c.serial = "serial-" + fingerprint;
  c.kind = kind;
  c.subject_name = "Subject " + fingerprint;
  c.country = "NL";
  if (kind != "root") {
    c.org_country = "NL";
    c.org_endpoint_uid = "NPCU";
  }
  c.not_before = "2026-01-01T00:00:00Z";
  c.not_after = "2027-01-01T00:00:00Z";
  c.issuer_key_id = "issuer";
  c.certificate_json = R"({"kind":")" + kind + R"("})";
  c.added_by = "admin";
  c.added_at = "2026-01-02T00:00:00Z";
  return c;
}

TEST_P(StoreContract, CertificatesRoundTripAndAreUniqueByFingerprint) {
  StoredCertificate root = certificate("aa", "root");
  root.trusted_root = true;
  StoredCertificate user = certificate("bb", "user");
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_certificate(root); }).ok());
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_certificate(user); }).ok());
  Status again = write([&](WriteTx& tx) { return tx.insert_certificate(user); });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);

  auto all = read([](ReadTx& tx) { return tx.list_certificates(); });
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  const StoredCertificate& r = all->at(0).fingerprint == "aa" ? all->at(0) : all->at(1);
  const StoredCertificate& u = all->at(0).fingerprint == "bb" ? all->at(0) : all->at(1);
  EXPECT_TRUE(r.trusted_root);
  EXPECT_FALSE(r.org_country.has_value());
  EXPECT_EQ(u.org_endpoint_uid, std::optional<std::string>("NPCU"));
  EXPECT_EQ(u.certificate_json, R"({"kind":"user"})");
  EXPECT_EQ(u.not_after, "2027-01-01T00:00:00Z");
}

TEST_P(StoreContract, RecipientCertificatesAreStoredLikeUserCertificates) {
  ASSERT_TRUE(write([&](WriteTx& tx) {
                return tx.insert_certificate(certificate("cc", "recipient"));
              }).ok());
  auto all = read([](ReadTx& tx) { return tx.list_certificates(); });
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->at(0).kind, "recipient");
  EXPECT_EQ(all->at(0).org_endpoint_uid, std::optional<std::string>("NPCU"));
}

TEST_P(StoreContract, OnlyRootsCanBeTrustedAndDistrusted) {
  ASSERT_TRUE(
      write([&](WriteTx& tx) { return tx.insert_certificate(certificate("aa", "root")); }).ok());
  ASSERT_TRUE(write([&](WriteTx& tx) {
                return tx.insert_certificate(certificate("bb", "organisation"));
              }).ok());
  EXPECT_TRUE(write([](WriteTx& tx) { return tx.set_trusted_root("aa", true); }).ok());
  Status not_root = write([](WriteTx& tx) { return tx.set_trusted_root("bb", true); });
  ASSERT_FALSE(not_root.ok());
  EXPECT_EQ(not_root.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(write([](WriteTx& tx) { return tx.set_trusted_root("aa", false); }).ok());
  auto all = read([](ReadTx& tx) { return tx.list_certificates(); });
  ASSERT_TRUE(all.ok());
  for (const auto& c : *all) EXPECT_FALSE(c.trusted_root) << c.fingerprint;
}

TEST_P(StoreContract, RevocationListsOnlyMoveForward) {
  StoredRevocationList first{"issuer",    2,       "2026-02-01T00:00:00Z",
                             "{\"n\":2}", "admin", "2026-02-01T00:00:01Z"};
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.put_revocation_list(first); }).ok());
  StoredRevocationList older = first;
  older.number = 1;
  older.list_json = "{\"n\":1}";
  StoredRevocationList same = first;
  same.list_json = "{\"n\":\"2 again\"}";
  for (const auto& stale : {older, same}) {
    Status s = write([&](WriteTx& tx) { return tx.put_revocation_list(stale); });
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  }
  StoredRevocationList newer = first;
  newer.number = 3;
  newer.list_json = "{\"n\":3}";
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.put_revocation_list(newer); }).ok());
  auto lists = read([](ReadTx& tx) { return tx.list_revocation_lists(); });
  ASSERT_TRUE(lists.ok());
  ASSERT_EQ(lists->size(), 1u);
  EXPECT_EQ(lists->at(0).number, 3);
  EXPECT_EQ(lists->at(0).list_json, "{\"n\":3}");
}

TEST_P(StoreRequests, SignaturesAreStoredPerRequestAndReplaced) {
  Request r = add_request(make_request(police_, provider_, officer_, RequestStatus::kDraft));
  auto none = read([&](ReadTx& tx) { return tx.get_request_signatures(r.id); });
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);

  RequestSignatures s{r.id,         "{\"signatures\":[1]}", "d1",         "2026-03-01T00:00:00Z",
                      std::nullopt, std::nullopt,           std::nullopt, "{}"};
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.put_request_signatures(s); }).ok());
  auto got = read([&](ReadTx& tx) { return tx.get_request_signatures(r.id); });
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->envelope_json, "{\"signatures\":[1]}");
  EXPECT_FALSE(got->verified_ok.has_value());

  s.envelope_json = "{\"signatures\":[1,2]}";
  s.verified_ok = false;
  s.report_json = "{\"ok\":false}";
  s.verified_at = "2026-03-01T00:01:00Z";
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.put_request_signatures(s); }).ok());
  got = read([&](ReadTx& tx) { return tx.get_request_signatures(r.id); });
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->envelope_json, "{\"signatures\":[1,2]}");
  EXPECT_EQ(got->verified_ok, std::optional<bool>(false));
  EXPECT_EQ(got->report_json, std::optional<std::string>("{\"ok\":false}"));
}

TEST_P(StoreRequests, ANonceIsRememberedOnceAndNamesItsRequest) {
  Request r = add_request(make_request(police_, provider_, officer_));
  auto unseen = read([](ReadTx& tx) { return tx.find_seen("nonce:abc"); });
  ASSERT_TRUE(unseen.ok());
  EXPECT_FALSE(unseen->has_value());
  ASSERT_TRUE(write([&](WriteTx& tx) {
                return tx.insert_seen("nonce:abc", r.id, "2026-03-01T00:00:00Z");
              }).ok());
  Status twice =
      write([&](WriteTx& tx) { return tx.insert_seen("nonce:abc", r.id, "2026-03-01T00:00:01Z"); });
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  auto seen = read([](ReadTx& tx) { return tx.find_seen("nonce:abc"); });
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(*seen, std::optional<std::string>(r.id));
}

TEST_P(StoreRequests, SigningPolicyIsAbsentUntilSetThenReplaced) {
  auto none = read([&](ReadTx& tx) { return tx.get_signing_policy(police_.id); });
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  SigningPolicy p{police_.id, 1, 0, 48, officer_.id, "2026-03-01T00:00:00Z"};
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.put_signing_policy(p); }).ok());
  p.supervisors = 2;
  p.follow_up_hours = 24;
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.put_signing_policy(p); }).ok());
  auto got = read([&](ReadTx& tx) { return tx.get_signing_policy(police_.id); });
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->validators, 1);
  EXPECT_EQ((*got)->supervisors, 2);
  EXPECT_EQ((*got)->follow_up_hours, 24);
}

TEST_P(StoreRequests, ComputedFieldsRoundTripAndTheEarlierDeadlineFilters) {
  Request r = make_request(police_, provider_, officer_);
  r.draft.deadline = "2024-03-20T00:00:00Z";
  r.due_at = "2024-03-01T18:05:00Z";
  r.due_rule = "emergency: 8 hours from receipt";
  r.quarantine_reason = "signature_invalid: altered";
  r.follow_up_due = "2024-03-03T10:05:00Z";
  r = add_request(r);
  auto got = read([&](ReadTx& tx) { return tx.get_request(r.id); });
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->due_at, r.due_at);
  EXPECT_EQ(got->due_rule, r.due_rule);
  EXPECT_EQ(got->quarantine_reason, r.quarantine_reason);
  EXPECT_EQ(got->follow_up_due, r.follow_up_due);
  EXPECT_FALSE(got->follow_up_done_at.has_value());
  EXPECT_EQ(got->draft.deadline, r.draft.deadline);  // the signed draft is untouched

  RequestFilter f;
  f.deadline_before = "2024-03-02T00:00:00Z";  // before the draft's deadline, after due_at
  auto page = read([&](ReadTx& tx) { return tx.list_requests(f); });
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, r.id);
}

TEST_P(StoreRequests, FollowUpsDueAreListedUntilDoneOrEscalated) {
  Request due = make_request(police_, provider_, officer_, RequestStatus::kProduced);
  due.draft.kind = RequestKind::kEmergencyDisclosure;
  due.follow_up_due = "2024-03-03T10:00:00Z";
  due = add_request(due);
  Request later = make_request(police_, provider_, officer_, RequestStatus::kProduced);
  later.follow_up_due = "2024-03-09T10:00:00Z";
  later = add_request(later);
  Request done = make_request(police_, provider_, officer_, RequestStatus::kProduced);
  done.follow_up_due = "2024-03-02T10:00:00Z";
  done.follow_up_done_at = "2024-03-02T09:00:00Z";
  done = add_request(done);

  auto list = read([](ReadTx& tx) { return tx.list_follow_ups_due("2024-03-04T00:00:00Z"); });
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->at(0).id, due.id);

  due.follow_up_escalated_at = "2024-03-04T00:00:00Z";
  due.version += 1;
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.update_request(due, due.version - 1); }).ok());
  list = read([](ReadTx& tx) { return tx.list_follow_ups_due("2024-03-04T00:00:00Z"); });
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST_P(StoreRequests, IssuerActivityCountsDaysInTheWindowAndTheFirstContact) {
  auto activity = [&](const std::string& provider, const std::string& since) {
    return read([&](ReadTx& tx) { return tx.issuer_activity(police_.id, provider, since); });
  };
  auto none = activity(provider_.id, "2024-01-01");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->received, 0);
  EXPECT_FALSE(none->first_request_to_provider.has_value());

  Request a = add_request(make_request(police_, provider_, officer_));
  Request b = add_request(make_request(police_, provider_, officer_));
  Request c = add_request(make_request(police_, other_provider_, officer_));
  Request d = add_request(make_request(other_police_, provider_, other_officer_));
  auto record = [&](const Organisation& issuer, const Request& r, const std::string& day,
                    bool emergency) {
    return write([&](WriteTx& tx) {
      return tx.record_issuer_activity(issuer.id, r.draft.provider_org_id, day, emergency, r.id,
                                       day + "T12:00:00Z");
    });
  };
  ASSERT_TRUE(record(police_, a, "2024-01-10", false).ok());
  ASSERT_TRUE(record(police_, b, "2024-03-01", true).ok());
  ASSERT_TRUE(record(police_, c, "2024-03-01", false).ok());
  ASSERT_TRUE(record(other_police_, d, "2024-03-01", true).ok());

  auto window = activity(provider_.id, "2024-02-01");
  ASSERT_TRUE(window.ok());
  EXPECT_EQ(window->received, 2);   // b and c; a is before the window, d is another issuer's
  EXPECT_EQ(window->emergency, 1);  // b
  EXPECT_EQ(window->first_request_to_provider, std::optional<std::string>(a.id));
  auto all = activity(provider_.id, "2024-01-01");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->received, 3);
  auto other = activity(other_provider_.id, "2024-01-01");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->first_request_to_provider, std::optional<std::string>(c.id));
}

}  // namespace
}  // namespace liaison::store_contract
