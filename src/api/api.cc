#include "api/api.h"

#include <fmt/format.h>
#include <strings.h>

#include <charconv>
#include <cstdio>
#include <fstream>

#include "api/hi1_codec.h"
#include "api/json_body.h"
#include "api/representation.h"
#include "api/route_json.h"
#include "core/content_range.h"
#include "core/duration.h"
#include "core/name_list.h"
#include "core/permissions.h"
#include "core/request_json.h"
#include "http/cookie.h"
#include "http/problem.h"
#include "http/range.h"

namespace liaison::api {

using http::Response;
using nlohmann::json;

struct Context {
  http::Request& req;
  PathParams params;
  Principal principal;

  const std::string& param(const char* name) { return params[name]; }
};

namespace {

Response json_response(int status, const json& body) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", "application/json");
  // Details may quote client input; invalid UTF-8 in it must not turn an error into a 500.
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response error_response(const Error& e, const http::Request& req) {
  return http::problem_response(e, req.request_id);
}

Response request_response(int status, RequestView v) {
  Response r;
  if (v.verification_text && !v.verification) {
    // The stored report goes out as the text it was stored as. Keys are
    // written in order and string contents have their quotes escaped, so the
    // top-level member below occurs exactly once.
    std::string report = std::move(*v.verification_text);
    v.verification_text.reset();
    r = json_response(status, to_json(v));
    constexpr std::string_view kNull = "\"verification\":null";
    auto at = r.body.find(kNull);
    if (at != std::string::npos) r.body.replace(at, kNull.size(), "\"verification\":" + report);
  } else {
    r = json_response(status, to_json(v));
  }
  r.headers.set("ETag", fmt::format("\"{}\"", v.request.version));
  return r;
}

// Refuses query parameters a route does not know, so a typo in a filter is
// not silently ignored.
Status check_query(const http::Request& req, const std::vector<std::string>& allowed) {
  for (const auto& [name, _] : req.query) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return Error::invalid(name, "unknown query parameter");
    }
  }
  return Ok{};
}

Status require_json(const http::Request& req) {
  auto ct = req.headers.get("Content-Type");
  std::string_view type = ct ? std::string_view(*ct) : std::string_view();
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  constexpr std::string_view kJson = "application/json";
  if (type.size() != kJson.size() || strncasecmp(type.data(), kJson.data(), kJson.size()) != 0) {
    return Error::invalid("Content-Type", "must be application/json");
  }
  return Ok{};
}

Result<std::optional<IdempotencyKey>> idempotency_key(const http::Request& req,
                                                      std::string_view fingerprint_extra) {
  auto key = req.headers.get("Idempotency-Key");
  if (!key) return std::optional<IdempotencyKey>();
  LIAISON_TRY(validate_idempotency_key(*key));
  std::string what = req.method + " " + req.path + "\n" + std::string(fingerprint_extra);
  return std::optional<IdempotencyKey>(IdempotencyKey{*key, sha256_hex(what)});
}

// The version an If-Match header asks for. "*" matches any current version.
// If-Match uses strong comparison (RFC 9110 §13.1.1), so a weak ETag never
// matches.
Result<std::optional<std::int64_t>> if_match_version(const http::Request& req) {
  auto h = req.headers.get("If-Match");
  if (!h || *h == "*") return std::optional<std::int64_t>();
  std::string v = *h;
  if (v.rfind("W/", 0) == 0) {
    return Error::make(ErrorCode::kPreconditionFailed,
                       "a weak ETag never matches If-Match; send the ETag as given");
  }
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size()) {
    return Error::invalid("If-Match", "must be one ETag this hub issued, such as \"3\", or *");
  }
  return std::optional<std::int64_t>(n);
}

// NOLINTBEGIN(bugprone-macro-parentheses): lhs is a declaration, not an expression
#define API_TRY_ASSIGN(lhs, expr)                                           \
  auto LIAISON_CONCAT(api_r_, __LINE__) = (expr);                           \
  if (!LIAISON_CONCAT(api_r_, __LINE__).ok())                               \
    return error_response(LIAISON_CONCAT(api_r_, __LINE__).error(), c.req); \
  lhs = std::move(LIAISON_CONCAT(api_r_, __LINE__)).value()
// NOLINTEND(bugprone-macro-parentheses)
#define API_TRY(expr)                                               \
  do {                                                              \
    auto&& api_s_ = (expr);                                         \
    if (!api_s_.ok()) return error_response(api_s_.error(), c.req); \
  } while (0)

}  // namespace

Api::Api(ApiDependencies deps) : deps_(std::move(deps)) {
  const std::vector<std::string> list_query = {"status",          "kind",   "provider_id",
                                               "deadline_before", "cursor", "limit"};
  const std::vector<Route<Method>> table = {
      {"GET", "/health/live", &Api::live, false},
      {"GET", "/health/ready", &Api::ready, false},
      {"GET", "/metrics", &Api::metrics, false},
      // Logging in needs no credentials but the ones in its body.
      {"POST", "/api/v1/session", &Api::login, false},
      // So is enrolling an authenticator at first sign-in, with the password.
      {"POST", "/api/v1/session/enrolment", &Api::begin_sign_in_enrolment, false},
      {"POST", "/api/v1/session/enrolment/confirm", &Api::confirm_sign_in_enrolment, false},
      {"GET", "/api/v1/session", &Api::get_session},
      {"DELETE", "/api/v1/session", &Api::logout},
      {"GET", "/api/v1/me", &Api::me},
      {"GET", "/api/v1/organisations", &Api::list_orgs},
      {"GET",
       "/api/v1/routes",
       &Api::list_routes,
       true,
       false,
       {"requesting_country", "authority_type", "provider_id", "provider_country",
        "eu_representative_country", "category", "kind", "urgency", "offence_category",
        "max_penalty_months", "date", "offers_services_in_requesting_country"}},
      {"POST", "/api/v1/organisations", &Api::create_org, ScopeRule::kAdmin},
      {"POST", "/hi1", &Api::hi1, true, true, {}, true},
      {"GET", "/api/v1/organisations/{id}", &Api::get_org},
      {"GET", "/api/v1/organisations/{id}/users", &Api::list_users},
      {"POST", "/api/v1/organisations/{id}/users", &Api::create_user, ScopeRule::kAdmin},
      {"GET", "/api/v1/users/{id}", &Api::get_user},
      {"PATCH", "/api/v1/users/{id}", &Api::update_user, ScopeRule::kAdmin},
      {"PUT", "/api/v1/users/{id}/password", &Api::set_password, ScopeRule::kAdminUnlessSelf},
      {"POST", "/api/v1/users/{id}/totp", &Api::begin_totp},
      {"POST", "/api/v1/users/{id}/totp/confirm", &Api::confirm_totp},
      {"DELETE", "/api/v1/users/{id}/totp", &Api::reset_totp, ScopeRule::kAdmin},
      {"GET", "/api/v1/users/{id}/tokens", &Api::list_tokens},
      {"POST", "/api/v1/users/{id}/tokens", &Api::create_token},
      {"DELETE", "/api/v1/users/{id}/tokens/{token_id}", &Api::revoke_token,
       ScopeRule::kAdminUnlessSelf},
      {"GET", "/api/v1/organisations/{id}/signing-policy", &Api::get_signing_policy},
      {"PUT", "/api/v1/organisations/{id}/signing-policy", &Api::put_signing_policy,
       ScopeRule::kAdmin},
      {"GET", "/api/v1/trust", &Api::export_trust},
      {"GET",
       "/api/v1/trust/certificates",
       &Api::list_certificates,
       true,
       false,
       {"kind", "organisation"}},
      {"POST", "/api/v1/trust/certificates", &Api::add_certificate, ScopeRule::kAdmin},
      {"POST", "/api/v1/trust/roots", &Api::add_root, ScopeRule::kAdmin},
      {"DELETE", "/api/v1/trust/roots/{fingerprint}", &Api::distrust_root, ScopeRule::kAdmin},
      {"GET", "/api/v1/trust/revocations", &Api::list_revocations},
      {"POST", "/api/v1/trust/revocations", &Api::add_revocation_list, ScopeRule::kAdmin},
      {"GET", "/api/v1/quarantine", &Api::list_quarantine, true, false, {"limit"}},
      {"GET", "/api/v1/transparency", &Api::transparency, true, false, {"provider_id", "format"}},
      {"GET", "/api/v1/ledger/checkpoint", &Api::ledger_checkpoint},
      {"POST", "/api/v1/ledger/cosignatures", &Api::ledger_cosign},
      {"GET", "/api/v1/ledger/entries", &Api::ledger_entries, true, false, {"start", "end"}},
      {"GET",
       "/api/v1/ledger/proof/inclusion",
       &Api::ledger_inclusion,
       true,
       false,
       {"leaf_index", "hash", "tree_size"}},
      {"GET",
       "/api/v1/ledger/proof/consistency",
       &Api::ledger_consistency,
       true,
       false,
       {"first", "second"}},
      {"GET",
       "/api/v1/directory",
       &Api::list_directory,
       true,
       false,
       {"country", "category", "q", "cursor", "limit"}},
      {"POST", "/api/v1/directory", &Api::create_directory_entry, ScopeRule::kAdmin},
      {"GET", "/api/v1/directory/{id}", &Api::get_directory_entry},
      {"PUT", "/api/v1/directory/{id}", &Api::update_directory_entry, ScopeRule::kAdmin},
      {"GET", "/api/v1/directory/{id}/revisions", &Api::list_directory_revisions},
      {"GET", "/api/v1/requests", &Api::list_requests, true, false, list_query},
      {"POST", "/api/v1/requests", &Api::create_request},
      {"POST", "/api/v1/requests/signed", &Api::receive_signed},
      {"GET", "/api/v1/requests/{id}", &Api::get_request},
      {"POST", "/api/v1/requests/{id}/actions", &Api::act_on_request},
      {"POST", "/api/v1/requests/{id}/signatures", &Api::add_signature},
      {"PUT", "/api/v1/requests/{id}/validator", &Api::put_validator},
      {"GET", "/api/v1/requests/{id}/signed", &Api::get_signed},
      {"GET", "/api/v1/requests/{id}/receipts", &Api::request_receipts},
      {"GET", "/api/v1/requests/{id}/events", &Api::list_events},
      {"GET", "/api/v1/requests/{id}/messages", &Api::list_messages},
      {"POST", "/api/v1/requests/{id}/messages", &Api::post_message},
      {"GET", "/api/v1/requests/{id}/attachments", &Api::list_attachments},
      {"POST",
       "/api/v1/requests/{id}/attachments",
       &Api::upload_attachment,
       true,
       true,
       {"name", "purpose"}},
      {"GET", "/api/v1/requests/{id}/attachments/{attachment_id}", &Api::get_attachment},
      {"GET", "/api/v1/requests/{id}/attachments/{attachment_id}/content",
       &Api::download_attachment},
      {"GET", "/api/v1/requests/{id}/packages", &Api::list_packages},
      {"GET", "/api/v1/requests/{id}/packages/{package_id}", &Api::get_package},
      {"POST", "/api/v1/requests/{id}/packages/{package_id}/verifications",
       &Api::report_verification},
      {"POST", "/api/v1/requests/{id}/packages/uploads", &Api::start_upload},
      {"GET", "/api/v1/requests/{id}/packages/uploads/{upload_id}", &Api::get_upload},
      {"PUT", "/api/v1/requests/{id}/packages/uploads/{upload_id}", &Api::put_upload_part, true,
       true},
      {"GET",
       "/api/v1/holds",
       &Api::list_holds,
       true,
       false,
       {"status", "expiring_before", "cursor", "limit"}},
      {"GET", "/api/v1/holds/{id}", &Api::get_hold},
      {"POST", "/api/v1/holds/{id}/release", &Api::release_hold},
      {"GET", "/api/v1/deadlines", &Api::list_deadlines, true, false, {"within"}},
      {"GET", "/api/v1/reminders", &Api::list_reminders, true, false, {"undelivered"}},
      {"POST", "/api/v1/reminders/{id}/delivered", &Api::reminder_delivered},
  };
  for (const auto& r : table) routes_.push_back({r, split_path(r.pattern)});
}

std::vector<std::string> Api::route_list() const {
  std::vector<std::string> out;
  for (const auto& r : routes_) out.push_back(r.route.method + " " + r.route.pattern);
  return out;
}

bool Api::is_upload(const std::string& method, const std::string& path) const {
  auto segments = split_path(path);
  PathParams ignored;
  for (const auto& r : routes_) {
    if (r.route.upload && r.route.method == method && match_path(r.segments, segments, ignored))
      return true;
  }
  return false;
}

namespace {

// The paths the API owns; everything else is the portal's.
bool is_api_path(std::string_view path) {
  auto under = [&](std::string_view prefix) {
    return path == prefix ||
           (path.size() > prefix.size() && path.substr(0, prefix.size()) == prefix &&
            path[prefix.size()] == '/');
  };
  return under("/api") || under("/hi1") || under("/health") || under("/metrics");
}

}  // namespace

Response Api::handle(http::Request& request) {
  if (deps_.site != nullptr && !is_api_path(request.path)) {
    if (auto page = deps_.site->serve(request)) return std::move(*page);
  }
  Response r;
  try {
    r = dispatch(request);
  } catch (const std::exception& e) {
    r = http::problem_response(Error::internal(std::string("unexpected failure: ") + e.what()),
                               request.request_id);
  }
  // An upload the handler did not consume (refused before reading) must not linger.
  if (request.body_file) std::remove(request.body_file->c_str());
  r.headers.set("Cache-Control", "no-store");
  // Attachments are served with the type their uploader declared; never let a
  // browser guess a more dangerous one.
  r.headers.set("X-Content-Type-Options", "nosniff");
  return r;
}

Response Api::dispatch(http::Request& request) {
  auto segments = split_path(request.path);
  std::string allow;
  for (const auto& r : routes_) {
    PathParams params;
    if (!match_path(r.segments, segments, params)) continue;
    bool head_as_get = request.method == "HEAD" && r.route.method == "GET";
    if (r.route.method != request.method && !head_as_get) {
      allow += (allow.empty() ? "" : ", ") + r.route.method;
      continue;
    }
    if (request.method == "GET" || request.method == "HEAD") {
      // A read sees one snapshot from authentication to answer, and costs one
      // database transaction instead of one per service call.
      Response out;
      Status s = deps_.store.read([&](ReadTx&) -> Status {
        out = run_route(r.route, std::move(params), request);
        return Ok{};
      });
      return s.ok() ? out : error_response(s.error(), request);
    }
    return run_route(r.route, std::move(params), request);
  }
  if (!allow.empty()) {
    Response r = http::problem_response(405, "method-not-allowed", "Method not allowed",
                                        request.method + " is not allowed on " + request.path,
                                        request.request_id);
    r.headers.set("Allow", allow);
    return r;
  }
  return http::problem_response(404, "not-found", "Not found", "no resource at " + request.path,
                                request.request_id);
}

std::optional<Response> Api::authenticate_certificate(Context& c) {
  auto by_certificate =
      deps_.hi1->caller_for_certificate(c.req.client_certificate, *deps_.hi1_tls_clients);
  if (!by_certificate.ok()) return error_response(by_certificate.error(), c.req);
  if (!c.req.headers.get("Authorization")) {
    c.principal = std::move(by_certificate).value();
    return std::nullopt;
  }
  // A token as well: both must hold, for one organisation, and the token's
  // account (a person, not the link) is the caller.
  if (auto refused = authenticate(c, false)) return refused;
  if (c.principal.user.org_id != by_certificate->user.org_id) {
    return error_response(Error::make(ErrorCode::kUnauthenticated,
                                      "the API token is not of the organisation the TLS client "
                                      "certificate is trusted for"),
                          c.req);
  }
  return std::nullopt;
}

std::optional<Response> Api::authenticate(Context& c, bool by_certificate) {
  http::Request& request = c.req;
  if (by_certificate && !request.client_certificate.empty() && deps_.hi1 != nullptr &&
      deps_.hi1_tls_clients != nullptr) {
    return authenticate_certificate(c);
  }
  // A bearer token wins over a cookie: a program that sends one means it.
  if (auto auth = request.headers.get("Authorization")) {
    if (auth->size() < 7 || strncasecmp(auth->c_str(), "Bearer ", 7) != 0) {
      return error_response(Error::make(ErrorCode::kUnauthenticated,
                                        "send an API token as 'Authorization: Bearer <token>'"),
                            request);
    }
    auto principal = deps_.accounts.authenticate(auth->substr(7));
    if (!principal.ok()) return error_response(principal.error(), request);
    c.principal = std::move(principal.value());
    return std::nullopt;
  }
  auto cookie = http::cookie_value(request.headers, kSessionCookie);
  if (!cookie) {
    return error_response(
        Error::make(ErrorCode::kUnauthenticated,
                    "send an API token as 'Authorization: Bearer <token>', or log in with POST "
                    "/api/v1/session for a session cookie"),
        request);
  }
  auto principal = deps_.sessions.authenticate_session(*cookie);
  if (!principal.ok()) {
    Response r = error_response(principal.error(), request);
    // The browser may as well forget a cookie that no longer works.
    r.headers.set("Set-Cookie", http::set_cookie(kSessionCookie, "", {0, deps_.secure_cookies}));
    return r;
  }
  c.principal = std::move(principal.value());
  // A browser attaches the cookie to requests other sites make it send; only
  // a page that read the CSRF token from the login answer can echo it back.
  if (request.method != "GET" && request.method != "HEAD") {
    auto csrf = request.headers.get("X-CSRF-Token");
    if (!csrf || csrf->empty()) {
      return http::problem_response(403, "csrf-token-missing", "CSRF token missing",
                                    "a request authenticated by the session cookie must send "
                                    "the session's CSRF token as X-CSRF-Token",
                                    request.request_id);
    }
    if (!deps_.sessions.csrf_matches(c.principal, *csrf)) {
      return http::problem_response(403, "csrf-token-invalid", "CSRF token invalid",
                                    "X-CSRF-Token is not this session's CSRF token",
                                    request.request_id);
    }
  }
  return std::nullopt;
}

Response Api::run_route(const Route<Method>& route, PathParams params, http::Request& request) {
  Context c{request, std::move(params), {}};
  if (route.authenticated) {
    if (auto refused = authenticate(c, route.client_certificate)) return std::move(*refused);
    c.principal.remote_address = request.remote_address;
    auto subject = c.params.find("id");
    bool self = subject != c.params.end() && subject->second == c.principal.user.id;
    Scopes needed = scopes_needed(request.method, route.scope, self);
    if (!c.principal.scopes.covers(needed)) {
      std::string missing;
      for (Scope s : {Scope::kRead, Scope::kWrite, Scope::kAdmin}) {
        if (needed.has(s) && !c.principal.scopes.has(s))
          missing += (missing.empty() ? "" : ",") + std::string(scope_name(s));
      }
      Response r = http::problem_response(403, "insufficient-scope", "Insufficient scope",
                                          "this token lacks the " + missing + " scope that " +
                                              route.method + " " + route.pattern + " needs",
                                          request.request_id);
      json body = json::parse(r.body);
      body["required_scope"] = missing;
      r.body = body.dump();
      return r;
    }
  }
  if (auto q = check_query(request, route.query); !q.ok())
    return error_response(q.error(), request);
  return (this->*route.handler)(c);
}

// --- health and metrics ---

Response Api::live(Context&) { return json_response(200, {{"status", "live"}}); }

Response Api::ready(Context& c) {
  Status s = deps_.store.read([](ReadTx& tx) -> Status {
    return tx.list_orgs().ok() ? Status()
                               : Error::make(ErrorCode::kUnavailable, "database not readable");
  });
  if (!s.ok())
    return error_response(
        Error::make(ErrorCode::kUnavailable, "the database is not ready: " + s.error().message),
        c.req);
  return json_response(200, {{"status", "ready"}});
}

Response Api::metrics(Context&) {
  std::string out;
  out += "# HELP liaison_build_info Version of the running hub.\n# TYPE liaison_build_info gauge\n";
  out += fmt::format("liaison_build_info{{version=\"{}\"}} 1\n", deps_.version);
  if (stats_ != nullptr) {
    out +=
        "# HELP liaison_http_requests_total HTTP requests served.\n# TYPE "
        "liaison_http_requests_total counter\n";
    out += fmt::format("liaison_http_requests_total {}\n", stats_->requests_total.load());
    out +=
        "# HELP liaison_http_responses_total HTTP responses by status class.\n"
        "# TYPE liaison_http_responses_total counter\n";
    out += fmt::format("liaison_http_responses_total{{class=\"2xx\"}} {}\n",
                       stats_->responses_2xx.load());
    out += fmt::format("liaison_http_responses_total{{class=\"4xx\"}} {}\n",
                       stats_->responses_4xx.load());
    out += fmt::format("liaison_http_responses_total{{class=\"5xx\"}} {}\n",
                       stats_->responses_5xx.load());
    out +=
        "# HELP liaison_http_request_duration_seconds_sum Time spent serving requests.\n"
        "# TYPE liaison_http_request_duration_seconds_sum counter\n";
    out += fmt::format("liaison_http_request_duration_seconds_sum {:.6f}\n",
                       static_cast<double>(stats_->latency_micros_total.load()) / 1e6);
    out +=
        "# HELP liaison_http_open_connections Connections open now.\n"
        "# TYPE liaison_http_open_connections gauge\n";
    out += fmt::format("liaison_http_open_connections {}\n", stats_->open_connections.load());
    out +=
        "# HELP liaison_http_rejected_connections_total Connections refused at the limit.\n"
        "# TYPE liaison_http_rejected_connections_total counter\n";
    out += fmt::format("liaison_http_rejected_connections_total {}\n",
                       stats_->rejected_connections.load());
  }
  out += "# HELP liaison_requests Requests on this hub by status.\n# TYPE liaison_requests gauge\n";
  (void)deps_.store.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto counts, tx.count_requests_by_status());
    for (const auto& [status, n] : counts)
      out += fmt::format("liaison_requests{{status=\"{}\"}} {}\n", status, n);
    return Ok{};
  });
  Response r;
  r.headers.set("Content-Type", "text/plain; version=0.0.4");
  r.body = std::move(out);
  return r;
}

// --- sessions ---

namespace {

// The body of a response that opens a session, and its cookie.
Response session_response(const IssuedSession& issued, const SessionPolicy& policy,
                          bool secure_cookies, json extra = json::object()) {
  json user = to_json(issued.user);
  user["organisation"] = issued.org ? to_json(*issued.org) : json(nullptr);
  json body = {{"csrf_token", issued.csrf_token},
               {"expires_at", issued.record.expires_at},
               {"idle_timeout_seconds", policy.session_idle_seconds},
               {"user", user}};
  body.update(extra);
  Response r = json_response(201, body);
  r.headers.set("Set-Cookie", http::set_cookie(kSessionCookie, issued.secret,
                                               {policy.session_lifetime_seconds, secure_cookies}));
  return r;
}

}  // namespace

Response Api::login(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto body,
                 JsonBody::parse(c.req.body, {"email", "password", "totp_code", "recovery_code"}));
  LoginInput in;
  API_TRY_ASSIGN(in.email, body.required_string("email"));
  API_TRY_ASSIGN(in.password, body.required_string("password"));
  API_TRY_ASSIGN(in.totp_code, body.optional_string("totp_code"));
  API_TRY_ASSIGN(in.recovery_code, body.optional_string("recovery_code"));
  in.remote_address = c.req.remote_address;
  API_TRY_ASSIGN(auto issued, deps_.sessions.login(in));
  return session_response(issued, deps_.sessions.policy(), deps_.secure_cookies);
}

Response Api::begin_sign_in_enrolment(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto body, JsonBody::parse(c.req.body, {"email", "password"}));
  LoginInput in;
  API_TRY_ASSIGN(in.email, body.required_string("email"));
  API_TRY_ASSIGN(in.password, body.required_string("password"));
  in.remote_address = c.req.remote_address;
  API_TRY_ASSIGN(auto enrolment, deps_.sessions.begin_enrolment_at_sign_in(in));
  return json_response(
      201, {{"secret", enrolment.secret}, {"otpauth_uri", enrolment.uri}, {"confirmed", false}});
}

Response Api::confirm_sign_in_enrolment(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto body, JsonBody::parse(c.req.body,
                                            {"email", "password", "totp_code", "new_password"}));
  LoginInput in;
  API_TRY_ASSIGN(in.email, body.required_string("email"));
  API_TRY_ASSIGN(in.password, body.required_string("password"));
  API_TRY_ASSIGN(std::string code, body.required_string("totp_code"));
  in.totp_code = code;
  API_TRY_ASSIGN(std::string new_password, body.required_string("new_password"));
  in.remote_address = c.req.remote_address;
  API_TRY_ASSIGN(auto enrolled, deps_.sessions.confirm_enrolment_at_sign_in(in, new_password));
  return session_response(enrolled.session, deps_.sessions.policy(), deps_.secure_cookies,
                          {{"recovery_codes", enrolled.recovery_codes}});
}

Response Api::get_session(Context& c) {
  json j = {{"user", to_json(c.principal.user)}, {"scopes", to_json(c.principal.scopes)}};
  if (c.principal.via_session()) {
    API_TRY_ASSIGN(auto view, deps_.sessions.current_session(c.principal));
    j["authenticated_by"] = "session";
    j["session"] = to_json(view);
  } else {
    j["authenticated_by"] = "token";
    j["token_id"] = c.principal.token_id;
  }
  return json_response(200, j);
}

Response Api::logout(Context& c) {
  API_TRY(deps_.sessions.logout(c.principal));
  Response r;
  r.status = 204;
  r.headers.set("Set-Cookie", http::set_cookie(kSessionCookie, "", {0, deps_.secure_cookies}));
  return r;
}

// --- accounts ---

Response Api::me(Context& c) {
  json j = to_json(c.principal.user);
  j["organisation"] = c.principal.org ? to_json(*c.principal.org) : json(nullptr);
  return json_response(200, j);
}

Response Api::list_orgs(Context& c) {
  API_TRY_ASSIGN(auto orgs, deps_.accounts.list_orgs(c.principal));
  return json_response(200, list_json(orgs));
}

Response Api::create_org(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto body, JsonBody::parse(c.req.body, {"kind", "name", "country", "endpoint_uid",
                                                         "authority_type"}));
  NewOrganisation in;
  API_TRY_ASSIGN(in.kind, body.required_string("kind"));
  API_TRY_ASSIGN(in.name, body.required_string("name"));
  API_TRY_ASSIGN(in.country, body.required_string("country"));
  API_TRY_ASSIGN(in.endpoint_uid, body.required_string("endpoint_uid"));
  API_TRY_ASSIGN(in.authority_type, body.optional_string("authority_type"));
  API_TRY_ASSIGN(auto org, deps_.accounts.create_org(c.principal, in));
  return json_response(201, to_json(org));
}

Response Api::get_org(Context& c) {
  API_TRY_ASSIGN(auto org, deps_.accounts.get_org(c.principal, c.param("id")));
  return json_response(200, to_json(org));
}

Response Api::list_users(Context& c) {
  API_TRY_ASSIGN(auto users, deps_.accounts.list_users(c.principal, c.param("id")));
  return json_response(200, list_json(users));
}

Response Api::create_user(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto body, JsonBody::parse(c.req.body, {"name", "email", "roles"}));
  NewUser in;
  in.org_id = c.param("id");
  API_TRY_ASSIGN(in.name, body.required_string("name"));
  API_TRY_ASSIGN(in.email, body.required_string("email"));
  auto roles = body.json().find("roles");
  if (roles == body.json().end() || !roles->is_array()) {
    return error_response(Error::invalid("roles", "must be an array of role names"), c.req);
  }
  for (const auto& r : *roles) {
    if (!r.is_string())
      return error_response(Error::invalid("roles", "must contain strings"), c.req);
    in.roles += (in.roles.empty() ? "" : ",") + r.get<std::string>();
  }
  API_TRY_ASSIGN(auto user, deps_.accounts.create_user(c.principal, in));
  return json_response(201, to_json(user));
}

Response Api::get_user(Context& c) {
  API_TRY_ASSIGN(auto user, deps_.accounts.get_user(c.principal, c.param("id")));
  return json_response(200, to_json(user));
}

Response Api::update_user(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto body, JsonBody::parse(c.req.body, {"disabled"}));
  auto disabled = body.json().find("disabled");
  if (disabled == body.json().end())
    return error_response(Error::invalid("disabled", "is required"), c.req);
  if (!disabled->is_boolean()) {
    return error_response(
        Error::invalid("disabled", std::string("must be a boolean, not ") + disabled->type_name()),
        c.req);
  }
  API_TRY_ASSIGN(auto user,
                 deps_.accounts.set_disabled(c.principal, c.param("id"), disabled->get<bool>()));
  return json_response(200, to_json(user));
}

Response Api::set_password(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto body, JsonBody::parse(c.req.body, {"password", "current_password"}));
  API_TRY_ASSIGN(std::string password, body.required_string("password"));
  API_TRY_ASSIGN(auto current, body.optional_string("current_password"));
  API_TRY(deps_.sessions.set_password(c.principal, c.param("id"), password, current));
  Response r;
  r.status = 204;
  return r;
}

Response Api::begin_totp(Context& c) {
  // The body, if any, must be an empty object: there is nothing to choose.
  if (!c.req.body.empty()) {
    API_TRY(require_json(c.req));
    API_TRY(JsonBody::parse(c.req.body, {}));
  }
  API_TRY_ASSIGN(auto enrolment, deps_.sessions.begin_totp_enrolment(c.principal, c.param("id")));
  return json_response(
      201, {{"secret", enrolment.secret}, {"otpauth_uri", enrolment.uri}, {"confirmed", false}});
}

Response Api::confirm_totp(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto body, JsonBody::parse(c.req.body, {"code"}));
  API_TRY_ASSIGN(std::string code, body.required_string("code"));
  API_TRY_ASSIGN(auto codes, deps_.sessions.confirm_totp(c.principal, c.param("id"), code));
  return json_response(200, {{"confirmed", true}, {"recovery_codes", codes}});
}

Response Api::reset_totp(Context& c) {
  API_TRY(deps_.sessions.reset_totp(c.principal, c.param("id")));
  Response r;
  r.status = 204;
  return r;
}

Response Api::list_tokens(Context& c) {
  API_TRY_ASSIGN(auto tokens, deps_.accounts.list_tokens(c.principal, c.param("id")));
  return json_response(200, list_json(tokens));
}

Response Api::create_token(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto body, JsonBody::parse(c.req.body, {"name", "expires_in_days", "scopes"}));
  NewToken in;
  in.user_id = c.param("id");
  API_TRY_ASSIGN(in.name, body.required_string("name"));
  API_TRY_ASSIGN(in.expires_in_days, body.optional_integer("expires_in_days"));
  if (auto scopes = body.json().find("scopes"); scopes != body.json().end()) {
    if (!scopes->is_array())
      return error_response(Error::invalid("scopes", "must be an array of scope names"), c.req);
    std::string list;
    for (const auto& s : *scopes) {
      if (!s.is_string())
        return error_response(Error::invalid("scopes", "must contain strings"), c.req);
      list += (list.empty() ? "" : ",") + s.get<std::string>();
    }
    API_TRY_ASSIGN(in.scopes, Scopes::parse(list, "scopes"));
  }
  API_TRY_ASSIGN(auto issued, deps_.accounts.create_token(c.principal, in));
  json j = to_json(issued.record);
  j["token"] = issued.secret;  // shown once; only its hash is kept
  return json_response(201, j);
}

Response Api::revoke_token(Context& c) {
  API_TRY(deps_.accounts.revoke_token(c.principal, c.param("id"), c.param("token_id")));
  Response r;
  r.status = 204;
  return r;
}

// --- provider directory ---

namespace {

Response entry_response(int status, const directory::Entry& e) {
  Response r = json_response(status, directory::to_json(e));
  r.headers.set("ETag", fmt::format("\"{}\"", e.version));
  return r;
}

Result<std::optional<int>> limit_param(const http::Request& req) {
  auto l = req.query_param("limit");
  if (!l) return std::optional<int>();
  int n = 0;
  auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), n);
  if (ec != std::errc() || p != l->data() + l->size()) {
    return Error::invalid("limit", "must be an integer");
  }
  return std::optional<int>(n);
}

}  // namespace

Response Api::list_directory(Context& c) {
  DirectoryQuery q;
  q.country = c.req.query_param("country");
  q.category = c.req.query_param("category");
  q.text = c.req.query_param("q");
  q.cursor = c.req.query_param("cursor");
  API_TRY_ASSIGN(q.limit, limit_param(c.req));
  API_TRY_ASSIGN(auto page, deps_.directory.list(c.principal, q));
  json items = json::array();
  for (const auto& e : page.items) items.push_back(directory::to_json(e));
  return json_response(200, {{"items", items},
                             {"next_cursor", page.next_cursor ? json(*page.next_cursor) : json()}});
}

Response Api::create_directory_entry(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(json body, parse_json_text(c.req.body));
  API_TRY_ASSIGN(auto key, idempotency_key(c.req, c.req.body));
  API_TRY_ASSIGN(auto created, deps_.directory.create(c.principal, body, key));
  Response r = entry_response(created.replayed ? 200 : 201, created.value);
  r.headers.set("Location", "/api/v1/directory/" + created.value.id);
  if (created.replayed) r.headers.set("Idempotent-Replayed", "true");
  return r;
}

Response Api::get_directory_entry(Context& c) {
  API_TRY_ASSIGN(auto entry, deps_.directory.get(c.principal, c.param("id")));
  return entry_response(200, entry);
}

Response Api::update_directory_entry(Context& c) {
  // An edit replaces the whole entry, so it must say which version it replaces.
  if (!c.req.headers.get("If-Match")) {
    return http::problem_response(428, "precondition-required", "If-Match required",
                                  "send If-Match with the ETag of the entry you edited, or * to "
                                  "replace whatever is current",
                                  c.req.request_id);
  }
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(json body, parse_json_text(c.req.body));
  API_TRY_ASSIGN(auto version, if_match_version(c.req));
  API_TRY_ASSIGN(auto entry, deps_.directory.update(c.principal, c.param("id"), body, version));
  return entry_response(200, entry);
}

Response Api::list_directory_revisions(Context& c) {
  API_TRY_ASSIGN(auto revisions, deps_.directory.revisions(c.principal, c.param("id")));
  json items = json::array();
  for (const auto& e : revisions) items.push_back(directory::to_json(e));
  return json_response(200, {{"items", items}});
}

// --- requests ---

Response Api::list_routes(Context& c) {
  if (deps_.routes == nullptr) {
    return error_response(Error::make(ErrorCode::kUnavailable, "this hub has no legal rules"),
                          c.req);
  }
  RouteQuery q;
  q.requesting_country = c.req.query_param("requesting_country");
  q.authority_type = c.req.query_param("authority_type");
  q.provider_id = c.req.query_param("provider_id");
  q.provider_country = c.req.query_param("provider_country");
  q.eu_representative_country = c.req.query_param("eu_representative_country");
  if (auto list = c.req.query_param("category")) {
    for (auto name : split_name_list(*list)) q.categories.emplace_back(name);
  }
  q.kind = c.req.query_param("kind");
  q.urgency = c.req.query_param("urgency");
  q.offence_category = c.req.query_param("offence_category");
  q.date = c.req.query_param("date");
  if (auto m = c.req.query_param("max_penalty_months")) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(m->data(), m->data() + m->size(), n);
    if (ec != std::errc() || end != m->data() + m->size()) {
      return error_response(Error::invalid("max_penalty_months", "must be an integer"), c.req);
    }
    q.max_penalty_months = n;
  }
  if (auto o = c.req.query_param("offers_services_in_requesting_country")) {
    if (*o != "true" && *o != "false") {
      return error_response(
          Error::invalid("offers_services_in_requesting_country", "must be true or false"), c.req);
    }
    q.offers_services_in_requesting_country = *o == "true";
  }
  API_TRY_ASSIGN(auto advice, deps_.routes->advise(c.principal, q));
  return json_response(200, to_json(advice));
}

Response Api::list_requests(Context& c) {
  ListQuery q;
  if (auto s = c.req.query_param("status")) {
    for (std::size_t start = 0; start <= s->size();) {
      auto end = s->find(',', start);
      if (end == std::string::npos) end = s->size();
      if (end > start) q.statuses.push_back(s->substr(start, end - start));
      start = end + 1;
    }
  }
  q.kind = c.req.query_param("kind");
  q.provider_id = c.req.query_param("provider_id");
  q.deadline_before = c.req.query_param("deadline_before");
  q.cursor = c.req.query_param("cursor");
  if (auto l = c.req.query_param("limit")) {
    int n = 0;
    auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), n);
    if (ec != std::errc() || p != l->data() + l->size()) {
      return error_response(Error::invalid("limit", "must be an integer"), c.req);
    }
    q.limit = n;
  }
  API_TRY_ASSIGN(auto page, deps_.requests.list(c.principal, q));
  json items = json::array();
  for (const auto& v : page.items) items.push_back(to_json(v));
  return json_response(200, {{"items", items},
                             {"next_cursor", page.next_cursor ? json(*page.next_cursor) : json()}});
}

Response Api::create_request(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(json body, parse_json_text(c.req.body));
  API_TRY_ASSIGN(auto key, idempotency_key(c.req, c.req.body));
  API_TRY_ASSIGN(auto created, deps_.requests.create(c.principal, body, key));
  std::string location = "/api/v1/requests/" + created.value.request.id;
  Response r = request_response(created.replayed ? 200 : 201, std::move(created.value));
  r.headers.set("Location", location);
  if (created.replayed) r.headers.set("Idempotent-Replayed", "true");
  return r;
}

Response Api::get_request(Context& c) {
  API_TRY_ASSIGN(auto view, deps_.requests.get(c.principal, c.param("id"), /*parse_report=*/false));
  return request_response(200, std::move(view));
}

Response Api::act_on_request(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto body, JsonBody::parse(c.req.body, {"action", "note", "preserved_until"}));
  API_TRY_ASSIGN(std::string action_name, body.required_string("action"));
  auto action = request_action_from_name(action_name);
  if (!action || *action == RequestAction::kExpire) {
    std::string known;
    for (const auto& row : permission_table()) {
      bool by_people = std::none_of(row.grants.begin(), row.grants.end(),
                                    [](const Grant& g) { return g.party == Party::kHub; });
      if (row.transition && by_people)
        known += (known.empty() ? "" : ", ") + std::string(request_action_name(*row.transition));
    }
    return error_response(
        Error::invalid("action", "unknown action '" + action_name + "'; actions are " + known),
        c.req);
  }
  ActionInput in;
  in.action = *action;
  API_TRY_ASSIGN(auto note, body.optional_string("note"));
  in.note = note.value_or("");
  API_TRY_ASSIGN(in.preserved_until, body.optional_string("preserved_until"));
  API_TRY_ASSIGN(in.if_match, if_match_version(c.req));
  // A retried action is harmless: the state machine refuses to apply it twice,
  // so Idempotency-Key needs no record here, only validation.
  API_TRY(idempotency_key(c.req, c.req.body));
  API_TRY_ASSIGN(auto view, deps_.requests.act(c.principal, c.param("id"), in));
  return request_response(200, std::move(view));
}

Response Api::list_events(Context& c) {
  API_TRY_ASSIGN(auto events, deps_.requests.events(c.principal, c.param("id")));
  return json_response(200, list_json(events));
}

Response Api::list_messages(Context& c) {
  API_TRY_ASSIGN(auto messages, deps_.requests.messages(c.principal, c.param("id")));
  return json_response(200, list_json(messages));
}

Response Api::post_message(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto body, JsonBody::parse(c.req.body, {"body"}));
  API_TRY_ASSIGN(std::string text, body.required_string("body"));
  API_TRY_ASSIGN(auto key, idempotency_key(c.req, c.req.body));
  API_TRY_ASSIGN(auto created, deps_.requests.post_message(c.principal, c.param("id"), text, key));
  Response r = json_response(created.replayed ? 200 : 201, to_json(created.value));
  if (created.replayed) r.headers.set("Idempotent-Replayed", "true");
  return r;
}

Response Api::list_attachments(Context& c) {
  API_TRY_ASSIGN(auto list, deps_.requests.attachments(c.principal, c.param("id")));
  return json_response(200, list_json(list));
}

Response Api::upload_attachment(Context& c) {
  NewAttachment in;
  auto name = c.req.query_param("name");
  if (!name)
    return error_response(Error::invalid("name", "is required as a query parameter"), c.req);
  in.name = *name;
  in.purpose = c.req.query_param("purpose").value_or("document");
  in.media_type = c.req.headers.get("Content-Type").value_or("");
  if (auto semi = in.media_type.find(';'); semi != std::string::npos) in.media_type.resize(semi);
  if (in.media_type.empty()) in.media_type = "application/octet-stream";
  if (c.req.body_file) {
    in.temp_file = *c.req.body_file;
    c.req.body_file.reset();  // the service owns it now
  } else {
    // Small bodies that arrived in memory (never through the streaming
    // server) are spilled into the blob store's temp area the same way.
    in.temp_file = deps_.blobs.new_temp_path();
    std::ofstream(in.temp_file, std::ios::binary) << c.req.body;
  }
  // The file's bytes are hashed by the blob store; the key's fingerprint uses
  // the declared name, purpose, type and length.
  std::string fingerprint =
      c.req.target + "\n" + in.media_type + "\n" + c.req.headers.get("Content-Length").value_or("");
  auto key = idempotency_key(c.req, fingerprint);
  if (!key.ok()) {
    std::remove(in.temp_file.c_str());
    return error_response(key.error(), c.req);
  }
  API_TRY_ASSIGN(auto created,
                 deps_.requests.add_attachment(c.principal, c.param("id"), in, key.value()));
  Response r = json_response(created.replayed ? 200 : 201, to_json(created.value));
  if (created.replayed) r.headers.set("Idempotent-Replayed", "true");
  return r;
}

Response Api::get_attachment(Context& c) {
  API_TRY_ASSIGN(auto att,
                 deps_.requests.attachment(c.principal, c.param("id"), c.param("attachment_id")));
  return json_response(200, to_json(att));
}

Response Api::download_attachment(Context& c) {
  // The record first, to size the range; the download is recorded with the
  // bytes it serves, and a range that serves nothing records nothing.
  API_TRY_ASSIGN(auto att,
                 deps_.requests.attachment(c.principal, c.param("id"), c.param("attachment_id")));
  // Attachments never change, so the hash is a strong validator for If-Range.
  const std::string etag = "\"" + att.sha256 + "\"";
  const std::uint64_t size = att.size;
  http::RangeAnswer answer;
  // Range is defined for GET only (RFC 9110 §14.2): HEAD describes the whole.
  if (c.req.method == "GET" && http::if_range_allows(c.req.headers.get("If-Range"), etag)) {
    answer = http::answer_range(c.req.headers.get("Range"), size);
  }
  if (answer.kind == http::RangeAnswer::Kind::kUnsatisfiable) {
    Response p =
        http::problem_response(416, "range-not-satisfiable", "Range not satisfiable",
                               "the range starts at or beyond the end of the file, which has " +
                                   std::to_string(size) + " bytes",
                               c.req.request_id);
    p.headers.set("Content-Range", http::unsatisfied_content_range(size));
    p.headers.set("Accept-Ranges", "bytes");
    return p;
  }
  const bool partial = answer.kind == http::RangeAnswer::Kind::kPartial;
  const std::uint64_t first = partial ? answer.range.offset : 0;
  const std::uint64_t last =
      partial ? answer.range.offset + answer.range.length - 1 : (size == 0 ? 0 : size - 1);
  API_TRY_ASSIGN(auto opened,
                 deps_.requests.open_attachment_range(c.principal, c.param("id"),
                                                      c.param("attachment_id"), first, last));
  Response r;
  r.headers.set("Content-Type", opened.first.media_type);
  std::string safe_name;
  for (char ch : opened.first.name) safe_name += (ch == '"' || ch == '\\') ? '_' : ch;
  r.headers.set("Content-Disposition", "attachment; filename=\"" + safe_name + "\"");
  r.headers.set("X-Content-SHA256", opened.first.sha256);
  r.headers.set("ETag", etag);
  r.headers.set("Accept-Ranges", "bytes");
  r.body_file = opened.second;
  if (partial) {
    r.status = 206;
    r.headers.set("Content-Range", http::content_range(answer.range, size));
    r.body_file_offset = answer.range.offset;
    r.body_file_length = answer.range.length;
  }
  return r;
}

// --- evidence packages ---

Response Api::list_packages(Context& c) {
  API_TRY_ASSIGN(auto list, deps_.requests.packages(c.principal, c.param("id")));
  return json_response(200, list_json(list));
}

Response Api::get_package(Context& c) {
  API_TRY_ASSIGN(auto view,
                 deps_.requests.package(c.principal, c.param("id"), c.param("package_id")));
  return json_response(200, to_json(view));
}

Response Api::report_verification(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto body, JsonBody::parse(c.req.body, {"result", "checked", "statement_sha256",
                                                         "detail", "tool"}));
  VerificationReport report;
  API_TRY_ASSIGN(report.result, body.required_string("result"));
  API_TRY_ASSIGN(report.checked, body.required_string("checked"));
  API_TRY_ASSIGN(report.statement_sha256, body.optional_string("statement_sha256"));
  API_TRY_ASSIGN(report.detail, body.optional_string("detail"));
  API_TRY_ASSIGN(report.tool, body.optional_string("tool"));
  API_TRY_ASSIGN(auto event, deps_.requests.report_verification(c.principal, c.param("id"),
                                                                c.param("package_id"), report));
  return json_response(201, to_json(event));
}

Response Api::start_upload(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto body, JsonBody::parse(c.req.body, {"size"}));
  API_TRY_ASSIGN(auto size, body.optional_integer("size"));
  if (!size || *size <= 0) {
    return error_response(Error::invalid("size", "is required: the package's size in bytes"),
                          c.req);
  }
  API_TRY_ASSIGN(auto key, idempotency_key(c.req, c.req.body));
  API_TRY_ASSIGN(auto created,
                 deps_.requests.start_package_upload(c.principal, c.param("id"),
                                                     static_cast<std::uint64_t>(*size), key));
  Response r = json_response(created.replayed ? 200 : 201, to_json(created.value));
  if (created.replayed) r.headers.set("Idempotent-Replayed", "true");
  return r;
}

Response Api::get_upload(Context& c) {
  API_TRY_ASSIGN(auto upload,
                 deps_.requests.package_upload(c.principal, c.param("id"), c.param("upload_id")));
  return json_response(200, to_json(upload));
}

Response Api::put_upload_part(Context& c) {
  auto header = c.req.headers.get("Content-Range");
  if (!header) {
    return error_response(
        Error::invalid("Content-Range", "is required: \"bytes FIRST-LAST/TOTAL\""), c.req);
  }
  API_TRY_ASSIGN(ContentRange range, parse_content_range(*header));
  UploadPart part{"", range.first, range.last, range.total};
  if (c.req.body_file) {
    part.temp_file = *c.req.body_file;
    c.req.body_file.reset();  // the service owns it now
  } else {
    part.temp_file = deps_.blobs.new_temp_path();
    std::ofstream(part.temp_file, std::ios::binary) << c.req.body;
  }
  API_TRY_ASSIGN(auto outcome, deps_.requests.put_package_part(c.principal, c.param("id"),
                                                               c.param("upload_id"), part));
  json body = {{"upload", to_json(outcome.upload)}};
  if (outcome.package) body["package"] = to_json(*outcome.package);
  return json_response(outcome.package ? 201 : 200, body);
}

// --- signatures and quarantine ---

Response Api::add_signature(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(json body, parse_json_text(c.req.body));
  API_TRY_ASSIGN(auto view, deps_.requests.add_signature(c.principal, c.param("id"), body));
  return request_response(200, std::move(view));
}

Response Api::put_validator(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(json body, parse_json_text(c.req.body));
  if (!body.is_object()) return error_response(Error::invalid("", "must be a JSON object"), c.req);
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() != "organisation_id")
      return error_response(Error::invalid(it.key(), "unknown field"), c.req);
  }
  auto org = body.find("organisation_id");
  if (org == body.end()) {
    return error_response(
        Error::invalid("organisation_id", "is required (null withdraws the request)"), c.req);
  }
  std::optional<std::string> org_id;
  if (!org->is_null()) {
    if (!org->is_string()) {
      return error_response(Error::invalid("organisation_id", "must be an organisation id or null"),
                            c.req);
    }
    org_id = org->get<std::string>();
  }
  API_TRY_ASSIGN(auto view, deps_.requests.ask_validation(c.principal, c.param("id"), org_id));
  return request_response(200, std::move(view));
}

Response Api::get_signed(Context& c) {
  API_TRY_ASSIGN(json envelope, deps_.requests.signed_envelope(c.principal, c.param("id")));
  return json_response(200, envelope);
}

Response Api::receive_signed(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto key, idempotency_key(c.req, c.req.body));
  API_TRY_ASSIGN(auto created, deps_.requests.receive_signed(c.principal, c.req.body, key));
  std::string location = "/api/v1/requests/" + created.value.request.id;
  Response r = request_response(created.replayed ? 200 : 201, std::move(created.value));
  r.headers.set("Location", location);
  if (created.replayed) r.headers.set("Idempotent-Replayed", "true");
  return r;
}

// --- HI-1 (ETSI TS 103 120) ---

Response Api::hi1(Context& c) {
  if (deps_.hi1 == nullptr || deps_.hi1_schemas == nullptr) {
    return error_response(Error::make(ErrorCode::kUnavailable, "this hub does not serve HI-1"),
                          c.req);
  }
  // Read as an upload, so that a message larger than an ordinary JSON body
  // (a warrant's scan) is still answered in HI-1's own terms.
  std::string body = std::move(c.req.body);
  bool too_large = false;
  if (c.req.body_file) {
    std::ifstream in(*c.req.body_file, std::ios::binary);
    body.assign(kMaxHi1MessageBytes + 1, '\0');
    in.read(body.data(), static_cast<std::streamsize>(body.size()));
    body.resize(static_cast<std::size_t>(in.gcount()));
    too_large = body.size() > kMaxHi1MessageBytes;
  }
  auto declared = c.req.headers.get("Content-Type");
  auto encoding = hi1_encoding_of(declared ? *declared : "");
  etsi::XmlElement answer;
  if (!encoding) {
    encoding = Hi1Encoding::kXml;
    answer = deps_.hi1->refuse(c.principal,
                               {etsi::Hi1ErrorCode::kUnsupportedEncoding,
                                "Content-Type " + (declared ? *declared : std::string("(none)")) +
                                    " is not taken: send application/xml or application/json"});
  } else if (too_large) {
    answer = deps_.hi1->refuse(c.principal, {etsi::Hi1ErrorCode::kMessageTooLarge,
                                             "the message is larger than this hub takes (8 MiB)"});
  } else {
    Hi1Reading reading = read_hi1(body, *encoding, deps_.hi1_xsd, deps_.hi1_signatures);
    // What GETCSPCONFIG advertises unless the hub is told its public URL.
    auto host = c.req.headers.get("Host");
    std::string reached_at = host ? "http://" + *host + c.req.path : "";
    answer = reading.message ? deps_.hi1->answer(c.principal, std::move(*reading.message),
                                                 reading.error, reached_at)
                             : deps_.hi1->refuse(c.principal, *reading.error);
  }
  Response r;
  r.status = 200;
  r.headers.set("Content-Type", hi1_content_type(*encoding));
  r.body = write_hi1(answer, *encoding, *deps_.hi1_schemas);
  if (*encoding == Hi1Encoding::kXml && deps_.hi1_signing_key != nullptr) {
    auto signed_body = etsi::sign_xml(r.body, *deps_.hi1_signing_key);
    if (!signed_body.ok()) return error_response(signed_body.take_error(), c.req);
    r.body = std::move(signed_body).value();
  }
  return r;
}

// --- holds, deadlines, reminders ---

Response Api::list_holds(Context& c) {
  HoldQuery q;
  q.status = c.req.query_param("status");
  q.expiring_before = c.req.query_param("expiring_before");
  q.cursor = c.req.query_param("cursor");
  if (auto l = c.req.query_param("limit")) {
    int n = 0;
    auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), n);
    if (ec != std::errc() || p != l->data() + l->size()) {
      return error_response(Error::invalid("limit", "must be an integer"), c.req);
    }
    q.limit = n;
  }
  API_TRY_ASSIGN(auto page, deps_.requests.list_holds(c.principal, q));
  json items = json::array();
  for (const auto& h : page.items) items.push_back(to_json(h));
  return json_response(200, {{"items", items},
                             {"next_cursor", page.next_cursor ? json(*page.next_cursor) : json()}});
}

Response Api::get_hold(Context& c) {
  API_TRY_ASSIGN(auto hold, deps_.requests.get_hold(c.principal, c.param("id")));
  return json_response(200, to_json(hold));
}

Response Api::release_hold(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto body, JsonBody::parse(c.req.body, {"reason"}));
  API_TRY_ASSIGN(std::string reason, body.required_string("reason"));
  API_TRY(idempotency_key(c.req, c.req.body));
  API_TRY_ASSIGN(auto hold, deps_.requests.release_hold(c.principal, c.param("id"), reason));
  return json_response(200, to_json(hold));
}

Response Api::list_deadlines(Context& c) {
  std::int64_t within = std::int64_t{48} * 3600;
  if (auto w = c.req.query_param("within")) {
    API_TRY_ASSIGN(within, parse_iso8601_duration(*w, "within"));
  }
  API_TRY_ASSIGN(auto items, deps_.requests.due(c.principal, within));
  json out = json::array();
  for (const auto& d : items) out.push_back(to_json(d));
  return json_response(200, {{"within", format_iso8601_duration(within)}, {"items", out}});
}

Response Api::list_reminders(Context& c) {
  bool undelivered = false;
  if (auto u = c.req.query_param("undelivered")) {
    if (*u != "true" && *u != "false")
      return error_response(Error::invalid("undelivered", "must be true or false"), c.req);
    undelivered = *u == "true";
  }
  API_TRY_ASSIGN(auto items, deps_.requests.reminders(c.principal, undelivered));
  return json_response(200, list_json(items));
}

Response Api::reminder_delivered(Context& c) {
  // Nothing to say but that it went out: the body, if any, is an empty object.
  if (!c.req.body.empty()) {
    API_TRY(require_json(c.req));
    API_TRY(JsonBody::parse(c.req.body, {}));
  }
  API_TRY_ASSIGN(auto reminder, deps_.requests.mark_reminder_delivered(c.principal, c.param("id")));
  return json_response(200, to_json(reminder));
}

Response Api::list_quarantine(Context& c) {
  int limit = 100;
  if (auto l = c.req.query_param("limit")) {
    auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), limit);
    if (ec != std::errc() || p != l->data() + l->size())
      return error_response(Error::invalid("limit", "must be an integer"), c.req);
  }
  API_TRY_ASSIGN(auto entries, deps_.requests.quarantine(c.principal, limit));
  json items = json::array();
  for (const auto& e : entries) items.push_back(to_json(e));
  return json_response(200, {{"items", items}});
}

// --- ledger ---

namespace {

// A whole non-negative integer query parameter; errors name it.
Result<std::optional<std::int64_t>> integer_param(const http::Request& req, const char* name) {
  auto v = req.query_param(name);
  if (!v) return std::optional<std::int64_t>();
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size() || out < 0)
    return Error::invalid(name, "must be a whole number, 0 or more");
  return std::optional<std::int64_t>(out);
}

Result<std::int64_t> required_integer(const http::Request& req, const char* name) {
  LIAISON_ASSIGN_OR_RETURN(auto v, integer_param(req, name));
  if (!v) return Error::invalid(name, "is required");
  return *v;
}

}  // namespace

// --- transparency ---

namespace {

// A checkpoint's root as the API spells hashes: lower-case hex.
std::string root_hex(const LedgerCheckpointRecord& cp) {
  ledger::Hash root{};
  std::copy(cp.root.begin(), cp.root.end(), root.begin());
  return ledger::to_hex(root);
}

json figure_json(const Figure& f) {
  if (const auto* n = std::get_if<std::int64_t>(&f)) return *n;
  return std::get<std::string>(f);
}

}  // namespace

Response Api::transparency(Context& c) {
  if (deps_.transparency == nullptr) {
    return error_response(
        Error::make(ErrorCode::kUnavailable, "this hub does not publish transparency figures"),
        c.req);
  }
  std::string format = c.req.query_param("format").value_or("json");
  if (format != "json" && format != "csv") {
    return error_response(Error::invalid("format", "must be json or csv"), c.req);
  }
  API_TRY_ASSIGN(auto report,
                 deps_.transparency->report(c.req.query_param("provider_id")));
  json checkpoint = nullptr;
  if (report.checkpoint) {
    checkpoint = {{"origin", deps_.ledger.origin()},
                  {"tree_size", report.checkpoint->tree_size},
                  {"root_hash", root_hex(*report.checkpoint)},
                  {"published_at", report.checkpoint->created_at},
                  {"note", report.checkpoint->note}};
  }
  if (format == "csv") {
    Response r;
    r.headers.set("Content-Type", "text/csv; charset=utf-8; header=present");
    r.headers.set("Content-Disposition", "attachment; filename=\"liaison-transparency.csv\"");
    // The checkpoint the figures come from travels with the file, in headers.
    if (report.checkpoint) {
      r.headers.set("Liaison-Checkpoint-Size", std::to_string(report.checkpoint->tree_size));
      r.headers.set("Liaison-Checkpoint-Root", checkpoint["root_hash"].get<std::string>());
    }
    r.body = transparency_csv(report.rows);
    return r;
  }
  json rows = json::array();
  for (const auto& row : report.rows) {
    rows.push_back({{"period", row.period},
                    {"country", row.country},
                    {"kind", row.kind},
                    {"requests", figure_json(row.requests)},
                    {"accounts_specified", figure_json(row.accounts)},
                    {"with_data_produced", figure_json(row.with_data_produced)},
                    {"produced_share", row.produced_share ? json(*row.produced_share) : json()}});
  }
  return json_response(
      200, {{"checkpoint", checkpoint},
            {"provider_id", report.provider_org_id ? json(*report.provider_org_id) : json()},
            {"suppression", {{"below", kTransparencyThreshold}, {"band", kTransparencyBand}}},
            {"rows", std::move(rows)}});
}

Response Api::ledger_checkpoint(Context& c) {
  API_TRY_ASSIGN(auto cp, deps_.ledger.latest_checkpoint(c.principal));
  json witnesses = json::array();
  for (const auto& w : deps_.ledger.witnesses()) witnesses.push_back(w.vkey());
  return json_response(200, {{"origin", deps_.ledger.origin()},
                             {"tree_size", cp.record.tree_size},
                             {"root_hash", root_hex(cp.record)},
                             {"published_at", cp.record.created_at},
                             {"note", cp.note},
                             {"vkey", deps_.ledger.verifier().vkey()},
                             {"cosigned_by", cp.witnesses},
                             {"witness_vkeys", std::move(witnesses)}});
}

Response Api::ledger_cosign(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto body, JsonBody::parse(c.req.body, {"note"}));
  API_TRY_ASSIGN(std::string note, body.required_string("note"));
  API_TRY_ASSIGN(auto names, deps_.ledger.add_cosignatures(c.principal, note));
  return json_response(201, {{"cosigned_by", names}});
}

Response Api::ledger_entries(Context& c) {
  API_TRY_ASSIGN(std::int64_t start, required_integer(c.req, "start"));
  API_TRY_ASSIGN(std::int64_t end, required_integer(c.req, "end"));
  API_TRY_ASSIGN(auto entries, deps_.ledger.entries(c.principal, start, end));
  // An auditor reading millions asks for the entries as lines, "<leaf_index>
  // <entry>\n" (canonical entries hold no newline), with nothing to unescape
  // or parse but the entries themselves.
  auto accept = c.req.headers.get("Accept");
  if (accept && accept->find("text/plain") != std::string::npos) {
    Response r;
    r.status = 200;
    r.headers.set("Content-Type", "text/plain; charset=utf-8");
    std::size_t bytes = 0;
    for (const auto& e : entries) bytes += e.entry.size() + 22;
    r.body.reserve(bytes);
    for (const auto& e : entries) {
      r.body += std::to_string(e.leaf_index);
      r.body += ' ';
      r.body += e.entry;
      r.body += '\n';
    }
    return r;
  }
  json items = json::array();
  for (auto& e : entries) items.push_back({{"leaf_index", e.leaf_index}, {"entry", e.entry}});
  return json_response(200, {{"start", start}, {"entries", std::move(items)}});
}

Response Api::ledger_inclusion(Context& c) {
  API_TRY_ASSIGN(std::int64_t size, required_integer(c.req, "tree_size"));
  API_TRY_ASSIGN(auto index, integer_param(c.req, "leaf_index"));
  auto hash = c.req.query_param("hash");
  if (index.has_value() == hash.has_value()) {
    return error_response(Error::invalid("leaf_index", "give either leaf_index or hash, not both"),
                          c.req);
  }
  if (index) {
    API_TRY_ASSIGN(auto proof, deps_.ledger.inclusion_by_index(c.principal, *index, size));
    return json_response(200, to_json(proof));
  }
  API_TRY_ASSIGN(ledger::Hash leaf, ledger::hash_from_hex(*hash, "hash"));
  API_TRY_ASSIGN(auto proof, deps_.ledger.inclusion_by_hash(c.principal, leaf, size));
  return json_response(200, to_json(proof));
}

Response Api::ledger_consistency(Context& c) {
  API_TRY_ASSIGN(std::int64_t first, required_integer(c.req, "first"));
  API_TRY_ASSIGN(std::int64_t second, required_integer(c.req, "second"));
  API_TRY_ASSIGN(auto proof, deps_.ledger.consistency(c.principal, first, second));
  return json_response(200, to_json(proof));
}

Response Api::request_receipts(Context& c) {
  API_TRY_ASSIGN(auto receipts, deps_.requests.receipts(c.principal, c.param("id")));
  json items = json::array();
  for (const auto& r : receipts) items.push_back(ledger::to_json(r));
  return json_response(200, {{"request_id", c.param("id")}, {"receipts", std::move(items)}});
}

// --- trust store ---

Response Api::export_trust(Context& c) {
  API_TRY_ASSIGN(json bundle, deps_.trust.export_bundle(c.principal));
  return json_response(200, bundle);
}

Response Api::list_certificates(Context& c) {
  CertificateFilter filter{c.req.query_param("kind"), c.req.query_param("organisation")};
  API_TRY_ASSIGN(auto certs, deps_.trust.certificates(c.principal, filter));
  return json_response(200, list_json(certs));
}

Response Api::add_root(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(json body, parse_json_text(c.req.body));
  API_TRY_ASSIGN(auto stored, deps_.trust.add_root(c.principal, body));
  return json_response(201, to_json(stored));
}

Response Api::distrust_root(Context& c) {
  API_TRY(deps_.trust.distrust_root(c.principal, c.param("fingerprint")));
  Response r;
  r.status = 204;
  return r;
}

Response Api::add_certificate(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(json body, parse_json_text(c.req.body));
  API_TRY_ASSIGN(auto stored, deps_.trust.add_certificate(c.principal, body));
  return json_response(201, to_json(stored));
}

Response Api::list_revocations(Context& c) {
  API_TRY_ASSIGN(auto lists, deps_.trust.revocation_lists(c.principal));
  json items = json::array();
  for (const auto& l : lists) items.push_back(json::parse(l.list_json, nullptr, false));
  return json_response(200, {{"items", items}});
}

Response Api::add_revocation_list(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(json body, parse_json_text(c.req.body));
  API_TRY_ASSIGN(auto stored, deps_.trust.add_revocation_list(c.principal, body));
  return json_response(201, json::parse(stored.list_json, nullptr, false));
}

Response Api::get_signing_policy(Context& c) {
  API_TRY_ASSIGN(auto policy, deps_.trust.policy(c.principal, c.param("id")));
  return json_response(200, to_json(policy));
}

Response Api::put_signing_policy(Context& c) {
  API_TRY(require_json(c.req));
  API_TRY_ASSIGN(auto body,
                 JsonBody::parse(c.req.body, {"validators", "supervisors", "follow_up_hours"}));
  SigningPolicy in;
  API_TRY_ASSIGN(auto validators, body.optional_integer("validators"));
  API_TRY_ASSIGN(auto supervisors, body.optional_integer("supervisors"));
  API_TRY_ASSIGN(auto hours, body.optional_integer("follow_up_hours"));
  in.validators = validators.value_or(0);
  in.supervisors = supervisors.value_or(0);
  in.follow_up_hours = hours.value_or(SigningPolicy{}.follow_up_hours);
  API_TRY_ASSIGN(auto policy, deps_.trust.set_policy(c.principal, c.param("id"), in));
  return json_response(200, to_json(policy));
}

}  // namespace liaison::api
