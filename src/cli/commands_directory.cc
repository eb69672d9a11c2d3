// `liaison directory …`: read and keep the provider directory through a hub's
// HTTP API, as the user whose token is given.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli.h"
#include "cli/output.h"
#include "cli/remote.h"
#include "directory/entry.h"

namespace liaison::cli {

namespace {

using nlohmann::json;

std::string str(const json& j, const char* key) { return field_text(j, key); }

std::string joined(const json& list, const char* separator = ", ") {
  std::string out;
  for (const auto& v : list) {
    if (!out.empty()) out += separator;
    out += v.is_string() ? v.get<std::string>() : v.dump();
  }
  return out.empty() ? "-" : out;
}

std::string yes_no(const json& v) { return v.is_boolean() && v.get<bool>() ? "yes" : "no"; }

// The one way to reach a provider a table has room for.
std::string first_contact(const json& c) {
  if (c.value("hub_org_id", json()).is_string()) return "on this hub";
  for (const char* key : {"hub_endpoint", "portal_url", "email", "emergency_phone"}) {
    if (c.value(key, json()).is_string()) return c[key].get<std::string>();
  }
  return "-";
}

void print_entry(const json& e) {
  const json& c = e["contact"];
  const json& pp = e["preservation_policy"];
  const json& ep = e["emergency_policy"];
  std::cout << str(e, "name") << " (" << str(e, "id") << ")"
            << (e.value("example", false) ? "   EXAMPLE: not a real provider" : "") << "\n"
            << "  legal entity:   " << str(e, "legal_entity") << "\n"
            << "  established in: " << str(e, "establishment_country") << "   time zone "
            << str(e, "time_zone") << "\n";
  if (e["eu_legal_representative"].is_object()) {
    const json& r = e["eu_legal_representative"];
    std::cout << "  EU legal representative: " << str(r, "name") << " (" << str(r, "country") << ")"
              << (r["email"].is_string() ? ", " + r["email"].get<std::string>() : "") << "\n";
  } else {
    std::cout << "  EU legal representative: none\n";
  }
  std::cout << "  contact:\n";
  for (const char* key : {"hub_org_id", "hub_endpoint", "portal_url", "email", "emergency_phone"}) {
    if (c.value(key, json()).is_string())
      std::cout << "    " << key << ": " << c[key].get<std::string>() << "\n";
  }
  std::cout << "  data:           " << joined(e["data_categories"]) << "\n";
  if (!e.value("retention_notes", "").empty())
    std::cout << "  retention:      " << e["retention_notes"].get<std::string>() << "\n";
  std::cout << "  preservation:   " << str(pp, "days") << " days"
            << (pp.value("extendable", false)
                    ? ", extendable" + (pp["extension_days"].is_number()
                                            ? " by " + pp["extension_days"].dump() + " days"
                                            : std::string())
                    : ", not extendable")
            << "\n"
            << "  emergencies:    foreign authorities "
            << (ep.value("accepts_foreign", false) ? "accepted" : "not accepted")
            << (ep["hours"].is_number() ? ", answered within " + ep["hours"].dump() + " hours" : "")
            << "\n"
            << "  voluntary non-content disclosure to foreign authorities: "
            << yes_no(e["foreign_requests"]["voluntary_non_content"]) << "\n"
            << "  notifies users: " << yes_no(e["user_notification_policy"]["notifies_users"])
            << "\n"
            << "  languages:      " << joined(e["languages"]) << "\n"
            << "  version " << str(e, "version") << ", updated " << str(e, "updated_at") << " by "
            << str(e, "updated_by") << "\n";
  for (const auto& [label, j] : {std::pair<const char*, const json*>{"preservation", &pp},
                                 {"emergencies", &ep},
                                 {"foreign requests", &e["foreign_requests"]},
                                 {"user notification", &e["user_notification_policy"]}}) {
    std::string notes = j->value("notes", "");
    if (!notes.empty()) std::cout << "  " << label << " notes: " << notes << "\n";
  }
}

// An entry file as JSON for the API: TOML is decoded here, with the same
// checks the hub makes, so a mistake is reported before anything is sent.
json read_entry_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CliError(kExitUsage, "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  bool toml = path.size() >= 5 && path.compare(path.size() - 5, 5, ".toml") == 0;
  auto entry = toml ? directory::parse_entry_toml(text.str(), path)
                    : directory::parse_entry_json(text.str(), path);
  if (!entry.ok()) fail(entry.error());
  return directory::to_json(*entry);
}

void print_list(const json& items) {
  Table t({"ID", "NAME", "LEGAL ENTITY", "COUNTRY", "DATA", "CONTACT", ""});
  for (const auto& e : items) {
    t.add({str(e, "id"), str(e, "name"), str(e, "legal_entity"), str(e, "establishment_country"),
           joined(e["data_categories"], ","), first_contact(e["contact"]),
           e.value("example", false) ? "example" : ""});
  }
  std::cout << t.render();
}

}  // namespace

void add_directory_commands(CLI::App& app) {
  static Remote remote;
  auto* dir = app.add_subcommand(
      "directory", "The provider directory: who providers are, how to reach them, their policies");
  dir->require_subcommand(1);

  static std::string country, category, text;
  auto* list = dir->add_subcommand("list", "List providers (every page)");
  add_remote(list, remote);
  list->add_option("--country", country, "Country of establishment (ISO 3166-1 alpha-2)");
  list->add_option("--category", category,
                   "A data category held: SubscriberData, UserIdentifyingData, TrafficData, "
                   "StoredContentData");
  list->add_option("--search", text, "Text in the name or legal entity");
  list->callback([] {
    HubClient c = client(remote);
    std::string query;
    auto add = [&](const char* name, const std::string& value) {
      if (!value.empty())
        query += std::string(query.empty() ? "?" : "&") + name + "=" + url_encode(value);
    };
    add("country", country);
    add("category", category);
    add("q", text);
    json items = json::array();
    std::string cursor;
    do {
      std::string q = query;
      if (!cursor.empty()) q += std::string(q.empty() ? "?" : "&") + "cursor=" + url_encode(cursor);
      json page = call(c, "GET", "/api/v1/directory" + q);
      for (const auto& e : page["items"]) items.push_back(e);
      cursor = page["next_cursor"].is_string() ? page["next_cursor"].get<std::string>() : "";
    } while (!cursor.empty());
    if (remote.json_out) {
      std::cout << json{{"items", items}}.dump(2) << "\n";
      return;
    }
    print_list(items);
  });

  static std::string id;
  auto* show = dir->add_subcommand("show", "Show one provider's entry");
  add_remote(show, remote);
  show->add_option("ID", id, "Entry id, such as example-mail")->required();
  show->callback([] {
    HubClient c = client(remote);
    json e = call(c, "GET", "/api/v1/directory/" + url_encode(id));
    if (remote.json_out) {
      std::cout << e.dump(2) << "\n";
      return;
    }
    print_entry(e);
  });

  static std::string file;
  auto* add = dir->add_subcommand("add", "Add an entry from a TOML or JSON file");
  add_remote(add, remote);
  add->add_option("--file", file, "ENTRY.toml or ENTRY.json")->required();
  add->callback([] {
    json body = read_entry_file(file);
    HubClient c = client(remote);
    json e = call(c, "POST", "/api/v1/directory", body.dump());
    if (remote.json_out) {
      std::cout << e.dump(2) << "\n";
      return;
    }
    std::cout << "Added " << str(e, "id") << " (version " << str(e, "version") << ")\n";
  });

  static bool force = false;
  auto* edit = dir->add_subcommand("edit", "Replace an entry with a TOML or JSON file");
  add_remote(edit, remote);
  edit->add_option("ID", id, "Entry id")->required();
  edit->add_option("--file", file, "ENTRY.toml or ENTRY.json, the whole entry")->required();
  edit->add_flag("--force", force,
                 "Replace whatever version is current, even if it changed since it was read");
  edit->callback([] {
    json body = read_entry_file(file);
    HubClient c = client(remote);
    // The version the edit starts from: the one the file was saved at (show
    // --json), or else the one current now. A change in between is refused.
    std::string if_match = "*";
    if (!force) {
      std::int64_t version = body.value("version", std::int64_t{0});
      if (version == 0) {
        json current = call(c, "GET", "/api/v1/directory/" + url_encode(id));
        version = current.value("version", std::int64_t{0});
      }
      if_match = "\"" + std::to_string(version) + "\"";
    }
    http::Headers h;
    h.set("If-Match", if_match);
    json e = call(c, "PUT", "/api/v1/directory/" + url_encode(id), body.dump(), h);
    if (remote.json_out) {
      std::cout << e.dump(2) << "\n";
      return;
    }
    std::cout << "Updated " << str(e, "id") << " to version " << str(e, "version") << "\n";
  });

  auto* history = dir->add_subcommand("history", "Every version of an entry: who changed it, when");
  add_remote(history, remote);
  history->add_option("ID", id, "Entry id")->required();
  history->callback([] {
    HubClient c = client(remote);
    json revisions = call(c, "GET", "/api/v1/directory/" + url_encode(id) + "/revisions");
    if (remote.json_out) {
      std::cout << revisions.dump(2) << "\n";
      return;
    }
    Table t({"VERSION", "UPDATED AT", "UPDATED BY", "NAME"});
    for (const auto& e : revisions["items"]) {
      t.add({str(e, "version"), str(e, "updated_at"), str(e, "updated_by"), str(e, "name")});
    }
    std::cout << t.render();
  });
}

}  // namespace liaison::cli
