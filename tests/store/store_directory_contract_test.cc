// The Store contract for the provider directory: entries, their versions and
// revisions, the one-entry-per-organisation rule, and filtered listings.
#include <gtest/gtest.h>

#include "store/store_contract.h"

namespace liaison::store_contract {
namespace {

DirectoryEntryRecord entry(const std::string& id, const std::string& country,
                           std::vector<std::string> categories, const std::string& name) {
  DirectoryEntryRecord e;
  e.id = id;
  e.version = 1;
  e.name = name;
  e.legal_entity = name + " Ltd";
  e.establishment_country = country;
  e.categories = std::move(categories);
  e.entry_json = R"({"id":")" + id + R"(","v":1})";
  e.updated_by = "hub";
  e.updated_at = "2026-12-01T10:00:00.000000Z";
  return e;
}

TEST_P(StoreContract, DirectoryEntriesRoundTripWithTheirFirstRevision) {
  Organisation org = add_org(OrgKind::kProvider, "IE", "EXMAIL");
  DirectoryEntryRecord e = entry("example-mail", "IE", {"SubscriberData", "TrafficData"}, "Mail");
  e.hub_org_id = org.id;
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_directory_entry(e); }).ok());

  auto got = read([](ReadTx& tx) { return tx.get_directory_entry("example-mail"); });
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(got->name, "Mail");
  EXPECT_EQ(got->legal_entity, "Mail Ltd");
  EXPECT_EQ(got->establishment_country, "IE");
  EXPECT_EQ(got->categories, (std::vector<std::string>{"SubscriberData", "TrafficData"}));
  EXPECT_EQ(got->hub_org_id, std::optional<std::string>(org.id));
  EXPECT_EQ(got->entry_json, e.entry_json);
  EXPECT_EQ(got->updated_by, "hub");
  EXPECT_EQ(got->updated_at, e.updated_at);

  auto revisions = read([](ReadTx& tx) { return tx.list_directory_revisions("example-mail"); });
  ASSERT_TRUE(revisions.ok());
  ASSERT_EQ(revisions->size(), 1u);
  EXPECT_EQ(revisions->at(0).entry_id, "example-mail");
  EXPECT_EQ(revisions->at(0).version, 1);
  EXPECT_EQ(revisions->at(0).entry_json, e.entry_json);
  EXPECT_EQ(revisions->at(0).updated_by, "hub");

  auto missing = read([](ReadTx& tx) { return tx.get_directory_entry("example-none"); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto none = read([](ReadTx& tx) { return tx.list_directory_revisions("example-none"); });
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(StoreContract, DirectoryIdsAndOrganisationsAreUnique) {
  Organisation org = add_org(OrgKind::kProvider, "IE", "EXMAIL");
  DirectoryEntryRecord a = entry("example-a", "IE", {"SubscriberData"}, "A");
  a.hub_org_id = org.id;
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_directory_entry(a); }).ok());

  Status same_id = write([&](WriteTx& tx) {
    return tx.insert_directory_entry(entry("example-a", "DE", {"TrafficData"}, "Other"));
  });
  ASSERT_FALSE(same_id.ok());
  EXPECT_EQ(same_id.error().code, ErrorCode::kConflict);
  EXPECT_EQ(same_id.error().issues.at(0).field, "id");

  DirectoryEntryRecord b = entry("example-b", "IE", {"SubscriberData"}, "B");
  b.hub_org_id = org.id;
  Status same_org = write([&](WriteTx& tx) { return tx.insert_directory_entry(b); });
  ASSERT_FALSE(same_org.ok());
  EXPECT_EQ(same_org.error().code, ErrorCode::kConflict);
  EXPECT_EQ(same_org.error().issues.at(0).field, "contact/hub_org_id");

  // Without the organisation it goes in; claiming it by an edit is refused too.
  b.hub_org_id.reset();
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_directory_entry(b); }).ok());
  DirectoryEntryRecord b2 = b;
  b2.version = 2;
  b2.hub_org_id = org.id;
  Status claim = write([&](WriteTx& tx) { return tx.update_directory_entry(b2, 1); });
  ASSERT_FALSE(claim.ok());
  EXPECT_EQ(claim.error().code, ErrorCode::kConflict);
  // Nothing of the refused writes was kept.
  auto revisions = read([](ReadTx& tx) { return tx.list_directory_revisions("example-a"); });
  EXPECT_EQ(revisions->size(), 1u);
  EXPECT_EQ(read([](ReadTx& tx) { return tx.get_directory_entry("example-b"); })->version, 1);
}

TEST_P(StoreContract, DirectoryUpdatesCheckTheVersionAndRecordEachRevision) {
  DirectoryEntryRecord e = entry("example-mail", "IE", {"SubscriberData"}, "Mail");
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_directory_entry(e); }).ok());

  DirectoryEntryRecord v2 = e;
  v2.version = 2;
  v2.name = "Mail Two";
  v2.establishment_country = "DE";
  v2.categories = {"StoredContentData"};
  v2.entry_json = R"({"id":"example-mail","v":2})";
  v2.updated_by = "user-2";
  v2.updated_at = "2026-12-02T10:00:00.000000Z";
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.update_directory_entry(v2, 1); }).ok());

  // A writer that read version 1 is refused once version 2 is stored.
  DirectoryEntryRecord stale = e;
  stale.version = 2;
  stale.name = "Stale";
  Status s = write([&](WriteTx& tx) { return tx.update_directory_entry(stale, 1); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kPreconditionFailed);

  DirectoryEntryRecord ghost = entry("example-ghost", "IE", {"SubscriberData"}, "Ghost");
  ghost.version = 2;
  Status g = write([&](WriteTx& tx) { return tx.update_directory_entry(ghost, 1); });
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, ErrorCode::kNotFound);

  auto got = read([](ReadTx& tx) { return tx.get_directory_entry("example-mail"); });
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->name, "Mail Two");
  EXPECT_EQ(got->establishment_country, "DE");
  EXPECT_EQ(got->categories, std::vector<std::string>{"StoredContentData"});
  EXPECT_EQ(got->updated_by, "user-2");

  auto revisions = read([](ReadTx& tx) { return tx.list_directory_revisions("example-mail"); });
  ASSERT_TRUE(revisions.ok());
  ASSERT_EQ(revisions->size(), 2u);
  EXPECT_EQ(revisions->at(0).version, 1);
  EXPECT_EQ(revisions->at(0).entry_json, e.entry_json);
  EXPECT_EQ(revisions->at(1).version, 2);
  EXPECT_EQ(revisions->at(1).entry_json, v2.entry_json);
  EXPECT_EQ(revisions->at(1).updated_at, "2026-12-02T10:00:00.000000Z");
}

TEST_P(StoreContract, DirectoryListingsFilterAndPage) {
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                LIAISON_TRY(tx.insert_directory_entry(entry(
                    "example-mail", "IE", {"SubscriberData", "TrafficData"}, "Example Mail")));
                LIAISON_TRY(tx.insert_directory_entry(
                    entry("example-social", "US", {"TrafficData"}, "Example Social")));
                LIAISON_TRY(tx.insert_directory_entry(
                    entry("example-hosting", "DE", {"StoredContentData"}, "Hosting 100%_Off")));
                return tx.insert_directory_entry(
                    entry("example-telecom", "IE", {"UserIdentifyingData"}, "Telecom"));
              }).ok());
  auto ids = [&](const DirectoryFilter& f) {
    std::vector<std::string> out;
    auto page = read([&](ReadTx& tx) { return tx.list_directory_entries(f); });
    EXPECT_TRUE(page.ok());
    for (const auto& e : page->items) out.push_back(e.id);
    return out;
  };
  using V = std::vector<std::string>;
  // In the order first stored.
  EXPECT_EQ(ids({}), (V{"example-mail", "example-social", "example-hosting", "example-telecom"}));
  DirectoryFilter f;
  f.country = "IE";
  EXPECT_EQ(ids(f), (V{"example-mail", "example-telecom"}));
  f = {};
  f.category = "TrafficData";
  EXPECT_EQ(ids(f), (V{"example-mail", "example-social"}));
  f.country = "US";
  EXPECT_EQ(ids(f), (V{"example-social"}));
  f = {};
  f.category = "Traffic";  // whole names only
  EXPECT_TRUE(ids(f).empty());
  f = {};
  f.text = "EXAMPLE";  // case-insensitive, in the name or the legal entity
  EXPECT_EQ(ids(f), (V{"example-mail", "example-social"}));
  f.text = "telecom ltd";
  EXPECT_EQ(ids(f), (V{"example-telecom"}));
  f.text = "%";  // wildcards are literal
  EXPECT_EQ(ids(f), (V{"example-hosting"}));
  f.text = "0%_o";
  EXPECT_EQ(ids(f), (V{"example-hosting"}));
  f.text = "_";
  EXPECT_EQ(ids(f), (V{"example-hosting"}));

  f = {};
  f.limit = 3;
  auto first = read([&](ReadTx& tx) { return tx.list_directory_entries(f); });
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 3u);
  ASSERT_TRUE(first->next_after_seq.has_value());
  f.after_seq = first->next_after_seq;
  auto second = read([&](ReadTx& tx) { return tx.list_directory_entries(f); });
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].id, "example-telecom");
  EXPECT_FALSE(second->next_after_seq.has_value());
}

}  // namespace
}  // namespace liaison::store_contract
