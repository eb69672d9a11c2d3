// Interactive sign-in: passwords, the TOTP second factor and its recovery
// codes, lockout, and the sessions a browser holds as a cookie. Programs keep
// using API tokens (AccountService); a person signs in here.
//
// Interactive login needs a password AND a confirmed TOTP authenticator.
// Every failed attempt answers the same "e-mail address, password or code is
// wrong", so an attacker learns nothing about which part failed, except a
// locked account, which says until when. Failures count per account (five in
// a row lock it for fifteen minutes; stored) and per remote address (twenty
// in ten minutes; in memory, see LoginLimiter). Each attempt is decided in one
// write transaction, so concurrent attempts cannot replay a TOTP code, reuse
// a recovery code or slip past a lockout another attempt just set.
//
// A session is 256 random bits, known to the hub only as their SHA-256, with
// a CSRF token kept the same way. It ends 12 hours after login, or 30 minutes
// after it was last used, whichever comes first. Last use is tracked in memory
// and written out by flush_activity(), so authenticating a read writes
// nothing.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "service/environment.h"
#include "service/login_limiter.h"
#include "service/principal.h"
#include "store/store.h"
#include "trust/password.h"
#include "trust/secret_box.h"

namespace liaison {

struct SessionPolicy {
  trust::PasswordCost password_cost = trust::standard_password_cost();
  int max_failed_logins = 5;  // consecutive, per account
  std::int64_t lockout_seconds = std::int64_t{15} * 60;
  int max_failures_per_address = 20;
  std::int64_t address_window_seconds = std::int64_t{10} * 60;
  std::int64_t session_lifetime_seconds = std::int64_t{12} * 3600;
  std::int64_t session_idle_seconds = std::int64_t{30} * 60;
  // Argon2id computations at once: each holds the cost's memory (64 MiB by
  // default), and more than there are cores only makes each one slower.
  int concurrent_hashes = 2;
};

struct LoginInput {
  std::string email;
  std::string password;
  std::optional<std::string> totp_code;
  std::optional<std::string> recovery_code;
  std::string remote_address;
};

// A session as it is created: the two secrets are returned this once.
struct IssuedSession {
  SessionRecord record;
  std::string secret;      // the cookie's value
  std::string csrf_token;  // to send back as X-CSRF-Token
  User user;
  std::optional<Organisation> org;
};

// The current session of a request, with the instant it will end if unused.
struct SessionView {
  SessionRecord record;
  std::string idle_expires_at;
};

// A TOTP secret waiting for its first code, for the user's authenticator app.
struct TotpEnrolment {
  std::string secret;  // base32, for typing in by hand
  std::string uri;     // otpauth://, for a QR code
};

// An authenticator enrolled and confirmed by the hub's operator.
struct OperatorEnrolment {
  TotpEnrolment totp;
  std::vector<std::string> recovery_codes;
};

// An authenticator enrolled at first sign-in, and the session it opened.
struct SignInEnrolment {
  IssuedSession session;
  std::vector<std::string> recovery_codes;  // shown this once
};

class SessionService {
 public:
  SessionService(Store& store, const Clock& clock, trust::SecretBox box, SessionPolicy policy = {});

  // Sets a password. The account holder gives the current one, if there is
  // one; an administrator of the account (its org_admin, a hub administrator)
  // needs none. Clears any lockout and ends the account's other sessions.
  Status set_password(const Principal& p, const std::string& user_id,
                      const std::string& new_password,
                      const std::optional<std::string>& current_password);

  // The account holder starts enrolling an authenticator: a new secret,
  // inactive until confirm_totp. Refused while one is active; an
  // administrator resets it first.
  Result<TotpEnrolment> begin_totp_enrolment(const Principal& p, const std::string& user_id);
  // A current code from the new authenticator activates it. Returns the ten
  // recovery codes, this once; earlier ones stop working.
  Result<std::vector<std::string>> confirm_totp(const Principal& p, const std::string& user_id,
                                                const std::string& code);
  // An administrator of the account removes its authenticator and recovery
  // codes and ends its sessions; the holder must enrol again to log in.
  Status reset_totp(const Principal& p, const std::string& user_id);
  // The local operator enrols and confirms an authenticator in one step, for
  // demonstration hubs and bootstrapping.
  Result<OperatorEnrolment> enrol_totp_as_operator(const Principal& p, const std::string& user_id);

  Result<IssuedSession> login(const LoginInput& in);

  // Enrolment at first sign-in, for an account with a password and no active
  // authenticator (new, or reset by an administrator). The e-mail address and
  // password are checked exactly as at login: they count towards the lockout
  // and the per-address limit, and a wrong one gets the same answer.
  // Starting shows a new secret and replaces any pending one.
  Result<TotpEnrolment> begin_enrolment_at_sign_in(const LoginInput& in);
  // A current code of the pending secret activates it and signs in. The
  // holder must choose a new password here: whoever set the first one (an
  // administrator) knows it and could otherwise have enrolled in their place.
  // Ends every earlier session of the account.
  Result<SignInEnrolment> confirm_enrolment_at_sign_in(const LoginInput& in,
                                                       const std::string& new_password);
  // Resolves a session cookie's value to its Principal. Every failure is
  // kUnauthenticated.
  Result<Principal> authenticate_session(const std::string& secret);
  // Whether `csrf_token` is the CSRF token of the session `p` came from.
  bool csrf_matches(const Principal& p, std::string_view csrf_token) const;
  Result<SessionView> current_session(const Principal& p);
  // Ends the session `p` came from; kNotFound when a token authenticated it.
  Status logout(const Principal& p);

  // Writes the sessions' last-use times gathered since the previous call.
  Status flush_activity();

  const SessionPolicy& policy() const { return policy_; }

 private:
  // Lets at most a fixed number of callers hash at once.
  class HashGate {
   public:
    explicit HashGate(int slots) : free_(slots < 1 ? 1 : slots) {}
    template <typename F>
    auto run(F&& f) {
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return free_ > 0; });
        --free_;
      }
      struct Release {
        HashGate* g;
        ~Release() {
          {
            std::lock_guard lock(g->mu_);
            ++g->free_;
          }
          g->cv_.notify_one();
        }
      } release{this};
      return f();
    }

   private:
    std::mutex mu_;
    std::condition_variable cv_;
    int free_;
  };

  // What a sign-in attempt is checked against, read before its write, and
  // how its password fared.
  struct PasswordProof {
    std::optional<User> user;
    std::optional<Credentials> creds;
    bool password_ok = false;
    std::optional<std::string> rehashed;  // the password at the current cost
  };
  enum class Refusal { kNone, kFailed, kLocked };
  // An attempt as its write sees the account: the fresh rows and whether the
  // attempt ends here.
  struct Admission {
    User user;
    Credentials creds;
    Refusal refusal = Refusal::kFailed;
  };

  Result<User> load_user(const std::string& user_id);
  Result<std::optional<Credentials>> load_credentials(const std::string& user_id);
  // Field checks and the per-address limit, before any hashing.
  Status check_attempt_allowed(const LoginInput& in, Timestamp now);
  Result<PasswordProof> prove_password(const LoginInput& in, Timestamp now);
  // Inside an attempt's write: refuses an unknown, locked or disabled account
  // and counts a wrong password towards the lockout.
  Status admit(WriteTx& tx, const LoginInput& in, const PasswordProof& proof, Timestamp now,
               Admission& out);
  Status count_failure(WriteTx& tx, const User& user, Credentials& c, const LoginInput& in,
                       const std::string& failure, Timestamp now);
  Status log_attempt(WriteTx& tx, const std::optional<User>& user, const LoginInput& in,
                     const char* type, std::string detail, Timestamp now);
  Status open_session(WriteTx& tx, const Admission& a, const LoginInput& in,
                      const std::string& how, Timestamp now, IssuedSession& out);
  static Error refused(const Admission& a, Timestamp now);
  Result<IssuedSession> attempt_login(const LoginInput& in, Timestamp now);
  const std::string& dummy_hash();
  std::string seal_secret(const std::string& user_id, const std::string& secret) const;
  Result<std::string> open_secret(const std::string& user_id, const std::string& sealed) const;

  Store& store_;
  const Clock& clock_;
  trust::SecretBox box_;
  SessionPolicy policy_;
  LoginLimiter limiter_;
  HashGate gate_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
  std::mutex activity_mu_;
  std::unordered_map<std::string, std::int64_t> last_seen_;  // session id -> unix micros
};

}  // namespace liaison
