#include "trust/json_fields.h"

#include <algorithm>
#include <cstdint>

#include "trust/encoding.h"

namespace liaison::trust::fields {

using nlohmann::json;

Error bad(const std::string& path, std::string reason) {
  Error e = Error::make(ErrorCode::kInvalidArgument, path + ": " + reason);
  e.issues.push_back({path, std::move(reason)});
  return e;
}

std::string join(const std::string& prefix, std::string_view name) {
  if (prefix.empty()) return std::string(name);
  std::string out;
  out.reserve(prefix.size() + 1 + name.size());
  out += prefix;
  out += '/';
  out += name;
  return out;
}

Status object_with(const json& value, const std::string& path,
                   std::initializer_list<std::string_view> allowed) {
  if (!value.is_object())
    return bad(path, std::string("must be an object, not ") + value.type_name());
  for (const auto& [name, _] : value.items()) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return bad(join(path, name), "unknown field");
    }
  }
  return Ok{};
}

const json* find(const json& obj, std::string_view name) {
  auto it = obj.find(name);
  return it == obj.end() ? nullptr : &*it;
}

Result<const json*> require(const json& obj, std::string_view name, const std::string& path) {
  const json* v = find(obj, name);
  if (v == nullptr) return bad(join(path, name), "is required");
  return v;
}

namespace {
Result<std::string> string_value(const json& v, const std::string& path, std::size_t max_len) {
  if (!v.is_string()) return bad(path, std::string("must be a string, not ") + v.type_name());
  const auto& s = *v.get_ptr<const json::string_t*>();
  if (s.empty()) return bad(path, "must not be empty");
  if (s.size() > max_len) return bad(path, "is longer than " + std::to_string(max_len) + " bytes");
  return s;
}
}  // namespace

Result<std::string> string(const json& obj, std::string_view name, const std::string& path,
                           std::size_t max_len) {
  LIAISON_ASSIGN_OR_RETURN(const json* v, require(obj, name, path));
  return string_value(*v, join(path, name), max_len);
}

Result<std::optional<std::string>> optional_string(const json& obj, std::string_view name,
                                                   const std::string& path, std::size_t max_len) {
  const json* v = find(obj, name);
  if (v == nullptr) return std::optional<std::string>();
  LIAISON_ASSIGN_OR_RETURN(std::string s, string_value(*v, join(path, name), max_len));
  return std::optional<std::string>(std::move(s));
}

Result<std::int64_t> integer(const json& obj, std::string_view name, const std::string& path,
                             std::int64_t min, std::int64_t max) {
  LIAISON_ASSIGN_OR_RETURN(const json* v, require(obj, name, path));
  std::string field = join(path, name);
  if (!v->is_number_integer()) {
    return bad(field, std::string("must be an integer, not ") + v->type_name());
  }
  // Beyond INT64_MAX nlohmann keeps an unsigned value, which no range here admits.
  bool too_big =
      v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX);
  std::int64_t n = too_big ? INT64_MAX : v->get<std::int64_t>();
  if (too_big || n < min || n > max) {
    return bad(field, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return n;
}

Result<std::string> base64url(const json& obj, std::string_view name, const std::string& path,
                              std::size_t size) {
  std::string field = join(path, name);
  LIAISON_ASSIGN_OR_RETURN(std::string text, string(obj, name, path, 4096));
  return base64url_decode(text, field, size);
}

Result<Timestamp> timestamp(const json& obj, std::string_view name, const std::string& path) {
  std::string field = join(path, name);
  LIAISON_ASSIGN_OR_RETURN(std::string text, string(obj, name, path, 64));
  auto t = parse_rfc3339(text, field);
  if (!t.ok()) return bad(field, t.error().message);
  if (format_rfc3339(*t) != text) {
    return bad(field, "must be written in UTC as " + format_rfc3339(*t));
  }
  return *t;
}

Status version(const json& obj, std::string_view name, const std::string& path) {
  LIAISON_ASSIGN_OR_RETURN(const json* v, require(obj, name, path));
  if (!v->is_number_integer() || v->get<std::int64_t>() != 1) {
    return bad(join(path, name), "must be 1: this version of Liaison reads only version 1");
  }
  return Ok{};
}

}  // namespace liaison::trust::fields
