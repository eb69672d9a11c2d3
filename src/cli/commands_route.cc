// `liaison route`: which legal routes are open for a request, asked of a hub
// (GET /api/v1/routes), as the officer whose token is given.
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "cli/output.h"
#include "cli/remote.h"

namespace liaison::cli {

namespace {

using nlohmann::json;

std::string text_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "-";
  return v.dump();
}

std::string list_of(const json& a) {
  std::string out;
  for (const auto& v : a) out += (out.empty() ? "" : ", ") + text_of(v);
  return out.empty() ? "-" : out;
}

std::string issuer_text(const json& issuer) {
  if (issuer.value("may_issue_alone", false)) return "may issue alone";
  return "needs validation by " + list_of(issuer["validator_types"]);
}

void print_advice(const json& a, bool all) {
  const json& s = a["situation"];
  std::cout << s["requesting_country"].get<std::string>() << " "
            << s["authority_type"].get<std::string>() << " -> provider established in "
            << text_of(s["provider"]["establishment"]) << ", " << list_of(s["categories"]) << ", "
            << text_of(s["kind"]) << " (" << text_of(s["urgency"]) << "), on " << text_of(s["date"])
            << "\n\nOpen routes, best first:\n";
  if (a["available"].empty()) std::cout << "  none\n";
  for (const auto& r : a["available"]) {
    std::cout << "  " << text_of(r["id"]) << "  " << text_of(r["name"]) << "\n"
              << "    legal basis: " << text_of(r["legal_basis"]) << "\n"
              << "    goes to:     the " << text_of(r["channel"]) << "\n"
              << "    issuer:      " << issuer_text(r["issuer"]) << "\n"
              << "    deadline:    "
              << (r["deadline"].is_object()
                      ? text_of(r["deadline"]["text"])
                      : "none set in numbers (" + text_of(r["deadlines"]["note"]) + ")")
              << "\n";
    if (!r["forms"].empty()) std::cout << "    forms:       " << list_of(r["forms"]) << "\n";
    if (!r["required_fields"].empty())
      std::cout << "    requires:    " << list_of(r["required_fields"]) << "\n";
    for (const auto& n : r["notes"]) std::cout << "    note:        " << text_of(n) << "\n";
    std::cout << "    sources:     " << text_of(r["verification"]) << "\n";
  }
  std::cout << "\nClosed routes:\n";
  for (const auto& u : a["unavailable"]) {
    std::cout << "  " << text_of(u["id"]) << ": ";
    const json& reasons = u["reasons"];
    if (all) {
      std::cout << "\n";
      for (const auto& why : reasons) std::cout << "    - " << text_of(why) << "\n";
    } else {
      std::cout << (reasons.empty() ? "-" : text_of(reasons[0]))
                << (reasons.size() > 1 ? " (+" + std::to_string(reasons.size() - 1) + " more)" : "")
                << "\n";
    }
  }
  std::cout << "\n" << text_of(a["disclaimer"]) << "\n";
}

}  // namespace

void add_route_commands(CLI::App& app) {
  static Remote remote;
  static std::string provider, provider_country, eu_rep, kind, urgency, offence, date, from,
      authority_type;
  static std::vector<std::string> categories;
  static long long max_penalty = -1;
  static bool offers = false, all_reasons = false;
  auto* cmd = app.add_subcommand("route", "Which legal routes are open for a request");
  add_remote(cmd, remote);
  cmd->add_option("--provider", provider, "The provider: its id, endpoint id or name on the hub");
  cmd->add_option("--provider-country", provider_country,
                  "Or where the provider is established (ISO 3166-1 alpha-2)");
  cmd->add_option("--eu-representative", eu_rep,
                  "With --provider-country: the country of its EU legal representative");
  cmd->add_option("--category", categories,
                  "SubscriberData, UserIdentifyingData, TrafficData, StoredContentData")
      ->required();
  cmd->add_option("--kind", kind,
                  "preservation, production, emergency_disclosure or domain_registration")
      ->required();
  cmd->add_option("--urgency", urgency, "normal or emergency");
  cmd->add_option("--offence-category", offence,
                  "attack_on_information_systems, child_sexual_abuse, non_cash_payment_fraud, "
                  "terrorism or other");
  cmd->add_option("--max-penalty-months", max_penalty, "Maximum penalty for the offence");
  cmd->add_option("--date", date, "Date of the request, YYYY-MM-DD (default today)");
  cmd->add_option("--from", from, "Requesting country (default your organisation's)");
  cmd->add_option("--authority-type", authority_type,
                  "police, prosecutor, judge or central_authority (default your organisation's)");
  cmd->add_flag("--offers-services-here", offers,
                "State that the provider offers its services in the requesting country "
                "(Budapest Art. 18(1)(b))");
  cmd->add_flag("--why", all_reasons, "Every reason a closed route is closed, not just the first");
  cmd->callback([] {
    HubClient c = client(remote);
    std::string query;
    auto add = [&](const char* name, const std::string& value) {
      if (!value.empty())
        query += std::string(query.empty() ? "?" : "&") + name + "=" + url_encode(value);
    };
    if (!provider.empty()) add("provider_id", resolve_provider(c, provider));
    add("provider_country", provider_country);
    add("eu_representative_country", eu_rep);
    std::string cats;
    for (const auto& cat : categories) cats += (cats.empty() ? "" : ",") + cat;
    add("category", cats);
    add("kind", kind);
    add("urgency", urgency);
    add("offence_category", offence);
    if (max_penalty >= 0) add("max_penalty_months", std::to_string(max_penalty));
    add("date", date);
    add("requesting_country", from);
    add("authority_type", authority_type);
    if (offers) add("offers_services_in_requesting_country", "true");
    json advice = call(c, "GET", "/api/v1/routes" + query);
    if (remote.json_out) {
      std::cout << advice.dump(2) << "\n";
      return;
    }
    print_advice(advice, all_reasons);
  });
}

}  // namespace liaison::cli
