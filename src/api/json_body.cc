#include "api/json_body.h"

#include <algorithm>

#include "core/request_json.h"

namespace liaison::api {

Result<JsonBody> JsonBody::parse(const std::string& text,
                                 std::initializer_list<std::string_view> allowed) {
  LIAISON_ASSIGN_OR_RETURN(nlohmann::json j, parse_json_text(text));
  if (!j.is_object()) return Error::invalid("", "the request body must be a JSON object");
  Error unknown = Error::make(ErrorCode::kInvalidArgument, "");
  for (const auto& [key, _] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      unknown.issues.push_back({key, "unknown field"});
    }
  }
  if (!unknown.issues.empty()) {
    unknown.message = unknown.issues.front().field + ": unknown field";
    return unknown;
  }
  return JsonBody(std::move(j));
}

Result<std::optional<std::string>> JsonBody::optional_string(const char* key) const {
  auto it = j_.find(key);
  if (it == j_.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string())
    return Error::invalid(key, std::string("must be a string, not ") + it->type_name());
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::string> JsonBody::required_string(const char* key) const {
  LIAISON_ASSIGN_OR_RETURN(auto v, optional_string(key));
  if (!v) return Error::invalid(key, "is required");
  return *v;
}

Result<std::optional<std::int64_t>> JsonBody::optional_integer(const char* key) const {
  auto it = j_.find(key);
  if (it == j_.end() || it->is_null()) return std::optional<std::int64_t>();
  if (!it->is_number_integer())
    return Error::invalid(key, std::string("must be an integer, not ") + it->type_name());
  return std::optional<std::int64_t>(it->get<std::int64_t>());
}

}  // namespace liaison::api
