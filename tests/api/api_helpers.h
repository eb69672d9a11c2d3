// Shared helpers for the end-to-end API tests: JSON bodies, problem+json
// checks, and small request shortcuts against a HubProcess.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli/hub_client.h"
#include "core/time.h"
#include "support/hub_process.h"
#include "support/signing.h"

namespace liaison::apitest {

using cli::ClientResponse;
using cli::HubClient;
using nlohmann::json;
using testing::HubProcess;
using testing::sign_as;
using testing::submit_signed;

inline json body_of(const ClientResponse& r) {
  json j = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) ADD_FAILURE() << "response body is not JSON: " << r.body;
  return j;
}

inline http::Headers headers(std::initializer_list<std::pair<std::string, std::string>> list) {
  http::Headers h;
  for (const auto& [name, value] : list) h.set(name, value);
  return h;
}

inline http::Headers if_match(std::int64_t version) {
  return headers({{"If-Match", "\"" + std::to_string(version) + "\""}});
}

// A problem+json response with this status and type urn:liaison:problem:<type>.
// With `field`, the body's `field` is that field and `errors` has an entry for
// it whose reason contains `reason` (when given).
inline ::testing::AssertionResult IsProblem(const ClientResponse& r, int status,
                                            const std::string& type,
                                            const std::optional<std::string>& field = std::nullopt,
                                            const std::string& reason = "") {
  auto fail = [&](const std::string& why) {
    return ::testing::AssertionFailure()
           << why << "\n  got status " << r.status << ", Content-Type '"
           << r.headers.get("Content-Type").value_or("") << "', body " << r.body;
  };
  if (r.status != status) return fail("expected status " + std::to_string(status));
  if (r.headers.get("Content-Type") != std::optional<std::string>("application/problem+json")) {
    return fail("expected Content-Type application/problem+json");
  }
  json j = json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail("the body is not a JSON object");
  if (j.value("status", 0) != status) return fail("the body's status differs from the HTTP status");
  if (j.value("type", "") != "urn:liaison:problem:" + type)
    return fail("expected type urn:liaison:problem:" + type);
  if (!j.contains("title") || !j.contains("detail")) return fail("title or detail missing");
  if (field) {
    if (!j.contains("field") || j["field"] != *field)
      return fail("expected field '" + *field + "'");
    if (!j.contains("errors") || !j["errors"].is_array()) return fail("expected an errors array");
    bool found = false;
    for (const auto& e : j["errors"]) {
      if (e.value("field", "\x01") == *field &&
          e.value("reason", "").find(reason) != std::string::npos)
        found = true;
    }
    if (!found)
      return fail("no errors[] entry for field '" + *field + "' with reason containing '" + reason +
                  "'");
  }
  return ::testing::AssertionSuccess();
}

// Whether errors[] names `field` (for bodies with several issues).
inline bool names_field(const ClientResponse& r, const std::string& field,
                        const std::string& reason = "") {
  json j = json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.contains("errors")) return false;
  for (const auto& e : j["errors"]) {
    if (e.value("field", "") == field && e.value("reason", "").find(reason) != std::string::npos)
      return true;
  }
  return false;
}

// Creates a draft as `who` from the demo example, with changes merged in.
inline json create_request(const HubProcess& hub, HubClient who,
                           const json& patch = json::object()) {
  json draft = hub.example_draft();
  draft.merge_patch(patch);
  auto r = who.send("POST", "/api/v1/requests", draft.dump());
  EXPECT_EQ(r.status, 201) << r.body;
  return body_of(r);
}

inline std::string request_path(const json& request) {
  return "/api/v1/requests/" + request["id"].get<std::string>();
}

// Performs an action; returns the response.
inline ClientResponse act(HubClient who, const json& request, const std::string& action,
                          const json& extra = {}) {
  json body = {{"action", action}};
  if (extra.is_object()) body.update(extra);
  return who.send("POST", request_path(request) + "/actions", body.dump());
}

// Performs an action that must succeed; returns the new representation.
inline json act_ok(HubClient who, const json& request, const std::string& action,
                   const json& extra = {}) {
  auto r = act(who, request, action, extra);
  EXPECT_EQ(r.status, 200) << action << ": " << r.body;
  return body_of(r);
}

inline json get_json(HubClient who, const std::string& path) {
  auto r = who.send("GET", path);
  EXPECT_EQ(r.status, 200) << path << ": " << r.body;
  return body_of(r);
}

// Creates a user in `org_id` as `admin` and mints a token for it; returns {user, token}.
// Creates a user as `admin` over the API; their first token comes from the
// hub's operator (`liaison token create` on the data directory), since no one
// may mint a token for someone else over the API.
inline std::pair<json, std::string> make_user(const HubProcess& hub, HubClient admin,
                                              const std::string& org_id, const std::string& email,
                                              const json& roles) {
  auto u =
      admin.send("POST", "/api/v1/organisations/" + org_id + "/users",
                 json{{"name", "Test User " + email}, {"email", email}, {"roles", roles}}.dump());
  EXPECT_EQ(u.status, 201) << u.body;
  json user = body_of(u);
  auto t = testing::run_liaison({"token", "create", "--data", hub.data_dir().string(), "--user",
                                 user["id"].get<std::string>()});
  EXPECT_EQ(t.exit_code, 0) << t.err;
  std::string token = t.out;
  while (!token.empty() && (token.back() == '\n' || token.back() == ' ')) token.pop_back();
  return {user, token};
}

// Creates a second provider organisation as the hub admin; returns it.
inline json make_provider(HubClient hub_admin, const std::string& name,
                          const std::string& endpoint) {
  auto r = hub_admin.send(
      "POST", "/api/v1/organisations",
      json{{"kind", "provider"}, {"name", name}, {"country", "DE"}, {"endpoint_uid", endpoint}}
          .dump());
  EXPECT_EQ(r.status, 201) << r.body;
  return body_of(r);
}

}  // namespace liaison::apitest
