// `liaison law`: the rules of data/law/ as lawyers edit them. `check` reads
// every file and reports every problem, one line each; `show` lists the
// routes or prints one in full. Both work on files only, with no hub.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>

#include "cli/cli.h"
#include "cli/output.h"
#include "law/checker.h"
#include "law/loader.h"

#ifndef LIAISON_DATA_DIR
#define LIAISON_DATA_DIR "data"
#endif

namespace liaison::cli {

namespace {

struct LawOptions {
  std::string dir = std::string(LIAISON_DATA_DIR) + "/law";
  std::string today;
  std::string route;
};

law::Date today_or(const std::string& text) {
  if (text.empty()) {
    auto now = std::chrono::system_clock::now().time_since_epoch();
    return law::date_of(
        Timestamp::from_seconds(std::chrono::duration_cast<std::chrono::seconds>(now).count()));
  }
  auto d = law::parse_date(text, "--today");
  if (!d.ok()) throw CliError(kExitUsage, "--today: " + d.error().message);
  return *d;
}

std::vector<law::LawFile> read_files(const std::string& dir) {
  auto files = law::read_law_files(dir);
  if (!files.ok()) throw CliError(kExitNotFound, files.error().message);
  return std::move(files).value();
}

void check(const LawOptions& o) {
  law::Date today = today_or(o.today);
  law::CheckReport report = law::check_law(read_files(o.dir), today);
  if (!report.ok()) {
    for (const auto& p : report.problems) std::cout << p.line() << "\n";
    throw CliError(kExitFailure, std::to_string(report.problems.size()) + " problem" +
                                     (report.problems.size() == 1 ? "" : "s") + " in " + o.dir);
  }
  std::cout << "ok: " << report.instruments << " instruments, " << report.routes << " routes, "
            << report.party_tables << " party tables with " << report.parties << " entries, "
            << report.unverified_facts << " unverified facts (as of " << law::format_date(today)
            << ")\n";
}

template <typename T, typename F>
std::string join(const std::vector<T>& v, F&& name) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ", ") + std::string(name(x));
  return out;
}

std::string period_or(const std::optional<law::Period>& p, const std::string& otherwise) {
  return p ? law::period_text(*p) : otherwise;
}

void print_route(const law::LawBook& book, const law::Route& r) {
  const law::Instrument* ins = book.instrument(r.instrument);
  auto line = [](const std::string& key, const std::string& value) {
    if (!value.empty()) std::cout << key << ": " << value << "\n";
  };
  line("route", r.id);
  line("name", r.name);
  line("instrument", ins ? ins->name : r.instrument);
  line("verification", law::verification_name(r.verification));
  line("rank", std::to_string(r.rank));
  line("channel", law::channel_name(r.channel));
  line("kinds", join(r.kinds, law::kind_name));
  line("categories", join(r.categories, data_category_name));
  line("urgency", join(r.urgency, law::urgency_name));
  line("issuers", authority_list_text(r.issuers.issuers));
  line("validators", authority_list_text(r.issuers.validators));
  if (!r.issuers.emergency_issuers.empty()) {
    line("emergency issuers",
         authority_list_text(r.issuers.emergency_issuers) +
             (r.issuers.emergency_follow_up
                  ? ", validated within " + law::period_text(*r.issuers.emergency_follow_up)
                  : ""));
  }
  line("issuer note", r.issuers.note);
  if (r.threshold.applies()) {
    line("threshold", std::to_string(r.threshold.min_max_penalty_months) +
                          " months maximum penalty, or: " +
                          join(r.threshold.listed_offences, law::offence_category_name) +
                          " (Art. " + r.threshold.article + ")");
  }
  line("deadline", period_or(r.deadlines.response, "none"));
  if (r.deadlines.emergency) line("emergency deadline", law::period_text(*r.deadlines.emergency));
  line("deadline note", r.deadlines.note);
  if (r.preservation) {
    const auto& p = *r.preservation;
    std::string text = period_or(p.period, "not set");
    if (p.period_is_minimum) text = "at least " + text;
    if (p.extension) {
      text += ", extension " + law::period_text(*p.extension) +
              (p.max_extensions ? " (at most " + std::to_string(*p.max_extensions) + ")" : "");
    }
    line("preservation", text);
    line("preservation note", p.note);
  }
  line("clock", std::string(r.clock.pauses_for_clarification ? "pauses" : "does not pause") +
                    " while the authority owes a clarification" +
                    (r.clock.liaisons_reading ? " (Liaison's reading)" : ""));
  line("clock note", r.clock.note);
  if (r.notification.required) {
    line("notification", r.notification.to);
    line("notification exception", r.notification.exception);
    line("notification note", r.notification.note);
  }
  line("required fields", join(r.required_fields, [](const std::string& s) { return s; }));
  for (const auto& f : r.forms) line("form", f);
  for (const auto& n : r.notes) line("note", n);
  for (const auto& c : r.citations) {
    line("citation", c.text + " [" + law::verification_name(c.verification) + "]" +
                         (c.url.empty() ? "" : " " + c.url));
  }
}

void show(const LawOptions& o) {
  auto book = law::parse_law(read_files(o.dir));
  if (!book.ok()) {
    throw CliError(kExitInvalid, book.error().message + " (run liaison law check)");
  }
  if (!o.route.empty()) {
    const law::Route* r = book->route(o.route);
    if (r == nullptr)
      throw CliError(kExitNotFound, "no route " + o.route + " (liaison law show lists them)");
    print_route(*book, *r);
    return;
  }
  Table t({"ROUTE", "NAME", "KINDS", "CATEGORIES", "VERIFICATION"});
  for (const auto& r : book->routes) {
    t.add({r.id, r.name, join(r.kinds, law::kind_name), join(r.categories, data_category_name),
           law::verification_name(r.verification)});
  }
  std::cout << t.render();
}

}  // namespace

void add_law_commands(CLI::App& app) {
  static LawOptions o;
  auto* law = app.add_subcommand("law", "The legal rules in data/law/: check them, show routes");
  law->require_subcommand(1);
  auto* check_cmd = law->add_subcommand(
      "check", "Check every rule file; print one line per problem, or a summary");
  check_cmd->add_option("--dir", o.dir, "Directory of the rules (instruments/, parties/)")
      ->capture_default_str();
  check_cmd->add_option("--today", o.today,
                        "Check party tables' as_of against this date (YYYY-MM-DD)");
  check_cmd->callback([] { check(o); });
  auto* show_cmd = law->add_subcommand("show", "List the routes, or print one route in full");
  show_cmd->add_option("route", o.route, "A route id, e.g. eu-2023-1543/epoc-subscriber");
  show_cmd->add_option("--dir", o.dir, "Directory of the rules (instruments/, parties/)")
      ->capture_default_str();
  show_cmd->callback([] { show(o); });
}

}  // namespace liaison::cli
