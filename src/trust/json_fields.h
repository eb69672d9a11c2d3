// Strict reading of the trust formats' JSON objects.
//
// Signed formats are read strictly: an unknown field could carry meaning the
// signer never saw checked, and a missing one could silently default. Each
// reader stops at the first problem and names the field by its path
// ("certificate/not_after"). None of them throw.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"

namespace liaison::trust::fields {

// An Error for `path` with `reason`, whose message is "path: reason".
Error bad(const std::string& path, std::string reason);

// "a/b" from "a" and "b"; just "b" when `prefix` is empty.
std::string join(const std::string& prefix, std::string_view name);

// `value` must be an object whose member names are all in `allowed`.
Status object_with(const nlohmann::json& value, const std::string& path,
                   std::initializer_list<std::string_view> allowed);

// The member, or nullptr when absent. A member that is null counts as present.
const nlohmann::json* find(const nlohmann::json& obj, std::string_view name);

// A required member.
Result<const nlohmann::json*> require(const nlohmann::json& obj, std::string_view name,
                                      const std::string& path);

// Required members of one type. Strings must be non-empty and at most
// `max_len` bytes.
Result<std::string> string(const nlohmann::json& obj, std::string_view name,
                           const std::string& path, std::size_t max_len = 400);
// An optional string member; absent is nullopt, null is refused.
Result<std::optional<std::string>> optional_string(const nlohmann::json& obj, std::string_view name,
                                                   const std::string& path,
                                                   std::size_t max_len = 400);
Result<std::int64_t> integer(const nlohmann::json& obj, std::string_view name,
                             const std::string& path, std::int64_t min, std::int64_t max);
// Bytes in base64url; `size` non-zero demands that length.
Result<std::string> base64url(const nlohmann::json& obj, std::string_view name,
                              const std::string& path, std::size_t size);
// An RFC 3339 instant exactly as format_rfc3339 writes it, so that every
// instant has one spelling.
Result<Timestamp> timestamp(const nlohmann::json& obj, std::string_view name,
                            const std::string& path);
// The format marker, such as "liaison_certificate": 1.
Status version(const nlohmann::json& obj, std::string_view name, const std::string& path);

}  // namespace liaison::trust::fields
