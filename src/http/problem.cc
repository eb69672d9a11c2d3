#include "http/problem.h"

#include <nlohmann/json.hpp>

namespace liaison::http {

namespace {

struct ProblemKind {
  int status;
  const char* type_name;
  const char* title;
};

ProblemKind kind_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
      return {400, "malformed-request", "The input is not well-formed"};
    case ErrorCode::kInvalidArgument:
      return {422, "validation-failed", "The input is not valid"};
    case ErrorCode::kNotFound:
      return {404, "not-found", "Not found"};
    case ErrorCode::kConflict:
      return {409, "conflict", "Conflict with existing data"};
    case ErrorCode::kIllegalTransition:
      return {409, "illegal-transition", "Action not allowed in this state"};
    case ErrorCode::kPreconditionFailed:
      return {412, "precondition-failed", "The resource has changed"};
    case ErrorCode::kUnauthenticated:
      return {401, "unauthenticated", "Authentication required"};
    case ErrorCode::kForbidden:
      return {403, "forbidden", "Not allowed"};
    case ErrorCode::kTooLarge:
      return {413, "too-large", "Payload too large"};
    case ErrorCode::kRateLimited:
      return {429, "rate-limited", "Too many attempts"};
    case ErrorCode::kUnavailable:
      return {503, "unavailable", "Service unavailable"};
    case ErrorCode::kInternal:
      return {500, "internal", "Internal error"};
  }
  return {500, "internal", "Internal error"};
}

Response render(int status, nlohmann::json body) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", "application/problem+json");
  // Details may quote client input; invalid UTF-8 in it must not turn an error into a 500.
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace

int status_for(ErrorCode code) { return kind_for(code).status; }

Response problem_response(const Error& error, const std::string& request_id) {
  ProblemKind k = kind_for(error.code);
  std::string type = error.type.empty() ? std::string(k.type_name) : error.type;
  nlohmann::json body = {{"type", "urn:liaison:problem:" + type},
                         {"title", k.title},
                         {"status", k.status},
                         {"detail", error.message}};
  if (!error.issues.empty()) {
    body["field"] = error.issues.front().field;
    auto& list = body["errors"] = nlohmann::json::array();
    for (const auto& i : error.issues) list.push_back({{"field", i.field}, {"reason", i.reason}});
  }
  if (error.code == ErrorCode::kIllegalTransition) body["allowed_actions"] = error.allowed;
  if (!request_id.empty()) body["instance"] = "urn:liaison:request:" + request_id;
  Response r = render(k.status, std::move(body));
  if (error.code == ErrorCode::kUnauthenticated)
    r.headers.set("WWW-Authenticate", "Bearer realm=\"liaison\"");
  if (error.retry_after_seconds > 0)
    r.headers.set("Retry-After", std::to_string(error.retry_after_seconds));
  return r;
}

Response problem_response(int status, const std::string& type_name, const std::string& title,
                          const std::string& detail, const std::string& request_id) {
  nlohmann::json body = {{"type", "urn:liaison:problem:" + type_name},
                         {"title", title},
                         {"status", status},
                         {"detail", detail}};
  if (!request_id.empty()) body["instance"] = "urn:liaison:request:" + request_id;
  return render(status, std::move(body));
}

}  // namespace liaison::http
