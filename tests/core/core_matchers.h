// Matchers shared by the core tests, so each assertion names the field and
// the reason it expects instead of only "it failed".
#pragma once

#include <gmock/gmock.h>

#include <ostream>
#include <string>

#include "core/result.h"

namespace liaison::testing {

// An issue whose field equals `field` and whose reason contains `reason_part`.
inline auto Issue(const std::string& field, const std::string& reason_part) {
  return ::testing::AllOf(
      ::testing::Field("field", &FieldIssue::field, field),
      ::testing::Field("reason", &FieldIssue::reason, ::testing::HasSubstr(reason_part)));
}

// A failed Result whose error is kInvalidArgument and whose only issue matches.
// A syntax error: code kMalformed, one issue on the whole body ("").
MATCHER_P(IsMalformed, reason_part,
          std::string("is malformed input mentioning '") + reason_part + "'") {
  if (arg.ok()) {
    *result_listener << "which succeeded";
    return false;
  }
  const Error& e = arg.error();
  *result_listener << "whose code is " << error_code_name(e.code) << " and message is '"
                   << e.message << "'";
  return e.code == ErrorCode::kMalformed && e.issues.size() == 1 && e.issues[0].field.empty() &&
         e.issues[0].reason.find(reason_part) != std::string::npos;
}

MATCHER_P2(FailsOn, field, reason_part,
           std::string("fails with one issue on '") + field + "' mentioning '" + reason_part +
               "'") {
  if (arg.ok()) {
    *result_listener << "which succeeded";
    return false;
  }
  const Error& e = arg.error();
  if (e.code != ErrorCode::kInvalidArgument) {
    *result_listener << "whose code is " << error_code_name(e.code);
    return false;
  }
  if (e.issues.size() != 1) {
    *result_listener << "which has " << e.issues.size() << " issues";
    return false;
  }
  *result_listener << "whose issue is {" << e.issues[0].field << ": " << e.issues[0].reason << "}";
  return e.issues[0].field == std::string(field) &&
         e.issues[0].reason.find(std::string(reason_part)) != std::string::npos;
}

}  // namespace liaison::testing

namespace liaison {
// Lets gtest show a failed expectation's Result as its error, not as bytes.
template <typename T>
void PrintTo(const Result<T>& r, std::ostream* os) {
  if (r.ok()) {
    *os << "ok";
    return;
  }
  *os << error_code_name(r.error().code) << ": " << r.error().message;
}
}  // namespace liaison
