#include <algorithm>
#include <array>

#include "core/organisation.h"
#include "core/request_json.h"
#include "core/time.h"
#include "core/uuid.h"
#include "directory/entry.h"
#include "directory/time_zone.h"

namespace liaison::directory {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxNotes = 4000;
constexpr std::size_t kMaxUrl = 2048;
constexpr std::size_t kMaxEmail = 254;
constexpr std::int64_t kMaxDays = 3650;
constexpr std::int64_t kMaxHours = 720;

// Directive (EU) 2023/1544 Art. 3: a legal representative sits in a member state.
constexpr std::array<std::string_view, 27> kEuMemberStates = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"};

// ISO 639-1, the two-letter language codes.
constexpr std::array<std::string_view, 183> kLanguages = {
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi",
    "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de",
    "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy",
    "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia",
    "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk",
    "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo",
    "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd",
    "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl",
    "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl",
    "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk",
    "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa",
    "wo", "xh", "yi", "yo", "za", "zh", "zu"};

const char* kCategoryNames =
    "SubscriberData, UserIdentifyingData, TrafficData or StoredContentData";

// Collects every problem in an entry rather than stopping at the first, so
// whoever edits a file or a form sees all of them at once.
class Checker {
 public:
  std::vector<FieldIssue> issues;

  void fail(std::string field, std::string reason) {
    issues.push_back({std::move(field), std::move(reason)});
  }
  void take(const Status& s) {
    if (!s.ok()) issues.insert(issues.end(), s.error().issues.begin(), s.error().issues.end());
  }

  // The member as an object, or nullptr (with an issue when it is required or mistyped).
  const json* object(const json& obj, const char* key, const std::string& path, bool required,
                     std::initializer_list<std::string_view> allowed) {
    const json* v = member(obj, key);
    if (v == nullptr) {
      if (required) fail(path + key, "is required");
      return nullptr;
    }
    if (!v->is_object()) {
      fail(path + key, std::string("must be a table of fields, not ") + type_of(*v));
      return nullptr;
    }
    only_fields(*v, path + key + "/", allowed);
    return v;
  }

  void only_fields(const json& obj, const std::string& path,
                   std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, _] : obj.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        fail(path + key, "unknown field");
      }
    }
  }

  static const json* member(const json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    return &*it;
  }

  std::optional<std::string> string(const json& obj, const char* key, const std::string& path,
                                    bool required, std::size_t max_len) {
    const json* v = member(obj, key);
    if (v == nullptr) {
      if (required) fail(path + key, "is required");
      return std::nullopt;
    }
    if (!v->is_string()) {
      fail(path + key, std::string("must be a string, not ") + type_of(*v));
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

  // Free text that may be left out: empty when it is.
  std::string notes(const json& obj, const char* key, const std::string& path) {
    return string(obj, key, path, false, kMaxNotes).value_or("");
  }

  std::optional<bool> boolean(const json& obj, const char* key, const std::string& path,
                              bool required) {
    const json* v = member(obj, key);
    if (v == nullptr) {
      if (required) fail(path + key, "is required (true or false)");
      return std::nullopt;
    }
    if (!v->is_boolean()) {
      fail(path + key, std::string("must be true or false, not ") + type_of(*v));
      return std::nullopt;
    }
    return v->get<bool>();
  }

  std::optional<std::int64_t> integer(const json& obj, const char* key, const std::string& path,
                                      bool required, std::int64_t min, std::int64_t max) {
    const json* v = member(obj, key);
    if (v == nullptr) {
      if (required) fail(path + key, "is required");
      return std::nullopt;
    }
    if (!v->is_number_integer()) {
      fail(path + key, std::string("must be a whole number, not ") + type_of(*v));
      return std::nullopt;
    }
    // Integers above INT64_MAX arrive unsigned and would wrap.
    bool too_big =
        v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX);
    auto n = v->get<std::int64_t>();
    if (too_big || n < min || n > max) {
      fail(path + key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
      return std::nullopt;
    }
    return n;
  }

  // An array member; nullptr with an issue when it is missing or not an array.
  const json* array(const json& obj, const char* key, const std::string& path, bool required) {
    const json* v = member(obj, key);
    if (v == nullptr) {
      if (required) fail(path + key, "is required");
      return nullptr;
    }
    if (!v->is_array()) {
      fail(path + key, std::string("must be a list, not ") + type_of(*v));
      return nullptr;
    }
    return v;
  }

  static std::string type_of(const json& v) {
    if (v.is_number_integer()) return "an integer";
    if (v.is_number_float()) return "a number with a fraction";
    if (v.is_string()) return "a string";
    if (v.is_boolean()) return "a boolean";
    if (v.is_array()) return "a list";
    if (v.is_object()) return "a table";
    return v.type_name();
  }
};

bool valid_email(std::string_view s) {
  auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size()) return false;
  if (s.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view domain = s.substr(at + 1);
  if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.') {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f &&
           c != '<' && c != '>' && c != ',' && c != ';' && c != '"';
  });
}

// https://host[:port][/path...], visible ASCII only.
bool valid_https_url(std::string_view s) {
  constexpr std::string_view kScheme = "https://";
  if (s.substr(0, kScheme.size()) != kScheme) return false;
  std::string_view rest = s.substr(kScheme.size());
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty() || host.find('@') != std::string_view::npos) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
}

// E.164: "+", then 7 to 15 digits, the first not 0.
bool valid_phone(std::string_view s) {
  if (s.size() < 8 || s.size() > 16 || s[0] != '+' || s[1] == '0') return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "CC-ENDPOINTUID": an organisation's identity across hubs.
void check_hub_endpoint(Checker& c, const std::string& value, const std::string& field) {
  if (value.size() < 4 || value[2] != '-') {
    c.fail(field, "must be COUNTRY-ENDPOINTUID, such as IE-EXMAIL");
    return;
  }
  Status country = validate_country(std::string_view(value).substr(0, 2), field);
  Status uid = validate_endpoint_uid(std::string_view(value).substr(3), field);
  c.take(country);
  c.take(uid);
}

void decode_contact(Checker& c, const json& root, Contact& out) {
  const json* contact =
      c.object(root, "contact", "", true,
               {"hub_org_id", "hub_endpoint", "portal_url", "email", "emergency_phone"});
  if (contact == nullptr) return;
  const std::string p = "contact/";
  if (auto id = c.string(*contact, "hub_org_id", p, false, 64)) {
    auto uuid = parse_uuid(*id, p + "hub_org_id");
    if (uuid.ok()) {
      out.hub_org_id = *uuid;
    } else {
      c.fail(p + "hub_org_id", "must be the id (a UUID) of an organisation on this hub");
    }
  }
  if (auto ep = c.string(*contact, "hub_endpoint", p, false, 67)) {
    check_hub_endpoint(c, *ep, p + "hub_endpoint");
    out.hub_endpoint = ep;
  }
  if (auto url = c.string(*contact, "portal_url", p, false, kMaxUrl)) {
    if (!valid_https_url(*url)) {
      c.fail(p + "portal_url", "must be an https:// address");
    }
    out.portal_url = url;
  }
  if (auto email = c.string(*contact, "email", p, false, kMaxEmail)) {
    if (!valid_email(*email)) c.fail(p + "email", "is not an e-mail address");
    out.email = email;
  }
  if (auto phone = c.string(*contact, "emergency_phone", p, false, 16)) {
    if (!valid_phone(*phone)) {
      c.fail(p + "emergency_phone",
             "must be an international number: '+', the country code and digits only");
    }
    out.emergency_phone = phone;
  }
  bool any = false;
  for (const char* way : {"hub_org_id", "hub_endpoint", "portal_url", "email", "emergency_phone"})
    any = any || Checker::member(*contact, way) != nullptr;
  if (!any) {
    c.fail("contact",
           "needs at least one way to reach the provider: hub_org_id, hub_endpoint, portal_url, "
           "email or emergency_phone");
  }
}

void decode_representative(Checker& c, const json& root, Entry& out) {
  const std::string key = "eu_legal_representative";
  const json* rep = c.object(root, key.c_str(), "", false, {"name", "country", "email"});
  if (rep == nullptr) return;
  const std::string p = key + "/";
  LegalRepresentative r;
  r.name = c.string(*rep, "name", p, true, kMaxName).value_or("");
  if (auto country = c.string(*rep, "country", p, true, 2)) {
    if (std::find(kEuMemberStates.begin(), kEuMemberStates.end(), *country) ==
        kEuMemberStates.end()) {
      c.fail(p + "country",
             "must be an EU member state (ISO 3166-1 alpha-2, such as IE): Directive (EU) "
             "2023/1544 places the legal representative in the Union");
    }
    r.country = *country;
  }
  if (auto email = c.string(*rep, "email", p, false, kMaxEmail)) {
    if (!valid_email(*email)) c.fail(p + "email", "is not an e-mail address");
    r.email = email;
  }
  out.eu_legal_representative = std::move(r);
}

void decode_categories(Checker& c, const json& root, Entry& out) {
  const json* cats = c.array(root, "data_categories", "", true);
  if (cats == nullptr) return;
  if (cats->empty()) {
    c.fail("data_categories", std::string("must name at least one of ") + kCategoryNames);
    return;
  }
  for (std::size_t i = 0; i < cats->size(); ++i) {
    const json& v = (*cats)[i];
    std::string path = "data_categories/" + std::to_string(i);
    auto cat = v.is_string() ? data_category_from_name(v.get<std::string>()) : std::nullopt;
    if (!cat) {
      c.fail(path, std::string("must be ") + kCategoryNames);
    } else if (std::find(out.data_categories.begin(), out.data_categories.end(), *cat) !=
               out.data_categories.end()) {
      c.fail(path, "is listed twice");
    } else {
      out.data_categories.push_back(*cat);
    }
  }
}

void decode_languages(Checker& c, const json& root, Entry& out) {
  const json* langs = c.array(root, "languages", "", true);
  if (langs == nullptr) return;
  if (langs->empty()) {
    c.fail("languages", "must name at least one ISO 639-1 language code, such as en");
    return;
  }
  for (std::size_t i = 0; i < langs->size(); ++i) {
    const json& v = (*langs)[i];
    std::string path = "languages/" + std::to_string(i);
    std::string code = v.is_string() ? v.get<std::string>() : std::string();
    if (std::find(kLanguages.begin(), kLanguages.end(), code) == kLanguages.end()) {
      c.fail(path, "must be an ISO 639-1 language code in lower case, such as en or de");
    } else if (std::find(out.languages.begin(), out.languages.end(), code) != out.languages.end()) {
      c.fail(path, "is listed twice");
    } else {
      out.languages.push_back(code);
    }
  }
}

void decode_policies(Checker& c, const json& root, Entry& out) {
  if (const json* p = c.object(root, "preservation_policy", "", true,
                               {"days", "extendable", "extension_days", "notes"})) {
    const std::string path = "preservation_policy/";
    PreservationPolicy& pp = out.preservation_policy;
    pp.days = c.integer(*p, "days", path, true, 1, kMaxDays).value_or(0);
    auto extendable = c.boolean(*p, "extendable", path, true);
    pp.extendable = extendable.value_or(false);
    pp.extension_days = c.integer(*p, "extension_days", path, false, 1, kMaxDays);
    if (pp.extension_days && extendable == std::optional<bool>(false)) {
      c.fail(path + "extension_days", "is given only when extendable is true");
    }
    pp.notes = c.notes(*p, "notes", path);
  }
  if (const json* p =
          c.object(root, "emergency_policy", "", true, {"accepts_foreign", "hours", "notes"})) {
    const std::string path = "emergency_policy/";
    out.emergency_policy.accepts_foreign =
        c.boolean(*p, "accepts_foreign", path, true).value_or(false);
    out.emergency_policy.hours = c.integer(*p, "hours", path, false, 1, kMaxHours);
    out.emergency_policy.notes = c.notes(*p, "notes", path);
  }
  if (const json* p =
          c.object(root, "foreign_requests", "", true, {"voluntary_non_content", "notes"})) {
    const std::string path = "foreign_requests/";
    out.foreign_requests.voluntary_non_content =
        c.boolean(*p, "voluntary_non_content", path, true).value_or(false);
    out.foreign_requests.notes = c.notes(*p, "notes", path);
  }
  if (const json* p =
          c.object(root, "user_notification_policy", "", true, {"notifies_users", "notes"})) {
    const std::string path = "user_notification_policy/";
    out.user_notification_policy.notifies_users =
        c.boolean(*p, "notifies_users", path, true).value_or(false);
    out.user_notification_policy.notes = c.notes(*p, "notes", path);
  }
}

json opt(const std::optional<std::string>& v) { return v ? json(*v) : json(); }
json opt(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(); }

}  // namespace

Status validate_entry_id(std::string_view id, const std::string& field) {
  bool ok = id.size() >= 2 && id.size() <= 63 && id[0] != '-';
  for (char ch : id) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) ok = false;
  }
  if (!ok) {
    return Error::invalid(field,
                          "must be 2-63 characters of a-z, 0-9 and '-', not starting with '-', "
                          "such as example-mail");
  }
  return Ok{};
}

Result<Entry> entry_from_json(const json& j, std::string_view file) {
  std::string prefix = file.empty() ? "" : std::string(file) + ": ";
  if (!j.is_object()) {
    Error e = Error::invalid("", "a directory entry must be a table (a JSON object) of fields");
    e.message = prefix + e.message;
    return e;
  }
  Checker c;
  Entry out;
  c.only_fields(j, "",
                {"id", "example", "name", "legal_entity", "establishment_country", "time_zone",
                 "eu_legal_representative", "contact", "data_categories", "retention_notes",
                 "preservation_policy", "emergency_policy", "foreign_requests",
                 "user_notification_policy", "languages", "updated_at", "version", "updated_by"});
  if (auto id = c.string(j, "id", "", true, 63)) {
    c.take(validate_entry_id(*id, "id"));
    out.id = *id;
  }
  out.example = c.boolean(j, "example", "", false).value_or(false);
  out.name = c.string(j, "name", "", true, kMaxName).value_or("");
  out.legal_entity = c.string(j, "legal_entity", "", true, kMaxName).value_or("");
  if (auto country = c.string(j, "establishment_country", "", true, 2)) {
    c.take(validate_country(*country, "establishment_country"));
    out.establishment_country = *country;
  }
  if (auto zone = c.string(j, "time_zone", "", true, 64)) {
    c.take(check_time_zone(*zone, "time_zone"));
    out.time_zone = *zone;
  }
  decode_representative(c, j, out);
  decode_contact(c, j, out.contact);
  decode_categories(c, j, out);
  out.retention_notes = c.notes(j, "retention_notes", "");
  decode_policies(c, j, out);
  decode_languages(c, j, out);
  // What the hub sets when it stores an entry: accepted back as it served
  // them, so a client may send an entry it read, but checked all the same.
  if (auto at = c.string(j, "updated_at", "", false, 64)) {
    auto t = parse_rfc3339(*at, "updated_at");
    if (t.ok()) {
      out.updated_at = *at;
    } else {
      c.take(Status(t.error()));
    }
  }
  out.version = c.integer(j, "version", "", false, 0, INT64_MAX).value_or(0);
  out.updated_by = c.string(j, "updated_by", "", false, 64).value_or("");

  if (!c.issues.empty()) {
    Error e = Error::make(
        ErrorCode::kInvalidArgument,
        prefix + (c.issues.size() == 1
                      ? c.issues[0].field + ": " + c.issues[0].reason
                      : std::to_string(c.issues.size()) + " fields are invalid, first " +
                            c.issues[0].field + ": " + c.issues[0].reason));
    e.issues = std::move(c.issues);
    return e;
  }
  return out;
}

Result<Entry> parse_entry_json(std::string_view text, std::string_view file) {
  auto j = parse_json_text(text);
  if (!j.ok()) {
    Error e = j.error();
    if (!file.empty()) e.message = std::string(file) + ": " + e.message;
    return e;
  }
  return entry_from_json(*j, file);
}

json to_json(const Entry& e) {
  json cats = json::array();
  for (DataCategory c : e.data_categories) cats.push_back(data_category_name(c));
  json rep;
  if (e.eu_legal_representative) {
    rep = {{"name", e.eu_legal_representative->name},
           {"country", e.eu_legal_representative->country},
           {"email", opt(e.eu_legal_representative->email)}};
  }
  return {
      {"id", e.id},
      {"example", e.example},
      {"name", e.name},
      {"legal_entity", e.legal_entity},
      {"establishment_country", e.establishment_country},
      {"time_zone", e.time_zone},
      {"eu_legal_representative", rep},
      {"contact",
       {{"hub_org_id", opt(e.contact.hub_org_id)},
        {"hub_endpoint", opt(e.contact.hub_endpoint)},
        {"portal_url", opt(e.contact.portal_url)},
        {"email", opt(e.contact.email)},
        {"emergency_phone", opt(e.contact.emergency_phone)}}},
      {"data_categories", cats},
      {"retention_notes", e.retention_notes},
      {"preservation_policy",
       {{"days", e.preservation_policy.days},
        {"extendable", e.preservation_policy.extendable},
        {"extension_days", opt(e.preservation_policy.extension_days)},
        {"notes", e.preservation_policy.notes}}},
      {"emergency_policy",
       {{"accepts_foreign", e.emergency_policy.accepts_foreign},
        {"hours", opt(e.emergency_policy.hours)},
        {"notes", e.emergency_policy.notes}}},
      {"foreign_requests",
       {{"voluntary_non_content", e.foreign_requests.voluntary_non_content},
        {"notes", e.foreign_requests.notes}}},
      {"user_notification_policy",
       {{"notifies_users", e.user_notification_policy.notifies_users},
        {"notes", e.user_notification_policy.notes}}},
      {"languages", e.languages},
      {"updated_at", e.updated_at.empty() ? json() : json(e.updated_at)},
      {"version", e.version},
      {"updated_by", e.updated_by.empty() ? json() : json(e.updated_by)},
  };
}

bool holds(const Entry& e, DataCategory category) {
  return std::find(e.data_categories.begin(), e.data_categories.end(), category) !=
         e.data_categories.end();
}

}  // namespace liaison::directory
