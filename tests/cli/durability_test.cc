// Acknowledged writes survive kill -9: the hub is killed while writes are in
// flight, restarted, and every write it had acknowledged is still there.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "cli/hub_client.h"
#include "store/sqlite/sqlite_store.h"
#include "support/hub_process.h"
#include "support/signing.h"

namespace liaison {
namespace {

using nlohmann::json;
using testing::HubProcess;

TEST(Durability, AcknowledgedWritesSurviveKillNine) {
  HubProcess hub;
  std::string draft = hub.example_draft().dump();

  // One request acknowledged by the provider just before the kill.
  cli::HubClient officer(hub.base_url(), hub.token("officer"));
  cli::HubClient analyst(hub.base_url(), hub.token("analyst"));
  json r = json::parse(officer.send("POST", "/api/v1/requests", draft).body);
  std::string path = "/api/v1/requests/" + r["id"].get<std::string>();
  testing::sign_for_submission(hub, r);
  ASSERT_EQ(officer.send("POST", path + "/actions", R"({"action":"submit"})").status, 200);
  ASSERT_EQ(analyst.send("POST", path + "/actions", R"({"action":"acknowledge"})").status, 200);

  // Concurrent creations, some in flight when the process dies.
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&] {
      cli::HubClient c(hub.base_url(), hub.token("officer"));
      while (!stop) {
        try {
          auto resp = c.send("POST", "/api/v1/requests", draft);
          if (resp.status == 201) {
            std::lock_guard lock(mu);
            acknowledged.push_back(json::parse(resp.body)["id"]);
          }
        } catch (const std::exception&) {
          return;  // the hub is gone
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  hub.kill_hard();
  stop = true;
  for (auto& w : writers) w.join();
  ASSERT_GT(acknowledged.size(), 10u) << "the load did not get going before the kill";

  auto store = open_sqlite_store((hub.data_dir() / "liaison.db").string());
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_TRUE(store.value()->check_integrity().ok());
  store.value().reset();

  hub.start();
  cli::HubClient after(hub.base_url(), hub.token("officer"));
  json survivor = json::parse(after.send("GET", path).body);
  EXPECT_EQ(survivor["status"], "acknowledged");
  for (const auto& id : acknowledged) {
    EXPECT_EQ(after.send("GET", "/api/v1/requests/" + id).status, 200)
        << id << " was acknowledged but lost";
  }
}

}  // namespace
}  // namespace liaison
