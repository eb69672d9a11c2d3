#include "core/request_json.h"

#include <algorithm>
#include <set>

#include "core/uuid.h"

namespace liaison {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxTargets = 1000;
constexpr std::size_t kMaxText = 4000;

// Collects every problem in a body rather than stopping at the first, so a
// person fixing a form sees all of them at once.
class Checker {
 public:
  std::vector<FieldIssue> issues;

  void fail(std::string field, std::string reason) {
    issues.push_back({std::move(field), std::move(reason)});
  }

  void only_fields(const json& obj, const std::string& path,
                   std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, _] : obj.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        fail(path + key, "unknown field");
      }
    }
  }

  const json* member(const json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    return &*it;
  }

  std::optional<std::string> string(const json& obj, const char* key, const std::string& path,
                                    bool required, std::size_t max_len = kMaxText) {
    const json* v = member(obj, key);
    if (v == nullptr) {
      if (required) fail(path + key, "is required");
      return std::nullopt;
    }
    if (!v->is_string()) {
      fail(path + key, std::string("must be a string, not ") + v->type_name());
      return std::nullopt;
    }
    auto s = v->get<std::string>();
    if (required && s.empty()) {
      fail(path + key, "must not be empty");
      return std::nullopt;
    }
    if (s.size() > max_len) {
      fail(path + key, "is longer than " + std::to_string(max_len) + " characters");
      return std::nullopt;
    }
    return s;
  }

  std::optional<std::int64_t> integer(const json& obj, const char* key, const std::string& path) {
    const json* v = member(obj, key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number_integer()) {
      fail(path + key, std::string("must be an integer, not ") + v->type_name());
      return std::nullopt;
    }
    return v->get<std::int64_t>();
  }

  std::optional<std::string> timestamp(const json& obj, const char* key, const std::string& path,
                                       bool required) {
    auto s = string(obj, key, path, required, 64);
    if (!s) return std::nullopt;
    auto t = parse_rfc3339(*s, path + key);
    if (!t.ok()) {
      issues.insert(issues.end(), t.error().issues.begin(), t.error().issues.end());
      return std::nullopt;
    }
    return format_rfc3339(t.value().floor_seconds());
  }
};

}  // namespace

namespace {
// The field of a syntax error is "", the JSON Pointer of the whole body.
Error malformed(std::string reason) {
  Error e = Error::invalid("", std::move(reason));
  e.code = ErrorCode::kMalformed;
  return e;
}
}  // namespace

Result<json> parse_json_text(std::string_view text) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    return malformed("malformed JSON at byte " + std::to_string(e.byte));
  } catch (const json::out_of_range&) {
    // Thrown for numbers beyond a double ("1e400"); it carries no offset.
    return malformed("malformed JSON: number out of range");
  }
}

Result<DecodedDraft> decode_request_draft(const json& body, Timestamp now) {
  Checker c;
  DecodedDraft out;
  RequestDraft& d = out.draft;
  if (!body.is_object()) return Error::invalid("", "the request body must be a JSON object");
  c.only_fields(
      body, "",
      {"kind", "categories", "targets", "period", "legal_basis", "case_type", "offence_description",
       "max_penalty_months", "non_disclosure_until", "emergency_justification", "deadline",
       "provider_id", "issuer_reference", "route", "offence_category"});

  if (auto k = c.string(body, "kind", "", true, 64)) {
    if (auto kind = request_kind_from_name(*k)) {
      d.kind = *kind;
    } else {
      c.fail("kind",
             "must be one of preservation, production, emergency_disclosure, domain_registration");
    }
  }

  if (const json* cats = c.member(body, "categories")) {
    if (!cats->is_array() || cats->empty()) {
      c.fail("categories",
             "must be a non-empty array of SubscriberData, UserIdentifyingData, "
             "TrafficData, StoredContentData");
    } else {
      for (std::size_t i = 0; i < cats->size(); ++i) {
        const auto& v = (*cats)[i];
        auto path = "categories/" + std::to_string(i);
        auto cat = v.is_string() ? data_category_from_name(v.get<std::string>()) : std::nullopt;
        if (!cat) {
          c.fail(
              path,
              "must be one of SubscriberData, UserIdentifyingData, TrafficData, StoredContentData");
        } else if (std::find(d.categories.begin(), d.categories.end(), *cat) !=
                   d.categories.end()) {
          c.fail(path, "is listed twice");
        } else {
          d.categories.push_back(*cat);
        }
      }
    }
  } else {
    c.fail("categories", "is required");
  }

  if (const json* targets = c.member(body, "targets")) {
    if (!targets->is_array() || targets->empty()) {
      c.fail("targets", "must be a non-empty array of identifiers");
    } else if (targets->size() > kMaxTargets) {
      c.fail("targets", "at most " + std::to_string(kMaxTargets) + " targets per request");
    } else {
      for (std::size_t i = 0; i < targets->size(); ++i) {
        const auto& t = (*targets)[i];
        std::string path = "targets/" + std::to_string(i) + "/";
        if (!t.is_object()) {
          c.fail("targets/" + std::to_string(i), "must be an object with kind and value");
          continue;
        }
        std::size_t before = c.issues.size();
        c.only_fields(t, path, {"kind", "value", "port", "observed_at", "network"});
        IdentifierInput in;
        in.kind = c.string(t, "kind", path, true, 64).value_or("");
        in.value = c.string(t, "value", path, true, 1024).value_or("");
        in.port = c.integer(t, "port", path);
        in.observed_at = c.string(t, "observed_at", path, false, 64);
        in.network = c.string(t, "network", path, false, 64);
        if (c.issues.size() != before) continue;
        auto id = parse_identifier(in, "targets/" + std::to_string(i), out.warnings);
        if (!id.ok()) {
          for (const auto& issue : id.error().issues) c.fail(issue.field, issue.reason);
          continue;
        }
        if (std::find(d.targets.begin(), d.targets.end(), id.value()) != d.targets.end()) {
          c.fail("targets/" + std::to_string(i), "duplicates an earlier target");
          continue;
        }
        d.targets.push_back(std::move(id.value()));
      }
    }
  } else {
    c.fail("targets", "is required");
  }

  if (const json* period = c.member(body, "period")) {
    if (!period->is_object()) {
      c.fail("period", "must be an object with start and end");
    } else {
      c.only_fields(*period, "period/", {"start", "end"});
      auto start = c.timestamp(*period, "start", "period/", true);
      auto end = c.timestamp(*period, "end", "period/", true);
      if (start && end) {
        // Compare instants: the canonical text sorts "10:00:00.5Z" before "10:00:00Z".
        if (parse_rfc3339(*start, "").value() >= parse_rfc3339(*end, "").value()) {
          c.fail("period/end", "must be after period/start");
        }
        d.period = Period{*start, *end};
      }
    }
  }

  if (const json* lb = c.member(body, "legal_basis")) {
    if (!lb->is_object()) {
      c.fail("legal_basis", "must be an object with instrument, article and domestic_reference");
    } else {
      c.only_fields(*lb, "legal_basis/", {"instrument", "article", "domestic_reference"});
      d.legal_basis.instrument =
          c.string(*lb, "instrument", "legal_basis/", true, 200).value_or("");
      d.legal_basis.article = c.string(*lb, "article", "legal_basis/", true, 200).value_or("");
      d.legal_basis.domestic_reference =
          c.string(*lb, "domestic_reference", "legal_basis/", false, 400).value_or("");
    }
  } else {
    c.fail("legal_basis", "is required: name the instrument and article the request relies on");
  }

  if (auto ct = c.string(body, "case_type", "", false, 64)) {
    if (is_etsi_case_type(*ct)) {
      d.case_type = *ct;
    } else {
      c.fail("case_type",
             "must be an ETSI AuthorisationTypeOfCase value such as Cybercrime or "
             "OtherFinancialCrimeOrFraud");
    }
  }
  d.offence_description = c.string(body, "offence_description", "", true).value_or("");
  if (auto p = c.integer(body, "max_penalty_months", "")) {
    if (*p < 0 || *p > 1200) {
      c.fail("max_penalty_months", "must be between 0 and 1200 months");
    } else {
      d.max_penalty_months = *p;
    }
  }
  d.non_disclosure_until = c.timestamp(body, "non_disclosure_until", "", false);
  d.emergency_justification = c.string(body, "emergency_justification", "", false);
  if (auto deadline = c.timestamp(body, "deadline", "", false)) {
    auto t = parse_rfc3339(*deadline, "deadline");
    if (t.ok() && t.value() <= now) {
      c.fail("deadline", "is in the past");
    } else {
      d.deadline = deadline;
    }
  }
  if (auto provider = c.string(body, "provider_id", "", true, 64)) {
    auto id = parse_uuid(*provider, "provider_id");
    if (id.ok()) {
      d.provider_org_id = id.value();
    } else {
      c.fail("provider_id", id.error().message);
    }
  }
  d.issuer_reference = c.string(body, "issuer_reference", "", false, 128).value_or("");
  d.route = c.string(body, "route", "", false, 128).value_or("");
  d.offence_category = c.string(body, "offence_category", "", false, 64).value_or("other");

  // Rules that span fields.
  if (c.issues.empty()) {
    if (d.kind == RequestKind::kEmergencyDisclosure &&
        (!d.emergency_justification || d.emergency_justification->empty())) {
      c.fail(
          "emergency_justification",
          "is required for an emergency disclosure: state the threat to life or physical safety");
    }
    if (d.kind != RequestKind::kEmergencyDisclosure && d.emergency_justification) {
      c.fail("emergency_justification", "applies only to emergency_disclosure requests");
    }
    if (d.kind == RequestKind::kDomainRegistration) {
      for (std::size_t i = 0; i < d.targets.size(); ++i) {
        if (d.targets[i].kind != IdentifierKind::kDomain) {
          c.fail("targets/" + std::to_string(i) + "/kind",
                 "a domain_registration request names domains only");
        }
      }
      if (d.categories != std::vector<DataCategory>{DataCategory::kSubscriberData}) {
        c.fail("categories", "a domain_registration request asks for SubscriberData only");
      }
    }
    bool wants_traffic_or_content =
        std::any_of(d.categories.begin(), d.categories.end(), [](DataCategory cat) {
          return cat == DataCategory::kTrafficData || cat == DataCategory::kStoredContentData;
        });
    if (wants_traffic_or_content && !d.period) {
      out.warnings.push_back({"period",
                              "no period given for traffic or content data: providers "
                              "commonly refuse requests without a time range as overbroad"});
    }
  }

  if (!c.issues.empty()) {
    Error e =
        Error::make(ErrorCode::kInvalidArgument,
                    c.issues.size() == 1 ? c.issues[0].field + ": " + c.issues[0].reason
                                         : std::to_string(c.issues.size()) + " fields are invalid");
    e.issues = std::move(c.issues);
    return e;
  }
  return out;
}

json encode_identifier(const Identifier& id) {
  json j = {{"kind", identifier_kind_name(id.kind)}, {"value", id.value}};
  if (id.port) j["port"] = *id.port;
  if (id.observed_at) j["observed_at"] = *id.observed_at;
  if (id.network) j["network"] = *id.network;
  return j;
}

json encode_draft(const RequestDraft& d) {
  json j;
  j["kind"] = request_kind_name(d.kind);
  j["categories"] = json::array();
  for (auto cat : d.categories) j["categories"].push_back(data_category_name(cat));
  j["targets"] = json::array();
  for (const auto& t : d.targets) j["targets"].push_back(encode_identifier(t));
  j["period"] = d.period ? json{{"start", d.period->start}, {"end", d.period->end}} : json(nullptr);
  j["legal_basis"] = {{"instrument", d.legal_basis.instrument},
                      {"article", d.legal_basis.article},
                      {"domestic_reference", d.legal_basis.domestic_reference}};
  j["case_type"] = d.case_type;
  j["offence_description"] = d.offence_description;
  j["max_penalty_months"] = d.max_penalty_months ? json(*d.max_penalty_months) : json(nullptr);
  j["non_disclosure_until"] =
      d.non_disclosure_until ? json(*d.non_disclosure_until) : json(nullptr);
  j["emergency_justification"] =
      d.emergency_justification ? json(*d.emergency_justification) : json(nullptr);
  j["deadline"] = d.deadline ? json(*d.deadline) : json(nullptr);
  j["provider_id"] = d.provider_org_id;
  j["issuer_reference"] = d.issuer_reference;
  j["route"] = d.route.empty() ? json(nullptr) : json(d.route);
  j["offence_category"] = d.offence_category;
  return j;
}

json encode_warnings(const std::vector<Warning>& w) {
  json a = json::array();
  for (const auto& x : w) a.push_back({{"field", x.field}, {"message", x.message}});
  return a;
}

std::vector<Warning> decode_warnings(const json& j) {
  std::vector<Warning> out;
  if (!j.is_array()) return out;
  for (const auto& x : j) out.push_back({x.value("field", ""), x.value("message", "")});
  return out;
}

Identifier decode_stored_identifier(const json& t) {
  Identifier id;
  id.kind = identifier_kind_from_name(t.at("kind").get<std::string>()).value();
  id.value = t.at("value").get<std::string>();
  if (t.contains("port")) id.port = t["port"].get<std::uint16_t>();
  if (t.contains("observed_at")) id.observed_at = t["observed_at"].get<std::string>();
  if (t.contains("network")) id.network = t["network"].get<std::string>();
  return id;
}

Result<RequestDraft> decode_stored_draft(const json& j) {
  try {
    RequestDraft d;
    d.kind = request_kind_from_name(j.at("kind").get<std::string>()).value();
    for (const auto& c : j.at("categories"))
      d.categories.push_back(data_category_from_name(c.get<std::string>()).value());
    for (const auto& t : j.at("targets")) d.targets.push_back(decode_stored_identifier(t));
    if (!j.at("period").is_null())
      d.period = Period{j["period"].at("start"), j["period"].at("end")};
    d.legal_basis = {j.at("legal_basis").at("instrument"), j["legal_basis"].at("article"),
                     j["legal_basis"].at("domestic_reference")};
    d.case_type = j.at("case_type");
    d.offence_description = j.at("offence_description");
    if (!j.at("max_penalty_months").is_null())
      d.max_penalty_months = j["max_penalty_months"].get<std::int64_t>();
    if (!j.at("non_disclosure_until").is_null())
      d.non_disclosure_until = j["non_disclosure_until"].get<std::string>();
    if (!j.at("emergency_justification").is_null())
      d.emergency_justification = j["emergency_justification"].get<std::string>();
    if (!j.at("deadline").is_null()) d.deadline = j["deadline"].get<std::string>();
    d.provider_org_id = j.at("provider_id");
    d.issuer_reference = j.at("issuer_reference");
    // Drafts stored before routes were recorded have neither.
    if (auto it = j.find("route"); it != j.end() && it->is_string()) d.route = *it;
    if (auto it = j.find("offence_category"); it != j.end() && it->is_string())
      d.offence_category = *it;
    return d;
  } catch (const std::exception& e) {
    return Error::internal(std::string("stored request is corrupt: ") + e.what());
  }
}

}  // namespace liaison
