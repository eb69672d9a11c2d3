// A legal hold: what a provider keeps, for which request, and until when.
//
// A hold is made only from a preservation request, in the transaction of the
// provider's `preserve`, and follows that request: `extend` renews it,
// `release` (from either side) releases it, and the expiry sweep expires it
// with the request. So while a hold is active its request is preserved, and
// the other way round. A production that follows is a request of its own and
// ends nothing: the data is kept until someone releases the hold or it
// expires, so it is still there while the production is being made.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/request.h"
#include "core/result.h"

namespace liaison {

enum class HoldStatus { kActive, kReleased, kExpired };

const char* hold_status_name(HoldStatus s);
std::optional<HoldStatus> hold_status_from_name(std::string_view s);

// What is kept: the request's targets, period and categories as they were
// when the hold was made.
struct HoldScope {
  std::vector<Identifier> accounts;
  std::optional<Period> period;
  std::vector<DataCategory> categories;
  bool operator==(const HoldScope&) const = default;
};

// The scope a preservation request asks for.
HoldScope hold_scope_of(const RequestDraft& draft);

// {"accounts": [identifier…], "period": {"start", "end"} or null, "categories": […]},
// as stored and served.
nlohmann::json encode_hold_scope(const HoldScope& scope);
// Restores a scope Liaison itself encoded (from storage).
Result<HoldScope> decode_stored_hold_scope(const nlohmann::json& j);

// One renewal: the expiry moved from `previous_expiry` to `new_expiry`.
struct HoldRenewal {
  std::string at;
  std::string previous_expiry;
  std::string new_expiry;
  std::string by_user_id;
  std::string by_org_id;
  bool operator==(const HoldRenewal&) const = default;
};

struct LegalHold {
  std::string id;  // UUID
  std::string provider_org_id;
  std::string issuer_org_id;  // the authority that asked for it, which may read it
  std::string request_id;
  HoldScope scope;
  std::string created_at;
  std::string created_by;  // the analyst who preserved
  std::string expires_at;  // whole-second RFC 3339 UTC, like preserved_until
  HoldStatus status = HoldStatus::kActive;
  std::vector<HoldRenewal> renewals;  // oldest first
  std::optional<std::string> released_at;
  std::optional<std::string> released_by;  // user id
  std::optional<std::string> release_reason;
  std::optional<std::string> expired_at;
  bool operator==(const LegalHold&) const = default;
};

}  // namespace liaison
