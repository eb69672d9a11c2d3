// Account events: every change to an account, and every login attempt, as a
// row written in the same transaction as the change (see AccountEvent in
// store/records.h). The types are stable strings; clients and audits match
// on them.
#pragma once

#include <optional>
#include <string>

#include "core/time.h"
#include "core/user.h"
#include "service/principal.h"
#include "store/records.h"

namespace liaison::account_event {

inline constexpr const char* kUserCreated = "user_created";
inline constexpr const char* kUserDisabled = "user_disabled";
inline constexpr const char* kUserEnabled = "user_enabled";
inline constexpr const char* kPasswordSet = "password_set";
inline constexpr const char* kPasswordChangeRefused = "password_change_refused";
inline constexpr const char* kTotpEnrolled = "totp_enrolled";
inline constexpr const char* kTotpConfirmed = "totp_confirmed";
inline constexpr const char* kTotpReset = "totp_reset";
inline constexpr const char* kRecoveryCodeUsed = "recovery_code_used";
inline constexpr const char* kLoginSucceeded = "login_succeeded";
inline constexpr const char* kLoginFailed = "login_failed";
inline constexpr const char* kLoginLocked = "login_locked";
inline constexpr const char* kLoginRefused = "login_refused";
inline constexpr const char* kSessionEnded = "session_ended";
inline constexpr const char* kTokenMinted = "token_minted";
inline constexpr const char* kTokenRevoked = "token_revoked";

// An event `actor` caused on `subject`'s account. The local operator is
// recorded by its fixed id, "local-operator".
AccountEvent make(const Principal& actor, const User& subject, const char* type, std::string detail,
                  Timestamp at);

// An event no authenticated actor caused: a login attempt.
AccountEvent anonymous(const std::optional<User>& subject, const char* type, std::string detail,
                       const std::string& remote_address, Timestamp at);

}  // namespace liaison::account_event
