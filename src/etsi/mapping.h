// Where the fields of TS 103 120 objects land in a Liaison request. This is
// the one place the mapping lives; docs/etsi.md tables every line of it.
//
// An Authorisation with an LDTask is a production request (an emergency one
// when either is flagged IsEmergency); with an LPTask, a preservation
// request. The result is the body the request service takes to create a
// request (POST /api/v1/requests), so an HI-1 request is checked exactly as
// one typed by an officer is.
//
// Identifiers travel as RequestValues named by TS 103 280 format. Liaison's
// kinds that TS 103 280 has no format for (a port with an address, a domain,
// an account, a user name, a crypto address) use formats owned by "LIAISON",
// which GETCSPCONFIG advertises with their patterns.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/request.h"
#include "core/result.h"
#include "etsi/message.h"
#include "etsi/xml_tree.h"

namespace liaison::etsi {

inline constexpr const char* kLiaisonFormatOwner = "LIAISON";

// Liaison's national profile (NationalProfileOwner LIAISON, version v1.0)
// adds two dictionary entries, both owned by LIAISON:
// - AuthorisationLegalType LIAISON/LegalBasis/"<instrument> | <article>": the
//   legal basis a request states ("Regulation (EU) 2023/1543 | Art. 5");
// - DocumentType LIAISON/DocumentType/SignedRequest: a DocumentObject whose
//   body is the signed Liaison request (application/json), which every task
//   sent to a Liaison hub carries, associated with it.
inline constexpr const char* kLiaisonProfileOwner = "LIAISON";
inline constexpr const char* kLiaisonProfileVersion = "v1.0";
inline constexpr const char* kSignedRequestDocumentType = "SignedRequest";

struct TaskMapping {
  nlohmann::json draft;  // a create body without provider_id
  std::string task_id;   // the task's ObjectIdentifier
  std::optional<std::string> authorisation_id;
  std::string reference;  // the LDTask's Reference (its LDID); empty for an LPTask
  std::vector<std::string> preservation_references;            // AlternativePreservationReferences
  std::optional<std::string> desired_preservation_expiration;  // LPTask
};

struct MappingOutcome {
  std::optional<TaskMapping> mapped;
  std::optional<Hi1Error> error;  // what the action's response carries
};

// `task` is an HI1Object of type LDTaskObject or LPTaskObject; `authorisation`
// the AuthorisationObject it is associated with, when the message carries it.
MappingOutcome map_task(const XmlElement& task, const XmlElement* authorisation);

// A DocumentObject that carries a signed Liaison request: its JSON text, or
// the error an action answers with (a body that is not base64, or not JSON).
// Null when `document` is some other kind of document.
struct SignedRequestDocument {
  std::optional<std::string> envelope_text;
  std::optional<Hi1Error> error;
};
std::optional<SignedRequestDocument> signed_request_document(const XmlElement& document);

// A DocumentObject other than the signed request that carries a document
// (a warrant, a court order) in its DocumentBody: what the request it is
// associated with takes as an attachment. `name` is the DocumentName when
// that is a safe file name, else "document-<ObjectIdentifier>"; the media
// type is the ContentType, application/octet-stream without a valid one. Null when
// `document` is no such document (another object, the signed request, or a
// document without a body); `error` when its body is unusable.
struct AttachedDocument {
  std::string object_id;
  std::string name;
  std::string media_type;
  std::string bytes;
  std::optional<Hi1Error> error;
};
std::optional<AttachedDocument> attached_document(const XmlElement& document);

// The DocumentObject that carries one of a request's documents to a
// provider's hub, which attached_document reads back: owned by the issuer
// (`country`, `owner`), associated with the Authorisation, of DocumentType
// LIAISON/DocumentType/Attachment.
XmlElement document_for_attachment(const std::string& id, const std::string& country,
                                   const std::string& owner, const std::string& authorisation_id,
                                   const std::string& name, const std::string& media_type,
                                   const std::string& bytes);
// `task` (from objects_for_signed_request) also associated with `document_id`.
void associate(XmlElement& task, const std::string& document_id);

// The LDID a task's Reference holds for an issuer's own reference: the
// issuer's country and endpoint first, as TS 103 280 writes an LDID
// ("XX-ACTOR01-1234"). map_task takes the prefix off again.
std::string ldid_for(const std::string& country, const std::string& owner,
                     const std::string& reference);

// The objects that carry one signed Liaison request over HI-1, to be created
// in this order: its AuthorisationObject, a DocumentObject holding the signed
// request itself, and an LDTaskObject (a production or emergency disclosure)
// or LPTaskObject (a preservation) associated with both. `payload` is the
// signed payload (trust/request_payload.h), `envelope_text` the whole signed
// request as JSON. Errors name the payload field that HI-1 cannot carry.
struct ObjectIds {
  std::string authorisation, document, task;
};
Result<std::vector<XmlElement>> objects_for_signed_request(const nlohmann::json& payload,
                                                           const std::string& envelope_text,
                                                           const ObjectIds& ids);

// What a task's status is, as far as Liaison's request tells it.
struct TaskState {
  RequestStatus status = RequestStatus::kSubmitted;
  std::optional<std::string> reason;  // why it is Invalid (quarantined) or Rejected
  std::optional<std::string> preserved_until;
};

// An object as GET returns it: as stored, with the Generation and LastChanged
// this hub keeps, and for a task the Status its request's status maps to
// (LDTaskStatus or LPTaskStatus, with a StatusReason when there is one, and
// the PreservationExpiration of a preservation).
XmlElement object_as_held(const XmlElement& stored, std::int64_t generation,
                          const std::string& last_changed, const std::optional<TaskState>& task);

// Sets one field of an Authorisation, LDTask or LPTask object, in the place
// the schema gives it, replacing the field if the object has it.
void set_object_field(XmlElement& object, XmlElement field);

// The ETSI status of a task whose request is in `status`: a value of the
// LDTaskStatus dictionary for an LDTask, of LPTaskStatus for an LPTask.
const char* ld_task_status(RequestStatus status);
const char* lp_task_status(RequestStatus status);

// The object an UPDATE carries to cancel a task the sender created: its
// identifier and type, with DesiredStatus Cancelled.
XmlElement task_cancellation(const std::string& task_id, bool preservation,
                             const std::string& country, const std::string& owner);

// Results travel back under Liaison's profile as DeliveryObjects: a sealed
// evidence package (docs/evidence-format.md) as BinaryData, split over one
// or more DeliveryObjects that share a DeliveryID, numbered from
// SequenceNumber 1 with LastSequence true on the last, each part with its
// ContentLength and SHA-256 Checksum; "the data does not exist" as one
// DeliveryObject with DataExistence false. The Manifest names the
// specification LIAISON/ManifestSpecification/EvidencePackage.
inline constexpr const char* kEvidencePackageSpecification = "EvidencePackage";
inline constexpr const char* kEvidencePackageContentType =
    "application/vnd.liaison.evidence-package";

struct DeliveryPart {
  std::string object_id;       // this DeliveryObject's ObjectIdentifier
  std::string country, owner;  // the provider's CountryCode and OwnerIdentifier
  std::string task_id;         // the task it answers (its one AssociatedObject)
  std::string ldid;            // Reference/LDID, when the task has one
  std::string delivery_id;
  std::int64_t sequence = 1;
  bool last = true;
  // This part's bytes of the package; none when the data does not exist.
  std::optional<std::string> data;
  std::string package_id;  // the package's id, as OriginalFilename names it
};
XmlElement delivery_object(const DeliveryPart& part);

// A DeliveryObject read back, or the error a DELIVER action answers with.
struct DeliveryReading {
  std::optional<DeliveryPart> part;
  std::optional<Hi1Error> error;
};
DeliveryReading read_delivery(const XmlElement& object);

// A DictionaryEntry element {Owner, Name, Value} named `name`.
XmlElement dictionary_entry(QName name, const std::string& owner, const std::string& dictionary,
                            const std::string& value);
// The Value of a DictionaryEntry element, or "" when there is none; with
// `owner`, only when its Owner is that.
std::string entry_value(const XmlElement* entry, const char* owner = nullptr);

// Liaison's identifier kind for a RequestValue's format, or null when Liaison
// takes no identifier of that format.
const char* identifier_kind_for(const std::string& owner, const std::string& name);

// A target format this hub takes, as GETCSPCONFIG advertises it. Formats of
// Liaison's own carry a description and the pattern a value must match.
struct TargetFormat {
  const char* owner;
  const char* name;
  const char* kind;  // Liaison's identifier kind
  const char* description = nullptr;
  const char* regex = nullptr;
};
const std::vector<TargetFormat>& target_formats();

}  // namespace liaison::etsi
