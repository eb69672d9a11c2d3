// RFC 9457 problem details: every error Liaison returns over HTTP.
#pragma once

#include <string>

#include "core/result.h"
#include "http/message.h"

namespace liaison::http {

// The HTTP status for an error code.
int status_for(ErrorCode code);

// A problem+json response for `error`. The body has `type` (a stable URN
// such as urn:liaison:problem:validation-failed, or the error's own narrower
// type when it has one), `title`, `status`,
// `detail`, and, where they apply, `field` and `errors` (every field issue)
// and `allowed_actions`.
Response problem_response(const Error& error, const std::string& request_id = "");

// A problem+json response built directly, for failures the server detects
// before any handler runs (too large, malformed HTTP, overloaded).
Response problem_response(int status, const std::string& type_name, const std::string& title,
                          const std::string& detail, const std::string& request_id = "");

}  // namespace liaison::http
