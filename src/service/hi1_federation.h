// Federation between two Liaison hubs over HI-1 (ETSI TS 103 120).
//
// An authority's hub with a link to a provider (etsi/peer_links.h) forwards
// each request its organisation submits to that provider: the signed request
// goes to the provider's hub as CREATE of an Authorisation, the signed
// request's DocumentObject and the task, exactly as `liaison hi1 send`
// sends it. The hub then follows the task with GET and takes here what the
// provider did there: a rejection, a preservation, "not available". A
// provider's hub with a link back to the authority delivers each package
// registered on such a request, and each "not available", with DELIVER; the
// authority's hub registers the package as it would an upload, with the same
// checks, and both ledgers record their side.
//
// Every step is retried until the peer takes it or refuses it for good; the
// progress is stored (hi1_transfers), so a restart resumes where it stopped.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "etsi/message.h"
#include "etsi/peer_links.h"
#include "etsi/xml_signature.h"
#include "service/environment.h"
#include "service/request_service.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace liaison {

// How the hub reaches a peer: the HTTP client lives above the services.
class Hi1Transport {
 public:
  virtual ~Hi1Transport() = default;
  // Posts one HI-1 message (XML) to the link's URL, with its bearer token
  // and over https with its TLS settings. The response body on HTTP 200;
  // kUnavailable when the peer cannot be reached or has trouble of its own
  // (5xx), so the step is tried again; kUnauthenticated when it refuses the
  // link's credentials; kInvalidArgument otherwise.
  virtual Result<std::string> post(const etsi::PeerLink& link, const std::string& xml) = 0;
};

struct FederationSettings {
  // Bytes of a package per DeliveryObject: well inside the peer's 8 MiB
  // message limit once base64 has grown it by a third.
  std::size_t delivery_part_bytes = std::size_t{4} << 20;
  int batch = 50;                         // transfers started per pass and link
  std::int64_t retry_base_seconds = 10;   // doubled per failed attempt...
  std::int64_t retry_max_seconds = 3600;  // ... up to this
  // Outgoing messages are signed with this key when given; answers are held
  // to this policy when given (etsi/xml_signature.h).
  const etsi::XmlSigningKey* signing_key = nullptr;
  const etsi::XmlSignaturePolicy* signatures = nullptr;
};

// What one pass did, for the log.
struct FederationPass {
  int forwarded = 0;
  int refused = 0;
  int statuses = 0;  // new statuses read from providers' hubs
  int delivered = 0;
  int retrying = 0;
  bool operator==(const FederationPass&) const = default;
};

class Hi1Federation {
 public:
  using LinkSource = std::function<std::vector<etsi::PeerLink>()>;
  Hi1Federation(Store& store, BlobStore& blobs, RequestService& requests, const Clock& clock,
                Hi1Transport& transport, LinkSource links, FederationSettings settings = {});

  // One pass over every link: forwards new requests, follows forwarded
  // tasks, cancels at the provider what was cancelled here, and delivers
  // productions. Failures are kept on their transfer and tried again later.
  Result<FederationPass> sweep();

 private:
  struct Party;
  struct Exchange;

  void start_forwarding(const etsi::PeerLink& link, const Party& party, FederationPass& pass);
  void start_deliveries(const etsi::PeerLink& link, const Party& party, FederationPass& pass);
  void step(Hi1Transfer& t, const etsi::PeerLink& link, const Party& party, FederationPass& pass);
  Status forward(Hi1Transfer& t, const etsi::PeerLink& link, const Party& party,
                 FederationPass& pass);
  Status follow(Hi1Transfer& t, const etsi::PeerLink& link, const Party& party,
                FederationPass& pass);
  Status deliver(Hi1Transfer& t, const etsi::PeerLink& link, const Party& party,
                 FederationPass& pass);
  // Sends one message: the answers per action, or an error for a failure of
  // the whole exchange (kUnavailable when it is worth trying again).
  Result<std::vector<etsi::ActionResponse>> exchange(const etsi::PeerLink& link,
                                                     std::vector<etsi::ActionRequest> actions);
  // Records a failed attempt: tried again later, or refused for good.
  void failed(Hi1Transfer& t, const Error& e, const Party& party, FederationPass& pass);

  Store& store_;
  BlobStore& blobs_;
  RequestService& requests_;
  const Clock& clock_;
  Hi1Transport& transport_;
  LinkSource links_;
  FederationSettings settings_;
};

}  // namespace liaison
