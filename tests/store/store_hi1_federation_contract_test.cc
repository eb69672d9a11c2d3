// The Store contract for HI-1 federation: transfers towards peer hubs, what
// is still to forward or deliver, and deliveries arriving in parts.
#include <gtest/gtest.h>

#include "store/store_contract.h"

namespace liaison::store_contract {
namespace {

Hi1Transfer transfer_of(const Request& r, Hi1TransferKind kind, const std::string& id,
                        const std::string& task) {
  Hi1Transfer t;
  t.id = id;
  t.kind = kind;
  t.request_id = r.id;
  t.peer = "IE/provider.example";
  t.task_object_id = task;
  t.next_attempt_at = t.created_at = t.updated_at = "2026-12-02T10:00:00.000000Z";
  return t;
}

TEST_P(StoreEvidence, ATransferIsKeptWholeFoundByItsTaskAndListedWhileOpen) {
  Request r = add_request(make_request(police_, provider_, officer_));
  Hi1Transfer t = transfer_of(r, Hi1TransferKind::kForward, next_id(), next_id());
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_hi1_transfer(t); }).ok());
  auto found = read([&](ReadTx& tx) {
    return tx.find_hi1_transfer(Hi1TransferKind::kForward, t.peer, t.task_object_id);
  });
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(*found, t);
  // Neither another kind nor another peer finds it.
  EXPECT_EQ(read([&](ReadTx& tx) {
              return tx.find_hi1_transfer(Hi1TransferKind::kDeliver, t.peer, t.task_object_id);
            })
                .error()
                .code,
            ErrorCode::kNotFound);
  EXPECT_FALSE(read([&](ReadTx& tx) {
                 return tx.find_hi1_transfer(Hi1TransferKind::kForward, "NL/registrar.example",
                                             t.task_object_id);
               }).ok());
  // One forward per request.
  Hi1Transfer twice = transfer_of(r, Hi1TransferKind::kForward, next_id(), next_id());
  auto again = write([&](WriteTx& tx) { return tx.insert_hi1_transfer(twice); });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);

  // Progress and the state it reaches are kept; a done transfer is no longer open.
  t.state = Hi1TransferState::kSent;
  t.remote_status = "AwaitingDisclosure";
  t.attempts = 2;
  t.last_error = "peer unreachable";
  t.next_attempt_at = "2026-12-02T10:05:00.000000Z";
  t.sent_bytes = 5'000'000'000ull;
  t.next_sequence = 7;
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.update_hi1_transfer(t); }).ok());
  auto open = read([&](ReadTx& tx) { return tx.list_open_hi1_transfers(10); });
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->front(), t);
  t.state = Hi1TransferState::kDone;
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.update_hi1_transfer(t); }).ok());
  EXPECT_TRUE(read([&](ReadTx& tx) { return tx.list_open_hi1_transfers(10); })->empty());
  Hi1Transfer missing = t;
  missing.id = next_id();
  EXPECT_EQ(write([&](WriteTx& tx) { return tx.update_hi1_transfer(missing); }).error().code,
            ErrorCode::kNotFound);
}

TEST_P(StoreEvidence, RequestsToForwardAreSubmittedOnesOfThatPairNeverForwarded) {
  Request waiting = add_request(make_request(police_, provider_, officer_));
  Request forwarded = add_request(make_request(police_, provider_, officer_));
  add_request(make_request(police_, provider_, officer_, RequestStatus::kDraft));
  add_request(make_request(police_, provider_, officer_, RequestStatus::kQuarantined));
  add_request(make_request(police_, other_provider_, officer_));
  add_request(make_request(other_police_, provider_, other_officer_));
  Hi1Transfer t = transfer_of(forwarded, Hi1TransferKind::kForward, next_id(), next_id());
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_hi1_transfer(t); }).ok());
  auto ids =
      read([&](ReadTx& tx) { return tx.list_requests_to_forward(police_.id, provider_.id, 10); });
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  EXPECT_EQ(*ids, std::vector<std::string>{waiting.id});
}

TEST_P(StoreEvidence, DeliveriesAreDueForPackagesAndNoDataOnTasksOfThatSender) {
  Request produced = add_request(make_request(police_, provider_, officer_));
  Request none =
      add_request(make_request(police_, provider_, officer_, RequestStatus::kNotAvailable));
  Request direct = add_request(make_request(police_, provider_, officer_));
  std::string task = next_id(), none_task = next_id();
  Attachment a = attachment_of(produced), b = attachment_of(direct);
  b.sha256 = std::string(64, 'd');
  EvidencePackage p{next_id(),
                    produced.id,
                    a.id,
                    "{}",
                    std::string(64, 'b'),
                    std::string(32, 'c'),
                    1,
                    10,
                    20,
                    "2026-12-01T10:02:00.000000Z"};
  // A package on a request that came in some other way is not delivered over HI-1.
  EvidencePackage q{next_id(),
                    direct.id,
                    b.id,
                    "{}",
                    std::string(64, 'e'),
                    std::string(32, 'c'),
                    1,
                    10,
                    20,
                    "2026-12-01T10:03:00.000000Z"};
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                for (auto [r, id] : {std::pair{&produced, task}, std::pair{&none, none_task}}) {
                  Hi1ObjectRecord o;
                  o.owner_org_id = police_.id;
                  o.object_id = id;
                  o.object_type = "{http://uri.etsi.org/03120/common/2020/09/Task}LDTaskObject";
                  o.request_id = r->id;
                  o.xml = "<HI1Object/>";
                  o.created_at = "2026-12-01T10:00:00.000000Z";
                  o.last_changed = "2026-12-01T10:00:00Z";
                  LIAISON_TRY(tx.insert_hi1_object(o));
                }
                LIAISON_TRY(tx.insert_attachment(a));
                LIAISON_TRY(tx.insert_attachment(b));
                LIAISON_TRY(tx.insert_evidence_package(p));
                return tx.insert_evidence_package(q);
              }).ok());
  auto due =
      read([&](ReadTx& tx) { return tx.list_hi1_deliveries_due(police_.id, provider_.id, 10); });
  ASSERT_TRUE(due.ok()) << due.error().message;
  ASSERT_EQ(due->size(), 2u);
  // Oldest first: the "not available" answer (2024) before the package (2026).
  EXPECT_EQ((*due)[0], (Hi1DeliveryDue{none.id, "", none_task}));
  EXPECT_EQ((*due)[1], (Hi1DeliveryDue{produced.id, p.id, task}));
  EXPECT_TRUE(read([&](ReadTx& tx) {
                return tx.list_hi1_deliveries_due(other_police_.id, provider_.id, 10);
              })->empty());

  // Another provider's link here never delivers them.
  EXPECT_TRUE(read([&](ReadTx& tx) {
                return tx.list_hi1_deliveries_due(police_.id, other_provider_.id, 10);
              })->empty());

  // Once a delivery is under way, it is no longer due.
  Hi1Transfer t = transfer_of(produced, Hi1TransferKind::kDeliver, next_id(), task);
  t.package_id = p.id;
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_hi1_transfer(t); }).ok());
  due = read([&](ReadTx& tx) { return tx.list_hi1_deliveries_due(police_.id, provider_.id, 10); });
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].request_id, none.id);
}

TEST_P(StoreEvidence, AnInboundDeliveryIsKeptPerSenderAndReplaced) {
  Request r = add_request(make_request(police_, provider_, officer_));
  Hi1InboundDelivery d{provider_.id,
                       next_id(),
                       r.id,
                       1,
                       0,
                       std::nullopt,
                       "2026-12-02T10:00:00.000000Z",
                       "2026-12-02T10:00:00.000000Z"};
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.put_hi1_inbound_delivery(d); }).ok());
  d.next_sequence = 3;
  d.received = 8'000'000;
  d.package_id = next_id();
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.put_hi1_inbound_delivery(d); }).ok());
  auto got =
      read([&](ReadTx& tx) { return tx.get_hi1_inbound_delivery(provider_.id, d.delivery_id); });
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, d);
  EXPECT_EQ(read([&](ReadTx& tx) {
              return tx.get_hi1_inbound_delivery(other_provider_.id, d.delivery_id);
            })
                .error()
                .code,
            ErrorCode::kNotFound);
}

}  // namespace
}  // namespace liaison::store_contract
