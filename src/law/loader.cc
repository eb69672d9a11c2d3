#include "law/loader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <string_view>

#include "core/organisation.h"

namespace liaison::law {

namespace {

// Collects the problems of one file, with the key path of each.
class Sink {
 public:
  Sink(std::string file, std::vector<Problem>& out) : file_(std::move(file)), out_(out) {}
  void add(const std::string& path, std::string reason) {
    out_.push_back({file_, path, std::move(reason)});
  }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<Problem>& out_;
};

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

const char* type_of(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

// Reads the keys of one table, remembering which it was asked about so that
// finish() can report every other key as unknown.
class Fields {
 public:
  Fields(const toml::table& t, std::string path, Sink& sink)
      : t_(t), path_(std::move(path)), sink_(sink) {}

  const std::string& path() const { return path_; }
  std::string at(const std::string& key) const { return join(path_, key); }
  Sink& sink() { return sink_; }

  const toml::node* get(const std::string& key, bool required, const std::string& what) {
    known_.insert(key);
    const toml::node* n = t_.get(key);
    if (n == nullptr && required) sink_.add(at(key), "is required (" + what + ")");
    return n;
  }

  std::optional<std::string> str(const std::string& key, bool required) {
    const toml::node* n = get(key, required, "a string");
    if (n == nullptr) return std::nullopt;
    if (!n->is_string()) {
      wrong(key, "a string", *n);
      return std::nullopt;
    }
    std::string v = n->as_string()->get();
    if (v.empty() && required) {
      sink_.add(at(key), "must not be empty");
      return std::nullopt;
    }
    return v;
  }

  std::optional<bool> boolean(const std::string& key) {
    const toml::node* n = get(key, false, "true or false");
    if (n == nullptr) return std::nullopt;
    if (!n->is_boolean()) {
      wrong(key, "true or false", *n);
      return std::nullopt;
    }
    return n->as_boolean()->get();
  }

  std::optional<std::int64_t> integer(const std::string& key, bool required, std::int64_t min,
                                      std::int64_t max, const char* what) {
    const toml::node* n = get(key, required, what);
    if (n == nullptr) return std::nullopt;
    if (!n->is_integer() || n->as_integer()->get() < min || n->as_integer()->get() > max) {
      sink_.add(at(key), std::string("must be ") + what);
      return std::nullopt;
    }
    return n->as_integer()->get();
  }

  std::optional<Date> date(const std::string& key, bool required) {
    const toml::node* n = get(key, required, "a date such as 2026-08-18");
    if (n == nullptr) return std::nullopt;
    if (!n->is_date()) {
      if (n->is_string()) {
        sink_.add(at(key), "must be a date written without quotes, such as 2026-08-18");
      } else {
        wrong(key, "a date such as 2026-08-18", *n);
      }
      return std::nullopt;
    }
    toml::date d = n->as_date()->get();
    if (!is_valid_date(d.year, d.month, d.day)) {
      sink_.add(at(key), "is not a date between 1900 and 9999");
      return std::nullopt;
    }
    return Date{d.year, d.month, d.day};
  }

  // An array of strings; each must be accepted by `check`, which returns an
  // error reason or "".
  template <typename F>
  std::vector<std::string> strings(const std::string& key, bool required, F&& check) {
    std::vector<std::string> out;
    const toml::node* n = get(key, required, "an array of strings");
    if (n == nullptr) return out;
    const toml::array* a = n->as_array();
    if (a == nullptr) {
      wrong(key, "an array of strings", *n);
      return out;
    }
    if (a->empty() && required) sink_.add(at(key), "must not be empty");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < a->size(); ++i) {
      std::string p = at(key) + "[" + std::to_string(i) + "]";
      const toml::node& e = *a->get(i);
      if (!e.is_string()) {
        sink_.add(p, std::string("must be a string, not ") + type_of(e));
        continue;
      }
      std::string v = e.as_string()->get();
      if (std::string why = check(v); !why.empty()) {
        sink_.add(p, why);
        continue;
      }
      if (!seen.insert(v).second) {
        sink_.add(p, "'" + v + "' is listed twice");
        continue;
      }
      out.push_back(v);
    }
    return out;
  }

  const toml::table* table(const std::string& key, bool required) {
    const toml::node* n = get(key, required, "a table");
    if (n == nullptr) return nullptr;
    if (!n->is_table()) {
      wrong(key, "a table", *n);
      return nullptr;
    }
    return n->as_table();
  }

  // An array of tables ([[key]]); empty when absent.
  std::vector<const toml::table*> tables(const std::string& key, bool required) {
    std::vector<const toml::table*> out;
    const toml::node* n = get(key, required, "one or more [[" + key + "]] tables");
    if (n == nullptr) return out;
    const toml::array* a = n->as_array();
    if (a == nullptr) {
      wrong(key, "an array of tables", *n);
      return out;
    }
    for (std::size_t i = 0; i < a->size(); ++i) {
      const toml::node& e = *a->get(i);
      if (!e.is_table()) {
        sink_.add(at(key) + "[" + std::to_string(i) + "]",
                  std::string("must be a table, not ") + type_of(e));
        out.push_back(nullptr);
        continue;
      }
      out.push_back(e.as_table());
    }
    return out;
  }

  void finish() {
    for (auto&& [k, v] : t_) {
      std::string key(k.str());
      if (known_.count(key) == 0) sink_.add(at(key), "is not a known key");
    }
  }

 private:
  void wrong(const std::string& key, const char* expected, const toml::node& n) {
    sink_.add(at(key), std::string("must be ") + expected + ", not " + type_of(n));
  }

  const toml::table& t_;
  std::string path_;
  Sink& sink_;
  std::set<std::string> known_;
};

std::string check_country(const std::string& v) {
  if (v == "XX") return "'XX' is a placeholder, not a country";
  auto s = validate_country(v, "");
  return s.ok() ? "" : s.error().message;
}

template <typename E, typename F>
std::vector<E> enum_list(Fields& f, const std::string& key, bool required, F&& from_name,
                         const std::string& allowed) {
  std::vector<E> out;
  for (const auto& s : f.strings(key, required, [&](const std::string& v) -> std::string {
         if (from_name(v)) return "";
         std::string why = "'" + v;
         why += "' is not one of ";
         return why + allowed;
       })) {
    out.push_back(*from_name(s));
  }
  return out;
}

const std::string kAuthorityTypes = "police, prosecutor, judge, central_authority";

std::vector<AuthorityType> authority_list(Fields& f, const std::string& key, bool required) {
  return enum_list<AuthorityType>(f, key, required, authority_type_from_name, kAuthorityTypes);
}

Verification verification(Fields& f, const std::string& key, bool required, Verification dflt) {
  auto v = f.str(key, required);
  if (!v) return dflt;
  auto parsed = verification_from_name(*v);
  if (!parsed) {
    f.sink().add(f.at(key), "must be verified, secondary or unverified");
    return Verification::kUnverified;
  }
  return *parsed;
}

std::optional<Period> period(Fields& parent, const std::string& key) {
  const toml::table* t = parent.table(key, false);
  if (t == nullptr) return std::nullopt;
  Fields f(*t, parent.at(key), parent.sink());
  Period p;
  auto amount = f.integer("amount", true, 1, 3650, "a positive integer (at most 3650)");
  auto unit = f.str("unit", true);
  auto calendar = f.boolean("calendar");
  f.finish();
  bool ok = amount.has_value();
  if (unit) {
    if (*unit == "hours") {
      p.unit = PeriodUnit::kHours;
      p.calendar = false;
      if (calendar && *calendar) {
        f.sink().add(f.at("calendar"), "applies to days only");
        ok = false;
      }
    } else if (*unit == "days") {
      p.unit = PeriodUnit::kDays;
      p.calendar = calendar.value_or(true);
    } else {
      f.sink().add(f.at("unit"), "must be hours or days");
      ok = false;
    }
  } else {
    ok = false;
  }
  if (!ok) return std::nullopt;
  p.amount = *amount;
  return p;
}

Citation citation(Fields& f, Verification dflt) {
  Citation c;
  c.text = f.str("text", true).value_or("");
  c.url = f.str("url", false).value_or("");
  c.verification = verification(f, "verification", false, dflt);
  return c;
}

std::vector<Citation> citations(Fields& parent, Verification dflt) {
  std::vector<Citation> out;
  auto list = parent.tables("citation", false);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i] == nullptr) continue;
    Fields f(*list[i], parent.at("citation") + "[" + std::to_string(i) + "]", parent.sink());
    out.push_back(citation(f, dflt));
    f.finish();
  }
  return out;
}

std::string stem_of(const std::string& name, const std::string& dir) {
  std::string s = name.substr(dir.size() + 1);
  return s.substr(0, s.size() - 5);  // ".toml"
}

bool valid_id(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// TOML allows characters outside ASCII only in strings and comments. The
// toml++ 3.3 that Debian 12 ships reaches undefined behaviour when it tests
// some of them (U+00A1-U+0499, U+2C8E-U+3087) for whitespace, which it does
// outside strings and after a line-ending backslash in a multi-line string.
// Those places are refused here first, with the line, so the parser never
// sees them. Returns the 1-based line of the first one, or 0.
std::size_t unsafe_non_ascii_line(std::string_view t) {
  enum class In { kCode, kComment, kBasic, kLiteral, kMultiBasic, kMultiLiteral };
  In in = In::kCode;
  std::size_t line = 1;
  bool after_line_backslash = false;  // skipping whitespace in a multi-line basic string
  auto starts = [&](std::size_t i, const char* s) { return t.compare(i, std::strlen(s), s) == 0; };
  for (std::size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '\n') ++line;
    bool ascii = static_cast<unsigned char>(c) < 0x80;
    switch (in) {
      case In::kCode:
        if (!ascii) return line;
        if (c == '#') {
          in = In::kComment;
        } else if (starts(i, "\"\"\"")) {
          in = In::kMultiBasic;
          i += 2;
        } else if (starts(i, "'''")) {
          in = In::kMultiLiteral;
          i += 2;
        } else if (c == '"') {
          in = In::kBasic;
        } else if (c == '\'') {
          in = In::kLiteral;
        }
        break;
      case In::kComment:
        if (c == '\n') in = In::kCode;
        break;
      case In::kBasic:
        if (c == '\\') {
          ++i;  // an escape never ends the string
        } else if (c == '"' || c == '\n') {
          in = In::kCode;
        }
        break;
      case In::kLiteral:
        if (c == '\'' || c == '\n') in = In::kCode;
        break;
      case In::kMultiBasic:
        if (after_line_backslash) {
          if (!ascii) return line;
          if (c != ' ' && c != '\t' && c != '\n' && c != '\r') after_line_backslash = false;
        }
        if (c == '\\') {
          std::size_t j = i + 1;
          while (j < t.size() && (t[j] == ' ' || t[j] == '\t' || t[j] == '\r')) ++j;
          if (j < t.size() && t[j] == '\n') {
            after_line_backslash = true;
          } else {
            ++i;
          }
        } else if (starts(i, "\"\"\"")) {
          in = In::kCode;
          i += 2;
        }
        break;
      case In::kMultiLiteral:
        if (starts(i, "'''")) {
          in = In::kCode;
          i += 2;
        }
        break;
    }
  }
  return 0;
}

// --- instruments ----------------------------------------------------------

void read_scope(Fields& route, Route& r) {
  const toml::table* t = route.table("scope", true);
  if (t == nullptr) return;
  Fields f(*t, route.at("scope"), route.sink());
  Scope& s = r.scope;
  if (auto rel = f.str("relation", true)) {
    if (*rel == "domestic") {
      s.relation = Relation::kDomestic;
    } else if (*rel == "cross_border") {
      s.relation = Relation::kCrossBorder;
    } else if (*rel == "any") {
      s.relation = Relation::kAny;
    } else {
      f.sink().add(f.at("relation"), "must be domestic, cross_border or any");
    }
  }
  if (auto place = f.str("provider_place", false)) {
    if (*place == "establishment") {
      s.provider_place = ProviderPlace::kEstablishment;
    } else if (*place == "eu_addressee") {
      s.provider_place = ProviderPlace::kEuAddressee;
    } else {
      f.sink().add(f.at("provider_place"), "must be establishment or eu_addressee");
    }
  }
  s.requesting_party = f.boolean("requesting_party").value_or(false);
  s.provider_party = f.boolean("provider_party").value_or(false);
  s.requesting_countries = f.strings("requesting_countries", false, check_country);
  s.requesting_excluded = f.strings("requesting_excluded", false, check_country);
  s.provider_countries = f.strings("provider_countries", false, check_country);
  if (auto flag = f.str("provider_flag", false)) {
    if (*flag == "accepts_foreign_non_content") {
      s.provider_flag = ProviderFlag::kAcceptsForeignNonContent;
    } else if (*flag == "accepts_foreign_emergency") {
      s.provider_flag = ProviderFlag::kAcceptsForeignEmergency;
    } else {
      f.sink().add(f.at("provider_flag"),
                   "must be accepts_foreign_non_content or accepts_foreign_emergency");
    }
  }
  s.offering_services = f.boolean("offering_services").value_or(false);
  s.reason = f.str("reason", false).value_or("");
  s.note = f.str("note", false).value_or("");
  f.finish();
}

void read_issuers(Fields& route, Route& r) {
  const toml::table* t = route.table("issuers", true);
  if (t == nullptr) return;
  Fields f(*t, route.at("issuers"), route.sink());
  IssuerRule& i = r.issuers;
  i.issuers = authority_list(f, "may_issue", true);
  i.validators = authority_list(f, "validators", false);
  i.emergency_issuers = authority_list(f, "emergency_may_issue", false);
  i.emergency_follow_up = period(f, "emergency_validation_within");
  i.note = f.str("note", false).value_or("");
  if (i.emergency_follow_up && i.emergency_issuers.empty()) {
    f.sink().add(f.at("emergency_validation_within"), "needs emergency_may_issue");
  }
  if (i.emergency_follow_up && i.validators.empty()) {
    f.sink().add(f.at("emergency_validation_within"), "needs validators to validate afterwards");
  }
  f.finish();
}

void read_threshold(Fields& route, Route& r) {
  const toml::table* t = route.table("threshold", false);
  if (t == nullptr) return;
  Fields f(*t, route.at("threshold"), route.sink());
  r.threshold.min_max_penalty_months =
      f.integer("min_max_penalty_months", true, 1, 1200, "a number of months from 1 to 1200")
          .value_or(0);
  r.threshold.listed_offences = enum_list<OffenceCategory>(
      f, "listed_offences", false, offence_category_from_name,
      "attack_on_information_systems, child_sexual_abuse, non_cash_payment_fraud, terrorism");
  if (std::count(r.threshold.listed_offences.begin(), r.threshold.listed_offences.end(),
                 OffenceCategory::kOther) > 0) {
    f.sink().add(f.at("listed_offences"), "'other' cannot be a listed offence");
  }
  r.threshold.unverified_offences = enum_list<OffenceCategory>(
      f, "unverified_offences", false, offence_category_from_name,
      "attack_on_information_systems, child_sexual_abuse, non_cash_payment_fraud, terrorism");
  for (auto o : r.threshold.unverified_offences) {
    if (std::count(r.threshold.listed_offences.begin(), r.threshold.listed_offences.end(), o) ==
        0) {
      f.sink().add(f.at("unverified_offences"),
                   std::string("'") + offence_category_name(o) + "' is not in listed_offences");
    }
  }
  r.threshold.article = f.str("article", true).value_or("");
  r.threshold.note = f.str("note", false).value_or("");
  f.finish();
}

void read_deadlines(Fields& route, Route& r) {
  const toml::table* t = route.table("deadlines", true);
  if (t == nullptr) return;
  Fields f(*t, route.at("deadlines"), route.sink());
  r.deadlines.response = period(f, "response");
  r.deadlines.emergency = period(f, "emergency");
  r.deadlines.note = f.str("note", false).value_or("");
  if (t->get("response") == nullptr && t->get("emergency") == nullptr && r.deadlines.note.empty()) {
    f.sink().add(f.path(),
                 "needs a response period, an emergency period, or a note saying why "
                 "there is none");
  }
  f.finish();
}

void read_preservation(Fields& route, Route& r) {
  const toml::table* t = route.table("preservation", false);
  if (t == nullptr) return;
  Fields f(*t, route.at("preservation"), route.sink());
  PreservationRule p;
  p.period = period(f, "period");
  p.period_is_minimum = f.boolean("period_is_minimum").value_or(false);
  p.extension = period(f, "extension");
  if (auto n = f.integer("max_extensions", false, 0, 100, "an integer from 0 to 100")) {
    p.max_extensions = static_cast<int>(*n);
  }
  p.note = f.str("note", false).value_or("");
  if (p.max_extensions && !p.extension && *p.max_extensions > 0) {
    f.sink().add(f.at("max_extensions"), "needs an extension period");
  }
  f.finish();
  r.preservation = p;
}

void read_clock(Fields& route, Route& r) {
  const toml::table* t = route.table("clock", true);
  if (t == nullptr) return;
  Fields f(*t, route.at("clock"), route.sink());
  if (f.get("pauses_for_clarification", true, "true or false") != nullptr) {
    r.clock.pauses_for_clarification = f.boolean("pauses_for_clarification").value_or(false);
  }
  if (auto reading = f.str("reading", true)) {
    if (*reading == "liaison") {
      r.clock.liaisons_reading = true;
    } else if (*reading != "text") {
      f.sink().add(f.at("reading"),
                   "must be text (the instrument says so) or liaison (it is "
                   "silent, and this is Liaison's reading)");
    }
  }
  r.clock.note = f.str("note", true).value_or("");
  f.finish();
}

void read_notification(Fields& route, Route& r) {
  const toml::table* t = route.table("notification", false);
  if (t == nullptr) return;
  Fields f(*t, route.at("notification"), route.sink());
  NotificationDuty& n = r.notification;
  n.required = f.boolean("required").value_or(false);
  n.to = f.str("to", n.required).value_or("");
  n.suspensive = f.boolean("suspensive").value_or(false);
  n.suspensive_in_emergency = f.boolean("suspensive_in_emergency").value_or(false);
  n.objection_window = period(f, "objection_window");
  n.exception = f.str("exception", false).value_or("");
  n.note = f.str("note", false).value_or("");
  f.finish();
}

void read_route(Fields& f, Route& r, const Instrument& ins) {
  r.instrument = ins.id;
  r.id = f.str("id", true).value_or("");
  if (!r.id.empty() &&
      (r.id.rfind(ins.id + "/", 0) != 0 || !valid_id(r.id.substr(ins.id.size() + 1)))) {
    f.sink().add(f.at("id"),
                 "must be '" + ins.id + "/' followed by lower-case letters, digits, '-' or '_'");
    r.id.clear();
  }
  r.name = f.str("name", true).value_or("");
  r.articles = f.strings("articles", true, [&](const std::string& a) -> std::string {
    return ins.article(a) ? "" : "names article '" + a + "', which " + ins.id + " does not list";
  });
  if (auto ch = f.str("channel", true)) {
    if (auto c = channel_from_name(*ch)) {
      r.channel = *c;
    } else {
      f.sink().add(f.at("channel"), "must be provider, 247_network or central_authority");
    }
  }
  r.rank =
      static_cast<int>(f.integer("rank", true, 1, 1000, "an integer from 1 to 1000").value_or(100));
  r.kinds = enum_list<Kind>(f, "kinds", true, kind_from_name,
                            "preservation, production, domain_registration");
  r.categories = enum_list<DataCategory>(
      f, "categories", true, data_category_from_name,
      "SubscriberData, UserIdentifyingData, TrafficData, StoredContentData");
  r.urgency = enum_list<Urgency>(f, "urgency", true, urgency_from_name, "normal, emergency");
  r.not_covered_reason = f.str("not_covered_reason", false).value_or("");
  read_scope(f, r);
  read_issuers(f, r);
  read_threshold(f, r);
  read_deadlines(f, r);
  read_preservation(f, r);
  read_clock(f, r);
  read_notification(f, r);
  r.required_fields = f.strings("required_fields", false, [](const std::string& v) -> std::string {
    const auto& names = request_field_names();
    return std::find(names.begin(), names.end(), v) != names.end()
               ? ""
               : "'" + v + "' is not a request field (see docs/law.md, \"Required fields\")";
  });
  r.forms = f.strings("forms", false, [](const std::string&) { return std::string(); });
  r.notes = f.strings("notes", false, [](const std::string&) { return std::string(); });
  Verification own = verification(f, "verification", true, Verification::kUnverified);
  auto cites = citations(f, own);
  f.finish();

  // Consistency between parts.
  bool preserves = std::count(r.kinds.begin(), r.kinds.end(), Kind::kPreservation) > 0;
  bool emergency = std::count(r.urgency.begin(), r.urgency.end(), Urgency::kEmergency) > 0;
  if (r.preservation && !preserves) {
    f.sink().add(f.at("preservation"), "is given but kinds does not include preservation");
  }
  if (r.deadlines.emergency && !emergency) {
    f.sink().add(f.at("deadlines.emergency"), "is given but urgency does not include emergency");
  }
  if (!r.issuers.emergency_issuers.empty() && !emergency) {
    f.sink().add(f.at("issuers.emergency_may_issue"),
                 "is given but urgency does not include emergency");
  }
  if ((r.scope.requesting_party || r.scope.provider_party) && ins.parties.empty()) {
    f.sink().add(f.at("scope"), "asks for Parties but " + ins.id + " names no party table");
  }
  if (r.scope.provider_place == ProviderPlace::kEuAddressee && ins.parties.empty()) {
    f.sink().add(f.at("scope.provider_place"), "eu_addressee needs the instrument's party table");
  }

  // The route's citations: its articles', then its own; its verification the
  // weakest of them, of the instrument and of its own tag.
  r.verification = weakest(own, ins.verification);
  for (const auto& a : r.articles) {
    if (const Article* art = ins.article(a)) {
      r.citations.push_back(art->citation);
      r.verification = weakest(r.verification, art->citation.verification);
    }
  }
  for (auto& c : cites) {
    r.verification = weakest(r.verification, c.verification);
    r.citations.push_back(std::move(c));
  }
}

void read_instrument(const toml::table& root, Sink& sink, const std::string& stem, LawBook& book) {
  Fields f(root, "", sink);
  Instrument ins;
  ins.id = f.str("id", true).value_or("");
  if (!ins.id.empty() && ins.id != stem) {
    sink.add("id", "must be '" + stem + "', the file's name");
  }
  ins.id = stem;
  ins.name = f.str("name", true).value_or("");
  ins.short_name = f.str("short_name", true).value_or("");
  ins.parties = f.str("parties", false).value_or("");
  ins.verification = verification(f, "verification", true, Verification::kUnverified);
  if (const toml::table* e = f.table("entry_into_force", false)) {
    Fields ef(*e, "entry_into_force", sink);
    EntryIntoForce& rule = ins.entry_into_force;
    rule.date = ef.date("date", false);
    rule.consents_needed = static_cast<int>(
        ef.integer("consents_needed", false, 1, 200, "an integer from 1 to 200").value_or(0));
    rule.months_after = static_cast<int>(
        ef.integer("months_after", false, 0, 24, "an integer from 0 to 24").value_or(0));
    rule.article = ef.str("article", false).value_or("");
    rule.applicable_from = ef.date("applicable_from", false);
    if (rule.date && rule.consents_needed > 0) {
      sink.add("entry_into_force", "give either date or consents_needed, not both");
    }
    if (!rule.date && rule.consents_needed == 0) {
      sink.add("entry_into_force", "needs date or consents_needed");
    }
    if (rule.consents_needed > 0 && ins.parties.empty()) {
      sink.add("entry_into_force.consents_needed", "needs a party table (parties) to count");
    }
    if (rule.date && rule.applicable_from && *rule.applicable_from < *rule.date) {
      sink.add("entry_into_force.applicable_from",
               "is before the date of entry into force " + format_date(*rule.date));
    }
    ef.finish();
  }
  auto arts = f.tables("article", true);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < arts.size(); ++i) {
    if (arts[i] == nullptr) continue;
    Fields af(*arts[i], "article[" + std::to_string(i) + "]", sink);
    Article a;
    a.id = af.str("id", true).value_or("");
    a.title = af.str("title", true).value_or("");
    a.citation.text = af.str("cite", true).value_or("");
    a.citation.url = af.str("url", false).value_or("");
    a.citation.verification = verification(af, "verification", true, Verification::kUnverified);
    af.finish();
    if (a.id.empty()) continue;
    if (!seen.insert(a.id).second) {
      sink.add(af.at("id"), "article '" + a.id + "' is listed twice");
      continue;
    }
    ins.articles.push_back(std::move(a));
  }
  ins.citations = citations(f, ins.verification);
  auto routes = f.tables("route", false);
  f.finish();
  for (std::size_t i = 0; i < routes.size(); ++i) {
    if (routes[i] == nullptr) continue;
    Fields rf(*routes[i], "route[" + std::to_string(i) + "]", sink);
    Route r;
    read_route(rf, r, ins);
    if (r.id.empty()) continue;
    if (book.route(r.id) != nullptr) {
      sink.add(rf.at("id"), "route '" + r.id + "' is defined twice");
      continue;
    }
    book.routes.push_back(std::move(r));
  }
  book.instruments.push_back(std::move(ins));
}

// --- party tables ---------------------------------------------------------

void read_party_table(const toml::table& root, Sink& sink, const std::string& stem, LawBook& book) {
  Fields f(root, "", sink);
  PartyTable t;
  t.id = f.str("id", true).value_or("");
  if (!t.id.empty() && t.id != stem) sink.add("id", "must be '" + stem + "', the file's name");
  t.id = stem;
  t.instrument = f.str("instrument", true).value_or("");
  t.title = f.str("title", true).value_or("");
  auto as_of = f.date("as_of", true);
  if (as_of) t.as_of = *as_of;
  t.source = f.str("source", true).value_or("");
  t.url = f.str("url", false).value_or("");
  t.verification = verification(f, "verification", true, Verification::kUnverified);
  t.not_listed_reason = f.str("not_listed_reason", false).value_or("");
  auto parties = f.tables("party", true);
  auto not_bound = f.tables("not_bound", false);
  f.finish();
  std::set<std::string> seen;
  for (std::size_t i = 0; i < parties.size(); ++i) {
    if (parties[i] == nullptr) continue;
    Fields pf(*parties[i], "party[" + std::to_string(i) + "]", sink);
    PartyEntry p;
    p.country = pf.str("country", true).value_or("");
    if (!p.country.empty()) {
      if (std::string why = check_country(p.country); !why.empty()) {
        sink.add(pf.at("country"), why);
        p.country.clear();
      } else if (!seen.insert(p.country).second) {
        sink.add(pf.at("country"), p.country + " is listed twice");
        p.country.clear();
      }
    }
    p.name = pf.str("name", true).value_or("");
    p.signed_on = pf.date("signed", false);
    p.consent = pf.date("consent", false);
    p.in_force_from = pf.date("in_force_from", false);
    if (auto status = pf.str("status", false)) {
      if (*status == "party") {
        p.status = PartyStatus::kParty;
      } else if (*status == "signatory") {
        p.status = PartyStatus::kSignatory;
      } else {
        sink.add(pf.at("status"), "must be party or signatory");
      }
    } else if (p.signed_on && !p.consent && !p.in_force_from) {
      p.status = PartyStatus::kSignatory;
    }
    if (p.status == PartyStatus::kSignatory && (p.consent || p.in_force_from)) {
      sink.add(pf.at("status"), "a signatory has no consent or in_force_from date");
    }
    if (p.signed_on && p.consent && *p.consent < *p.signed_on) {
      sink.add(pf.at("consent"), "is before the signature " + format_date(*p.signed_on));
    }
    if (p.consent && p.in_force_from && *p.in_force_from < *p.consent) {
      sink.add(pf.at("in_force_from"), "is before the consent " + format_date(*p.consent));
    }
    if (p.signed_on && p.in_force_from && *p.in_force_from < *p.signed_on) {
      sink.add(pf.at("in_force_from"), "is before the signature " + format_date(*p.signed_on));
    }
    if (as_of) {
      for (const auto& [key, d] :
           {std::pair{"signed", p.signed_on}, std::pair{"consent", p.consent}}) {
        if (d && *d > *as_of) {
          sink.add(pf.at(key), "is after the table's as_of date " + format_date(*as_of));
        }
      }
    }
    auto res = pf.tables("reservation", false);
    for (std::size_t j = 0; j < res.size(); ++j) {
      if (res[j] == nullptr) continue;
      Fields rf(*res[j], pf.at("reservation") + "[" + std::to_string(j) + "]", sink);
      Reservation r;
      r.article = rf.str("article", true).value_or("");
      r.reference = rf.str("reference", true).value_or("");
      r.text = rf.str("text", true).value_or("");
      rf.finish();
      p.reservations.push_back(std::move(r));
    }
    p.verification = verification(pf, "verification", false, t.verification);
    p.note = pf.str("note", false).value_or("");
    pf.finish();
    if (!p.country.empty()) t.parties.push_back(std::move(p));
  }
  for (std::size_t i = 0; i < not_bound.size(); ++i) {
    if (not_bound[i] == nullptr) continue;
    Fields nf(*not_bound[i], "not_bound[" + std::to_string(i) + "]", sink);
    NotBound n;
    n.country = nf.str("country", true).value_or("");
    if (std::string why = n.country.empty() ? "" : check_country(n.country); !why.empty()) {
      sink.add(nf.at("country"), why);
    } else if (!n.country.empty() && !seen.insert(n.country).second) {
      sink.add(nf.at("country"), n.country + " is listed twice");
    }
    n.name = nf.str("name", true).value_or("");
    n.reason = nf.str("reason", true).value_or("");
    nf.finish();
    t.not_bound.push_back(std::move(n));
  }
  book.party_tables.push_back(std::move(t));
}

// --- references between files ---------------------------------------------

// Files that could not be read at all are not blamed twice: nothing is
// reported for a reference to one of them.
void check_references(LawBook& book, std::vector<Problem>& problems,
                      const std::map<std::string, std::string>& file_of_table,
                      const std::map<std::string, std::string>& file_of_instrument,
                      const std::set<std::string>& unreadable) {
  for (const auto& ins : book.instruments) {
    const std::string& file = file_of_instrument.at(ins.id);
    if (ins.parties.empty() || unreadable.count("parties/" + ins.parties + ".toml")) continue;
    const PartyTable* t = book.party_table(ins.parties);
    if (t == nullptr) {
      problems.push_back({file, "parties",
                          "names party table '" + ins.parties + "', but there is no parties/" +
                              ins.parties + ".toml"});
    } else if (t->instrument != ins.id) {
      problems.push_back({file, "parties",
                          "parties/" + ins.parties + ".toml belongs to '" + t->instrument +
                              "', not '" + ins.id + "'"});
    }
  }
  for (const auto& t : book.party_tables) {
    const std::string& file = file_of_table.at(t.id);
    const Instrument* ins = book.instrument(t.instrument);
    if (ins == nullptr) {
      if (!t.instrument.empty() && !unreadable.count("instruments/" + t.instrument + ".toml")) {
        problems.push_back({file, "instrument",
                            "names instrument '" + t.instrument +
                                "', but there is no instruments/" + t.instrument + ".toml"});
      }
      continue;
    }
    if (ins->parties != t.id) {
      problems.push_back({file, "instrument",
                          "instruments/" + ins->id + ".toml does not name this table in parties"});
    }
    for (std::size_t i = 0; i < t.parties.size(); ++i) {
      const PartyEntry& p = t.parties[i];
      std::string at = "party[" + p.country + "]";
      for (std::size_t j = 0; j < p.reservations.size(); ++j) {
        const auto& r = p.reservations[j];
        if (!r.article.empty() && ins->article(r.article) == nullptr) {
          problems.push_back(
              {file, at + ".reservation[" + std::to_string(j) + "].article",
               "names article '" + r.article + "', which " + ins->id + " does not list"});
        }
      }
      const auto& rule = ins->entry_into_force;
      if (p.in_force_from && rule.date && *p.in_force_from < *rule.date) {
        problems.push_back(
            {file, at + ".in_force_from",
             "is before the instrument's entry into force " + format_date(*rule.date)});
      }
    }
  }
}

}  // namespace

std::string Problem::line() const {
  std::string out = file;
  if (!path.empty()) out += ": " + path;
  return out + ": " + reason;
}

LawBook parse_law_collecting(const std::vector<LawFile>& files, std::vector<Problem>& problems) {
  LawBook book;
  std::map<std::string, std::string> file_of_table, file_of_instrument;
  std::set<std::string> unreadable;
  for (const auto& file : files) {
    Sink sink(file.name, problems);
    bool instrument = file.name.rfind("instruments/", 0) == 0;
    bool parties = file.name.rfind("parties/", 0) == 0;
    std::string dir = instrument ? "instruments" : "parties";
    auto ends_toml =
        file.name.size() > 5 && file.name.compare(file.name.size() - 5, 5, ".toml") == 0;
    if ((!instrument && !parties) || !ends_toml ||
        file.name.find('/', dir.size() + 1) != std::string::npos) {
      sink.add("", "is neither instruments/<id>.toml nor parties/<id>.toml");
      continue;
    }
    std::string stem = stem_of(file.name, dir);
    if (!valid_id(stem)) {
      sink.add("", "the file's name must be lower-case letters, digits, '-' or '_'");
      continue;
    }
    auto& seen = instrument ? file_of_instrument : file_of_table;
    if (seen.count(stem)) {
      sink.add("", "is given twice");
      continue;
    }
    if (std::size_t line = unsafe_non_ascii_line(file.text); line != 0) {
      sink.add("line " + std::to_string(line),
               "characters outside ASCII are allowed only in strings and comments");
      unreadable.insert(file.name);
      continue;
    }
    toml::table root;
    try {
      root = toml::parse(file.text, file.name);
    } catch (const toml::parse_error& e) {
      sink.add("line " + std::to_string(e.source().begin.line), std::string(e.description()));
      unreadable.insert(file.name);
      continue;
    }
    seen[stem] = file.name;
    if (instrument) {
      read_instrument(root, sink, stem, book);
    } else {
      read_party_table(root, sink, stem, book);
    }
  }
  check_references(book, problems, file_of_table, file_of_instrument, unreadable);
  std::stable_sort(book.routes.begin(), book.routes.end(), [](const Route& a, const Route& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.id < b.id;
  });
  return book;
}

Result<LawBook> parse_law(const std::vector<LawFile>& files) {
  std::vector<Problem> problems;
  LawBook book = parse_law_collecting(files, problems);
  if (problems.empty()) return book;
  Error e = Error::make(ErrorCode::kInvalidArgument, problems.front().line());
  if (problems.size() > 1) {
    e.message += " (and " + std::to_string(problems.size() - 1) + " more)";
  }
  for (const auto& p : problems) {
    e.issues.push_back({p.path.empty() ? p.file : p.file + ": " + p.path, p.reason});
  }
  return e;
}

}  // namespace liaison::law
