// An HI1Message as the endpoint reads and answers it: the header, the action
// requests with their verbs, and the TS 103 120 Annex D error codes a
// response carries.
//
// Objects stay trees (xml_tree.h) here: what Liaison makes of an LDTask or a
// Delivery is the mapping's business, and an object Liaison does not act on
// passes through untouched.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "etsi/xml_tree.h"

namespace liaison::etsi {

// TS 103 120 Annex D, table D.1.
enum class Hi1ErrorCode : int {
  kGeneralBusinessLogicError = 3000,
  kFeatureNotSupported = 3001,
  kDuplicateActionId = 3002,
  kTransientTechnicalError = 3003,
  kConfigurationIssue = 3004,
  kRequiredElementMissing = 3005,
  kValueChangeNotAllowed = 3006,
  kImproperValue = 3007,
  kImproperValueChange = 3008,
  kValueNotFound = 3009,
  kObjectAlreadyExists = 3010,
  kUpdateObjectDoesNotExist = 3011,
  kUpdateObjectExpired = 3012,
  kCancelObjectDoesNotExist = 3013,
  kGetObjectNotFound = 3014,
  kGetObjectNotDeliverable = 3015,
  kLinkTargetDoesNotExist = 3016,
  kLinkTargetExpired = 3017,
  kLinkTargetFailed = 3018,
  kUnsupportedEncoding = 3019,
  kValidationError = 3020,
  kVersionNotSupported = 3021,
  kMessageTooLarge = 3022,
};

// ActionUnsuccesfulInformation (the schema's spelling).
struct Hi1Error {
  Hi1ErrorCode code = Hi1ErrorCode::kGeneralBusinessLogicError;
  std::string description;
};

struct EndpointId {
  std::string country;    // ISO 3166-1 alpha-2
  std::string unique_id;  // UniqueIdentifier
  bool operator==(const EndpointId&) const = default;
};

struct Header {
  EndpointId sender;
  EndpointId receiver;
  std::string transaction_id;  // lower-case UUID
  std::string timestamp;       // QualifiedMicrosecondDateTime
  std::string etsi_version;    // "V1.23.1"
  std::string national_profile_owner;
  std::string national_profile_version;
  std::optional<std::string> workflow_id;
};

enum class Verb { kGet, kCreate, kUpdate, kList, kDeliver, kGetCspConfig };
const char* verb_name(Verb verb);  // "GET", "CREATE", …

struct ActionRequest {
  std::uint64_t id = 0;  // ActionIdentifier
  Verb verb = Verb::kGet;
  XmlElement body;  // the verb's element: GET{Identifier}, CREATE{HI1Object}, …
};

// What reading a request message found: the header as far as it could be
// read, the actions, or the error that rejects the whole message.
struct RequestReading {
  std::optional<Header> header;  // none when the header itself cannot be read
  std::vector<ActionRequest> actions;
  std::optional<Hi1Error> error;
};

// The versions of TS 103 120 whose messages this hub reads: V1.13.1 to V1.23.1.
const std::vector<std::string>& supported_versions();

RequestReading read_request(const XmlElement& message);
// The same, taking the message's action bodies instead of copying them.
RequestReading read_request(XmlElement&& message);

// One action's answer: a response element (GETResponse, CREATEResponse, …)
// or an error.
struct ActionResponse {
  std::uint64_t id = 0;
  std::optional<XmlElement> body;
  std::optional<Hi1Error> error;
};

// What a response message says: the error that refused the whole request, or
// each action's answer, as the response carries them. A message that is no
// HI-1 response is an error of its own (`malformed`).
struct ResponseReading {
  std::optional<Hi1Error> error;
  std::vector<ActionResponse> actions;
  bool malformed = false;
};
ResponseReading read_response(const XmlElement& message);

// The synchronous response to `request`: the same TransactionIdentifier,
// sender and receiver swapped, stamped `timestamp`, with the ETSI version
// this hub speaks. With `error`, the whole message is rejected; otherwise
// each action has its answer. A request whose header could not be read is
// answered with a new transaction id, from `self` to `peer` (the endpoint the
// caller authenticated as), in the national profile of `self`'s country.
XmlElement response_message(const std::optional<Header>& request, const EndpointId& self,
                            const EndpointId& peer, const std::string& new_transaction_id,
                            const std::string& timestamp,
                            const std::vector<ActionResponse>& actions,
                            const std::optional<Hi1Error>& error);

// A request message from `header` (its ETSIVersion aside: Liaison speaks
// V1.23.1) with `actions`, each body being the verb's element.
XmlElement request_message(const Header& header, const std::vector<ActionRequest>& actions);
// The element of a verb (GET, CREATE, …) with its children.
XmlElement action_element(Verb verb, std::vector<XmlElement> children);

// An element of the Core namespace with text, and one with children: the
// bricks responses are built from.
XmlElement core_text(const std::string& local, std::string text);
XmlElement core_element(const std::string& local, std::vector<XmlElement> children);

}  // namespace liaison::etsi
