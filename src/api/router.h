// Matches method and path against the API's route table.
//
// Patterns are literal segments and {name} placeholders: /api/v1/requests/{id}.
// The table is data, so the documentation test can walk it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/message.h"

namespace liaison::api {

using PathParams = std::map<std::string, std::string>;

template <typename Handler>
struct Route {
  Route(std::string m, std::string p, Handler h, bool auth = true, bool up = false,
        std::vector<std::string> q = {})
      : method(std::move(m)),
        pattern(std::move(p)),
        handler(h),
        authenticated(auth),
        upload(up),
        query(std::move(q)) {}

  std::string method;
  std::string pattern;
  Handler handler;
  bool authenticated;
  bool upload;                     // body streamed to a file
  std::vector<std::string> query;  // the query parameters it understands; others are refused
};

// Splits a path into segments, ignoring a trailing slash.
std::vector<std::string> split_path(const std::string& path);

// True when `path` matches `pattern`; fills `params` with the placeholders.
bool match_path(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                PathParams& params);

}  // namespace liaison::api
