// The provider side of ETSI TS 103 120 (HI-1): one message from an
// authority's system answered action by action, so one failed action does
// not fail the others.
//
// Who may send: the caller authenticated as an account of an authority, and
// the message must come from that authority's endpoint (its SenderIdentifier
// is the organisation's country and endpoint id) and be addressed to a
// provider on this hub. Objects are kept per sending organisation, so GET,
// LIST and UPDATE reach the sender's own objects only.
//
// From a provider's system the hub takes DELIVER only: the results of a
// task this hub forwarded to that provider's hub (service/hi1_federation.h),
// registered on the request as an uploaded package would be.
//
// What a task becomes: under Liaison's national profile (etsi/mapping.h)
// every LDTask or LPTask carries the signed Liaison request it stands for, in
// a DocumentObject associated with it. The hub checks that the task says what
// was signed and receives the signed request exactly as POST
// /api/v1/requests/signed does: verified, then submitted to the provider or
// quarantined. The HI-1 objects never stand in for the signatures.
#pragma once

#include <string>
#include <string_view>

#include "etsi/endpoint_certificates.h"
#include "etsi/mapping.h"
#include "etsi/message.h"
#include "etsi/xml_tree.h"
#include "service/environment.h"
#include "service/principal.h"
#include "service/request_service.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace liaison {

struct Hi1Settings {
  // This hub's own endpoint, for answers to messages whose header cannot be read.
  etsi::EndpointId hub{"XX", "liaison-hub"};
  // Where HI-1 messages are posted, as GETCSPCONFIG advertises it (`serve
  // --hi1-url`); when empty, the URL the caller reached the hub at.
  std::string endpoint_url;
  // When what GETCSPCONFIG answers last changed (QualifiedDateTime).
  std::string config_changed_at = "2026-12-01T00:00:00Z";
};

class Hi1Service {
 public:
  Hi1Service(Store& store, BlobStore& blobs, RequestService& requests, const Clock& clock,
             Hi1Settings settings);

  // The synchronous response to `message`, from the caller `p`. With
  // `refusal` (the message read but does not validate), the whole message is
  // refused with it, once its header has been read and its sender checked.
  // `reached_at` is the endpoint's URL as the caller reached it, which
  // GETCSPCONFIG gives when the settings name none.
  etsi::XmlElement answer(const Principal& p, etsi::XmlElement message,
                          const std::optional<etsi::Hi1Error>& refusal = std::nullopt,
                          const std::string& reached_at = "");
  // The response to a message that could not be read at all (not XML or JSON,
  // too large, an encoding not taken): `error` for the whole message.
  etsi::XmlElement refuse(const Principal& p, const etsi::Hi1Error& error);

  // The caller a TLS client certificate (DER) stands for: the federation link
  // account of the authority or provider on this hub whose endpoint
  // `trusted` trusts the certificate for, as an officer or an analyst.
  // kUnauthenticated when it is trusted for no endpoint, for several, or for
  // one that is no organisation here.
  Result<Principal> caller_for_certificate(std::string_view der,
                                           const etsi::EndpointCertificates& trusted);

  const Hi1Settings& settings() const { return settings_; }

 private:
  struct Exchange;

  etsi::ActionResponse act(Exchange& x, const etsi::ActionRequest& action);
  etsi::ActionResponse create(Exchange& x, const etsi::ActionRequest& action);
  etsi::ActionResponse create_task(Exchange& x, const etsi::ActionRequest& action,
                                   const etsi::XmlElement& task, Hi1ObjectRecord record);
  // Adds `document` to the request as an attachment in the caller's name;
  // the error to answer with, or none.
  std::optional<etsi::Hi1Error> attach(Exchange& x, const std::string& request_id,
                                       const etsi::AttachedDocument& document);
  etsi::ActionResponse get(Exchange& x, const etsi::ActionRequest& action);
  etsi::ActionResponse list(Exchange& x, const etsi::ActionRequest& action);
  etsi::ActionResponse update(Exchange& x, const etsi::ActionRequest& action);
  Status cancel_request(Exchange& x, const std::string& request_id);
  etsi::ActionResponse deliver(Exchange& x, const etsi::ActionRequest& action);
  // Writes `bytes` at offset `at` of the partial file `key`, durably.
  Status write_part(const std::string& key, std::uint64_t at, const std::string& bytes);

  Store& store_;
  BlobStore& blobs_;
  RequestService& requests_;
  const Clock& clock_;
  Hi1Settings settings_;
};

}  // namespace liaison
