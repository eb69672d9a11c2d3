// How the CLI talks to people and scripts: aligned tables, one-line errors
// and exit codes that mean something.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/result.h"

namespace liaison::cli {

// Exit codes, documented in docs/cli.md.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,      // unexpected failure, or the hub answered 5xx
  kExitUsage = 2,        // bad command line
  kExitInvalid = 3,      // the input was refused as invalid (400, 415, 422)
  kExitNotFound = 4,     // no such thing, or not visible to you (404)
  kExitDenied = 5,       // not authenticated, not allowed, or too many attempts (401, 403, 429)
  kExitConflict = 6,     // illegal transition, stale version, duplicate (409, 412)
  kExitUnavailable = 7,  // hub unreachable or not ready
};

// Thrown by commands; run_cli prints it as one line and exits with `code`.
class CliError : public std::runtime_error {
 public:
  CliError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

int exit_code_for(ErrorCode code);
int exit_code_for_http(int status);
[[noreturn]] void fail(const Error& e);

// A member of a JSON object as a table cell: strings as they are, other
// values as JSON, and "-" for a missing or null member.
std::string field_text(const nlohmann::json& j, const char* key);

// Turns a problem+json body into one readable line.
std::string describe_problem(int status, const std::string& body);

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace liaison::cli
