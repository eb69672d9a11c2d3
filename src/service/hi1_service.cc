#include "service/hi1_service.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/request_json.h"
#include "core/uuid.h"
#include "etsi/csp_config.h"
#include "etsi/mapping.h"
#include "etsi/namespaces.h"
#include "etsi/peer_links.h"
#include "trust/request_payload.h"
#include "trust/signed_request.h"

namespace liaison {

using etsi::ActionRequest;
using etsi::ActionResponse;
using etsi::Hi1Error;
using etsi::Hi1ErrorCode;
using etsi::QName;
using etsi::XmlElement;
using nlohmann::json;

namespace {

const std::string kCore(etsi::kCoreNamespace);
const std::string kTask(etsi::kTaskNamespace);
const std::string kAuth(etsi::kAuthorisationNamespace);
const std::string kDoc(etsi::kDocumentNamespace);
const std::string kNotification(etsi::kNotificationNamespace);

// The objects this hub keeps, by the ETSI ObjectType dictionary's names.
struct KeptType {
  const std::string* ns;
  const char* local;
  const char* object_type;  // ETSI ObjectType
  bool task = false;        // becomes a request
};
const KeptType kKept[] = {{&kAuth, "AuthorisationObject", "Authorisation"},
                          {&kDoc, "DocumentObject", "Document"},
                          {&kNotification, "NotificationObject", "Notification"},
                          {&kTask, "LDTaskObject", "LDTask", true},
                          {&kTask, "LPTaskObject", "LPTask", true}};

const KeptType* kept_type(const std::optional<QName>& type) {
  if (!type) return nullptr;
  for (const auto& k : kKept) {
    if (type->ns == *k.ns && type->local == k.local) return &k;
  }
  return nullptr;
}

const KeptType* kept_type_named(const std::string& object_type) {
  for (const auto& k : kKept) {
    if (object_type == k.object_type) return &k;
  }
  return nullptr;
}

bool is_task(const KeptType* k) { return k != nullptr && k->task; }

// The largest package a provider's hub may deliver here: as an upload may be.
constexpr std::uint64_t kMaxDeliveredPackageBytes = std::uint64_t{1} << 44;  // 16 TiB

Hi1Error hi1(Hi1ErrorCode code, std::string description) { return {code, std::move(description)}; }

// A service error as the action's ErrorInformation: the field and reason
// where the error names them.
Hi1Error hi1_error_of(const Error& e, Hi1ErrorCode invalid = Hi1ErrorCode::kImproperValue) {
  std::string text = e.message;
  for (const auto& issue : e.issues) {
    text += (text.empty() ? "" : "; ") + issue.field + ": " + issue.reason;
  }
  switch (e.code) {
    case ErrorCode::kMalformed:
    case ErrorCode::kInvalidArgument:
      return hi1(invalid, text);
    case ErrorCode::kNotFound:
      return hi1(Hi1ErrorCode::kValueNotFound, text);
    case ErrorCode::kConflict:
      return hi1(Hi1ErrorCode::kObjectAlreadyExists, text);
    case ErrorCode::kIllegalTransition:
    case ErrorCode::kPreconditionFailed:
      return hi1(Hi1ErrorCode::kValueChangeNotAllowed, text);
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kForbidden:
      return hi1(Hi1ErrorCode::kGeneralBusinessLogicError, text);
    case ErrorCode::kUnavailable:
    case ErrorCode::kRateLimited:
      return hi1(Hi1ErrorCode::kTransientTechnicalError, text);
    default:
      return hi1(Hi1ErrorCode::kTransientTechnicalError, "the hub could not complete this action");
  }
}

using etsi::endpoint_text;

bool lower_case_uuid(const std::string& s) {
  return parse_uuid(s, "ObjectIdentifier").ok() &&
         std::none_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'F'; });
}

std::vector<std::string> associated_of(const XmlElement& object) {
  std::vector<std::string> out;
  if (const XmlElement* list = object.child(kCore, "AssociatedObjects")) {
    for (const XmlElement* a : list->children_named(kCore, "AssociatedObject"))
      out.push_back(a->value());
  }
  return out;
}

// The first field in which two encoded drafts differ.
std::string first_difference(const json& stated, const json& is_signed) {
  for (auto it = is_signed.begin(); it != is_signed.end(); ++it) {
    auto s = stated.find(it.key());
    if (s == stated.end() || *s != it.value()) return it.key();
  }
  return "";
}

// One value read in a read transaction.
template <typename T, typename F>
Result<T> read_one(Store& store, F&& fn) {
  std::optional<T> out;
  Status s = store.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(T v, fn(tx));
    out.emplace(std::move(v));
    return Ok{};
  });
  if (!s.ok()) return s.take_error();
  return std::move(*out);
}

// The sender's own object `id`, or the error an action answers with: `absent`
// when the sender created no such object.
std::optional<Hi1Error> find_own(Store& store, const std::string& owner_org_id,
                                 const std::string& id, Hi1ErrorCode absent, Hi1ObjectRecord& out) {
  auto stored = read_one<Hi1ObjectRecord>(
      store, [&](ReadTx& tx) { return tx.get_hi1_object(owner_org_id, id); });
  if (stored.ok()) {
    out = std::move(stored).value();
    return std::nullopt;
  }
  if (stored.error().code == ErrorCode::kNotFound) {
    return hi1(absent, "no object " + id + " was created by this sender");
  }
  return hi1_error_of(stored.error());
}

// Writes `bytes` to `path`, a file of the blob store's temp folder that the
// store then adopts (and fsyncs); false if it could not be written whole.
bool write_temp_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  return static_cast<bool>(out);
}

ActionResponse answered(const ActionRequest& a, XmlElement body) {
  return ActionResponse{a.id, std::move(body), std::nullopt};
}
ActionResponse failed(const ActionRequest& a, Hi1Error e) {
  return ActionResponse{a.id, std::nullopt, std::move(e)};
}

XmlElement identifier_response(const char* verb, const std::string& id) {
  return etsi::core_element(verb, {etsi::core_text("Identifier", id)});
}

}  // namespace

struct Hi1Service::Exchange {
  const Principal& caller;
  // The organisation the message is addressed to: a provider, for an
  // authority's requests; an authority, for a provider's deliveries.
  Organisation receiver;
  bool provider_side = false;  // the caller is a provider delivering results
  std::string now_micro;
  std::string now_seconds;
  std::string endpoint_url;  // as GETCSPCONFIG advertises it
};

Hi1Service::Hi1Service(Store& store, BlobStore& blobs, RequestService& requests, const Clock& clock,
                       Hi1Settings settings)
    : store_(store),
      blobs_(blobs),
      requests_(requests),
      clock_(clock),
      settings_(std::move(settings)) {}

Result<Principal> Hi1Service::caller_for_certificate(std::string_view der,
                                                     const etsi::EndpointCertificates& trusted) {
  std::vector<std::string> endpoints = trusted.endpoints_trusting(der);
  if (endpoints.empty()) {
    return Error::make(ErrorCode::kUnauthenticated,
                       "the TLS client certificate is trusted for no HI-1 endpoint on this hub");
  }
  if (endpoints.size() > 1) {
    return Error::make(ErrorCode::kUnauthenticated,
                       "the TLS client certificate is trusted for more than one endpoint (" +
                           endpoints[0] + ", " + endpoints[1] +
                           "): each endpoint's system needs a certificate of its own");
  }
  const std::string& endpoint = endpoints.front();
  std::optional<Organisation> org;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto orgs, tx.list_orgs());
    for (auto& o : orgs) {
      if ((o.kind == OrgKind::kAuthority || o.kind == OrgKind::kProvider) &&
          endpoint_text({o.country, o.endpoint_uid}) == endpoint) {
        org = std::move(o);
      }
    }
    return Ok{};
  }));
  if (!org) {
    return Error::make(ErrorCode::kUnauthenticated,
                       "the TLS client certificate is trusted for " + endpoint +
                           ", which is no authority or provider on this hub");
  }
  return requests_.link_account(*org,
                                org->kind == OrgKind::kAuthority ? Role::kOfficer : Role::kAnalyst);
}

XmlElement Hi1Service::refuse(const Principal& p, const Hi1Error& error) {
  etsi::EndpointId peer =
      p.org ? etsi::EndpointId{p.org->country, p.org->endpoint_uid} : settings_.hub;
  return etsi::response_message(std::nullopt, settings_.hub, peer, random_uuid(),
                                format_rfc3339_micros(clock_.now()), {}, error);
}

XmlElement Hi1Service::answer(const Principal& p, XmlElement message,
                              const std::optional<Hi1Error>& refusal,
                              const std::string& reached_at) {
  Timestamp now = clock_.now();
  std::string stamp = format_rfc3339_micros(now);
  etsi::EndpointId peer =
      p.org ? etsi::EndpointId{p.org->country, p.org->endpoint_uid} : settings_.hub;
  etsi::RequestReading reading = etsi::read_request(std::move(message));
  auto whole = [&](const std::optional<etsi::Header>& header, Hi1Error e) {
    return etsi::response_message(header, settings_.hub, peer, random_uuid(), stamp, {}, e);
  };
  if (reading.error) return whole(reading.header, *reading.error);
  etsi::Header header = *reading.header;

  // The sender is who authenticated, not whom the message names: a message
  // claiming another endpoint is answered to the caller's own.
  const bool provider_side = p.org && p.org->kind == OrgKind::kProvider;
  if (!p.org || (p.org->kind != OrgKind::kAuthority && !provider_side)) {
    header.sender = peer;
    return whole(header, hi1(Hi1ErrorCode::kGeneralBusinessLogicError,
                             "only an authority's or a provider's system sends HI-1 messages to "
                             "this hub"));
  }
  if (header.sender != peer) {
    std::string claimed = endpoint_text(header.sender);
    header.sender = peer;
    return whole(header, hi1(Hi1ErrorCode::kImproperValue,
                             "Header/SenderIdentifier " + claimed +
                                 " is not the endpoint of the organisation this account belongs "
                                 "to (" +
                                 endpoint_text(peer) + ")"));
  }
  if (refusal) return whole(header, *refusal);
  Exchange x{p,
             {},
             provider_side,
             stamp,
             format_rfc3339(Timestamp::from_seconds(now.seconds())),
             settings_.endpoint_url.empty() ? reached_at : settings_.endpoint_url};
  bool found = false;
  Status read = store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(auto orgs, tx.list_orgs());
    for (auto& o : orgs) {
      if (o.kind == (provider_side ? OrgKind::kAuthority : OrgKind::kProvider) &&
          o.country == header.receiver.country && o.endpoint_uid == header.receiver.unique_id) {
        x.receiver = std::move(o);
        found = true;
      }
    }
    return Ok{};
  });
  if (!read.ok()) return whole(header, hi1_error_of(read.error()));
  if (!found) {
    return whole(header, hi1(Hi1ErrorCode::kImproperValue,
                             "Header/ReceiverIdentifier " + endpoint_text(header.receiver) +
                                 (provider_side ? " is no authority on this hub"
                                                : " is no provider on this hub")));
  }
  std::vector<ActionResponse> responses;
  for (const auto& action : reading.actions) responses.push_back(act(x, action));
  return etsi::response_message(header, settings_.hub, peer, random_uuid(), stamp, responses,
                                std::nullopt);
}

ActionResponse Hi1Service::act(Exchange& x, const ActionRequest& a) {
  if (x.provider_side && a.verb != etsi::Verb::kDeliver && a.verb != etsi::Verb::kGetCspConfig) {
    return failed(a, hi1(Hi1ErrorCode::kGeneralBusinessLogicError,
                         "a provider's system sends DELIVER here, with the results of a task "
                         "this hub forwarded to it; requests come from authorities"));
  }
  switch (a.verb) {
    case etsi::Verb::kGetCspConfig:
      return answered(a, etsi::csp_config_response({settings_.config_changed_at, x.endpoint_url}));
    case etsi::Verb::kCreate:
      return create(x, a);
    case etsi::Verb::kGet:
      return get(x, a);
    case etsi::Verb::kList:
      return list(x, a);
    case etsi::Verb::kUpdate:
      return update(x, a);
    case etsi::Verb::kDeliver:
      if (x.provider_side) return deliver(x, a);
      return failed(a, hi1(Hi1ErrorCode::kFeatureNotSupported,
                           "DELIVER carries results from a provider to an authority; an "
                           "authority's system sends requests here"));
  }
  return failed(a, hi1(Hi1ErrorCode::kFeatureNotSupported, "unknown action"));
}

ActionResponse Hi1Service::create(Exchange& x, const ActionRequest& a) {
  const XmlElement* object = a.body.child(kCore, "HI1Object");
  if (object == nullptr) {
    return failed(a, hi1(Hi1ErrorCode::kRequiredElementMissing, "CREATE/HI1Object is missing"));
  }
  if (!object->type) {
    return failed(a, hi1(Hi1ErrorCode::kRequiredElementMissing,
                         "CREATE/HI1Object has no xsi:type naming what it is"));
  }
  const KeptType* kind = kept_type(object->type);
  if (kind == nullptr) {
    return failed(a, hi1(Hi1ErrorCode::kFeatureNotSupported,
                         object->type->local +
                             " is not acted on here: this hub takes lawful disclosure (LDTask) and "
                             "preservation (LPTask) with their Authorisation, Documents and "
                             "Notifications"));
  }
  std::string id = etsi::value_of(object->child(kCore, "ObjectIdentifier"));
  if (id.empty()) {
    return failed(a, hi1(Hi1ErrorCode::kRequiredElementMissing, "ObjectIdentifier is missing"));
  }
  if (!lower_case_uuid(id)) {
    return failed(a, hi1(Hi1ErrorCode::kImproperValue,
                         "ObjectIdentifier \"" + id + "\" is not a lower-case UUID"));
  }
  if (const XmlElement* g = object->child(kCore, "Generation"); g != nullptr) {
    return failed(a, hi1(Hi1ErrorCode::kImproperValue,
                         "Generation is kept by the receiver and is not sent in a CREATE"));
  }
  Hi1ObjectRecord record;
  record.owner_org_id = x.caller.org->id;
  record.object_id = id;
  record.object_type = etsi::clark_name(*object->type);
  record.associated = associated_of(*object);
  record.xml = etsi::write_xml(*object);
  record.created_at = x.now_micro;
  record.last_changed = x.now_seconds;
  if (auto doc = etsi::signed_request_document(*object); doc && doc->error) {
    return failed(a, *doc->error);
  }
  if (is_task(kind)) return create_task(x, a, *object, std::move(record));
  // A document sent for a task already here is attached to its request
  // first: attaching is idempotent by the document's identifier, so a
  // CREATE that then meets 3010 has attached nothing twice.
  auto document = etsi::attached_document(*object);
  if (document && document->error) return failed(a, *document->error);
  if (document) {
    for (const auto& linked_id : record.associated) {
      Hi1ObjectRecord linked;
      if (find_own(store_, x.caller.org->id, linked_id, Hi1ErrorCode::kLinkTargetDoesNotExist,
                   linked) ||
          !linked.request_id)
        continue;
      if (auto e = attach(x, *linked.request_id, *document)) return failed(a, *e);
      break;
    }
  }
  Status s = store_.write([&](WriteTx& tx) { return tx.insert_hi1_object(record); });
  if (!s.ok()) return failed(a, hi1_error_of(s.error()));
  return answered(a, identifier_response("CREATEResponse", id));
}

ActionResponse Hi1Service::create_task(Exchange& x, const ActionRequest& a, const XmlElement& task,
                                       Hi1ObjectRecord record) {
  // The objects the task is associated with: its Authorisation and the
  // signed request, created by the same sender before it.
  std::optional<XmlElement> authorisation;
  std::optional<std::string> envelope_text;
  std::vector<etsi::AttachedDocument> documents;
  for (const auto& id : record.associated) {
    Hi1ObjectRecord linked;
    if (auto e =
            find_own(store_, x.caller.org->id, id, Hi1ErrorCode::kLinkTargetDoesNotExist, linked)) {
      return failed(a, *e);
    }
    auto tree = etsi::parse_xml(linked.xml);
    if (!tree.ok()) return failed(a, hi1_error_of(tree.error()));
    if (tree->type == QName{kAuth, "AuthorisationObject"}) authorisation = std::move(*tree);
    if (auto doc = etsi::signed_request_document(*tree); doc && doc->envelope_text) {
      envelope_text = doc->envelope_text;
    }
    if (auto doc = etsi::attached_document(*tree); doc && !doc->error) {
      documents.push_back(std::move(*doc));
    }
  }
  etsi::MappingOutcome mapped = etsi::map_task(task, authorisation ? &*authorisation : nullptr);
  if (mapped.error) return failed(a, *mapped.error);
  if (!envelope_text) {
    return failed(a, hi1(Hi1ErrorCode::kRequiredElementMissing,
                         "the task has no signed request: this hub's profile (LIAISON v1.0) "
                         "requires an associated DocumentObject of DocumentType "
                         "LIAISON/SignedRequest holding the signed Liaison request"));
  }

  // The task must say what was signed: every field it states is compared
  // with the signed request, in the request's own terms.
  auto parsed = parse_json_text(*envelope_text);
  if (!parsed.ok()) return failed(a, hi1_error_of(parsed.error()));
  auto envelope = trust::signed_request_from_json(*parsed);
  if (!envelope.ok()) return failed(a, hi1_error_of(envelope.error()));
  const json& payload = envelope->payload;
  const json provider = payload.value("provider", json::object());
  if (provider.value("country", "") != x.receiver.country ||
      provider.value("endpoint_uid", "") != x.receiver.endpoint_uid) {
    return failed(a, hi1(Hi1ErrorCode::kImproperValue,
                         "the signed request is addressed to another provider than this "
                         "message's receiver"));
  }
  json signed_body = trust::draft_body_of(payload, x.receiver.id);
  json stated = mapped.mapped->draft;
  // A task without a reference of its own names the request by its id.
  if (payload.value("issuer_reference", "").empty() &&
      stated.value("issuer_reference", "") == payload.value("request_id", "")) {
    stated.erase("issuer_reference");
  }
  json stated_body = signed_body;
  stated_body.merge_patch(stated);
  Timestamp now = clock_.now();
  auto signed_draft = decode_request_draft(signed_body, now);
  auto stated_draft = decode_request_draft(stated_body, now);
  if (signed_draft.ok()) {
    if (!stated_draft.ok()) return failed(a, hi1_error_of(stated_draft.error()));
    std::string differs =
        first_difference(encode_draft(stated_draft->draft), encode_draft(signed_draft->draft));
    if (!differs.empty()) {
      return failed(a, hi1(Hi1ErrorCode::kImproperValue,
                           "the task and the signed request it carries differ in " + differs));
    }
  }
  // Received as a signed request is: the hub's checks, its verdict and its
  // ledger entry, with the task kept in the same transaction.
  auto received = requests_.receive_signed(x.caller, *envelope_text, std::nullopt,
                                           [&](WriteTx& tx, const Request& r) {
                                             record.request_id = r.id;
                                             return tx.insert_hi1_object(record);
                                           });
  if (!received.ok()) return failed(a, hi1_error_of(received.error()));
  // The documents the task names (a warrant, a court order) become the
  // request's attachments, unless it was quarantined: then they stay only
  // as the sender's objects. One that cannot be attached now can be sent
  // again as a new DocumentObject associated with the task.
  if (received->value.request.status != RequestStatus::kQuarantined) {
    for (const auto& d : documents) {
      if (auto e = attach(x, received->value.request.id, d)) return failed(a, *e);
    }
  }
  // A production that follows a preservation says so on the timelines. A
  // reference that is the ObjectIdentifier of an LPTask the same sender
  // sent here links the two requests; any other (a preservation asked for
  // through another channel) is recorded as given.
  for (const auto& reference : mapped.mapped->preservation_references) {
    Hi1ObjectRecord lp;
    const bool here =
        !find_own(store_, x.caller.org->id, reference, Hi1ErrorCode::kGetObjectNotFound, lp) &&
        lp.request_id && lp.object_type == etsi::clark_name(QName{kTask, "LPTaskObject"});
    const std::string& production = received->value.request.id;
    json subject = {{"preservation_reference", reference}};
    if (here) subject["preservation_request_id"] = *lp.request_id;
    Status linked = requests_.record_link_event(
        production, x.caller.org->id, "hi1_follows_preservation",
        here ? "follows the preservation sent over HI-1 as task " + reference
             : "follows preservation " + reference + ", asked for outside this hub",
        subject);
    if (linked.ok() && here) {
      linked = requests_.record_link_event(*lp.request_id, x.caller.org->id,
                                           "hi1_followed_by_production",
                                           "a production over HI-1 follows this preservation",
                                           {{"production_request_id", production}});
    }
    if (!linked.ok()) return failed(a, hi1_error_of(linked.error()));
  }
  return answered(a, identifier_response("CREATEResponse", record.object_id));
}

std::optional<Hi1Error> Hi1Service::attach(Exchange& x, const std::string& request_id,
                                           const etsi::AttachedDocument& document) {
  const std::string temp = blobs_.new_temp_path();
  if (!write_temp_file(temp, document.bytes)) {
    std::remove(temp.c_str());
    return hi1(Hi1ErrorCode::kTransientTechnicalError, "the document could not be stored");
  }
  // Keyed by the document's identifier, so it is attached once however
  // often it is sent; add_attachment consumes the file whatever happens.
  IdempotencyKey key{"hi1-document:" + document.object_id, "hi1-document:" + document.object_id};
  auto added = requests_.add_attachment(
      x.caller, request_id, NewAttachment{temp, document.name, document.media_type, "document"},
      key);
  if (!added.ok()) return hi1_error_of(added.error());
  return std::nullopt;
}

ActionResponse Hi1Service::get(Exchange& x, const ActionRequest& a) {
  std::string id = etsi::value_of(a.body.child(kCore, "Identifier"));
  if (id.empty()) {
    return failed(a, hi1(Hi1ErrorCode::kRequiredElementMissing, "GET/Identifier is missing"));
  }
  Hi1ObjectRecord found;
  if (auto e = find_own(store_, x.caller.org->id, id, Hi1ErrorCode::kGetObjectNotFound, found)) {
    return failed(a, *e);
  }
  const Hi1ObjectRecord* stored = &found;
  auto tree = etsi::parse_xml(stored->xml);
  if (!tree.ok()) return failed(a, hi1_error_of(tree.error()));
  std::optional<etsi::TaskState> state;
  if (stored->request_id) {
    auto view = requests_.get(x.caller, *stored->request_id, false);
    if (!view.ok()) return failed(a, hi1_error_of(view.error()));
    const Request& r = view->request;
    state = etsi::TaskState{r.status, std::nullopt, r.preserved_until};
    if (r.status == RequestStatus::kQuarantined) {
      state->reason = "refused on receipt: " + r.quarantine_reason.value_or("verification failed");
    }
  }
  return answered(
      a, etsi::core_element("GETResponse", {etsi::object_as_held(*tree, stored->generation,
                                                                 stored->last_changed, state)}));
}

ActionResponse Hi1Service::list(Exchange& x, const ActionRequest& a) {
  Hi1ObjectFilter f;
  f.owner_org_id = x.caller.org->id;
  for (const auto& child : a.body.children) {
    const std::string& name = child.name.local;
    if (name == "ObjectType") {
      std::string type = etsi::entry_value(&child, "ETSI");
      const KeptType* k = kept_type_named(type);
      if (k == nullptr) {
        // Objects of other types are never kept here, so there are none to list.
        return answered(a, etsi::core_element("LISTResponse", {}));
      }
      f.object_type = etsi::clark_name({*k->ns, k->local});
    } else if (name == "LastChanged") {
      f.changed_since = child.value();
    } else if (name == "MaximumObjectCount") {
      std::string n = child.value();
      if (n.empty() || n.size() > 9 ||
          !std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
          std::stoi(n) < 1) {
        return failed(a, hi1(Hi1ErrorCode::kImproperValue,
                             "LIST/MaximumObjectCount \"" + n + "\" is not a positive integer"));
      }
      f.limit = std::min(std::stoi(n), f.limit);
    } else {
      return failed(a, hi1(Hi1ErrorCode::kFeatureNotSupported,
                           "LIST by " + name +
                               " is not supported here; filter by ObjectType, LastChanged and "
                               "MaximumObjectCount"));
    }
  }
  auto objects = read_one<std::vector<Hi1ObjectRecord>>(
      store_, [&](ReadTx& tx) { return tx.list_hi1_objects(f); });
  if (!objects.ok()) return failed(a, hi1_error_of(objects.error()));
  std::vector<XmlElement> records;
  for (const auto& o : *objects) {
    const KeptType* k = nullptr;
    for (const auto& kept : kKept) {
      if (etsi::clark_name({*kept.ns, kept.local}) == o.object_type) k = &kept;
    }
    records.push_back(etsi::core_element(
        "ListResponseRecord", {etsi::dictionary_entry({kCore, "ObjectType"}, "ETSI", "ObjectType",
                                                      k != nullptr ? k->object_type : "Unknown"),
                               etsi::core_text("Identifier", o.object_id),
                               etsi::core_text("Generation", std::to_string(o.generation)),
                               etsi::core_text("LastChanged", o.last_changed)}));
  }
  return answered(a, etsi::core_element("LISTResponse", std::move(records)));
}

Status Hi1Service::cancel_request(Exchange& x, const std::string& request_id) {
  ActionInput in;
  in.action = RequestAction::kCancel;
  in.note = "cancelled by the authority's system over HI-1";
  auto done = requests_.act(x.caller, request_id, in);
  if (!done.ok()) return done.take_error();
  return Ok{};
}

ActionResponse Hi1Service::update(Exchange& x, const ActionRequest& a) {
  const XmlElement* object = a.body.child(kCore, "HI1Object");
  if (object == nullptr) {
    return failed(a, hi1(Hi1ErrorCode::kRequiredElementMissing, "UPDATE/HI1Object is missing"));
  }
  std::string id = etsi::value_of(object->child(kCore, "ObjectIdentifier"));
  if (id.empty()) {
    return failed(a, hi1(Hi1ErrorCode::kRequiredElementMissing, "ObjectIdentifier is missing"));
  }
  Hi1ObjectRecord found;
  if (auto e =
          find_own(store_, x.caller.org->id, id, Hi1ErrorCode::kUpdateObjectDoesNotExist, found)) {
    return failed(a, *e);
  }
  const Hi1ObjectRecord* stored = &found;
  if (!object->type || etsi::clark_name(*object->type) != stored->object_type) {
    return failed(a, hi1(Hi1ErrorCode::kValueChangeNotAllowed,
                         "the object's xsi:type differs from the one it was created with"));
  }
  const KeptType* kind = kept_type(object->type);
  // What the sender may change: the desired status, to Cancelled. Anything
  // else is a new request, which the authority signs again.
  std::string desired;
  QName desired_name;
  if (is_task(kind)) {
    desired_name = {kTask, "DesiredStatus"};
  } else if (object->type->local == "AuthorisationObject") {
    desired_name = {kAuth, "AuthorisationDesiredStatus"};
  }
  const XmlElement* wanted =
      desired_name.local.empty() ? nullptr : object->child(desired_name.ns, desired_name.local);
  desired = etsi::entry_value(wanted, "ETSI");
  if (desired != "Cancelled") {
    return failed(a, hi1(Hi1ErrorCode::kFeatureNotSupported,
                         "an UPDATE here sets the DesiredStatus of a task or an Authorisation to "
                         "Cancelled; any other change is a new request, signed again"));
  }
  std::vector<std::string> requests;
  if (stored->request_id) {
    requests.push_back(*stored->request_id);
  } else {
    Hi1ObjectFilter tasks;
    tasks.owner_org_id = x.caller.org->id;
    tasks.associated_with = id;
    auto linked = read_one<std::vector<Hi1ObjectRecord>>(
        store_, [&](ReadTx& tx) { return tx.list_hi1_objects(tasks); });
    if (!linked.ok()) return failed(a, hi1_error_of(linked.error()));
    for (const auto& t : *linked)
      if (t.request_id) requests.push_back(*t.request_id);
  }
  for (const auto& r : requests) {
    auto view = requests_.get(x.caller, r, false);
    if (!view.ok()) return failed(a, hi1_error_of(view.error()));
    if (view->request.status == RequestStatus::kCancelled) continue;
    // A task whose request is over cannot be cancelled; one of an
    // Authorisation's tasks that is over is left as it is.
    Status s = cancel_request(x, r);
    if (!s.ok() && (stored->request_id || s.error().code != ErrorCode::kIllegalTransition)) {
      return failed(a, hi1_error_of(s.error()));
    }
  }
  auto tree = etsi::parse_xml(stored->xml);
  if (!tree.ok()) return failed(a, hi1_error_of(tree.error()));
  etsi::set_object_field(*tree, *wanted);
  Hi1ObjectRecord next = *stored;
  next.generation += 1;
  next.xml = etsi::write_xml(*tree);
  next.last_changed = x.now_seconds;
  Status s = store_.write([&](WriteTx& tx) { return tx.update_hi1_object(next); });
  if (!s.ok()) return failed(a, hi1_error_of(s.error()));
  return answered(a, identifier_response("UPDATEResponse", id));
}

ActionResponse Hi1Service::deliver(Exchange& x, const ActionRequest& a) {
  const std::string id = etsi::value_of(a.body.child(kCore, "Identifier"));
  const XmlElement* object = a.body.child(kCore, "HI1Object");
  if (object == nullptr || id.empty()) {
    return failed(a, hi1(Hi1ErrorCode::kRequiredElementMissing,
                         "DELIVER needs an Identifier and an HI1Object"));
  }
  etsi::DeliveryReading reading = etsi::read_delivery(*object);
  if (reading.error) return failed(a, *reading.error);
  etsi::DeliveryPart& part = *reading.part;
  auto done = [&] { return answered(a, identifier_response("DELIVERResponse", id)); };

  // The task it answers must be one this hub forwarded to the caller's
  // organisation, for the authority the message is addressed to.
  const std::string sender = endpoint_text({x.caller.org->country, x.caller.org->endpoint_uid});
  auto transfer = read_one<Hi1Transfer>(store_, [&](ReadTx& tx) {
    return tx.find_hi1_transfer(Hi1TransferKind::kForward, sender, part.task_id);
  });
  if (!transfer.ok()) {
    if (transfer.error().code != ErrorCode::kNotFound)
      return failed(a, hi1_error_of(transfer.error()));
    return failed(a, hi1(Hi1ErrorCode::kLinkTargetDoesNotExist,
                         "this hub forwarded no task " + part.task_id + " to " + sender));
  }
  const std::string request_id = transfer->request_id;
  auto view = requests_.get(x.caller, request_id, false);
  if (!view.ok()) {
    return failed(a, hi1(Hi1ErrorCode::kLinkTargetDoesNotExist,
                         "task " + part.task_id + " stands for no request addressed to " + sender));
  }
  if (view->request.issuer_org_id != x.receiver.id) {
    return failed(a, hi1(Hi1ErrorCode::kImproperValue,
                         "Header/ReceiverIdentifier is not the authority whose request task " +
                             part.task_id + " carries"));
  }

  if (!part.data) {
    // "The data does not exist": the request is answered not available.
    if (view->request.status == RequestStatus::kNotAvailable) return done();
    Status accepted = requests_.accept_for_delivery(x.caller, request_id);
    if (!accepted.ok()) return failed(a, hi1_error_of(accepted.error()));
    ActionInput in;
    in.action = RequestAction::kNotAvailable;
    in.note = "the provider's hub reports over HI-1 that the data does not exist";
    auto taken = requests_.act(x.caller, request_id, in);
    if (!taken.ok()) return failed(a, hi1_error_of(taken.error()));
    return done();
  }

  // One part of a package: appended, durably, to the delivery's partial
  // file; the last one completes it and registers it.
  auto uuid = parse_uuid(part.delivery_id, "DeliveryID");
  if (!uuid.ok()) {
    return failed(a, hi1(Hi1ErrorCode::kImproperValue, "DeliveryID is not a UUID"));
  }
  const std::string now = format_rfc3339_micros(clock_.now());
  Hi1InboundDelivery d;
  auto known = read_one<Hi1InboundDelivery>(
      store_, [&](ReadTx& tx) { return tx.get_hi1_inbound_delivery(x.caller.org->id, *uuid); });
  if (known.ok()) {
    d = std::move(known).value();
  } else if (known.error().code == ErrorCode::kNotFound) {
    d = {x.caller.org->id, *uuid, request_id, 1, 0, std::nullopt, now, now};
  } else {
    return failed(a, hi1_error_of(known.error()));
  }
  if (d.request_id != request_id) {
    return failed(a, hi1(Hi1ErrorCode::kImproperValue,
                         "DeliveryID " + *uuid + " belongs to a delivery for another task"));
  }
  // A part sent again (its answer was lost) was taken already.
  if (d.package_id || part.sequence < d.next_sequence) return done();
  if (part.sequence > d.next_sequence) {
    return failed(
        a, hi1(Hi1ErrorCode::kImproperValue,
               "SequenceNumber " + std::to_string(part.sequence) + " of delivery " + *uuid +
                   " comes too early: part " + std::to_string(d.next_sequence) + " is next"));
  }
  if (d.received + part.data->size() > kMaxDeliveredPackageBytes) {
    return failed(a,
                  hi1(Hi1ErrorCode::kImproperValue, "the delivery is larger than this hub takes"));
  }
  const std::string key = "hi1-" + d.owner_org_id + "-" + d.delivery_id;
  // Parts taken before, but their file gone: the hub stopped between
  // registering the package and recording it. A package registered since is
  // this delivery; otherwise it starts over.
  if (d.received > 0 && ::access(blobs_.partial_path(key).c_str(), F_OK) != 0) {
    auto held = requests_.packages(x.caller, request_id);
    if (held.ok() && !held->empty()) {
      d.package_id = held->back().package.id;
      (void)store_.write([&](WriteTx& tx) { return tx.put_hi1_inbound_delivery(d); });
      return done();
    }
    d = {d.owner_org_id, d.delivery_id, request_id, 1, 0, std::nullopt, d.created_at, now};
    (void)store_.write([&](WriteTx& tx) { return tx.put_hi1_inbound_delivery(d); });
    return failed(a, hi1(Hi1ErrorCode::kImproperValue,
                         "delivery " + *uuid + " was interrupted here; send it again from part 1"));
  }
  Status written = write_part(key, d.received, *part.data);
  if (!written.ok()) return failed(a, hi1_error_of(written.error()));
  d.received += part.data->size();
  d.next_sequence += 1;
  d.updated_at = now;
  if (part.last) {
    auto registered =
        requests_.register_delivered_package(x.caller, request_id, blobs_.partial_path(key));
    if (!registered.ok()) {
      // Refused whole: a new delivery starts over from its first part.
      d = {d.owner_org_id, d.delivery_id, request_id, 1, 0, std::nullopt, d.created_at, now};
      (void)store_.write([&](WriteTx& tx) { return tx.put_hi1_inbound_delivery(d); });
      return failed(a, hi1_error_of(registered.error()));
    }
    d.package_id = registered->package.id;
  }
  Status kept = store_.write([&](WriteTx& tx) { return tx.put_hi1_inbound_delivery(d); });
  if (!kept.ok()) return failed(a, hi1_error_of(kept.error()));
  return done();
}

Status Hi1Service::write_part(const std::string& key, std::uint64_t at, const std::string& bytes) {
  const std::string temp = blobs_.new_temp_path();
  struct Cleanup {
    std::string path;
    ~Cleanup() { std::remove(path.c_str()); }
  } cleanup{temp};
  if (!write_temp_file(temp, bytes)) {
    return Error::make(ErrorCode::kUnavailable, "the hub could not store the part");
  }
  return blobs_.append_part(key, at, temp, bytes.size());
}

}  // namespace liaison
