// Strict reading of small JSON request bodies: unknown fields and wrong types
// are errors that name the field.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/result.h"

namespace liaison::api {

class JsonBody {
 public:
  // Parses `text`; it must be a JSON object whose keys are all in `allowed`.
  static Result<JsonBody> parse(const std::string& text,
                                std::initializer_list<std::string_view> allowed);

  Result<std::string> required_string(const char* key) const;
  Result<std::optional<std::string>> optional_string(const char* key) const;
  Result<std::optional<std::int64_t>> optional_integer(const char* key) const;
  const nlohmann::json& json() const { return j_; }

 private:
  explicit JsonBody(nlohmann::json j) : j_(std::move(j)) {}
  nlohmann::json j_;
};

}  // namespace liaison::api
