// The Store contract for evidence packages: resumable uploads, registered
// packages and the chain of custody.
#include <gtest/gtest.h>

#include "store/store_contract.h"

namespace liaison::store_contract {
namespace {

TEST_P(StoreEvidence, AnUploadMovesForwardOnlyFromWhereItStands) {
  Request r = add_request(make_request(police_, provider_, officer_));
  EvidenceUpload u = upload_of(r);
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_evidence_upload(u); }).ok());
  EvidenceUpload next = u;
  next.received = 4'500'000'000ull;  // beyond 32 bits
  next.updated_at = "2026-12-01T10:01:00.000000Z";
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.update_evidence_upload(next, 0); }).ok());
  // A second part that thought the upload was still at 0 loses.
  EvidenceUpload stale = u;
  stale.received = 100;
  Status lost = write([&](WriteTx& tx) { return tx.update_evidence_upload(stale, 0); });
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, ErrorCode::kConflict);
  next.received = next.size;
  next.state = UploadState::kCompleted;
  next.package_id = next_id();
  ASSERT_TRUE(
      write([&](WriteTx& tx) { return tx.update_evidence_upload(next, 4'500'000'000ull); }).ok());
  auto got = read([&](ReadTx& tx) { return tx.get_evidence_upload(u.id); });
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->received, next.size);
  EXPECT_EQ(got->state, UploadState::kCompleted);
  EXPECT_EQ(got->package_id, next.package_id);
  EXPECT_EQ(got->updated_at, next.updated_at);
  // A completed upload takes no more parts.
  EXPECT_FALSE(write([&](WriteTx& tx) { return tx.update_evidence_upload(next, next.size); }).ok());
  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_evidence_upload(next_id()); }).error().code,
            ErrorCode::kNotFound);
}

TEST_P(StoreEvidence, APackageIsRegisteredOnceAndFoundByItsAttachment) {
  Request r = add_request(make_request(police_, provider_, officer_));
  Attachment a = attachment_of(r);
  EvidencePackage p{next_id(),
                    r.id,
                    a.id,
                    R"({"liaison_evidence":1})",
                    std::string(64, 'b'),
                    std::string(32, 'c'),
                    100'000,
                    6'000'000'000ull,
                    6'100'000'000ull,
                    "2026-12-01T10:02:00.000000Z"};
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                LIAISON_TRY(tx.insert_attachment(a));
                return tx.insert_evidence_package(p);
              }).ok());
  Status again = write([&](WriteTx& tx) { return tx.insert_evidence_package(p); });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto by_id = read([&](ReadTx& tx) { return tx.get_evidence_package(p.id); });
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->statement, p.statement);
  EXPECT_EQ(by_id->total_size, p.total_size);
  EXPECT_EQ(by_id->package_bytes, p.package_bytes);
  auto by_attachment =
      read([&](ReadTx& tx) { return tx.get_evidence_package_of_attachment(a.id); });
  ASSERT_TRUE(by_attachment.ok());
  EXPECT_EQ(by_attachment->id, p.id);
  auto listed = read([&](ReadTx& tx) { return tx.list_evidence_packages(r.id); });
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_evidence_package_of_attachment(next_id()); })
                .error()
                .code,
            ErrorCode::kNotFound);
}

TEST_P(StoreEvidence, CustodyEventsAreKeptInOrderWithTheirOptionalParts) {
  Request r = add_request(make_request(police_, provider_, officer_));
  CustodyEvent part{0,
                    r.id,
                    std::nullopt,
                    next_id(),
                    "upload_part",
                    officer_.id,
                    police_.id,
                    next_id(),
                    4'294'967'296ull,
                    8'589'934'591ull,
                    std::nullopt,
                    R"({"bytes":4294967296})",
                    "2026-12-01T10:00:00.000000Z"};
  CustodyEvent check{0,
                     r.id,
                     next_id(),
                     std::nullopt,
                     "verification",
                     officer_.id,
                     police_.id,
                     std::nullopt,
                     std::nullopt,
                     std::nullopt,
                     "verified",
                     R"({"checked":"contents"})",
                     "2026-12-01T10:05:00.000000Z"};
  std::int64_t first = 0, second = 0;
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                LIAISON_ASSIGN_OR_RETURN(first, tx.insert_custody_event(part));
                LIAISON_ASSIGN_OR_RETURN(second, tx.insert_custody_event(check));
                return Ok{};
              }).ok());
  EXPECT_LT(first, second);
  auto events = read([&](ReadTx& tx) { return tx.list_custody_events(r.id); });
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  const CustodyEvent& a = (*events)[0];
  EXPECT_EQ(a.seq, first);
  EXPECT_EQ(a.kind, "upload_part");
  EXPECT_FALSE(a.package_id.has_value());
  EXPECT_EQ(a.upload_id, part.upload_id);
  EXPECT_EQ(a.token_id, part.token_id);
  EXPECT_EQ(a.first_byte, part.first_byte);
  EXPECT_EQ(a.last_byte, part.last_byte);
  EXPECT_FALSE(a.outcome.has_value());
  EXPECT_EQ(a.detail, part.detail);
  const CustodyEvent& b = (*events)[1];
  EXPECT_EQ(b.package_id, check.package_id);
  EXPECT_FALSE(b.first_byte.has_value());
  EXPECT_EQ(b.outcome, "verified");
  // An unknown kind is not a custody event.
  CustodyEvent odd = check;
  odd.kind = "lost";
  Status refused = write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(std::int64_t seq, tx.insert_custody_event(odd));
    (void)seq;
    return Ok{};
  });
  EXPECT_FALSE(refused.ok());
}

}  // namespace
}  // namespace liaison::store_contract
