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
#include "core/uuid.h"
#include "service/environment.h"
#include "support/hub_process.h"
#include "trust/key_file.h"
#include "trust/request_payload.h"
#include "trust/signed_request.h"
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

// A client of `hub` speaking as its demo user `user`, trusting the hub's
// certificate when it serves https.
inline cli::HubClient client_as(const HubProcess& hub, const std::string& user) {
  return cli::HubClient(hub.base_url(), hub.token(user), {hub.tls_ca_file(), "", ""});
}

inline nlohmann::json json_of(const cli::ClientResponse& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded()) ADD_FAILURE() << "not JSON: " << r.body;
  return j;
}

// Has `to`'s hub administrator trust the central authorities `from` trusts,
// as operators of two hubs that talk over HI-1 do, so that each hub verifies
// the signatures made under the other's.
inline void trust_roots_of(const HubProcess& from, const HubProcess& to) {
  nlohmann::json store = json_of(client_as(from, "officer").send("GET", "/api/v1/trust"));
  cli::HubClient admin(to.base_url(), to.admin_token(), {to.tls_ca_file(), "", ""});
  for (const auto& root : store["roots"]) {
    auto r = admin.send("POST", "/api/v1/trust/roots", root.dump());
    ASSERT_TRUE(r.status == 201 || r.status == 200 || r.status == 409) << r.body;
  }
}

// The body `user` would send to sign `request` as `role`.
inline nlohmann::json signature_body_for(const HubProcess& hub, const std::string& user,
                                         const nlohmann::json& request,
                                         const std::string& role = "officer") {
  cli::HubClient c = client_as(hub, user);
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
  cli::HubClient c = client_as(hub, user);
  auto r = c.send("POST", "/api/v1/requests/" + request["id"].get<std::string>() + "/signatures",
                  signature_body_for(hub, user, request, role).dump());
  EXPECT_EQ(r.status, 200) << "signing as " << user << ": " << r.body;
  return json_of(r);
}

// The officer asks the demo prosecutor's office to validate `request`, and
// its prosecutor co-signs as validator; returns the new representation.
inline nlohmann::json validate_by_prosecutor(const HubProcess& hub, const nlohmann::json& request) {
  cli::HubClient officer = client_as(hub, "officer");
  auto asked =
      officer.send("PUT", "/api/v1/requests/" + request["id"].get<std::string>() + "/validator",
                   nlohmann::json{{"organisation_id", hub.org_id("prosecutor")}}.dump());
  EXPECT_EQ(asked.status, 200) << asked.body;
  return sign_as(hub, "prosecutor", request, "validator");
}

// Signs as the demo officer and has everyone else the draft needs co-sign:
// the demo prosecutor as validator where the route asks for one, the demo
// supervisor for an emergency. Returns the representation, ready to submit.
inline nlohmann::json sign_for_submission(const HubProcess& hub, const nlohmann::json& request) {
  nlohmann::json view = sign_as(hub, "officer", request);
  if (view["signatures_required"].value("validators", 0) > 0)
    view = validate_by_prosecutor(hub, request);
  if (request.value("kind", "") == "emergency_disclosure")
    view = sign_as(hub, "supervisor", request, "supervisor");
  EXPECT_TRUE(view["signatures_required"].value("ready", false)) << view["signatures_required"];
  return view;
}

// Signs for submission and submits; returns the submitted request.
inline nlohmann::json submit_signed(const HubProcess& hub, const nlohmann::json& request) {
  sign_for_submission(hub, request);
  cli::HubClient officer = client_as(hub, "officer");
  auto r = officer.send("POST", "/api/v1/requests/" + request["id"].get<std::string>() + "/actions",
                        R"({"action":"submit"})");
  EXPECT_EQ(r.status, 200) << r.body;
  nlohmann::json out = json_of(r);
  EXPECT_EQ(out.value("status", ""), "submitted") << r.body;
  return out;
}

// A whole signed request as the police unit's own system would send it to
// POST /requests/signed: the payload of `draft` (which the hub built, and
// which is cancelled here) under a new request id and nonce, signed now by
// everyone the draft needed: the demo officer, and the demo prosecutor as
// validator where its route asks for one (unless `validated` is false).
inline nlohmann::json fresh_envelope(const HubProcess& hub, const nlohmann::json& draft,
                                     bool validated = true) {
  cli::HubClient officer = client_as(hub, "officer");
  std::string path = "/api/v1/requests/" + draft["id"].get<std::string>();
  nlohmann::json view = sign_as(hub, "officer", draft);
  std::map<std::string, std::string> user_of_role = {{"officer", "officer"}};
  if (validated && view["signatures_required"].value("validators", 0) > 0) {
    validate_by_prosecutor(hub, draft);
    user_of_role["validator"] = "prosecutor";
  }
  auto stored = trust::signed_request_from_json(json_of(officer.send("GET", path + "/signed")));
  EXPECT_TRUE(stored.ok()) << (stored.ok() ? "" : stored.error().message);
  EXPECT_EQ(officer.send("POST", path + "/actions", R"({"action":"cancel"})").status, 200);
  if (!stored.ok()) return nlohmann::json();
  trust::SignedRequest env;
  env.payload = stored->payload;
  env.payload["request_id"] = random_uuid();
  env.payload["nonce"] = trust::new_request_nonce();
  Timestamp now = Timestamp::from_seconds(SystemClock().now().seconds());
  for (const auto& sig : stored->signatures) {
    env.signatures.push_back(trust::sign_request(env.payload, sig.role,
                                                 demo_key(hub, user_of_role.at(sig.role)),
                                                 sig.certificate, sig.chain, now));
  }
  return trust::to_json(env);
}

}  // namespace liaison::testing
