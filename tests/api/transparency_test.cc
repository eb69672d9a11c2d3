// Transparency figures over HTTP against a real hub: tallied from the ledger
// up to its latest checkpoint, small counts banded, narrowed to a provider,
// and exported as CSV with the checkpoint they come from.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "api/api_helpers.h"
#include "support/demo_evidence.h"
#include "support/signing.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT

class Transparency : public ::testing::Test {
 protected:
  Transparency() : hub_({"--checkpoint-interval", "1"}) {}

  HubClient as(const std::string& who) {
    return HubClient(hub_.base_url(), who == "hub_admin" ? hub_.admin_token() : hub_.token(who));
  }
  // The figures once the latest checkpoint covers every entry written so far.
  json figures_when_checkpointed(const std::string& query = "") {
    json latest = get_json(as("analyst"), "/api/v1/ledger/checkpoint");
    std::int64_t size = latest["tree_size"];
    // The log's size now: the newest entry's index plus one.
    auto entries = get_json(as("analyst"), "/api/v1/ledger/entries?start=" +
                                               std::to_string(size) + "&end=" +
                                               std::to_string(size + 1000));
    std::int64_t want = size + static_cast<std::int64_t>(entries["entries"].size());
    for (int i = 0; i < 100; ++i) {
      json f = get_json(as("analyst"), "/api/v1/transparency" + query);
      if (f["checkpoint"].is_object() && f["checkpoint"]["tree_size"].get<std::int64_t>() >= want)
        return f;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "no checkpoint covered " << want << " entries within 10 s";
    return json();
  }
  json sent_and_accepted() {
    json r = create_request(hub_, as("officer"));
    testing::submit_signed(hub_, r);
    act_ok(as("analyst"), r, "acknowledge");
    return act_ok(as("analyst"), r, "accept");
  }

  void produce(const json& r) {
    ASSERT_TRUE(testing::produce_package(hub_, r, "account\nsuspect.mailbox@example.org\n").is_object());
    act_ok(as("analyst"), r, "produce");
  }

  HubProcess hub_;
};

TEST_F(Transparency, FiguresComeFromTheCheckpointWithSmallCountsBanded) {
  json before = figures_when_checkpointed();
  EXPECT_EQ(before["rows"], json::array()) << "drafts are not sent requests";
  EXPECT_EQ(before["suppression"], json({{"below", 5}, {"band", "1-4"}}));

  std::vector<json> sent;
  for (int i = 0; i < 6; ++i) sent.push_back(sent_and_accepted());
  // A draft never sent does not count.
  create_request(hub_, as("officer"));
  for (int i = 0; i < 3; ++i) produce(sent[static_cast<std::size_t>(i)]);

  json f = figures_when_checkpointed();
  ASSERT_EQ(f["rows"].size(), 1u) << f.dump();
  json row = f["rows"][0];
  EXPECT_EQ(row["period"], "2026-H2");
  EXPECT_EQ(row["country"], "NL");
  EXPECT_EQ(row["kind"], "production");
  EXPECT_EQ(row["requests"], 6);
  EXPECT_EQ(row["accounts_specified"], 12) << "two targets each";
  EXPECT_EQ(row["with_data_produced"], "1-4");
  EXPECT_TRUE(row["produced_share"].is_null()) << "a share would reveal the banded count";

  // The checkpoint named is the one the ledger published, with its signed note.
  json cp = f["checkpoint"];
  json published = get_json(as("officer"), "/api/v1/ledger/checkpoint");
  EXPECT_EQ(cp["tree_size"], published["tree_size"]);
  EXPECT_EQ(cp["root_hash"], published["root_hash"]);
  EXPECT_EQ(cp["note"], published["note"]);
  EXPECT_EQ(cp["origin"], published["origin"]);

  produce(sent[3]);
  produce(sent[4]);
  row = figures_when_checkpointed()["rows"][0];
  EXPECT_EQ(row["with_data_produced"], 5);
  EXPECT_DOUBLE_EQ(row["produced_share"].get<double>(), 5.0 / 6.0);

  // The same figures as CSV, with the checkpoint in the headers.
  auto csv = as("analyst").send("GET", "/api/v1/transparency?format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.headers.get("Content-Type"), "text/csv; charset=utf-8; header=present");
  EXPECT_EQ(csv.body,
            "period,country,kind,requests,accounts_specified,with_data_produced,produced_share\r\n"
            "2026-H2,NL,production,6,12,5,0.8333\r\n");
  EXPECT_TRUE(csv.headers.get("Liaison-Checkpoint-Size").has_value());
  EXPECT_EQ(csv.headers.get("Liaison-Checkpoint-Root")->size(), 64u);
}

TEST_F(Transparency, FiguresNarrowToOneProvider) {
  sent_and_accepted();
  std::string provider = hub_.org_id("provider");
  json other = make_provider(as("hub_admin"), "Other Cloud GmbH", "OTHERCLOUD");
  json mine = figures_when_checkpointed("?provider_id=" + provider);
  ASSERT_EQ(mine["rows"].size(), 1u) << mine;
  EXPECT_EQ(mine["provider_id"], provider);
  EXPECT_EQ(mine["rows"][0]["requests"], "1-4");
  json theirs = figures_when_checkpointed("?provider_id=" + other["id"].get<std::string>());
  EXPECT_EQ(theirs["rows"], json::array());
}

TEST_F(Transparency, BadQueriesNameTheirParameter) {
  HubClient officer = as("officer");
  EXPECT_TRUE(IsProblem(officer.send("GET", "/api/v1/transparency?format=xml"), 422,
                        "validation-failed", "format"));
  EXPECT_TRUE(IsProblem(officer.send("GET", "/api/v1/transparency?provider_id=nope"), 422,
                        "validation-failed", "provider_id"));
  EXPECT_TRUE(IsProblem(
      officer.send("GET", "/api/v1/transparency?provider_id=" + hub_.org_id("police")), 422,
      "validation-failed", "provider_id"));
  EXPECT_TRUE(IsProblem(officer.send("GET", "/api/v1/transparency?country=NL"), 422,
                        "validation-failed", "country"));
  EXPECT_TRUE(IsProblem(HubClient(hub_.base_url(), "").send("GET", "/api/v1/transparency"), 401,
                        "unauthenticated"));
}

}  // namespace
}  // namespace liaison
