// The Store contract for legal holds, deadlines, gag orders and reminders.
#include <gtest/gtest.h>

#include <set>

#include "store/store_contract.h"

namespace liaison::store_contract {
namespace {

LegalHold hold_of(const Request& r, const std::string& id, const std::string& expires_at) {
  LegalHold h;
  h.id = id;
  h.provider_org_id = r.draft.provider_org_id;
  h.issuer_org_id = r.issuer_org_id;
  h.request_id = r.id;
  h.scope = hold_scope_of(r.draft);
  h.scope.period = Period{"2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"};
  h.created_at = "2024-03-02T10:00:00.000000Z";
  h.created_by = r.created_by;
  h.expires_at = expires_at;
  return h;
}

std::set<std::string> ids_of(const std::vector<Request>& rs) {
  std::set<std::string> out;
  for (const auto& r : rs) out.insert(r.id);
  return out;
}

TEST_P(StoreRequests, AHoldKeepsItsScopeRenewalsAndRelease) {
  Request r = add_request(make_request(police_, provider_, officer_, RequestStatus::kPreserved));
  LegalHold h = hold_of(r, next_id(), "2024-06-01T00:00:00Z");
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_hold(h); }).ok());
  auto stored = read([&](ReadTx& tx) { return tx.get_hold(h.id); });
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(stored.value(), h);

  HoldRenewal renewal{"2024-05-01T00:00:00.000000Z", "2024-06-01T00:00:00Z", "2024-07-01T00:00:00Z",
                      officer_.id, police_.id};
  h.expires_at = renewal.new_expiry;
  h.status = HoldStatus::kReleased;
  h.released_at = "2024-05-02T00:00:00.000000Z";
  h.released_by = officer_.id;
  h.release_reason = "the production is complete";
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                LIAISON_TRY(tx.insert_hold_renewal(h.id, renewal));
                return tx.update_hold(h);
              }).ok());
  h.renewals = {renewal};
  auto of_request = read([&](ReadTx& tx) { return tx.list_holds_of_request(r.id); });
  ASSERT_TRUE(of_request.ok());
  ASSERT_EQ(of_request->size(), 1u);
  EXPECT_EQ((*of_request)[0], h);
  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_hold(h.id); }).value(), h);

  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_hold(next_id()); }).error().code,
            ErrorCode::kNotFound);
  LegalHold ghost = hold_of(r, next_id(), "2024-06-01T00:00:00Z");
  EXPECT_EQ(write([&](WriteTx& tx) { return tx.update_hold(ghost); }).error().code,
            ErrorCode::kNotFound);
  // A released hold says when; one without the time is refused.
  LegalHold inconsistent = hold_of(r, next_id(), "2024-06-01T00:00:00Z");
  inconsistent.status = HoldStatus::kReleased;
  EXPECT_FALSE(write([&](WriteTx& tx) { return tx.insert_hold(inconsistent); }).ok());
}

TEST_P(StoreRequests, HoldListsNarrowByOrganisationStatusAndExpiryAndPage) {
  Request a = add_request(make_request(police_, provider_, officer_, RequestStatus::kPreserved));
  Request b =
      add_request(make_request(police_, other_provider_, officer_, RequestStatus::kPreserved));
  Request c = add_request(
      make_request(other_police_, provider_, other_officer_, RequestStatus::kPreserved));
  LegalHold ha = hold_of(a, next_id(), "2024-06-01T00:00:00Z");
  LegalHold hb = hold_of(b, next_id(), "2024-07-01T00:00:00Z");
  LegalHold hc = hold_of(c, next_id(), "2024-08-01T00:00:00Z");
  hc.status = HoldStatus::kExpired;
  hc.expired_at = "2024-08-01T00:00:00.000000Z";
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                LIAISON_TRY(tx.insert_hold(ha));
                LIAISON_TRY(tx.insert_hold(hb));
                return tx.insert_hold(hc);
              }).ok());
  auto ids = [&](HoldFilter f) {
    std::vector<std::string> out;
    auto page = read([&](ReadTx& tx) { return tx.list_holds(f); });
    EXPECT_TRUE(page.ok());
    for (const auto& h : page->items) out.push_back(h.id);
    return out;
  };
  HoldFilter provider;
  provider.provider_org_id = provider_.id;
  EXPECT_EQ(ids(provider), (std::vector<std::string>{hc.id, ha.id})) << "newest first";
  HoldFilter issuer;
  issuer.issuer_org_id = police_.id;
  EXPECT_EQ(ids(issuer), (std::vector<std::string>{hb.id, ha.id}));
  HoldFilter active = provider;
  active.status = HoldStatus::kActive;
  EXPECT_EQ(ids(active), std::vector<std::string>{ha.id});
  HoldFilter expiring = issuer;
  expiring.expiring_before = "2024-07-01T00:00:00Z";
  EXPECT_EQ(ids(expiring), std::vector<std::string>{ha.id}) << "strictly before";

  HoldFilter paged = issuer;
  paged.limit = 1;
  auto first = read([&](ReadTx& tx) { return tx.list_holds(paged); });
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 1u);
  ASSERT_TRUE(first->next_after_seq.has_value());
  paged.after_seq = first->next_after_seq;
  auto second = read([&](ReadTx& tx) { return tx.list_holds(paged); });
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].id, ha.id);
  EXPECT_FALSE(second->next_after_seq.has_value());
}

TEST_P(StoreRequests, OpenDeadlinesAndLapsedGagOrdersAreFound) {
  Request due = make_request(police_, provider_, officer_, RequestStatus::kAcknowledged);
  due.draft.deadline = "2024-04-01T00:00:00Z";
  Request late_due = make_request(police_, provider_, officer_, RequestStatus::kAcknowledged);
  late_due.due_at = "2024-09-01T00:00:00Z";
  Request answered = make_request(police_, provider_, officer_, RequestStatus::kRejected);
  answered.draft.deadline = "2024-04-01T00:00:00Z";
  Request kept = make_request(police_, provider_, officer_, RequestStatus::kPreserved);
  kept.preserved_until = "2024-04-02T00:00:00Z";
  Request owed = make_request(other_police_, provider_, other_officer_, RequestStatus::kProduced);
  owed.follow_up_due = "2024-04-03T00:00:00Z";
  Request draft = make_request(police_, provider_, officer_, RequestStatus::kDraft);
  draft.draft.deadline = "2024-04-01T00:00:00Z";
  Request gagged = make_request(police_, provider_, officer_, RequestStatus::kAccepted);
  gagged.draft.non_disclosure_until = "2024-03-10T00:00:00Z";
  Request withdrawn = make_request(police_, provider_, officer_, RequestStatus::kCancelled);
  withdrawn.draft.non_disclosure_until = "2024-03-10T00:00:00Z";
  Request unsent = make_request(police_, provider_, officer_, RequestStatus::kDraft);
  unsent.draft.non_disclosure_until = "2024-03-10T00:00:00Z";
  Request still_gagged = make_request(police_, provider_, officer_, RequestStatus::kAccepted);
  still_gagged.draft.non_disclosure_until = "2024-12-10T00:00:00Z";
  for (Request* r : {&due, &late_due, &answered, &kept, &owed, &draft, &gagged, &withdrawn, &unsent,
                     &still_gagged}) {
    *r = add_request(*r);
  }

  DeadlineFilter all;
  all.before = "2024-05-01T00:00:00Z";
  auto found = read([&](ReadTx& tx) { return tx.list_requests_with_deadlines(all); });
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(ids_of(*found), (std::set<std::string>{due.id, kept.id, owed.id}));
  DeadlineFilter police = all;
  police.issuer_org_id = police_.id;
  EXPECT_EQ(
      ids_of(read([&](ReadTx& tx) { return tx.list_requests_with_deadlines(police); }).value()),
      (std::set<std::string>{due.id, kept.id}));
  DeadlineFilter addressed = all;
  addressed.provider_org_id = provider_.id;
  addressed.before = "2024-10-01T00:00:00Z";
  EXPECT_EQ(
      ids_of(read([&](ReadTx& tx) { return tx.list_requests_with_deadlines(addressed); }).value()),
      (std::set<std::string>{due.id, late_due.id, kept.id, owed.id}))
      << "a draft's deadline is not the provider's";

  auto lapsed = read([&](ReadTx& tx) { return tx.list_gags_lapsed("2024-03-10T00:00:01Z"); });
  ASSERT_TRUE(lapsed.ok());
  EXPECT_EQ(ids_of(*lapsed), std::set<std::string>{gagged.id})
      << "neither cancelled, nor never sent, nor still gagged";
  EXPECT_TRUE(
      read([&](ReadTx& tx) { return tx.list_gags_lapsed("2024-03-10T00:00:00Z"); })->empty());

  // The task round-trips, and an open one is found whatever the bound.
  gagged.user_notification_permitted_at = "2024-03-10T00:01:00.000000Z";
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.update_request(gagged, gagged.version); }).ok());
  EXPECT_TRUE(
      read([&](ReadTx& tx) { return tx.list_gags_lapsed("2024-03-11T00:00:00Z"); })->empty());
  EXPECT_TRUE(ids_of(read([&](ReadTx& tx) { return tx.list_requests_with_deadlines(all); }).value())
                  .count(gagged.id));
  gagged.user_notified_at = "2024-03-12T00:00:00.000000Z";
  gagged.user_notified_by = officer_.id;
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.update_request(gagged, gagged.version); }).ok());
  Request back = read([&](ReadTx& tx) { return tx.get_request(gagged.id); }).value();
  EXPECT_EQ(back.user_notification_permitted_at, gagged.user_notification_permitted_at);
  EXPECT_EQ(back.user_notified_at, gagged.user_notified_at);
  EXPECT_EQ(back.user_notified_by, gagged.user_notified_by);
  EXPECT_FALSE(
      ids_of(read([&](ReadTx& tx) { return tx.list_requests_with_deadlines(all); }).value())
          .count(gagged.id));
}

TEST_P(StoreRequests, AReminderIsStoredOncePerRequestKindAndDeadline) {
  Request r = add_request(make_request(police_, provider_, officer_));
  Reminder m{next_id(),
             r.id,
             provider_.id,
             "response_due_soon",
             "2024-04-01T00:00:00Z",
             "2024-03-31T00:00:00.000000Z",
             std::nullopt,
             std::nullopt};
  auto insert = [&](const Reminder& x) {
    std::optional<bool> stored;
    Status s = write([&](WriteTx& tx) -> Status {
      LIAISON_ASSIGN_OR_RETURN(bool b, tx.insert_reminder(x));
      stored = b;
      return Ok{};
    });
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return stored.value_or(false);
  };
  EXPECT_TRUE(insert(m));
  Reminder again = m;
  again.id = next_id();
  EXPECT_FALSE(insert(again));
  Reminder overdue = again;
  overdue.kind = "response_overdue";
  EXPECT_TRUE(insert(overdue));
  Reminder for_police{next_id(),
                      r.id,
                      police_.id,
                      "preservation_expiring",
                      "2024-05-01T00:00:00Z",
                      "2024-04-24T00:00:00.000000Z",
                      std::nullopt,
                      std::nullopt};
  EXPECT_TRUE(insert(for_police));
  Reminder odd = for_police;
  odd.id = next_id();
  odd.kind = "whenever";
  EXPECT_FALSE(write([&](WriteTx& tx) -> Status {
                 LIAISON_ASSIGN_OR_RETURN(bool b, tx.insert_reminder(odd));
                 (void)b;
                 return Ok{};
               }).ok());

  auto provider_list = read([&](ReadTx& tx) { return tx.list_reminders(provider_.id, false, 10); });
  ASSERT_TRUE(provider_list.ok());
  ASSERT_EQ(provider_list->size(), 2u);
  EXPECT_EQ((*provider_list)[0], m);
  ASSERT_TRUE(write([&](WriteTx& tx) {
                return tx.mark_reminder_delivered(m.id, "2024-03-31T01:00:00.000000Z", officer_.id);
              }).ok());
  auto undelivered = read([&](ReadTx& tx) { return tx.list_reminders(provider_.id, true, 10); });
  ASSERT_TRUE(undelivered.ok());
  ASSERT_EQ(undelivered->size(), 1u);
  EXPECT_EQ((*undelivered)[0].id, overdue.id);
  Reminder delivered = read([&](ReadTx& tx) { return tx.get_reminder(m.id); }).value();
  EXPECT_EQ(delivered.delivered_at, "2024-03-31T01:00:00.000000Z");
  EXPECT_EQ(delivered.delivered_by, officer_.id);
  auto police_list = read([&](ReadTx& tx) { return tx.list_reminders(police_.id, false, 10); });
  ASSERT_EQ(police_list->size(), 1u);
  EXPECT_EQ((*police_list)[0], for_police);
  EXPECT_EQ(read([&](ReadTx& tx) { return tx.get_reminder(next_id()); }).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(write([&](WriteTx& tx) {
              return tx.mark_reminder_delivered(next_id(), "2024-03-31T01:00:00Z", officer_.id);
            })
                .error()
                .code,
            ErrorCode::kNotFound);
}

}  // namespace
}  // namespace liaison::store_contract
