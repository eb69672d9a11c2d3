#include "service/session_service.h"

#include "core/identifier.h"
#include "core/uuid.h"
#include "service/account_events.h"
#include "trust/base32.h"
#include "trust/encoding.h"
#include "trust/recovery_codes.h"
#include "trust/totp.h"

namespace liaison {

namespace {

constexpr std::int64_t kMicros = 1'000'000;

// The one answer to every failed login, whatever failed.
Error wrong_credentials() {
  return Error::make(ErrorCode::kUnauthenticated, "the e-mail address, password or code is wrong");
}

Error forbidden(const std::string& why) { return Error::make(ErrorCode::kForbidden, why); }

Error locked_until(const std::string& until, Timestamp now) {
  Error e = Error::make(ErrorCode::kUnauthenticated,
                        "the account is locked after too many failed logins until " + until);
  auto t = parse_rfc3339(until, "locked_until");
  if (t.ok() && *t > now)
    e.retry_after_seconds = (t->unix_micros - now.unix_micros + kMicros - 1) / kMicros;
  return e;
}

Timestamp plus_seconds(Timestamp t, std::int64_t s) {
  return Timestamp{t.unix_micros + s * kMicros};
}

std::string who_set_it(const Principal& p, const User& target) {
  if (p.user.id == target.id) return "by the account holder";
  if (p.local_operator_session) return "by the hub's operator";
  return "by an administrator";
}

// Reads the credentials inside a write, or a fresh row for a user without any.
Result<Credentials> credentials_in(WriteTx& tx, const std::string& user_id) {
  auto c = tx.get_credentials(user_id);
  if (c.ok()) return std::move(c.value());
  if (c.error().code != ErrorCode::kNotFound) return c.take_error();
  Credentials fresh;
  fresh.user_id = user_id;
  return fresh;
}

}  // namespace

SessionService::SessionService(Store& store, const Clock& clock, trust::SecretBox box,
                               SessionPolicy policy)
    : store_(store),
      clock_(clock),
      box_(std::move(box)),
      policy_(policy),
      limiter_(policy.max_failures_per_address, policy.address_window_seconds * kMicros),
      gate_(policy.concurrent_hashes) {}

// --- helpers ---

Result<User> SessionService::load_user(const std::string& user_id) {
  LIAISON_ASSIGN_OR_RETURN(std::string uuid, parse_uuid(user_id, "id"));
  User out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(out, tx.get_user(uuid));
    return Ok{};
  }));
  return out;
}

Result<std::optional<Credentials>> SessionService::load_credentials(const std::string& user_id) {
  std::optional<Credentials> out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    auto c = tx.get_credentials(user_id);
    if (c.ok()) {
      out = std::move(c.value());
      return Ok{};
    }
    return c.error().code == ErrorCode::kNotFound ? Status() : c.take_error();
  }));
  return out;
}

const std::string& SessionService::dummy_hash() {
  std::call_once(dummy_once_, [&] {
    auto h = trust::hash_password(trust::base64url_encode(trust::random_bytes(16)),
                                  policy_.password_cost);
    dummy_hash_ = h.ok() ? h.value() : "";
  });
  return dummy_hash_;
}

std::string SessionService::seal_secret(const std::string& user_id,
                                        const std::string& secret) const {
  return trust::base64url_encode(box_.seal(secret, user_id));
}

Result<std::string> SessionService::open_secret(const std::string& user_id,
                                                const std::string& sealed) const {
  LIAISON_ASSIGN_OR_RETURN(std::string bytes, trust::base64url_decode(sealed, "totp_secret"));
  return box_.open(bytes, user_id);
}

// --- passwords ---

Status SessionService::set_password(const Principal& p, const std::string& user_id,
                                    const std::string& new_password,
                                    const std::optional<std::string>& current_password) {
  LIAISON_ASSIGN_OR_RETURN(User target, load_user(user_id));
  bool self = p.user.id == target.id;
  if (!self && !p.administers(target)) return Error::not_found("user " + user_id + " not found");
  LIAISON_TRY(trust::check_new_password(new_password, target.email, "password"));
  LIAISON_ASSIGN_OR_RETURN(auto creds, load_credentials(target.id));
  Timestamp now = clock_.now();
  std::string now_s = format_rfc3339_micros(now);

  // Changing one's own password proves knowledge of the old one, so that a
  // stolen token or an unattended session cannot take the account over.
  if (self && creds && creds->password_hash) {
    if (creds->locked_until && *creds->locked_until > now_s)
      return locked_until(*creds->locked_until, now);
    if (!current_password)
      return Error::invalid("current_password", "is required to change your own password");
    bool right =
        gate_.run([&] { return trust::verify_password(*creds->password_hash, *current_password); });
    if (!right) {
      // A wrong guess counts towards the lockout like a failed login, or this
      // would be a way to guess without limit.
      std::optional<std::string> locked;
      LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
        LIAISON_ASSIGN_OR_RETURN(Credentials c, credentials_in(tx, target.id));
        c.failed_logins += 1;
        LIAISON_TRY(tx.insert_account_event(
            account_event::make(p, target, account_event::kPasswordChangeRefused,
                                "the current password was wrong", now)));
        if (c.failed_logins >= policy_.max_failed_logins) {
          c.failed_logins = 0;
          c.locked_until = format_rfc3339_micros(plus_seconds(now, policy_.lockout_seconds));
          locked = c.locked_until;
          LIAISON_TRY(tx.insert_account_event(account_event::make(
              p, target, account_event::kLoginLocked,
              "until " + *c.locked_until + ", after " + std::to_string(policy_.max_failed_logins) +
                  " consecutive failures",
              now)));
        }
        return tx.put_credentials(c);
      }));
      if (locked) return locked_until(*locked, now);
      return forbidden("the current password is wrong");
    }
  }

  auto hashed =
      gate_.run([&] { return trust::hash_password(new_password, policy_.password_cost); });
  if (!hashed.ok()) return hashed.take_error();
  std::optional<std::string> keep_session;
  if (self && p.via_session()) keep_session = p.session_id;
  return store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Credentials c, credentials_in(tx, target.id));
    c.password_hash = hashed.value();
    c.password_changed_at = now_s;
    c.failed_logins = 0;
    c.locked_until.reset();
    LIAISON_TRY(tx.put_credentials(c));
    // Whoever knew the old password is signed out; the caller's own session stays.
    LIAISON_ASSIGN_OR_RETURN(std::int64_t ended,
                             tx.revoke_sessions_of_user(target.id, now_s, keep_session));
    std::string detail = who_set_it(p, target);
    if (ended > 0) detail += "; " + std::to_string(ended) + " other session(s) ended";
    return tx.insert_account_event(
        account_event::make(p, target, account_event::kPasswordSet, detail, now));
  });
}

// --- second factor ---

Result<TotpEnrolment> SessionService::begin_totp_enrolment(const Principal& p,
                                                           const std::string& user_id) {
  LIAISON_ASSIGN_OR_RETURN(User target, load_user(user_id));
  if (p.user.id != target.id) {
    if (p.administers(target))
      return forbidden("only the account holder enrols their own authenticator");
    return Error::not_found("user " + user_id + " not found");
  }
  Timestamp now = clock_.now();
  std::string secret = trust::new_totp_secret();
  std::string sealed = seal_secret(target.id, secret);
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Credentials c, credentials_in(tx, target.id));
    // Replacing an active authenticator is an administrator's reset, not
    // something a stolen token or session may do on its own.
    if (c.totp_confirmed_at) {
      return Error::make(ErrorCode::kConflict,
                         "an authenticator is already active for this account; an administrator "
                         "must reset it before another is enrolled");
    }
    c.totp_secret_sealed = sealed;
    c.totp_last_step.reset();
    LIAISON_TRY(tx.put_credentials(c));
    return tx.insert_account_event(
        account_event::make(p, target, account_event::kTotpEnrolled,
                            "enrolment started; not active until confirmed", now));
  }));
  return TotpEnrolment{trust::base32_encode(secret), trust::totp_uri(secret, target.email)};
}

Result<std::vector<std::string>> SessionService::confirm_totp(const Principal& p,
                                                              const std::string& user_id,
                                                              const std::string& code) {
  LIAISON_ASSIGN_OR_RETURN(User target, load_user(user_id));
  if (p.user.id != target.id) {
    if (p.administers(target))
      return forbidden("only the account holder confirms their own authenticator");
    return Error::not_found("user " + user_id + " not found");
  }
  LIAISON_ASSIGN_OR_RETURN(auto creds, load_credentials(target.id));
  auto no_pending = [] {
    return Error::make(ErrorCode::kConflict,
                       "no enrolment is pending for this account; start one first");
  };
  if (!creds || !creds->totp_secret_sealed || creds->totp_confirmed_at) return no_pending();
  LIAISON_ASSIGN_OR_RETURN(std::string secret, open_secret(target.id, *creds->totp_secret_sealed));
  Timestamp now = clock_.now();
  auto step = trust::totp_match(secret, code, now.seconds());
  if (!step) return Error::invalid("code", "is not the authenticator's current code");

  std::vector<std::string> codes = trust::new_recovery_codes();
  std::vector<std::string> hashes;
  hashes.reserve(codes.size());
  for (const auto& c : codes) hashes.push_back(*trust::recovery_code_hash(c));
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Credentials c, credentials_in(tx, target.id));
    // The enrolment this code was checked against must still be the pending one.
    if (c.totp_confirmed_at || c.totp_secret_sealed != creds->totp_secret_sealed)
      return no_pending();
    c.totp_confirmed_at = format_rfc3339_micros(now);
    // The code just shown may not log in as well: someone watching the
    // enrolment would otherwise have a valid code for the next minute.
    c.totp_last_step = *step;
    LIAISON_TRY(tx.put_credentials(c));
    LIAISON_TRY(tx.replace_recovery_codes(target.id, hashes));
    return tx.insert_account_event(account_event::make(
        p, target, account_event::kTotpConfirmed,
        "authenticator active; " + std::to_string(codes.size()) + " new recovery codes", now));
  }));
  return codes;
}

Status SessionService::reset_totp(const Principal& p, const std::string& user_id) {
  LIAISON_ASSIGN_OR_RETURN(User target, load_user(user_id));
  if (!p.administers(target)) {
    if (p.user.id == target.id)
      return forbidden("an administrator of the account resets its authenticator");
    return Error::not_found("user " + user_id + " not found");
  }
  Timestamp now = clock_.now();
  std::string now_s = format_rfc3339_micros(now);
  return store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Credentials c, credentials_in(tx, target.id));
    c.totp_secret_sealed.reset();
    c.totp_confirmed_at.reset();
    c.totp_last_step.reset();
    LIAISON_TRY(tx.put_credentials(c));
    LIAISON_TRY(tx.replace_recovery_codes(target.id, {}));
    // A reset usually means the authenticator was lost, perhaps to someone.
    LIAISON_ASSIGN_OR_RETURN(std::int64_t ended,
                             tx.revoke_sessions_of_user(target.id, now_s, std::nullopt));
    return tx.insert_account_event(account_event::make(
        p, target, account_event::kTotpReset,
        "authenticator and recovery codes removed; " + std::to_string(ended) + " session(s) ended",
        now));
  });
}

Result<OperatorEnrolment> SessionService::enrol_totp_as_operator(const Principal& p,
                                                                 const std::string& user_id) {
  if (!p.local_operator_session)
    return forbidden("only the hub's operator enrols an authenticator for someone else");
  LIAISON_ASSIGN_OR_RETURN(User target, load_user(user_id));
  Timestamp now = clock_.now();
  std::string secret = trust::new_totp_secret();
  OperatorEnrolment out;
  out.totp = {trust::base32_encode(secret), trust::totp_uri(secret, target.email)};
  out.recovery_codes = trust::new_recovery_codes();
  std::vector<std::string> hashes;
  hashes.reserve(out.recovery_codes.size());
  for (const auto& c : out.recovery_codes) hashes.push_back(*trust::recovery_code_hash(c));
  std::string sealed = seal_secret(target.id, secret);
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Credentials c, credentials_in(tx, target.id));
    c.totp_secret_sealed = sealed;
    c.totp_confirmed_at = format_rfc3339_micros(now);
    c.totp_last_step.reset();
    LIAISON_TRY(tx.put_credentials(c));
    LIAISON_TRY(tx.replace_recovery_codes(target.id, hashes));
    return tx.insert_account_event(
        account_event::make(p, target, account_event::kTotpConfirmed,
                            "enrolled and confirmed by the hub's operator; " +
                                std::to_string(out.recovery_codes.size()) + " new recovery codes",
                            now));
  }));
  return out;
}

// --- login ---

Result<IssuedSession> SessionService::login(const LoginInput& in) {
  if (in.totp_code.has_value() == in.recovery_code.has_value()) {
    return in.totp_code
               ? Error::invalid("recovery_code", "give totp_code or recovery_code, not both")
               : Error::invalid("totp_code", "is required, or else recovery_code");
  }
  Timestamp now = clock_.now();
  LIAISON_TRY(check_attempt_allowed(in, now));
  auto result = attempt_login(in, now);
  if (result.ok()) limiter_.forgive(in.remote_address, now.unix_micros);
  return result;
}

Result<SessionService::PasswordProof> SessionService::prove_password(const LoginInput& in,
                                                                    Timestamp now) {
  PasswordProof proof;
  if (auto email = normalise_email(in.email, "email"); email.ok()) {
    LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
      auto u = tx.get_user_by_email(*email);
      if (!u.ok()) return u.error().code == ErrorCode::kNotFound ? Status() : u.take_error();
      proof.user = std::move(u.value());
      auto c = tx.get_credentials(proof.user->id);
      if (c.ok()) {
        proof.creds = std::move(c.value());
        return Ok{};
      }
      return c.error().code == ErrorCode::kNotFound ? Status() : c.take_error();
    }));
  }
  const auto& creds = proof.creds;
  // One Argon2id computation whether or not the account exists or has a
  // password, so the time taken does not tell.
  // A locked account is refused without looking at the password at all.
  bool locked_now =
      creds && creds->locked_until && *creds->locked_until > format_rfc3339_micros(now);
  if (locked_now) {
    // decided in the write
  } else if (creds && creds->password_hash) {
    proof.password_ok =
        gate_.run([&] { return trust::verify_password(*creds->password_hash, in.password); });
  } else {
    const std::string& dummy = dummy_hash();
    gate_.run([&] { return trust::verify_password(dummy, in.password); });
  }
  // The password is known now and only now: upgrade a hash made at another cost.
  if (proof.password_ok &&
      trust::password_needs_rehash(*creds->password_hash, policy_.password_cost)) {
    auto h = gate_.run([&] { return trust::hash_password(in.password, policy_.password_cost); });
    if (h.ok()) proof.rehashed = std::move(h.value());
  }
  return proof;
}

Status SessionService::log_attempt(WriteTx& tx, const std::optional<User>& user,
                                   const LoginInput& in, const char* type, std::string detail,
                                   Timestamp now) {
  return tx.insert_account_event(
      account_event::anonymous(user, type, std::move(detail), in.remote_address, now));
}

Status SessionService::count_failure(WriteTx& tx, const User& user, Credentials& c,
                                     const LoginInput& in, const std::string& failure,
                                     Timestamp now) {
  c.failed_logins += 1;
  LIAISON_TRY(log_attempt(tx, user, in, account_event::kLoginFailed, failure, now));
  if (c.failed_logins >= policy_.max_failed_logins) {
    c.failed_logins = 0;
    c.locked_until = format_rfc3339_micros(plus_seconds(now, policy_.lockout_seconds));
    LIAISON_TRY(log_attempt(tx, user, in, account_event::kLoginLocked,
                            "until " + *c.locked_until + ", after " +
                                std::to_string(policy_.max_failed_logins) + " consecutive failures",
                            now));
  }
  return tx.put_credentials(c);
}

Status SessionService::admit(WriteTx& tx, const LoginInput& in, const PasswordProof& proof,
                             Timestamp now, Admission& out) {
  const auto& user = proof.user;
  if (!user) {
    out.refusal = Refusal::kFailed;
    return log_attempt(tx, user, in, account_event::kLoginFailed,
                       "no account has this e-mail address", now);
  }
  LIAISON_ASSIGN_OR_RETURN(out.user, tx.get_user(user->id));
  LIAISON_ASSIGN_OR_RETURN(out.creds, credentials_in(tx, user->id));
  Credentials& c = out.creds;
  if (c.locked_until && *c.locked_until > format_rfc3339_micros(now)) {
    out.refusal = Refusal::kLocked;
    return log_attempt(tx, user, in, account_event::kLoginRefused,
                       "the account is locked until " + *c.locked_until, now);
  }
  if (out.user.disabled) {
    out.refusal = Refusal::kFailed;
    return log_attempt(tx, user, in, account_event::kLoginRefused, "the account is disabled", now);
  }
  if (!proof.password_ok) {
    out.refusal = Refusal::kFailed;
    return count_failure(tx, out.user, c,
                         in, c.password_hash ? "wrong password" : "the account has no password",
                         now);
  }
  out.refusal = Refusal::kNone;
  return Ok{};
}

Error SessionService::refused(const Admission& a, Timestamp now) {
  if (a.refusal == Refusal::kLocked) return locked_until(*a.creds.locked_until, now);
  return wrong_credentials();
}

Status SessionService::open_session(WriteTx& tx, const Admission& a, const LoginInput& in,
                                    const std::string& how, Timestamp now, IssuedSession& out) {
  std::string now_s = format_rfc3339_micros(now);
  out.secret = random_base64url(32);
  out.csrf_token = random_base64url(32);
  SessionRecord& s = out.record;
  s.id = random_uuid();
  s.user_id = a.user.id;
  s.session_hash = sha256_hex(out.secret);
  s.csrf_hash = sha256_hex(out.csrf_token);
  s.created_at = s.last_seen_at = now_s;
  s.expires_at = format_rfc3339_micros(plus_seconds(now, policy_.session_lifetime_seconds));
  s.remote_address = in.remote_address;
  LIAISON_TRY(tx.insert_session(s));
  AccountEvent ok = account_event::anonymous(a.user, account_event::kLoginSucceeded, how,
                                             in.remote_address, now);
  ok.actor_user_id = a.user.id;
  LIAISON_TRY(tx.insert_account_event(ok));
  out.user = a.user;
  if (a.user.org_id) {
    LIAISON_ASSIGN_OR_RETURN(Organisation org, tx.get_org(*a.user.org_id));
    out.org = std::move(org);
  }
  return Ok{};
}

Result<IssuedSession> SessionService::attempt_login(const LoginInput& in, Timestamp now) {
  LIAISON_ASSIGN_OR_RETURN(PasswordProof proof, prove_password(in, now));
  const auto& creds = proof.creds;
  std::optional<std::int64_t> step;
  if (proof.password_ok && in.totp_code && creds->totp_confirmed_at && creds->totp_secret_sealed) {
    auto secret = open_secret(proof.user->id, *creds->totp_secret_sealed);
    if (secret.ok()) step = trust::totp_match(*secret, *in.totp_code, now.seconds());
  }
  std::optional<std::string> code_hash;
  if (in.recovery_code) code_hash = trust::recovery_code_hash(*in.recovery_code);

  // The decision, against the state as it is now: a lockout or a used code
  // recorded by a concurrent attempt since the read above counts.
  Admission a;
  bool no_second_factor = false;
  IssuedSession issued;
  std::string now_s = format_rfc3339_micros(now);
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_TRY(admit(tx, in, proof, now, a));
    if (a.refusal != Refusal::kNone) return Ok{};
    Credentials& c = a.creds;
    if (!c.totp_confirmed_at) {
      no_second_factor = true;
      return log_attempt(tx, a.user, in, account_event::kLoginRefused,
                         "the account has no confirmed authenticator", now);
    }
    std::string failure;
    bool recovery_used = false;
    if (in.totp_code) {
      if (!step) {
        failure = "wrong TOTP code";
      } else if (c.totp_last_step && *step <= *c.totp_last_step) {
        failure = "a TOTP code that was already used";
      } else {
        c.totp_last_step = *step;
      }
    } else if (!code_hash) {
      failure = "not a recovery code";
    } else {
      Status used = tx.use_recovery_code(a.user.id, *code_hash, now_s);
      if (!used.ok() && used.error().code != ErrorCode::kNotFound) return used;
      if (used.ok()) {
        recovery_used = true;
      } else {
        failure = "an unknown or already used recovery code";
      }
    }
    if (!failure.empty()) {
      a.refusal = Refusal::kFailed;
      return count_failure(tx, a.user, c, in, failure, now);
    }

    c.failed_logins = 0;
    c.locked_until.reset();
    if (proof.rehashed) c.password_hash = proof.rehashed;
    LIAISON_TRY(tx.put_credentials(c));
    std::string how = "with a TOTP code";
    if (recovery_used) {
      LIAISON_ASSIGN_OR_RETURN(auto codes, tx.list_recovery_codes(a.user.id));
      std::size_t left = 0;
      for (const auto& rc : codes) left += rc.used_at ? 0 : 1;
      how = "with a recovery code";
      LIAISON_TRY(log_attempt(tx, a.user, in, account_event::kRecoveryCodeUsed,
                              std::to_string(left) + " left", now));
    }
    return open_session(tx, a, in, how, now, issued);
  }));

  if (a.refusal != Refusal::kNone) return refused(a, now);
  if (no_second_factor) {
    // The one refusal that follows a right password: clients tell it by its
    // type and offer enrolment.
    Error e = forbidden(
        "interactive login needs a password and a confirmed TOTP authenticator, and this account "
        "has none yet; enrol one at POST /api/v1/session/enrolment");
    e.type = "enrolment-required";
    return e;
  }
  return issued;
}

// --- enrolment at first sign-in ---

Status SessionService::check_attempt_allowed(const LoginInput& in, Timestamp now) {
  if (in.email.empty()) return Error::invalid("email", "is required");
  if (in.password.empty()) return Error::invalid("password", "is required");
  std::int64_t wait = limiter_.begin(in.remote_address, now.unix_micros);
  if (wait > 0) {
    Error e = Error::make(ErrorCode::kRateLimited, "too many failed logins from this address");
    e.retry_after_seconds = (wait + kMicros - 1) / kMicros;
    e.message += "; try again in " + std::to_string(e.retry_after_seconds) + " seconds";
    return e;
  }
  return Ok{};
}

namespace {

Error already_enrolled() {
  return Error::make(ErrorCode::kConflict,
                     "an authenticator is already active for this account: sign in with its "
                     "code, or ask an administrator of the account to reset it");
}

}  // namespace

Result<TotpEnrolment> SessionService::begin_enrolment_at_sign_in(const LoginInput& in) {
  Timestamp now = clock_.now();
  LIAISON_TRY(check_attempt_allowed(in, now));
  LIAISON_ASSIGN_OR_RETURN(PasswordProof proof, prove_password(in, now));
  std::string secret = trust::new_totp_secret();
  Admission a;
  bool enrolled_before = false;
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_TRY(admit(tx, in, proof, now, a));
    if (a.refusal != Refusal::kNone) return Ok{};
    Credentials& c = a.creds;
    if (c.totp_confirmed_at) {
      enrolled_before = true;
      return log_attempt(tx, a.user, in, account_event::kLoginRefused,
                         "an enrolment at sign-in for an account whose authenticator is active",
                         now);
    }
    // A new start replaces a pending secret: only the latest one shown works.
    c.totp_secret_sealed = seal_secret(a.user.id, secret);
    c.totp_last_step.reset();
    c.failed_logins = 0;
    if (proof.rehashed) c.password_hash = proof.rehashed;
    LIAISON_TRY(tx.put_credentials(c));
    return log_attempt(tx, a.user, in, account_event::kTotpEnrolled,
                       "enrolment started at sign-in; not active until confirmed", now);
  }));
  if (a.refusal != Refusal::kNone) return refused(a, now);
  limiter_.forgive(in.remote_address, now.unix_micros);
  if (enrolled_before) return already_enrolled();
  return TotpEnrolment{trust::base32_encode(secret), trust::totp_uri(secret, a.user.email)};
}

Result<SignInEnrolment> SessionService::confirm_enrolment_at_sign_in(
    const LoginInput& in, const std::string& new_password) {
  Timestamp now = clock_.now();
  if (!in.totp_code) return Error::invalid("totp_code", "is required");
  LIAISON_TRY(check_attempt_allowed(in, now));
  LIAISON_ASSIGN_OR_RETURN(PasswordProof proof, prove_password(in, now));
  const auto& creds = proof.creds;
  bool pending_read = proof.password_ok && creds->totp_secret_sealed && !creds->totp_confirmed_at;
  // Who was handed the first password (an administrator set it) could have
  // enrolled too; only the holder's own new password ends that.
  std::optional<std::string> new_hash;
  std::optional<std::int64_t> step;
  if (pending_read) {
    LIAISON_TRY(trust::check_new_password(new_password, proof.user->email, "new_password"));
    if (new_password == in.password)
      return Error::invalid("new_password", "must differ from the password you signed in with");
    LIAISON_ASSIGN_OR_RETURN(std::string secret,
                             open_secret(proof.user->id, *creds->totp_secret_sealed));
    step = trust::totp_match(secret, *in.totp_code, now.seconds());
    if (step) {
      auto h =
          gate_.run([&] { return trust::hash_password(new_password, policy_.password_cost); });
      if (!h.ok()) return h.take_error();
      new_hash = std::move(h.value());
    }
  }
  std::vector<std::string> codes = trust::new_recovery_codes();
  std::vector<std::string> hashes;
  hashes.reserve(codes.size());
  for (const auto& code : codes) hashes.push_back(*trust::recovery_code_hash(code));

  enum class Outcome { kSignedIn, kAlreadyEnrolled, kNothingPending, kWrongCode };
  Outcome outcome = Outcome::kSignedIn;
  Admission a;
  SignInEnrolment out;
  std::string now_s = format_rfc3339_micros(now);
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_TRY(admit(tx, in, proof, now, a));
    if (a.refusal != Refusal::kNone) return Ok{};
    Credentials& c = a.creds;
    if (c.totp_confirmed_at) {
      outcome = Outcome::kAlreadyEnrolled;
      return Ok{};
    }
    // The code was checked against the pending secret read above, which must
    // still be the pending one.
    if (!pending_read || c.totp_secret_sealed != creds->totp_secret_sealed) {
      outcome = Outcome::kNothingPending;
      return Ok{};
    }
    if (!step) {
      outcome = Outcome::kWrongCode;
      return count_failure(tx, a.user, c, in, "wrong TOTP code while enrolling", now);
    }
    c.totp_confirmed_at = now_s;
    c.totp_last_step = *step;  // the code just shown signs in this once
    c.password_hash = new_hash;
    c.password_changed_at = now_s;
    c.failed_logins = 0;
    c.locked_until.reset();
    LIAISON_TRY(tx.put_credentials(c));
    LIAISON_TRY(tx.replace_recovery_codes(a.user.id, hashes));
    LIAISON_ASSIGN_OR_RETURN(std::int64_t ended,
                             tx.revoke_sessions_of_user(a.user.id, now_s, std::nullopt));
    std::string detail = "authenticator active at sign-in, with the holder's own password; " +
                         std::to_string(codes.size()) + " new recovery codes";
    if (ended > 0) detail += "; " + std::to_string(ended) + " earlier session(s) ended";
    LIAISON_TRY(log_attempt(tx, a.user, in, account_event::kTotpConfirmed, detail, now));
    return open_session(tx, a, in, "with a TOTP code, on enrolling it", now, out.session);
  }));
  if (a.refusal != Refusal::kNone) return refused(a, now);
  switch (outcome) {
    case Outcome::kAlreadyEnrolled:
      return already_enrolled();
    case Outcome::kNothingPending:
      return Error::make(ErrorCode::kConflict,
                         "no enrolment is pending for this account; start one at POST "
                         "/api/v1/session/enrolment");
    case Outcome::kWrongCode:
      return Error::invalid("totp_code", "is not the new authenticator's current code");
    case Outcome::kSignedIn:
      break;
  }
  limiter_.forgive(in.remote_address, now.unix_micros);
  out.recovery_codes = std::move(codes);
  return out;
}

// --- sessions ---

Result<Principal> SessionService::authenticate_session(const std::string& secret) {
  auto unauthenticated = [](const std::string& why) {
    return Error::make(ErrorCode::kUnauthenticated, why);
  };
  if (secret.empty() || secret.size() > 128)
    return unauthenticated("the session cookie is malformed");
  Timestamp now = clock_.now();
  std::string now_s = format_rfc3339_micros(now);
  Principal p;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    auto holder = tx.get_session_holder(sha256_hex(secret));
    if (!holder.ok()) {
      if (holder.error().code == ErrorCode::kNotFound)
        return unauthenticated("the session is not known");
      return holder.take_error();
    }
    const SessionRecord& s = holder->session;
    if (s.revoked_at) return unauthenticated("the session has ended");
    if (s.expires_at <= now_s) return unauthenticated("the session has expired");
    LIAISON_ASSIGN_OR_RETURN(Timestamp seen, parse_rfc3339(s.last_seen_at, "last_seen_at"));
    {
      std::lock_guard lock(activity_mu_);
      if (auto it = last_seen_.find(s.id); it != last_seen_.end() && it->second > seen.unix_micros)
        seen.unix_micros = it->second;
    }
    if (plus_seconds(seen, policy_.session_idle_seconds) <= now)
      return unauthenticated("the session has expired after a time without use");
    if (holder->user.disabled) return unauthenticated("the account is disabled");
    p.user = std::move(holder->user);
    p.org = std::move(holder->org);
    p.session_id = s.id;
    p.csrf_hash = s.csrf_hash;
    p.scopes = scopes_allowed_for(p.user);
    return Ok{};
  }));
  std::lock_guard lock(activity_mu_);
  auto& seen = last_seen_[p.session_id];
  seen = std::max(seen, now.unix_micros);
  return p;
}

bool SessionService::csrf_matches(const Principal& p, std::string_view csrf_token) const {
  return p.via_session() && !csrf_token.empty() &&
         trust::constant_time_equal(sha256_hex(csrf_token), p.csrf_hash);
}

Result<SessionView> SessionService::current_session(const Principal& p) {
  if (!p.via_session())
    return Error::not_found("no session: this request was authenticated by a bearer token");
  SessionView out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto sessions, tx.list_sessions(p.user.id));
    for (auto& s : sessions) {
      if (s.id == p.session_id) out.record = std::move(s);
    }
    return out.record.id.empty() ? Error::not_found("session " + p.session_id + " not found")
                                 : Status();
  }));
  LIAISON_ASSIGN_OR_RETURN(Timestamp seen, parse_rfc3339(out.record.last_seen_at, "last_seen_at"));
  {
    std::lock_guard lock(activity_mu_);
    if (auto it = last_seen_.find(p.session_id); it != last_seen_.end())
      seen.unix_micros = std::max(seen.unix_micros, it->second);
  }
  out.record.last_seen_at = format_rfc3339_micros(seen);
  Timestamp idle_end = plus_seconds(seen, policy_.session_idle_seconds);
  out.idle_expires_at = std::min(format_rfc3339_micros(idle_end), out.record.expires_at);
  return out;
}

Status SessionService::logout(const Principal& p) {
  if (!p.via_session())
    return Error::not_found("no session: this request was authenticated by a bearer token");
  Timestamp now = clock_.now();
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    LIAISON_TRY(tx.revoke_session(p.session_id, format_rfc3339_micros(now)));
    return tx.insert_account_event(
        account_event::make(p, p.user, account_event::kSessionEnded, "logged out", now));
  }));
  std::lock_guard lock(activity_mu_);
  last_seen_.erase(p.session_id);
  return Ok{};
}

Status SessionService::flush_activity() {
  std::unordered_map<std::string, std::int64_t> pending;
  {
    std::lock_guard lock(activity_mu_);
    pending.swap(last_seen_);
  }
  if (pending.empty()) return Ok{};
  Status s = store_.write([&](WriteTx& tx) -> Status {
    for (const auto& [id, micros] : pending)
      LIAISON_TRY(tx.touch_session(id, format_rfc3339_micros(Timestamp{micros})));
    return Ok{};
  });
  if (!s.ok()) {
    // Keep what could not be written, so an idle check does not see an older time.
    std::lock_guard lock(activity_mu_);
    for (const auto& [id, micros] : pending) {
      auto& seen = last_seen_[id];
      seen = std::max(seen, micros);
    }
  }
  return s;
}

}  // namespace liaison
