// The HTTP API of a hub: routes, authentication, and the mapping from HTTP to
// service calls and back. No business rules live here.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/router.h"
#include "etsi/json_schema.h"
#include "etsi/xml_signature.h"
#include "etsi/xsd.h"
#include "http/server.h"
#include "http/static_site.h"
#include "service/account_service.h"
#include "service/directory_service.h"
#include "service/hi1_service.h"
#include "service/ledger_service.h"
#include "service/request_service.h"
#include "service/route_service.h"
#include "service/session_service.h"
#include "service/transparency_service.h"
#include "service/trust_service.h"

namespace liaison::api {

struct Context;

struct ApiDependencies {
  Store& store;
  BlobStore& blobs;
  AccountService& accounts;
  SessionService& sessions;
  RequestService& requests;
  TrustService& trust;
  LedgerService& ledger;
  DirectoryService& directory;
  std::string version;
  // Marks the session cookie Secure, so browsers send it over HTTPS only. The
  // hub speaks plain HTTP; set this when a TLS-terminating proxy fronts it.
  bool secure_cookies = false;
  RouteService* routes = nullptr;  // GET /routes answers 503 without it
  // POST /hi1 answers 503 without them.
  Hi1Service* hi1 = nullptr;
  const etsi::JsonSchemas* hi1_schemas = nullptr;
  const etsi::XsdValidator* hi1_xsd = nullptr;  // inbound messages are validated with it
  // The XML-signature policy inbound messages are held to, and the key XML
  // responses are signed with; none: signatures are neither checked nor made.
  const etsi::XmlSignaturePolicy* hi1_signatures = nullptr;
  const etsi::XmlSigningKey* hi1_signing_key = nullptr;
  // The certificates trusted per endpoint for mutual TLS on POST /hi1; none:
  // a client certificate authenticates nobody.
  const etsi::EndpointCertificates* hi1_tls_clients = nullptr;
  // The web portal, served from / for every path the API does not own; none:
  // the hub answers the API only.
  const http::StaticSite* site = nullptr;
  // GET /transparency answers 503 without it.
  TransparencyService* transparency = nullptr;
};

// The cookie that carries a session.
inline constexpr const char* kSessionCookie = "liaison_session";

class Api final : public http::Handler {
 public:
  explicit Api(ApiDependencies deps);

  http::Response handle(http::Request& request) override;
  bool is_upload(const std::string& method, const std::string& path) const override;

  // The server's counters, for /metrics; set once the server exists.
  void set_server_stats(const http::ServerStats* stats) { stats_ = stats; }

  // Every route as "METHOD /pattern", for the documentation check.
  std::vector<std::string> route_list() const;

 private:
  using Method = http::Response (Api::*)(Context&);
  struct CompiledRoute {
    Route<Method> route;
    std::vector<std::string> segments;
  };

  http::Response dispatch(http::Request& request);
  http::Response run_route(const Route<Method>& route, PathParams params, http::Request& request);
  // Fills c.principal from a bearer token or a session cookie, or answers why not.
  std::optional<http::Response> authenticate(Context& c, bool by_certificate);
  // Mutual TLS: the caller the client certificate stands for, and a bearer
  // token sent with it must be of the same organisation.
  std::optional<http::Response> authenticate_certificate(Context& c);

  http::Response hi1(Context& c);
  http::Response live(Context& c);
  http::Response ready(Context& c);
  http::Response metrics(Context& c);
  http::Response login(Context& c);
  http::Response begin_sign_in_enrolment(Context& c);
  http::Response confirm_sign_in_enrolment(Context& c);
  http::Response get_session(Context& c);
  http::Response logout(Context& c);
  http::Response me(Context& c);
  http::Response ledger_checkpoint(Context& c);
  http::Response ledger_cosign(Context& c);
  http::Response ledger_entries(Context& c);
  http::Response ledger_inclusion(Context& c);
  http::Response ledger_consistency(Context& c);
  http::Response request_receipts(Context& c);
  http::Response list_orgs(Context& c);
  http::Response list_routes(Context& c);
  http::Response create_org(Context& c);
  http::Response get_org(Context& c);
  http::Response list_users(Context& c);
  http::Response create_user(Context& c);
  http::Response get_user(Context& c);
  http::Response update_user(Context& c);
  http::Response set_password(Context& c);
  http::Response begin_totp(Context& c);
  http::Response confirm_totp(Context& c);
  http::Response reset_totp(Context& c);
  http::Response list_tokens(Context& c);
  http::Response create_token(Context& c);
  http::Response revoke_token(Context& c);
  http::Response list_directory(Context& c);
  http::Response create_directory_entry(Context& c);
  http::Response get_directory_entry(Context& c);
  http::Response update_directory_entry(Context& c);
  http::Response list_directory_revisions(Context& c);
  http::Response list_requests(Context& c);
  http::Response create_request(Context& c);
  http::Response get_request(Context& c);
  http::Response act_on_request(Context& c);
  http::Response list_events(Context& c);
  http::Response list_messages(Context& c);
  http::Response post_message(Context& c);
  http::Response list_attachments(Context& c);
  http::Response upload_attachment(Context& c);
  http::Response get_attachment(Context& c);
  http::Response download_attachment(Context& c);
  http::Response list_packages(Context& c);
  http::Response get_package(Context& c);
  http::Response report_verification(Context& c);
  http::Response start_upload(Context& c);
  http::Response get_upload(Context& c);
  http::Response put_upload_part(Context& c);
  http::Response add_signature(Context& c);
  http::Response put_validator(Context& c);
  http::Response get_signed(Context& c);
  http::Response receive_signed(Context& c);
  http::Response list_quarantine(Context& c);
  http::Response transparency(Context& c);
  http::Response export_trust(Context& c);
  http::Response list_certificates(Context& c);
  http::Response add_root(Context& c);
  http::Response distrust_root(Context& c);
  http::Response add_certificate(Context& c);
  http::Response list_revocations(Context& c);
  http::Response add_revocation_list(Context& c);
  http::Response get_signing_policy(Context& c);
  http::Response put_signing_policy(Context& c);
  http::Response list_holds(Context& c);
  http::Response get_hold(Context& c);
  http::Response release_hold(Context& c);
  http::Response list_deadlines(Context& c);
  http::Response list_reminders(Context& c);
  http::Response reminder_delivered(Context& c);

  ApiDependencies deps_;
  std::vector<CompiledRoute> routes_;
  const http::ServerStats* stats_ = nullptr;
};

}  // namespace liaison::api
