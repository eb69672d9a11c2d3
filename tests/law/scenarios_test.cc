// The scenario table (tests/law/scenarios.toml): each row a situation run
// through the advisor, and optionally a request run through the validator,
// against the rules shipped in data/law/. Each row is its own test, named
// after its position and title.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include "law/advisor.h"
#include "law/loader.h"
#include "law/validator.h"

namespace liaison::law {
namespace {

struct Row {
  std::string name;
  toml::table t;
};

const std::vector<Row>& rows() {
  static const std::vector<Row> kRows = [] {
    std::vector<Row> out;
    toml::table root = toml::parse_file(LIAISON_SOURCE_DIR "/tests/law/scenarios.toml");
    for (auto& node : *root["scenario"].as_array()) {
      const toml::table& t = *node.as_table();
      out.push_back({t["name"].value_or(std::string("?")), t});
    }
    return out;
  }();
  return kRows;
}

const LawBook& shipped() {
  static const LawBook kBook = [] {
    auto b = load_law(LIAISON_SOURCE_DIR "/data/law");
    if (!b.ok()) throw std::runtime_error(b.error().message);
    return std::move(b).value();
  }();
  return kBook;
}

Date date_from(const toml::node_view<const toml::node>& n) {
  toml::date d = n.as_date()->get();
  return Date{d.year, d.month, d.day};
}

std::vector<std::string> strings(const toml::node_view<const toml::node>& n) {
  std::vector<std::string> out;
  if (const toml::array* a = n.as_array()) {
    for (const auto& e : *a) out.push_back(e.value_or(std::string()));
  } else if (n.is_string()) {
    out.push_back(n.value_or(std::string()));
  }
  return out;
}

std::vector<DataCategory> categories(const toml::node_view<const toml::node>& n) {
  std::vector<DataCategory> out;
  for (const auto& s : strings(n)) {
    auto c = data_category_from_name(s);
    if (!c) throw std::runtime_error("unknown category " + s);
    out.push_back(*c);
  }
  return out;
}

std::string deadline_text(const std::optional<Period>& p) { return p ? period_text(*p) : "none"; }

std::string preservation_text(const std::optional<PreservationRule>& p) {
  if (!p || !p->period) return "none";
  std::string out = (p->period_is_minimum ? "at least " : "") + period_text(*p->period);
  if (p->extension) out += " + " + period_text(*p->extension);
  if (p->max_extensions) out += " (at most " + std::to_string(*p->max_extensions) + ")";
  return out;
}

// A test-only party table override: consents added to the shipped SAP table,
// never written to data/law/.
void ratify(LawBook& book, const toml::table& consents) {
  PartyTable* sap = nullptr;
  for (auto& t : book.party_tables) {
    if (t.id == "sap") sap = &t;
  }
  ASSERT_NE(sap, nullptr);
  for (auto&& [k, v] : consents) {
    std::string country(k.str());
    toml::date d = v.as_date()->get();
    Date when{d.year, d.month, d.day};
    bool found = false;
    for (auto& p : sap->parties) {
      if (p.country == country) {
        p.status = PartyStatus::kParty;
        p.consent = when;
        found = true;
      }
    }
    if (!found) {
      PartyEntry p;
      p.country = country;
      p.name = country;
      p.consent = when;
      sap->parties.push_back(p);
    }
  }
}

template <typename T>
const T* find_route(const std::vector<T>& v, const std::string& id) {
  for (const auto& x : v) {
    std::string xid;
    if constexpr (std::is_same_v<T, AvailableRoute>) {
      xid = x.route.id;
    } else {
      xid = x.id;
    }
    if (xid == id) return &x;
  }
  return nullptr;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += "\n    " + s;
  return out;
}

class Scenario : public ::testing::TestWithParam<std::size_t> {};

TEST_P(Scenario, AdvisesAndValidates) {
  const Row& row = rows()[GetParam()];
  const toml::table& t = row.t;
  SCOPED_TRACE(row.name);
  LawBook book = shipped();
  if (const toml::table* r = t["ratify"].as_table()) ratify(book, *r);

  Situation s;
  s.requesting_country = t["from"].value_or(std::string());
  s.authority = *authority_type_from_name(t["authority"].value_or(std::string("police")));
  s.provider.establishment = t["provider"].value_or(std::string());
  if (auto v = t["legal_representative"].value<std::string>())
    s.provider.eu_legal_representative = *v;
  if (auto v = t["accepts_foreign_non_content"].value<bool>())
    s.provider.accepts_foreign_non_content = *v;
  if (auto v = t["accepts_foreign_emergency"].value<bool>())
    s.provider.accepts_foreign_emergency = *v;
  if (auto v = t["offers_services"].value<bool>())
    s.provider.offers_services_in_requesting_country = *v;
  s.categories = categories(t["categories"]);
  s.kind = *kind_from_name(t["kind"].value_or(std::string("production")));
  s.urgency = *urgency_from_name(t["urgency"].value_or(std::string("normal")));
  s.offence = *offence_category_from_name(t["offence"].value_or(std::string("other")));
  if (auto v = t["max_penalty_months"].value<std::int64_t>()) s.max_penalty_months = *v;
  s.date = date_from(t["date"]);

  Advice advice = advise(book, s);

  std::vector<std::string> got;
  for (const auto& a : advice.available) got.push_back(a.route.id);
  std::string why_not;
  for (const auto& u : advice.unavailable) why_not += "\n  " + u.id + ":" + joined(u.reasons);
  EXPECT_EQ(got, strings(t["available"])) << "unavailable:" << why_not;

  if (auto d = t["deadline"].value<std::string>()) {
    ASSERT_FALSE(advice.available.empty());
    EXPECT_EQ(deadline_text(advice.available[0].deadline), *d);
  }
  if (auto d = t["emergency_deadline"].value<std::string>()) {
    ASSERT_FALSE(advice.available.empty());
    EXPECT_EQ(deadline_text(advice.available[0].route.deadlines.emergency), *d);
  }
  if (auto p = t["preservation"].value<std::string>()) {
    ASSERT_FALSE(advice.available.empty());
    EXPECT_EQ(preservation_text(advice.available[0].route.preservation), *p);
  } else if (const toml::table* pt = t["preservation"].as_table()) {
    for (auto&& [k, v] : *pt) {
      const AvailableRoute* a = find_route(advice.available, std::string(k.str()));
      ASSERT_NE(a, nullptr) << k.str();
      EXPECT_EQ(preservation_text(a->route.preservation), v.value_or(std::string()));
    }
  }
  if (const toml::table* u = t["unavailable"].as_table()) {
    for (auto&& [k, v] : *u) {
      std::string id(k.str());
      const UnavailableRoute* r = find_route(advice.unavailable, id);
      ASSERT_NE(r, nullptr) << id << " is available";
      for (const auto& want : strings(toml::node_view<const toml::node>(&v))) {
        EXPECT_THAT(r->reasons, ::testing::Contains(::testing::HasSubstr(want))) << id;
      }
    }
  }
  if (const toml::table* n = t["notes"].as_table()) {
    for (auto&& [k, v] : *n) {
      std::string id(k.str());
      const AvailableRoute* a = find_route(advice.available, id);
      ASSERT_NE(a, nullptr) << id << " is not available";
      for (const auto& want : strings(toml::node_view<const toml::node>(&v))) {
        EXPECT_THAT(a->notes, ::testing::Contains(::testing::HasSubstr(want))) << id;
      }
    }
  }
  if (const toml::table* vt = t["verification"].as_table()) {
    for (auto&& [k, v] : *vt) {
      std::string id(k.str());
      std::string want = v.value_or(std::string());
      if (const AvailableRoute* a = find_route(advice.available, id)) {
        EXPECT_EQ(verification_name(a->verification), want) << id;
      } else if (const UnavailableRoute* r = find_route(advice.unavailable, id)) {
        EXPECT_EQ(verification_name(r->verification), want) << id;
      } else {
        ADD_FAILURE() << "no route " << id;
      }
    }
  }

  const toml::table* vt = t["validate"].as_table();
  if (vt == nullptr) return;
  const toml::table& v = *vt;
  std::string route_id = v["route"].value_or(got.empty() ? std::string() : got[0]);
  const Route* route = book.route(route_id);
  ASSERT_NE(route, nullptr) << route_id;
  RequestFacts f;
  f.issuer = *authority_type_from_name(
      v["issuer"].value_or(std::string(authority_type_name(s.authority))));
  f.kind = s.kind;
  f.urgency = s.urgency;
  f.categories = v["categories"] ? categories(v["categories"]) : s.categories;
  f.offence =
      v["offence"] ? *offence_category_from_name(v["offence"].value_or(std::string())) : s.offence;
  f.max_penalty_months = s.max_penalty_months;
  if (auto p = v["max_penalty_months"].value<std::int64_t>()) f.max_penalty_months = *p;
  if (auto j = v["emergency_justification"].value<std::string>()) f.emergency_justification = *j;
  for (const auto& name : strings(v["filled"])) f.filled.insert(name);
  if (const toml::array* targets = v["targets"].as_array()) {
    for (std::size_t i = 0; i < targets->size(); ++i) {
      const toml::table& tt = *targets->get(i)->as_table();
      IdentifierInput in;
      in.kind = tt["kind"].value_or(std::string());
      in.value = tt["value"].value_or(std::string());
      if (auto port = tt["port"].value<std::int64_t>()) in.port = *port;
      if (auto at = tt["observed_at"].value<std::string>()) in.observed_at = *at;
      std::vector<Warning> ignored;
      auto id = parse_identifier(in, "targets/" + std::to_string(i), ignored);
      ASSERT_TRUE(id.ok()) << id.error().message;
      f.targets.push_back(*id);
    }
  }
  Validation result = validate(*route, f);
  auto lines = [](const std::vector<Finding>& fs) {
    std::vector<std::string> out;
    out.reserve(fs.size());
    for (const auto& x : fs) out.push_back(x.field + ": " + x.message);
    return out;
  };
  std::vector<std::string> errors = lines(result.errors), warnings = lines(result.warnings);
  auto want_errors = strings(v["errors"]);
  EXPECT_EQ(errors.size(), want_errors.size()) << "errors:" << joined(errors);
  for (const auto& want : want_errors) {
    EXPECT_THAT(errors, ::testing::Contains(::testing::HasSubstr(want)));
  }
  for (const auto& want : strings(v["warnings"])) {
    EXPECT_THAT(warnings, ::testing::Contains(::testing::HasSubstr(want)))
        << "warnings:" << joined(warnings);
  }
  if (v["cosign"]) {
    std::vector<std::string> types;
    for (auto a : result.required_cosignatures.validator_types) {
      types.push_back(authority_type_name(a));
    }
    EXPECT_EQ(types, strings(v["cosign"]));
    EXPECT_EQ(result.required_cosignatures.validators, types.empty() ? 0 : 1);
  }
  if (auto fu = v["follow_up"].value<std::string>()) {
    EXPECT_EQ(deadline_text(result.validation_follow_up), *fu);
  }
}

std::string row_name(const ::testing::TestParamInfo<std::size_t>& info) {
  std::string out = std::to_string(info.param + 1) + "_";
  for (char c : rows()[info.param].name) {
    out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  }
  return out.substr(0, 80);
}

INSTANTIATE_TEST_SUITE_P(Table, Scenario, ::testing::Range<std::size_t>(0, rows().size()),
                         row_name);

TEST(ScenarioTable, HasAtLeastFortyFiveRows) { EXPECT_GE(rows().size(), 45u); }

}  // namespace
}  // namespace liaison::law
