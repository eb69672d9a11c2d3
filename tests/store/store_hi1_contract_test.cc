// The Store contract for HI-1 objects: kept per sending organisation, listed
// by type, change time and association, updated in place.
#include <gtest/gtest.h>

#include "store/store_contract.h"

namespace liaison::store_contract {
namespace {

Hi1ObjectRecord object_of(const Organisation& owner, const std::string& id, const std::string& type,
                          std::vector<std::string> associated = {}) {
  Hi1ObjectRecord o;
  o.owner_org_id = owner.id;
  o.object_id = id;
  o.object_type = "{http://uri.etsi.org/03120/common/2020/09/Task}" + type;
  o.associated = std::move(associated);
  o.xml = "<HI1Object>" + id + "</HI1Object>";
  o.created_at = "2026-12-01T10:00:00.000000Z";
  o.last_changed = "2026-12-01T10:00:00Z";
  return o;
}

TEST_P(StoreRequests, AnHi1ObjectIsKeptPerSenderAndReadBackWhole) {
  Request r = add_request(make_request(police_, provider_, officer_));
  Hi1ObjectRecord task = object_of(police_, next_id(), "LDTaskObject", {next_id(), next_id()});
  task.request_id = r.id;
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_hi1_object(task); }).ok());
  auto stored = read([&](ReadTx& tx) { return tx.get_hi1_object(police_.id, task.object_id); });
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(*stored, task);

  // Another sender's identifiers are its own: the same id does not collide,
  // and neither sender reads the other's object.
  Hi1ObjectRecord theirs = object_of(other_police_, task.object_id, "LPTaskObject");
  EXPECT_TRUE(write([&](WriteTx& tx) { return tx.insert_hi1_object(theirs); }).ok());
  auto mine = read([&](ReadTx& tx) { return tx.get_hi1_object(police_.id, task.object_id); });
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->object_type, task.object_type);
  auto missing = read([&](ReadTx& tx) { return tx.get_hi1_object(provider_.id, task.object_id); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  // The same sender cannot create the same object twice.
  auto again = write([&](WriteTx& tx) { return tx.insert_hi1_object(task); });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

TEST_P(StoreRequests, Hi1ObjectsListByTypeChangeAndAssociation) {
  std::string authorisation = next_id();
  Hi1ObjectRecord a = object_of(police_, authorisation, "AuthorisationObject");
  Hi1ObjectRecord ld = object_of(police_, next_id(), "LDTaskObject", {authorisation});
  Hi1ObjectRecord lp = object_of(police_, next_id(), "LPTaskObject", {authorisation});
  lp.last_changed = "2026-12-02T10:00:00Z";
  Hi1ObjectRecord foreign = object_of(other_police_, next_id(), "LDTaskObject", {authorisation});
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                for (const auto* o : {&a, &ld, &lp, &foreign})
                  LIAISON_TRY(tx.insert_hi1_object(*o));
                return Ok{};
              }).ok());
  auto ids = [&](Hi1ObjectFilter f) {
    std::vector<std::string> out;
    auto got = read([&](ReadTx& tx) { return tx.list_hi1_objects(f); });
    EXPECT_TRUE(got.ok());
    if (got.ok())
      for (const auto& o : *got) out.push_back(o.object_id);
    return out;
  };
  Hi1ObjectFilter all;
  all.owner_org_id = police_.id;
  EXPECT_EQ(ids(all), (std::vector<std::string>{a.object_id, ld.object_id, lp.object_id}));
  Hi1ObjectFilter tasks_of_a;
  tasks_of_a.owner_org_id = police_.id;
  tasks_of_a.associated_with = authorisation;
  EXPECT_EQ(ids(tasks_of_a), (std::vector<std::string>{ld.object_id, lp.object_id}));
  Hi1ObjectFilter lds;
  lds.owner_org_id = police_.id;
  lds.object_type = ld.object_type;
  EXPECT_EQ(ids(lds), std::vector<std::string>{ld.object_id});
  Hi1ObjectFilter recent;
  recent.owner_org_id = police_.id;
  recent.changed_since = "2026-12-02T00:00:00Z";
  EXPECT_EQ(ids(recent), std::vector<std::string>{lp.object_id});
  Hi1ObjectFilter first;
  first.owner_org_id = police_.id;
  first.limit = 1;
  EXPECT_EQ(ids(first), std::vector<std::string>{a.object_id});
}

TEST_P(StoreRequests, AnHi1ObjectUpdatesInPlace) {
  Hi1ObjectRecord o = object_of(police_, next_id(), "LPTaskObject");
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_hi1_object(o); }).ok());
  Request r = add_request(make_request(police_, provider_, officer_));
  o.request_id = r.id;
  o.generation = 2;
  o.xml = "<HI1Object>changed</HI1Object>";
  o.last_changed = "2026-12-03T00:00:00Z";
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.update_hi1_object(o); }).ok());
  auto stored = read([&](ReadTx& tx) { return tx.get_hi1_object(police_.id, o.object_id); });
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, o);
  Hi1ObjectRecord nobody = object_of(other_police_, o.object_id, "LPTaskObject");
  auto missing = write([&](WriteTx& tx) { return tx.update_hi1_object(nobody); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace liaison::store_contract
