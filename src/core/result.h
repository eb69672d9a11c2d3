// Result<T>: a value or an Error, in the manner of std::expected (which g++ 12
// lacks). Errors carry a code, the offending field and a human reason, so every
// edge (HTTP problem+json, CLI line) can say precisely what went wrong.
#pragma once

#include <cassert>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace liaison {

enum class ErrorCode {
  kMalformed,           // input is not even well-formed (broken JSON syntax)
  kInvalidArgument,     // input is well-formed but fails validation
  kNotFound,            // does not exist, or the caller may not know it exists
  kConflict,            // clashes with existing state (duplicate, idempotency key reuse)
  kIllegalTransition,   // the request's state does not allow this action
  kPreconditionFailed,  // If-Match did not match
  kUnauthenticated,     // no valid credentials
  kForbidden,           // authenticated, but the role does not allow this
  kTooLarge,            // a size limit was exceeded
  kRateLimited,         // too many attempts; retry_after_seconds says when to try again
  kUnavailable,         // storage or a dependency is not ready
  kInternal,            // a bug or an unexpected failure
};

// One problem with one field of the input.
struct FieldIssue {
  std::string field;   // JSON-pointer-like path, e.g. "targets/0/port"
  std::string reason;  // why it is wrong, for a person to read
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<FieldIssue> issues;        // for validation failures
  std::vector<std::string> allowed;      // for illegal transitions: what is allowed now
  std::int64_t retry_after_seconds = 0;  // for refusals that end at a known time
  // A narrower problem type than the code's, for a refusal a client must
  // tell apart from others of its code ("enrolment-required"); empty: the
  // code's own.
  std::string type;

  static Error invalid(std::string field, std::string reason) {
    Error e{ErrorCode::kInvalidArgument, reason, {}, {}, 0, {}};
    e.issues.push_back({std::move(field), std::move(reason)});
    return e;
  }
  static Error make(ErrorCode code, std::string message) {
    return Error{code, std::move(message), {}, {}, 0, {}};
  }
  static Error not_found(std::string what) { return make(ErrorCode::kNotFound, std::move(what)); }
  static Error internal(std::string what) { return make(ErrorCode::kInternal, std::move(what)); }
};

const char* error_code_name(ErrorCode code);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& take_error() {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
struct Ok {};
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Ok) {}                                                  // NOLINT
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }
  Error&& take_error() {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};
using Status = Result<void>;

}  // namespace liaison

// Propagates an error from an expression returning Result<...>.
#define LIAISON_TRY(expr)                                         \
  do {                                                            \
    auto&& liaison_try_r_ = (expr);                               \
    if (!liaison_try_r_.ok()) return liaison_try_r_.take_error(); \
  } while (0)

#define LIAISON_CONCAT_INNER(a, b) a##b
#define LIAISON_CONCAT(a, b) LIAISON_CONCAT_INNER(a, b)
// NOLINTBEGIN(bugprone-macro-parentheses): lhs is a declaration, not an expression
// Declares `lhs` from the value of a Result, or returns its error.
#define LIAISON_ASSIGN_OR_RETURN(lhs, expr)                   \
  auto LIAISON_CONCAT(liaison_r_, __LINE__) = (expr);         \
  if (!LIAISON_CONCAT(liaison_r_, __LINE__).ok())             \
    return LIAISON_CONCAT(liaison_r_, __LINE__).take_error(); \
  lhs = std::move(LIAISON_CONCAT(liaison_r_, __LINE__))       \
            .value()
// NOLINTEND(bugprone-macro-parentheses)
