// Signing in end-to-end tests, the way `liaison request sign` does it: the
// demo's key files, the hub's trust store, and a signature over the payload
// rebuilt from the request as the hub shows it. Header-only, for the test
// binaries that link the CLI library.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli/hub_client.h"
#include "cli/request_signer.h"
#include "service/environment.h"
#include "support/hub_process.h"
#include "trust/key_file.h"
#include "trust/trust_store.h"

namespace liaison::testing {

// The demo user's secret key; opened once per test binary (Argon2id is slow on purpose).
inline const trust::SecretKey& demo_key(const HubProcess& hub, const std::string& user) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<trust::SecretKey>> keys;
  std::lock_guard lock(mu);
  std::string path = hub.data_dir().string() + "/keys/" + user + ".key";
  auto& slot = keys[path];
  if (!slot) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    auto key = trust::open_key_file(text.str(), hub.demo()["key_passphrase"].get<std::string>());
    EXPECT_TRUE(key.ok()) << path << ": " << (key.ok() ? "" : key.error().message);
    // A key of no one's if the file did not open: the test has failed already.
    slot = std::make_unique<trust::SecretKey>(key.ok() ? std::move(key).value()
                                                       : trust::SecretKey::generate());
  }
  return *slot;
}

inline nlohmann::json json_of(const cli::ClientResponse& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded()) ADD_FAILURE() << "not JSON: " << r.body;
  return j;
}

// The body `user` would send to sign `request` as `role`.
inline nlohmann::json signature_body_for(const HubProcess& hub, const std::string& user,
                                         const nlohmann::json& request,
                                         const std::string& role = "officer") {
  cli::HubClient c(hub.base_url(), hub.token(user));
  std::string path = "/api/v1/requests/" + request["id"].get<std::string>();
  nlohmann::json view = json_of(c.send("GET", path));
  auto store = trust::TrustStore::from_json(json_of(c.send("GET", "/api/v1/trust")));
  EXPECT_TRUE(store.ok());
  Timestamp now = SystemClock().now();
  auto key = trust::SecretKey::from_bytes(demo_key(hub, user).bytes());
  auto signer = cli::signer_from_store(std::move(key).value(), *store, now);
  EXPECT_TRUE(signer.ok()) << (signer.ok() ? "" : signer.error().message);
  std::optional<nlohmann::json> envelope;
  if (role != "officer") envelope = json_of(c.send("GET", path + "/signed"));
  auto body = cli::signature_body(view, envelope, role, *signer, now);
  EXPECT_TRUE(body.ok()) << (body.ok() ? "" : body.error().message);
  return body.ok() ? *body : nlohmann::json();
}

// Signs `request` as the demo user `user` in `role`; returns the new representation.
inline nlohmann::json sign_as(const HubProcess& hub, const std::string& user,
                              const nlohmann::json& request, const std::string& role = "officer") {
  cli::HubClient c(hub.base_url(), hub.token(user));
  auto r = c.send("POST", "/api/v1/requests/" + request["id"].get<std::string>() + "/signatures",
                  signature_body_for(hub, user, request, role).dump());
  EXPECT_EQ(r.status, 200) << "signing as " << user << ": " << r.body;
  return json_of(r);
}

// Signs as the demo officer (and, for an emergency, co-signs as the demo
// supervisor) and submits; returns the submitted request.
inline nlohmann::json submit_signed(const HubProcess& hub, const nlohmann::json& request) {
  sign_as(hub, "officer", request);
  if (request.value("kind", "") == "emergency_disclosure")
    sign_as(hub, "supervisor", request, "supervisor");
  cli::HubClient officer(hub.base_url(), hub.token("officer"));
  auto r = officer.send("POST", "/api/v1/requests/" + request["id"].get<std::string>() + "/actions",
                        R"({"action":"submit"})");
  EXPECT_EQ(r.status, 200) << r.body;
  nlohmann::json out = json_of(r);
  EXPECT_EQ(out.value("status", ""), "submitted") << r.body;
  return out;
}

}  // namespace liaison::testing
