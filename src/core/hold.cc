#include "core/hold.h"

#include "core/request_json.h"

namespace liaison {

const char* hold_status_name(HoldStatus s) {
  switch (s) {
    case HoldStatus::kActive:
      return "active";
    case HoldStatus::kReleased:
      return "released";
    case HoldStatus::kExpired:
      return "expired";
  }
  return "active";
}

std::optional<HoldStatus> hold_status_from_name(std::string_view s) {
  if (s == "active") return HoldStatus::kActive;
  if (s == "released") return HoldStatus::kReleased;
  if (s == "expired") return HoldStatus::kExpired;
  return std::nullopt;
}

HoldScope hold_scope_of(const RequestDraft& draft) {
  return HoldScope{draft.targets, draft.period, draft.categories};
}

nlohmann::json encode_hold_scope(const HoldScope& scope) {
  nlohmann::json accounts = nlohmann::json::array();
  for (const auto& a : scope.accounts) accounts.push_back(encode_identifier(a));
  nlohmann::json categories = nlohmann::json::array();
  for (auto c : scope.categories) categories.push_back(data_category_name(c));
  return {{"accounts", std::move(accounts)},
          {"period",
           scope.period ? nlohmann::json{{"start", scope.period->start}, {"end", scope.period->end}}
                        : nlohmann::json(nullptr)},
          {"categories", std::move(categories)}};
}

Result<HoldScope> decode_stored_hold_scope(const nlohmann::json& j) {
  try {
    HoldScope scope;
    for (const auto& a : j.at("accounts")) scope.accounts.push_back(decode_stored_identifier(a));
    if (!j.at("period").is_null()) {
      scope.period = Period{j["period"].at("start"), j["period"].at("end")};
    }
    for (const auto& c : j.at("categories")) {
      scope.categories.push_back(data_category_from_name(c.get<std::string>()).value());
    }
    return scope;
  } catch (const std::exception& e) {
    return Error::internal(std::string("stored hold scope is corrupt: ") + e.what());
  }
}

}  // namespace liaison
