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
  std::string method;
  std::string pattern;
  Handler handler;
  bool authenticated = true;
  bool upload = false;  // body streamed to a file
};

// Splits a path into segments, ignoring a trailing slash.
std::vector<std::string> split_path(const std::string& path);

// True when `path` matches `pattern`; fills `params` with the placeholders.
bool match_path(const std::vector<std::string>& pattern, const std::vector<std::string>& path, PathParams& params);

}  // namespace liaison::api
