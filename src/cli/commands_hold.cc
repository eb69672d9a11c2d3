// `liaison hold …`: the legal holds a provider keeps, through a hub's HTTP
// API. A provider lists and releases its own; an authority reads those on
// the requests it issued.
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "cli/output.h"
#include "cli/remote.h"

namespace liaison::cli {

namespace {

using nlohmann::json;

std::string str(const json& j, const char* key) { return field_text(j, key); }

void print_hold(const json& h) {
  std::cout << "Hold " << str(h, "id") << "\n"
            << "  status:     " << str(h, "status") << "\n"
            << "  request:    " << str(h, "request_id") << "\n"
            << "  created:    " << str(h, "created_at") << "\n"
            << "  expires:    " << str(h, "expires_at") << "\n";
  const json& scope = h["scope"];
  std::cout << "  accounts:\n";
  for (const auto& a : scope["accounts"])
    std::cout << "    - " << str(a, "kind") << " " << str(a, "value") << "\n";
  if (scope["period"].is_object()) {
    std::cout << "  period:     " << str(scope["period"], "start") << " to "
              << str(scope["period"], "end") << "\n";
  }
  std::string categories;
  for (const auto& c : scope["categories"])
    categories += (categories.empty() ? "" : ", ") + c.get<std::string>();
  std::cout << "  categories: " << categories << "\n";
  for (const auto& r : h["renewals"]) {
    std::cout << "  renewed:    " << str(r, "at") << ": " << str(r, "previous_expiry") << " -> "
              << str(r, "new_expiry") << "\n";
  }
  if (!h["released_at"].is_null()) {
    std::cout << "  released:   " << str(h, "released_at") << " by " << str(h, "released_by")
              << ": " << str(h, "release_reason") << "\n";
  }
  if (!h["expired_at"].is_null()) std::cout << "  expired:    " << str(h, "expired_at") << "\n";
}

}  // namespace

void add_hold_commands(CLI::App& app) {
  static Remote remote;
  auto* hold = app.add_subcommand("hold", "The legal holds preservations made, through a hub");
  hold->require_subcommand(1);

  static std::string status, expiring_before;
  static bool all = false;
  auto* list = hold->add_subcommand(
      "list", "List holds: a provider's own, or those on requests your authority issued");
  add_remote(list, remote);
  list->add_option("--status", status, "active, released or expired");
  list->add_option("--expiring-before", expiring_before,
                   "Only holds that expire before this instant (RFC 3339)");
  list->add_flag("--all", all, "Follow every page");
  list->callback([] {
    HubClient c = client(remote);
    std::string query = "limit=100";
    if (!status.empty()) query += "&status=" + url_encode(status);
    if (!expiring_before.empty()) query += "&expiring_before=" + url_encode(expiring_before);
    json items = json::array();
    std::string cursor;
    do {
      json page =
          call(c, "GET", "/api/v1/holds?" + query + (cursor.empty() ? "" : "&cursor=" + cursor));
      for (auto& i : page["items"]) items.push_back(std::move(i));
      cursor = page["next_cursor"].is_string() ? page["next_cursor"].get<std::string>() : "";
    } while (all && !cursor.empty());
    if (remote.json_out) {
      std::cout << json{{"items", items}}.dump(2) << "\n";
      return;
    }
    Table t({"ID", "STATUS", "EXPIRES", "ACCOUNTS", "REQUEST"});
    for (const auto& h : items) {
      t.add({str(h, "id"), str(h, "status"), str(h, "expires_at"),
             std::to_string(h["scope"]["accounts"].size()), str(h, "request_id")});
    }
    std::cout << t.render();
  });

  static std::string id;
  auto* show = hold->add_subcommand("show", "Show a hold: its scope, renewals and release");
  add_remote(show, remote);
  show->add_option("ID", id, "Hold id")->required();
  show->callback([] {
    HubClient c = client(remote);
    json h = call(c, "GET", "/api/v1/holds/" + url_encode(id));
    if (remote.json_out) {
      std::cout << h.dump(2) << "\n";
    } else {
      print_hold(h);
    }
  });

  static std::string reason;
  auto* release = hold->add_subcommand(
      "release", "Release a hold (provider analysts and counsel); its preservation ends with it");
  add_remote(release, remote);
  release->add_option("ID", id, "Hold id")->required();
  release->add_option("--reason", reason, "Why the data is no longer kept")->required();
  release->callback([] {
    HubClient c = client(remote);
    json h = call(c, "POST", "/api/v1/holds/" + url_encode(id) + "/release",
                  json{{"reason", reason}}.dump());
    if (remote.json_out) {
      std::cout << h.dump(2) << "\n";
    } else {
      std::cout << "Hold " << str(h, "id") << " is now " << str(h, "status") << "\n";
    }
  });
}

}  // namespace liaison::cli
