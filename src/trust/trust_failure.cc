#include "trust/trust_failure.h"

namespace liaison::trust {

namespace {
constexpr std::string_view kCodePrefix = "trust:";
}

Error trust_error(std::string_view code, std::string detail) {
  Error e = Error::make(ErrorCode::kInvalidArgument, std::string(code) + ": " + detail);
  e.issues.push_back({std::string(kCodePrefix) + std::string(code), std::move(detail)});
  return e;
}

TrustFailure trust_failure_of(const Error& error) {
  if (error.issues.size() == 1 && error.issues[0].field.rfind(kCodePrefix, 0) == 0) {
    return {error.issues[0].field.substr(kCodePrefix.size()), error.issues[0].reason};
  }
  return {std::string(failure::kMalformed), error.message};
}

}  // namespace liaison::trust
