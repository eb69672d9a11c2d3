#include "cli/output.h"

#include <nlohmann/json.hpp>

namespace liaison::cli {

int exit_code_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kTooLarge:
      return kExitInvalid;
    case ErrorCode::kNotFound:
      return kExitNotFound;
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kForbidden:
    case ErrorCode::kRateLimited:
      return kExitDenied;
    case ErrorCode::kConflict:
    case ErrorCode::kIllegalTransition:
    case ErrorCode::kPreconditionFailed:
      return kExitConflict;
    case ErrorCode::kUnavailable:
      return kExitUnavailable;
    case ErrorCode::kInternal:
      return kExitFailure;
  }
  return kExitFailure;
}

int exit_code_for_http(int status) {
  if (status < 400) return kExitOk;
  if (status == 400 || status == 413 || status == 415 || status == 422 || status == 431)
    return kExitInvalid;
  if (status == 404) return kExitNotFound;
  if (status == 401 || status == 403 || status == 429) return kExitDenied;
  if (status == 409 || status == 412) return kExitConflict;
  if (status == 503) return kExitUnavailable;
  return kExitFailure;
}

void fail(const Error& e) {
  std::string msg = e.message;
  if (e.issues.size() > 1 ||
      (e.issues.size() == 1 && msg.find(e.issues[0].field) == std::string::npos)) {
    msg.clear();
    for (const auto& i : e.issues) msg += (msg.empty() ? "" : "; ") + i.field + ": " + i.reason;
  }
  throw CliError(exit_code_for(e.code), msg);
}

std::string describe_problem(int status, const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return "the hub answered HTTP " + std::to_string(status);
  std::string out;
  if (j.contains("errors") && j["errors"].is_array() && !j["errors"].empty()) {
    for (const auto& e : j["errors"]) {
      out += (out.empty() ? "" : "; ") + e.value("field", "") + ": " + e.value("reason", "");
    }
  } else {
    out = j.value("detail", j.value("title", "error"));
  }
  if (j.contains("allowed_actions") && j["allowed_actions"].is_array()) {
    std::string allowed;
    for (const auto& a : j["allowed_actions"])
      allowed += (allowed.empty() ? "" : ", ") + a.get<std::string>();
    out += allowed.empty() ? " (no action is open to you now)" : " (allowed now: " + allowed + ")";
  }
  std::string type = j.value("type", "");
  if (auto colon = type.rfind(':'); colon != std::string::npos) type = type.substr(colon + 1);
  return out + " [" + std::to_string(status) + (type.empty() ? "" : " " + type) + "]";
}

std::string Table::render() const {
  std::vector<std::size_t> widths(headers_.size());
  for (std::size_t i = 0; i < headers_.size(); ++i) widths[i] = headers_[i].size();
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], row[i].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      std::string cell = i < cells.size() ? cells[i] : "";
      out += cell;
      if (i + 1 < widths.size()) out += std::string(widths[i] - cell.size() + 2, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(headers_);
  for (const auto& row : rows_) out += line(row);
  return out;
}

std::string field_text(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "-";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace liaison::cli
