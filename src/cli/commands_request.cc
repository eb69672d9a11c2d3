// `liaison request …`: work with requests through a hub's HTTP API, as the
// user whose token is given.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli.h"
#include "cli/hub_client.h"
#include "cli/key_files.h"
#include "cli/output.h"
#include "cli/remote.h"
#include "cli/request_signer.h"
#include "cli/target_flag.h"
#include "core/duration.h"
#include "service/environment.h"
#include "store/blob_store.h"
#include "trust/request_payload.h"
#include "trust/signed_request.h"
#include "trust/trust_store.h"

namespace liaison::cli {

namespace {

using nlohmann::json;

std::string str(const json& j, const char* key) { return field_text(j, key); }

void print_verification(const json& report);

void print_request(const json& r) {
  std::cout << "Request " << str(r, "reference") << " (" << str(r, "id") << ")\n"
            << "  status:    " << str(r, "status") << "   [ETSI "
            << r["etsi_status"].value("dictionary", "") << " "
            << r["etsi_status"].value("value", "") << "]\n"
            << "  kind:      " << str(r, "kind") << "\n"
            << "  issuer:    " << r["issuer"].value("name", "") << " ("
            << r["issuer"].value("country", "") << ")\n"
            << "  provider:  " << r["provider"].value("name", "") << " ("
            << r["provider"].value("country", "") << ")\n"
            << "  legal:     " << r["legal_basis"].value("instrument", "") << ", "
            << r["legal_basis"].value("article", "") << "\n"
            << "  deadline:  " << str(r, "deadline") << "\n";
  if (r.contains("preserved_until") && !r["preserved_until"].is_null()) {
    std::cout << "  preserved until: " << str(r, "preserved_until") << "\n";
  }
  std::cout << "  targets:\n";
  for (const auto& t : r["targets"]) {
    std::cout << "    - " << str(t, "kind") << " " << str(t, "value");
    if (t.contains("port")) std::cout << " port " << t["port"];
    if (t.contains("observed_at")) std::cout << " at " << str(t, "observed_at");
    std::cout << "\n";
  }
  for (const auto& w : r["warnings"])
    std::cout << "  warning: " << str(w, "field") << ": " << str(w, "message") << "\n";
  if (r.contains("due_at") && !r["due_at"].is_null())
    std::cout << "  due:       " << str(r, "due_at") << " (" << str(r, "due_rule") << ")\n";
  if (r.contains("follow_up") && r["follow_up"].is_object()) {
    const json& f = r["follow_up"];
    std::cout << "  follow-up: legal process due " << str(f, "due_at")
              << (f["done_at"].is_null() ? "" : ", recorded " + str(f, "done_at"))
              << (f["escalated_at"].is_null() ? "" : ", OVERDUE since " + str(f, "escalated_at"))
              << "\n";
  }
  if (r.contains("emergency_callback") && r["emergency_callback"].is_object())
    std::cout << "  call back: " << str(r["emergency_callback"], "kind") << " "
              << str(r["emergency_callback"], "value")
              << " (signed, and vouched for by the issuer's organisation certificate)\n";
  if (r.contains("quarantine_reason") && !r["quarantine_reason"].is_null())
    std::cout << "  QUARANTINED: " << str(r, "quarantine_reason") << "\n";
  if (r.contains("verification") && r["verification"].is_object()) {
    std::cout << "  verification on receipt: ";
    print_verification(r["verification"]);
    const json& a = r["verification"].value("anomalies", json::object());
    if (!a.empty()) {
      std::cout << "  requester in the last " << str(a, "window_days")
                << " days: " << str(a, "requests_in_window") << " request(s), "
                << str(a, "emergency_in_window") << " emergency"
                << (a.value("first_time_requester", false) ? "; FIRST request to this provider"
                                                           : "")
                << "\n";
      for (const auto& k : a.value("new_keys", json::array()))
        std::cout << "  new key: " << str(k, "name") << " signed at " << str(k, "signed_at")
                  << ", certified at " << str(k, "certified_at") << "\n";
    }
  } else if (r.contains("signatures") && !r["signatures"].empty()) {
    std::cout << "  signed by:\n";
    for (const auto& s : r["signatures"])
      std::cout << "    - " << str(s, "role") << " " << str(s, "name") << " at "
                << str(s, "signed_at") << "\n";
  }
  if (r.contains("user_notification") && r["user_notification"].is_object()) {
    const json& u = r["user_notification"];
    std::cout << "  gag order: until " << str(r, "non_disclosure_until");
    if (!u["notified_at"].is_null()) {
      std::cout << "; the user was told, recorded " << str(u, "notified_at");
    } else if (!u["permitted_at"].is_null()) {
      std::cout << "; the user may now be told (since " << str(u, "permitted_at") << ")";
    }
    std::cout << "\n";
  }
  for (const auto& h : r.value("holds", json::array())) {
    std::cout << "  hold:      " << str(h, "id") << " " << str(h, "status") << ", kept until "
              << str(h, "expires_at");
    if (!h["renewals"].empty()) std::cout << " (renewed " << h["renewals"].size() << "x)";
    if (!h["released_at"].is_null())
      std::cout << ", released " << str(h, "released_at") << ": " << str(h, "release_reason");
    std::cout << "\n";
  }
  std::string allowed;
  for (const auto& a : r["allowed_actions"])
    allowed += (allowed.empty() ? "" : ", ") + a.get<std::string>();
  std::cout << "  you can:   " << (allowed.empty() ? "(nothing now)" : allowed) << "\n";
}

struct CreateFlags {
  std::string file;
  std::string kind, provider, instrument, article, domestic, case_type, offence, deadline,
      period_start, period_end;
  std::string emergency, reference, non_disclosure_until, route, offence_category;
  std::vector<std::string> categories, targets;
  long long max_penalty = -1;
  bool submit = false;
  std::string idempotency_key;
  std::string sign_key, callback;
  std::string validator;
};

json draft_from_flags(const CreateFlags& f) {
  json d;
  if (!f.file.empty()) {
    std::ifstream in(f.file);
    if (!in) throw CliError(kExitUsage, "cannot read " + f.file);
    std::stringstream ss;
    ss << in.rdbuf();
    d = json::parse(ss.str(), nullptr, false);
    if (d.is_discarded() || !d.is_object())
      throw CliError(kExitInvalid, f.file + " is not a JSON object");
  }
  auto set = [&](const char* key, const std::string& v) {
    if (!v.empty()) d[key] = v;
  };
  set("kind", f.kind);
  set("provider_id", f.provider);
  set("case_type", f.case_type);
  set("offence_description", f.offence);
  set("deadline", f.deadline);
  set("emergency_justification", f.emergency);
  set("issuer_reference", f.reference);
  set("non_disclosure_until", f.non_disclosure_until);
  set("route", f.route);
  set("offence_category", f.offence_category);
  if (!f.instrument.empty() || !f.article.empty() || !f.domestic.empty()) {
    json& lb = d["legal_basis"];
    if (!lb.is_object()) lb = json::object();
    if (!f.instrument.empty()) lb["instrument"] = f.instrument;
    if (!f.article.empty()) lb["article"] = f.article;
    if (!f.domestic.empty()) lb["domestic_reference"] = f.domestic;
  }
  if (!f.categories.empty()) d["categories"] = f.categories;
  if (!f.targets.empty()) {
    d["targets"] = json::array();
    for (const auto& t : f.targets) d["targets"].push_back(parse_target_flag(t));
  }
  if (!f.period_start.empty() || !f.period_end.empty())
    d["period"] = {{"start", f.period_start}, {"end", f.period_end}};
  if (f.max_penalty >= 0) d["max_penalty_months"] = f.max_penalty;
  return d;
}

std::optional<trust::Contact> contact_flag(const std::string& v) {
  if (v.empty()) return std::nullopt;
  return trust::Contact{v.find('@') != std::string::npos ? "email" : "phone", v};
}

// Signs request `id` with the key in `key_path`, as `role`, and sends the
// signature to the hub. The payload is rebuilt here from the request as shown.
json sign_remote(HubClient& c, const std::string& id, const std::string& key_path,
                 const std::string& role, const std::string& callback) {
  trust::SecretKey key = load_key(key_path);
  std::string base = "/api/v1/requests/" + url_encode(id);
  json view = call(c, "GET", base);
  json bundle = call(c, "GET", "/api/v1/trust");
  auto store = trust::TrustStore::from_json(bundle);
  if (!store.ok()) fail(store.error());
  Timestamp now = SystemClock().now();
  auto signer = signer_from_store(std::move(key), *store, now);
  if (!signer.ok()) fail(signer.error());
  std::optional<json> envelope;
  if (role != "officer") envelope = call(c, "GET", base + "/signed");
  auto body = signature_body(view, envelope, role, *signer, now, contact_flag(callback));
  if (!body.ok()) fail(body.error());
  std::cerr << "Signing " << str(view, "reference") << " as " << role << " ("
            << signer->certificate.subject_name << ", key " << signer->certificate.key_id()
            << "): " << str(view, "kind") << " to " << view["provider"].value("name", "") << ", "
            << view["targets"].size() << " target(s), "
            << view["legal_basis"].value("instrument", "") << " "
            << view["legal_basis"].value("article", "") << "\n";
  return call(c, "POST", base + "/signatures", body->dump());
}

json submit_remote(HubClient& c, const json& r) {
  http::Headers m;
  m.set("If-Match", "\"" + std::to_string(r["version"].get<long long>()) + "\"");
  return call(c, "POST", "/api/v1/requests/" + r["id"].get<std::string>() + "/actions",
              json{{"action", "submit"}}.dump(), m);
}

// A submission that was quarantined is a failure for the one who sent it.
void report_submission(const json& r) {
  if (str(r, "status") == "quarantined") {
    throw CliError(kExitInvalid, str(r, "reference") +
                                     " was quarantined on receipt: " + str(r, "quarantine_reason"));
  }
}

// What a signed draft still lacks before it can be submitted, one line each.
void print_still_needed(const json& r) {
  auto needs = r.find("signatures_required");
  if (needs == r.end() || !needs->is_object()) return;
  for (const auto& m : needs->value("missing", json::array())) {
    if (m.is_string()) std::cout << "still needed: " << m.get<std::string>() << "\n";
  }
}

// Asks the authority named by `given` to validate request `id`.
json ask_validation_remote(HubClient& c, const std::string& id, const std::string& given,
                           const std::string& named_by) {
  std::string org = resolve_organisation(c, given, "authority", named_by,
                                         " (an authority of your own country on this hub)");
  return call(c, "PUT", "/api/v1/requests/" + id + "/validator",
              json{{"organisation_id", org}}.dump());
}

void print_verification(const json& report) {
  std::cout << (report.value("ok", false) ? "VALID" : "NOT VALID") << "  digest "
            << str(report, "digest") << "\n";
  for (const auto& s : report.value("signers", json::array())) {
    std::cout << "  " << (s.value("valid", false) ? "ok  " : "FAIL") << " " << str(s, "role")
              << ": " << str(s, "name") << " <" << str(s, "email") << ">, "
              << s.value("organisation", json::object()).value("name", "") << ", key "
              << str(s, "key_id") << ", signed " << str(s, "signed_at") << "\n";
    if (s.contains("revoked_later_at") && !s["revoked_later_at"].is_null())
      std::cout << "       its key was revoked later, at " << str(s, "revoked_later_at")
                << "; the signature predates that and stands\n";
  }
  for (const auto& f : report.value("failures", json::array()))
    std::cout << "  " << str(f, "code") << ": " << str(f, "detail") << "\n";
  for (const auto& n : report.value("notes", json::array()))
    std::cout << "  note: " << n.get<std::string>() << "\n";
}

}  // namespace

void add_request_commands(CLI::App& app) {
  static Remote remote;
  auto* req = app.add_subcommand("request", "Create, follow and answer requests through a hub");
  req->require_subcommand(1);

  // create
  static CreateFlags cf;
  auto* create = req->add_subcommand("create", "Draft a request (and --submit it to the provider)");
  add_remote(create, remote);
  create->add_option("--file", cf.file, "Start from a JSON draft; flags override its fields");
  create->add_option("--kind", cf.kind,
                     "preservation, production, emergency_disclosure or domain_registration");
  create->add_option("--provider", cf.provider,
                     "Provider: its id, endpoint id or name (see 'liaison request providers')");
  create->add_option("--category", cf.categories,
                     "SubscriberData, UserIdentifyingData, TrafficData, StoredContentData");
  create->add_option("--target", cf.targets,
                     "KIND:VALUE, e.g. email:x@example.org, ip:192.0.2.1:443@2026-11-02T10:15:00Z");
  create->add_option("--instrument", cf.instrument, "Legal instrument, e.g. 'Budapest Convention'");
  create->add_option("--article", cf.article, "Article, e.g. 'Art. 18(1)(b)'");
  create->add_option("--domestic-reference", cf.domestic, "National provision or order number");
  create->add_option("--case-type", cf.case_type, "ETSI AuthorisationTypeOfCase, e.g. Cybercrime");
  create->add_option("--offence", cf.offence, "Offence description");
  create->add_option("--offence-category", cf.offence_category,
                     "For penalty thresholds: attack_on_information_systems, child_sexual_abuse, "
                     "non_cash_payment_fraud, terrorism or other");
  create->add_option("--route", cf.route,
                     "The legal route to file under ('liaison route' lists those open); "
                     "default: the best open");
  create->add_option("--max-penalty-months", cf.max_penalty,
                     "Maximum penalty for the offence, in months");
  create->add_option("--period-start", cf.period_start, "Start of the data period (RFC 3339)");
  create->add_option("--period-end", cf.period_end, "End of the data period (RFC 3339)");
  create->add_option("--deadline", cf.deadline, "Deadline (RFC 3339)");
  create->add_option("--emergency-justification", cf.emergency,
                     "Threat to life or safety (emergency only)");
  create->add_option("--non-disclosure-until", cf.non_disclosure_until,
                     "End of the non-disclosure period (RFC 3339)");
  create->add_option("--reference", cf.reference, "Your own case reference");
  create->add_option("--idempotency-key", cf.idempotency_key, "Makes a retried create safe");
  create->add_option("--sign", cf.sign_key, "Sign it as officer with this key file");
  create->add_option("--callback", cf.callback,
                     "Emergency call-back contact your organisation's certificate lists "
                     "(default: its first)");
  create->add_option("--validator", cf.validator,
                     "Ask this authority (id, endpoint id or name) to validate the request, "
                     "where its route needs a prosecutor's or a judge's co-signature");
  create->add_flag("--submit", cf.submit, "Submit to the provider right away (needs --sign)");
  create->callback([] {
    HubClient c = client(remote);
    http::Headers h;
    std::string key = cf.idempotency_key.empty() ? random_uuid() : cf.idempotency_key;
    h.set("Idempotency-Key", key);
    json draft = draft_from_flags(cf);
    if (draft.contains("provider_id") && draft["provider_id"].is_string()) {
      draft["provider_id"] = resolve_provider(c, draft["provider_id"].get<std::string>());
    }
    if (cf.submit && cf.sign_key.empty())
      throw CliError(kExitUsage, "--submit needs --sign KEYFILE: requests leave signed");
    json r = call(c, "POST", "/api/v1/requests", draft.dump(), h);
    if (!cf.validator.empty())
      r = ask_validation_remote(c, str(r, "id"), cf.validator, "--validator");
    if (!cf.sign_key.empty())
      r = sign_remote(c, r["id"].get<std::string>(), cf.sign_key, "officer", cf.callback);
    if (cf.submit) {
      r = submit_remote(c, r);
      if (!remote.json_out) report_submission(r);
    }
    if (remote.json_out) {
      std::cout << r.dump(2) << "\n";
    } else {
      std::cout << (cf.submit ? "Submitted " : (cf.sign_key.empty() ? "Drafted " : "Signed "))
                << str(r, "reference") << " (" << str(r, "id") << ")\n";
      for (const auto& w : r["warnings"])
        std::cout << "warning: " << str(w, "field") << ": " << str(w, "message") << "\n";
      if (!cf.sign_key.empty() && !cf.submit) print_still_needed(r);
    }
  });

  // list
  static std::string f_status, f_kind, f_provider, f_deadline;
  static int f_limit = 50;
  static bool f_all = false;
  auto* list = req->add_subcommand(
      "list", "List requests you can see (issued by or addressed to your organisation)");
  add_remote(list, remote);
  list->add_option("--status", f_status, "Comma-separated statuses");
  list->add_option("--kind", f_kind, "Request kind");
  list->add_option("--provider", f_provider, "Only requests addressed to this provider id");
  list->add_option("--deadline-before", f_deadline,
                   "Only deadlines before this instant (RFC 3339)");
  list->add_option("--limit", f_limit, "Page size")->capture_default_str();
  list->add_flag("--all", f_all, "Follow every page");
  list->callback([] {
    HubClient c = client(remote);
    std::string query = "limit=" + std::to_string(f_limit);
    if (!f_status.empty()) query += "&status=" + url_encode(f_status);
    if (!f_kind.empty()) query += "&kind=" + url_encode(f_kind);
    if (!f_provider.empty()) query += "&provider_id=" + url_encode(f_provider);
    if (!f_deadline.empty()) query += "&deadline_before=" + url_encode(f_deadline);
    json items = json::array();
    std::string cursor;
    do {
      json page =
          call(c, "GET", "/api/v1/requests?" + query + (cursor.empty() ? "" : "&cursor=" + cursor));
      for (auto& i : page["items"]) items.push_back(std::move(i));
      cursor = page["next_cursor"].is_string() ? page["next_cursor"].get<std::string>() : "";
    } while (f_all && !cursor.empty());
    if (remote.json_out) {
      std::cout << json{{"items", items}}.dump(2) << "\n";
      return;
    }
    Table t({"REFERENCE", "STATUS", "KIND", "ISSUER", "PROVIDER", "DEADLINE", "ID"});
    for (const auto& r : items) {
      t.add({str(r, "reference"), str(r, "status"), str(r, "kind"), r["issuer"].value("name", ""),
             r["provider"].value("name", ""), str(r, "deadline"), str(r, "id")});
    }
    std::cout << t.render();
  });

  // due
  static std::string within = "48h";
  auto* due = req->add_subcommand(
      "due", "List deadlines that have passed or fall within a window, earliest first");
  add_remote(due, remote);
  due->add_option("--within", within, "How far ahead: 48h, 7d, 90m or an ISO 8601 duration")
      ->capture_default_str();
  due->callback([] {
    auto seconds = parse_short_duration(within, "--within");
    if (!seconds.ok()) throw CliError(kExitUsage, seconds.error().issues.at(0).reason);
    HubClient c = client(remote);
    json page =
        call(c, "GET", "/api/v1/deadlines?within=" + url_encode(format_iso8601_duration(*seconds)));
    if (remote.json_out) {
      std::cout << page.dump(2) << "\n";
      return;
    }
    Table t({"AT", "DEADLINE", "OWED BY", "STATE", "REFERENCE", "STATUS", "RULE"});
    for (const auto& d : page["items"]) {
      std::string state = d.value("overdue", false)                    ? "OVERDUE"
                          : d.value("kind", "") == "user_notification" ? "open"
                                                                       : "due";
      t.add({str(d, "at"), str(d, "kind"), str(d, "owed_by"), state, str(d, "reference"),
             str(d, "status"), str(d, "due_rule")});
    }
    std::cout << t.render();
  });

  // providers
  auto* providers =
      req->add_subcommand("providers", "List the providers a request can be addressed to");
  add_remote(providers, remote);
  providers->callback([] {
    HubClient c = client(remote);
    json orgs = call(c, "GET", "/api/v1/organisations");
    json out = json::array();
    for (const auto& o : orgs["items"]) {
      if (o.value("kind", "") == "provider") out.push_back(o);
    }
    if (remote.json_out) {
      std::cout << json{{"items", out}}.dump(2) << "\n";
      return;
    }
    Table t({"ENDPOINT", "COUNTRY", "NAME", "ID"});
    for (const auto& o : out)
      t.add({str(o, "endpoint_uid"), str(o, "country"), str(o, "name"), str(o, "id")});
    std::cout << t.render();
  });

  // show
  static std::string id;
  auto* show =
      req->add_subcommand("show", "Show a request with its timeline, messages and attachments");
  add_remote(show, remote);
  show->add_option("ID", id, "Request id")->required();
  show->callback([] {
    HubClient c = client(remote);
    std::string base = "/api/v1/requests/" + url_encode(id);
    json r = call(c, "GET", base);
    json events = call(c, "GET", base + "/events");
    json messages = call(c, "GET", base + "/messages");
    json attachments = call(c, "GET", base + "/attachments");
    json packages = call(c, "GET", base + "/packages");
    if (remote.json_out) {
      std::cout << json{{"request", r},
                        {"events", events["items"]},
                        {"messages", messages["items"]},
                        {"attachments", attachments["items"]},
                        {"packages", packages["items"]}}
                       .dump(2)
                << "\n";
      return;
    }
    print_request(r);
    // Who acted, by organisation: the two parties, or the hub itself.
    std::map<std::string, std::string> names = {{"hub", "(hub)"}};
    names[r["issuer"].value("id", "")] = r["issuer"].value("name", "");
    names[r["provider"].value("id", "")] = r["provider"].value("name", "");
    auto who = [&](const json& j, const char* key) {
      auto it = names.find(j.value(key, ""));
      return it == names.end() ? str(j, key) : it->second;
    };
    std::cout << "\nTimeline\n";
    Table te({"AT", "BY", "EVENT", "STATUS", "NOTE"});
    for (const auto& e : events["items"])
      te.add({str(e, "at"), who(e, "actor_org_id"), str(e, "type"), str(e, "to_status"),
              str(e, "note")});
    std::cout << te.render() << "\nMessages\n";
    for (const auto& m : messages["items"])
      std::cout << "  [" << str(m, "created_at") << "] " << who(m, "author_org_id") << ": "
                << str(m, "body") << "\n";
    std::cout << "\nAttachments\n";
    Table ta({"ID", "PURPOSE", "SIZE", "NAME", "SHA-256"});
    for (const auto& a : attachments["items"]) {
      ta.add({str(a, "id"), str(a, "purpose"), str(a, "size"), str(a, "name"), str(a, "sha256")});
    }
    std::cout << ta.render();
    // Each evidence package with its chain of custody: every hand that
    // touched its bytes, with the credential it used.
    for (const auto& p : packages["items"]) {
      std::cout << "\nEvidence package " << str(p, "id") << ": " << str(p, "item_count")
                << " item(s), " << str(p, "package_bytes") << " bytes, statement sha256 "
                << str(p, "statement_sha256") << "\nChain of custody\n";
      Table tc({"AT", "BY", "EVENT", "BYTES", "TOKEN", "OUTCOME"});
      for (const auto& e : p["custody"]) {
        std::string bytes =
            e["first_byte"].is_null() ? "" : str(e, "first_byte") + "-" + str(e, "last_byte");
        tc.add({str(e, "at"), who(e, "org_id"), str(e, "kind"), bytes, str(e, "token_id"),
                str(e, "outcome")});
      }
      std::cout << tc.render();
    }
  });

  // act
  static std::string action, note, preserved_until;
  auto* act = req->add_subcommand(
      "act",
      "Take an action: submit, acknowledge, request_clarification, clarify, "
      "accept, reject, cancel, preserve, extend, release, produce, not_available, follow_up, "
      "notify_user");
  add_remote(act, remote);
  act->add_option("ID", id, "Request id")->required();
  act->add_option("ACTION", action, "The action")->required();
  act->add_option("--note", note,
                  "Question, answer or grounds (required for clarification and rejection)");
  act->add_option("--preserved-until", preserved_until,
                  "End of the preservation (preserve, extend)");
  act->callback([] {
    HubClient c = client(remote);
    std::string base = "/api/v1/requests/" + url_encode(id);
    json current = call(c, "GET", base);
    json body = {{"action", action}};
    if (!note.empty()) body["note"] = note;
    if (!preserved_until.empty()) body["preserved_until"] = preserved_until;
    http::Headers h;
    // Act only on the version just read, so a concurrent change is not overridden.
    h.set("If-Match", "\"" + std::to_string(current["version"].get<long long>()) + "\"");
    json r = call(c, "POST", base + "/actions", body.dump(), h);
    if (action == "submit" && !remote.json_out) report_submission(r);
    if (remote.json_out) {
      std::cout << r.dump(2) << "\n";
    } else {
      std::cout << str(r, "reference") << " is now " << str(r, "status") << "\n";
    }
  });

  // sign
  static std::string sign_key, sign_role = "officer", sign_callback;
  static bool sign_submit = false;
  auto* sign = req->add_subcommand(
      "sign", "Sign a draft as officer, or co-sign it as validator or supervisor");
  add_remote(sign, remote);
  sign->add_option("ID", id, "Request id")->required();
  sign->add_option("--key", sign_key, "Your key file")->required()->check(CLI::ExistingFile);
  sign->add_option("--as", sign_role, "officer, validator or supervisor")->capture_default_str();
  sign->add_option("--callback", sign_callback,
                   "Emergency call-back contact (officer; default: your organisation's first)");
  sign->add_flag("--submit", sign_submit, "Submit it once signed");
  sign->callback([] {
    HubClient c = client(remote);
    json r = sign_remote(c, id, sign_key, sign_role, sign_callback);
    if (sign_submit) {
      r = submit_remote(c, r);
      if (!remote.json_out) report_submission(r);
    }
    if (remote.json_out) {
      std::cout << r.dump(2) << "\n";
    } else {
      std::cout << (sign_submit ? "Submitted " : "Signed ") << str(r, "reference") << " ("
                << r["signatures"].size() << " signature(s), digest " << str(r, "payload_digest")
                << ")\n";
      if (!sign_submit) print_still_needed(r);
    }
  });

  // validator
  static std::string validator_org;
  static bool validator_none = false;
  auto* validator = req->add_subcommand(
      "validator", "Ask an authority (a prosecutor's office, a court) to validate a draft");
  add_remote(validator, remote);
  validator->add_option("ID", id, "Request id")->required();
  validator->add_option("ORG", validator_org,
                        "The validating authority: its id, endpoint id or name");
  validator->add_flag("--none", validator_none, "Withdraw the request for validation");
  validator->callback([] {
    if (validator_org.empty() == !validator_none)
      throw CliError(kExitUsage, "give the validating authority (ORG) or --none, not both");
    HubClient c = client(remote);
    json r = validator_none ? call(c, "PUT", "/api/v1/requests/" + id + "/validator",
                                   R"({"organisation_id":null})")
                            : ask_validation_remote(c, id, validator_org, "ORG");
    if (remote.json_out) {
      std::cout << r.dump(2) << "\n";
      return;
    }
    if (r["validator"].is_object()) {
      std::cout << str(r, "reference") << ": " << str(r["validator"], "name")
                << " is asked to validate it; its validators can now see and co-sign it\n";
    } else {
      std::cout << str(r, "reference") << ": no authority is asked to validate it\n";
    }
    print_still_needed(r);
  });

  // export
  static std::string export_out;
  auto* exp = req->add_subcommand(
      "export", "Save a request as it was signed, to verify it offline ('request verify')");
  add_remote(exp, remote);
  exp->add_option("ID", id, "Request id")->required();
  exp->add_option("--out", export_out, "File to write")->required();
  exp->callback([] {
    HubClient c = client(remote);
    json envelope = call(c, "GET", "/api/v1/requests/" + url_encode(id) + "/signed");
    write_new_file(export_out, envelope.dump(2) + "\n", true);
    std::cout << "Saved the signed request to " << export_out << "\n";
  });

  // verify
  static std::string verify_file, trust_file, received_at;
  static int need_validators = 0, need_supervisors = 0;
  auto* verify = req->add_subcommand(
      "verify", "Check a signed request offline, with nothing but a trust store file");
  verify->add_option("FILE", verify_file, "Signed request ('request export')")
      ->required()
      ->check(CLI::ExistingFile);
  verify->add_option("--trust-store", trust_file, "Trust store ('trust export')")
      ->required()
      ->check(CLI::ExistingFile);
  verify->add_option("--received-at", received_at,
                     "When it was received (RFC 3339; default: its last signature's time)");
  verify->add_option("--validators", need_validators, "Validator co-signatures required");
  verify->add_option("--supervisors", need_supervisors, "Supervisor co-signatures required");
  verify->add_flag("--json", remote.json_out, "Print the report as JSON");
  verify->callback([] {
    auto envelope = trust::signed_request_from_json(read_json_file(verify_file));
    if (!envelope.ok()) fail(envelope.error());
    auto store = trust::TrustStore::from_json(read_json_file(trust_file));
    if (!store.ok()) fail(store.error());
    Timestamp at;
    if (!received_at.empty()) {
      auto t = parse_rfc3339(received_at, "--received-at");
      if (!t.ok()) fail(t.error());
      at = *t;
    } else {
      for (const auto& s : envelope->signatures) at = std::max(at, s.signed_at);
    }
    trust::VerificationReport report =
        trust::verify_signed_request(*store, *envelope, {need_validators, need_supervisors}, at);
    json j = trust::to_json(report);
    if (remote.json_out) {
      std::cout << j.dump(2) << "\n";
    } else {
      print_verification(j);
    }
    if (!report.ok) throw CliError(kExitInvalid, "the signed request does not verify");
  });

  // message
  static std::string text;
  auto* message = req->add_subcommand("message", "Send a message to the other side");
  add_remote(message, remote);
  message->add_option("ID", id, "Request id")->required();
  message->add_option("TEXT", text, "The message")->required();
  message->callback([] {
    HubClient c = client(remote);
    http::Headers h;
    h.set("Idempotency-Key", random_uuid());
    json m = call(c, "POST", "/api/v1/requests/" + url_encode(id) + "/messages",
                  json{{"body", text}}.dump(), h);
    if (remote.json_out) {
      std::cout << m.dump(2) << "\n";
    } else {
      std::cout << "Sent message " << str(m, "id") << "\n";
    }
  });

  // attach
  static std::string file, purpose = "document", media_type = "application/octet-stream", name;
  auto* attach =
      req->add_subcommand("attach", "Upload a document, or produced data (--purpose production)");
  add_remote(attach, remote);
  attach->add_option("ID", id, "Request id")->required();
  attach->add_option("FILE", file, "File to upload")->required()->check(CLI::ExistingFile);
  attach->add_option("--purpose", purpose, "document or production")->capture_default_str();
  attach->add_option("--type", media_type, "Media type")->capture_default_str();
  attach->add_option("--name", name, "Name to show (default: the file's name)");
  attach->callback([] {
    HubClient c = client(remote);
    std::string shown = name.empty() ? std::filesystem::path(file).filename().string() : name;
    http::Headers h;
    h.set("Idempotency-Key", random_uuid());
    ClientResponse resp;
    try {
      resp =
          c.upload("/api/v1/requests/" + url_encode(id) + "/attachments?name=" + url_encode(shown) +
                       "&purpose=" + url_encode(purpose),
                   file, media_type, h);
    } catch (const std::exception& e) {
      throw CliError(kExitUnavailable, e.what());
    }
    if (resp.status >= 400)
      throw CliError(exit_code_for_http(resp.status), describe_problem(resp.status, resp.body));
    json a = json::parse(resp.body);
    if (remote.json_out) {
      std::cout << a.dump(2) << "\n";
    } else {
      std::cout << "Attached " << str(a, "name") << " (" << str(a, "id") << ", sha256 "
                << str(a, "sha256") << ")\n";
    }
  });

  // download
  static std::string attachment_id, out;
  auto* download = req->add_subcommand("download", "Download an attachment and check its SHA-256");
  add_remote(download, remote);
  download->add_option("ID", id, "Request id")->required();
  download->add_option("ATTACHMENT", attachment_id, "Attachment id")->required();
  download->add_option("--out", out,
                       "Where to write it (default: its name, in the current directory)");
  download->callback([] {
    HubClient c = client(remote);
    std::string base =
        "/api/v1/requests/" + url_encode(id) + "/attachments/" + url_encode(attachment_id);
    json meta = call(c, "GET", base);
    std::string target =
        out.empty() ? std::filesystem::path(meta["name"].get<std::string>()).filename().string()
                    : out;
    std::string partial = target + ".part";
    ClientResponse resp;
    try {
      resp = c.download(base + "/content", partial);
    } catch (const std::exception& e) {
      throw CliError(kExitUnavailable, e.what());
    }
    if (resp.status >= 400) {
      std::remove(partial.c_str());
      throw CliError(exit_code_for_http(resp.status), describe_problem(resp.status, resp.body));
    }
    auto hashed = hash_file(partial);
    if (!hashed.ok()) {
      std::remove(partial.c_str());
      fail(hashed.error());
    }
    std::string got = hashed->sha256;
    if (got != meta["sha256"].get<std::string>()) {
      std::remove(partial.c_str());
      throw CliError(kExitFailure,
                     "downloaded bytes do not match the recorded SHA-256; nothing was written");
    }
    // Never replace an existing file: the name came from the other side.
    if (::link(partial.c_str(), target.c_str()) != 0) {
      int err = errno;
      std::remove(partial.c_str());
      throw CliError(err == EEXIST ? kExitConflict : kExitFailure,
                     target + (err == EEXIST ? " already exists; choose another name with --out"
                                             : ": " + std::string(std::strerror(err))));
    }
    std::remove(partial.c_str());
    if (remote.json_out) {
      std::cout << json{{"file", target}, {"sha256", got}, {"size", meta["size"]}}.dump(2) << "\n";
    } else {
      std::cout << "Saved " << target << " (sha256 " << got << ", verified)\n";
    }
  });
}

}  // namespace liaison::cli
