// TOML entries are turned into the JSON shape and decoded by entry_from_json,
// so a file and an API body pass exactly the same checks.
#include <toml++/toml.h>

#include "directory/entry.h"

namespace liaison::directory {

using nlohmann::json;

namespace {

// TOML's own dates and times have no place in an entry (updated_at is the
// hub's, in RFC 3339 text); everything else maps one to one.
json to_json_value(const toml::node& node, const std::string& path,
                   std::vector<FieldIssue>& issues) {
  if (const auto* t = node.as_table()) {
    json out = json::object();
    for (const auto& [key, value] : *t) {
      std::string k(key.str());
      std::string child = path;
      if (!child.empty()) child += '/';
      child += k;
      out[k] = to_json_value(value, child, issues);
    }
    return out;
  }
  if (const auto* a = node.as_array()) {
    json out = json::array();
    for (std::size_t i = 0; i < a->size(); ++i) {
      out.push_back(to_json_value(*a->get(i), path + "/" + std::to_string(i), issues));
    }
    return out;
  }
  if (const auto* s = node.as_string()) return s->get();
  if (const auto* i = node.as_integer()) return i->get();
  if (const auto* f = node.as_floating_point()) return f->get();
  if (const auto* b = node.as_boolean()) return b->get();
  issues.push_back({path, "dates and times are written as quoted RFC 3339 strings"});
  return json();
}

}  // namespace

Result<Entry> parse_entry_toml(std::string_view text, std::string_view file) {
  std::string prefix = file.empty() ? "" : std::string(file) + ": ";
  toml::table table;
  try {
    table = toml::parse(text);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    Error err =
        Error::invalid("", "malformed TOML at line " + std::to_string(at.line) + ", column " +
                               std::to_string(at.column) + ": " + std::string(e.description()));
    err.code = ErrorCode::kMalformed;
    err.message = prefix + err.message;
    return err;
  }
  std::vector<FieldIssue> issues;
  json j = to_json_value(table, "", issues);
  if (!issues.empty()) {
    Error e = Error::make(ErrorCode::kInvalidArgument,
                          prefix + issues[0].field + ": " + issues[0].reason);
    e.issues = std::move(issues);
    return e;
  }
  return entry_from_json(j, file);
}

}  // namespace liaison::directory
