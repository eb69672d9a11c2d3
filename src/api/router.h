// Matches method and path against the API's route table.
//
// Patterns are literal segments and {name} placeholders: /api/v1/requests/{id}.
// The table is data, so the documentation test can walk it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/scope.h"
#include "http/message.h"

namespace liaison::api {

using PathParams = std::map<std::string, std::string>;

// The token scope a route needs. Every route needs the scope of its method,
// read for GET and HEAD and write for the rest; some need admin as well.
enum class ScopeRule {
  kMethod,
  kAdmin,
  // admin, unless the path's {id} is the caller's own user id
  kAdminUnlessSelf,
};

template <typename Handler>
struct Route {
  Route(std::string m, std::string p, Handler h, bool auth = true, bool up = false,
        std::vector<std::string> q = {}, bool certificate = false)
      : method(std::move(m)),
        pattern(std::move(p)),
        handler(h),
        authenticated(auth),
        upload(up),
        query(std::move(q)),
        client_certificate(certificate) {}
  Route(std::string m, std::string p, Handler h, ScopeRule rule)
      : Route(std::move(m), std::move(p), h) {
    scope = rule;
  }

  std::string method;
  std::string pattern;
  Handler handler;
  bool authenticated;
  bool upload;                     // body streamed to a file
  std::vector<std::string> query;  // the query parameters it understands; others are refused
  ScopeRule scope = ScopeRule::kMethod;
  // A TLS client certificate trusted for an HI-1 endpoint authenticates too.
  bool client_certificate = false;
};

// The scopes a call needs: the method's, and admin when `rule` asks for it.
Scopes scopes_needed(const std::string& method, ScopeRule rule, bool caller_is_subject);

// Splits a path into segments, ignoring a trailing slash.
std::vector<std::string> split_path(const std::string& path);

// True when `path` matches `pattern`; fills `params` with the placeholders.
bool match_path(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                PathParams& params);

}  // namespace liaison::api
