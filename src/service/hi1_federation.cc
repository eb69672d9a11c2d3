#include "service/hi1_federation.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/request_json.h"
#include "core/request_lifecycle.h"
#include "core/uuid.h"
#include "etsi/mapping.h"
#include "etsi/namespaces.h"

namespace liaison {

using etsi::ActionRequest;
using etsi::ActionResponse;
using etsi::Hi1ErrorCode;
using etsi::PeerLink;
using etsi::XmlElement;
using nlohmann::json;

namespace {

const std::string kCore(etsi::kCoreNamespace);
const std::string kTask(etsi::kTaskNamespace);

// The identifiers of a task's companion objects, derived from the task's
// own so that a forward tried again names the same objects, and a peer that
// took them the first time answers ObjectAlreadyExists.
std::string derived_id(const std::string& from, const std::string& role) {
  return uuid_from_seed(from + "/" + role);
}

std::string hi1_text(const etsi::Hi1Error& e) {
  return std::to_string(static_cast<int>(e.code)) + " " + e.description;
}

// Statuses after which a task changes no more.
bool final_status(const std::string& s) {
  return s == "Disclosed" || s == "DisclosureNotAvailable" || s == "Rejected" || s == "Cancelled" ||
         s == "Invalid" || s == "Expired" || s == "PreservationNotAvailable" || s == "Error";
}

// An action's error as the exchange reports it: transient ones are tried again.
Error action_error(const std::string& what, const etsi::Hi1Error& e) {
  return Error::make(e.code == Hi1ErrorCode::kTransientTechnicalError ? ErrorCode::kUnavailable
                                                                      : ErrorCode::kInvalidArgument,
                     what + ": " + hi1_text(e));
}

json transfer_subject(const Hi1Transfer& t, const PeerLink& link) {
  json hi1 = {{"peer", t.peer}, {"endpoint", link.url}, {"task", t.task_object_id}};
  if (!t.package_id.empty()) hi1["package_id"] = t.package_id;
  if (!t.delivery_id.empty()) hi1["delivery_id"] = t.delivery_id;
  return {{"hi1", std::move(hi1)}};
}

}  // namespace

struct Hi1Federation::Party {
  Organisation local;
  Organisation peer;
};

Hi1Federation::Hi1Federation(Store& store, BlobStore& blobs, RequestService& requests,
                             const Clock& clock, Hi1Transport& transport, LinkSource links,
                             FederationSettings settings)
    : store_(store),
      blobs_(blobs),
      requests_(requests),
      clock_(clock),
      transport_(transport),
      links_(std::move(links)),
      settings_(settings) {}

Result<FederationPass> Hi1Federation::sweep() {
  FederationPass pass;
  std::vector<PeerLink> links = links_();
  if (links.empty()) return pass;
  std::vector<Organisation> orgs;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(orgs, tx.list_orgs());
    return Ok{};
  }));
  auto org_at = [&](const etsi::EndpointId& e) -> const Organisation* {
    for (const auto& o : orgs) {
      if (o.country == e.country && o.endpoint_uid == e.unique_id) return &o;
    }
    return nullptr;
  };
  std::vector<std::pair<PeerLink, Party>> resolved;
  for (auto& link : links) {
    const Organisation* local = org_at(link.organisation);
    const Organisation* peer = org_at(link.peer);
    // Both parties are known here: the provider so requests can be addressed
    // to it, the authority because it sends its requests.
    if (local == nullptr || peer == nullptr) continue;
    resolved.push_back({link, Party{*local, *peer}});
  }
  for (const auto& [link, party] : resolved) {
    if (party.local.kind == OrgKind::kAuthority && party.peer.kind == OrgKind::kProvider) {
      start_forwarding(link, party, pass);
    } else if (party.local.kind == OrgKind::kProvider && party.peer.kind == OrgKind::kAuthority) {
      start_deliveries(link, party, pass);
    }
  }
  std::vector<Hi1Transfer> open;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(open, tx.list_open_hi1_transfers(1000));
    return Ok{};
  }));
  const std::string now = format_rfc3339_micros(clock_.now());
  for (auto& t : open) {
    if (t.next_attempt_at > now) continue;
    std::optional<Request> r;
    LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
      auto got = tx.get_request(t.request_id);
      if (got.ok()) r = std::move(got.value());
      return Ok{};
    }));
    if (!r) continue;
    const std::string& local_id =
        t.kind == Hi1TransferKind::kForward ? r->issuer_org_id : r->draft.provider_org_id;
    for (const auto& [link, party] : resolved) {
      if (etsi::endpoint_text(link.peer) == t.peer && party.local.id == local_id) {
        step(t, link, party, pass);
        break;
      }
    }
  }
  return pass;
}

void Hi1Federation::start_forwarding(const PeerLink& link, const Party& party,
                                     FederationPass& pass) {
  std::vector<std::string> ids;
  Status read = store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(
        ids, tx.list_requests_to_forward(party.local.id, party.peer.id, settings_.batch));
    return Ok{};
  });
  if (!read.ok()) return;
  for (const auto& id : ids) {
    std::string now = format_rfc3339_micros(clock_.now());
    Hi1Transfer t;
    t.id = random_uuid();
    t.kind = Hi1TransferKind::kForward;
    t.request_id = id;
    t.peer = etsi::endpoint_text(link.peer);
    t.task_object_id = random_uuid();
    t.next_attempt_at = t.created_at = t.updated_at = now;
    if (!store_.write([&](WriteTx& tx) { return tx.insert_hi1_transfer(t); }).ok()) continue;
    step(t, link, party, pass);
  }
}

void Hi1Federation::start_deliveries(const PeerLink& link, const Party& party,
                                     FederationPass& pass) {
  std::vector<Hi1DeliveryDue> due;
  Status read = store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(
        due, tx.list_hi1_deliveries_due(party.peer.id, party.local.id, settings_.batch));
    return Ok{};
  });
  if (!read.ok()) return;
  for (const auto& d : due) {
    std::string now = format_rfc3339_micros(clock_.now());
    Hi1Transfer t;
    t.id = random_uuid();
    t.kind = Hi1TransferKind::kDeliver;
    t.request_id = d.request_id;
    t.package_id = d.package_id;
    t.peer = etsi::endpoint_text(link.peer);
    t.task_object_id = d.task_object_id;
    t.delivery_id = random_uuid();
    t.next_attempt_at = t.created_at = t.updated_at = now;
    if (!store_.write([&](WriteTx& tx) { return tx.insert_hi1_transfer(t); }).ok()) continue;
    step(t, link, party, pass);
  }
}

void Hi1Federation::step(Hi1Transfer& t, const PeerLink& link, const Party& party,
                         FederationPass& pass) {
  Status done = Ok{};
  if (t.kind == Hi1TransferKind::kForward) {
    done = t.state == Hi1TransferState::kPending ? forward(t, link, party, pass)
                                                 : follow(t, link, party, pass);
  } else {
    done = deliver(t, link, party, pass);
  }
  if (!done.ok()) failed(t, done.error(), party, pass);
}

Result<std::vector<ActionResponse>> Hi1Federation::exchange(const PeerLink& link,
                                                            std::vector<ActionRequest> actions) {
  etsi::Header h;
  h.sender = link.organisation;
  h.receiver = link.peer;
  h.transaction_id = random_uuid();
  h.timestamp = format_rfc3339_micros(clock_.now());
  h.etsi_version = etsi::supported_versions().back();
  h.national_profile_owner = etsi::kLiaisonProfileOwner;
  h.national_profile_version = etsi::kLiaisonProfileVersion;
  for (std::size_t i = 0; i < actions.size(); ++i) actions[i].id = i;
  std::string xml = etsi::write_xml(etsi::request_message(h, actions));
  if (settings_.signing_key != nullptr) {
    LIAISON_ASSIGN_OR_RETURN(xml, etsi::sign_xml(xml, *settings_.signing_key));
  }
  LIAISON_ASSIGN_OR_RETURN(std::string body, transport_.post(link, xml));
  std::optional<etsi::Hi1Error> unsigned_answer;
  auto tree = etsi::parse_xml(body, {}, [&](etsi::LibxmlDocument& doc) {
    if (settings_.signatures != nullptr) unsigned_answer = settings_.signatures->check(doc);
  });
  // An answer this hub cannot authenticate is not taken; a link whose
  // certificates are mended is tried again.
  if (tree.ok() && unsigned_answer) {
    return Error::make(ErrorCode::kUnavailable, link.url +
                                                    " answered, but its answer fails this "
                                                    "hub's signature policy: " +
                                                    unsigned_answer->description);
  }
  etsi::ResponseReading reading =
      tree.ok() ? etsi::read_response(*tree) : etsi::ResponseReading{{}, {}, true};
  // Something that is not an HI-1 response (a proxy's error page) is the
  // path's trouble, worth trying again.
  if (reading.malformed) {
    return Error::make(ErrorCode::kUnavailable,
                       link.url + " answered something that is not an HI-1 response");
  }
  // The answer must be the peer's, to this hub's organisation, for this
  // message: otherwise it is not taken (an answer replayed or sent on by
  // another endpoint).
  if (const XmlElement* head = tree.ok() ? tree->child(kCore, "Header") : nullptr) {
    auto endpoint = [&](const char* which) {
      const XmlElement* e = head->child(kCore, which);
      return etsi::EndpointId{etsi::value_of(e ? e->child(kCore, "CountryCode") : nullptr),
                              etsi::value_of(e ? e->child(kCore, "UniqueIdentifier") : nullptr)};
    };
    if (endpoint("SenderIdentifier") != link.peer ||
        endpoint("ReceiverIdentifier") != link.organisation ||
        etsi::value_of(head->child(kCore, "TransactionIdentifier")) != h.transaction_id) {
      return Error::make(ErrorCode::kUnavailable,
                         link.url + " answered for another endpoint or another message");
    }
  }
  if (reading.error) {
    return Error::make(reading.error->code == Hi1ErrorCode::kTransientTechnicalError
                           ? ErrorCode::kUnavailable
                           : ErrorCode::kInvalidArgument,
                       "the peer refused the message: " + hi1_text(*reading.error));
  }
  if (reading.actions.size() != actions.size()) {
    return Error::make(ErrorCode::kUnavailable, link.url + " did not answer every action");
  }
  return std::move(reading.actions);
}

Status Hi1Federation::forward(Hi1Transfer& t, const PeerLink& link, const Party& party,
                              FederationPass& pass) {
  LIAISON_ASSIGN_OR_RETURN(std::string envelope_text, requests_.envelope_for_link(t.request_id));
  LIAISON_ASSIGN_OR_RETURN(json envelope, parse_json_text(envelope_text));
  etsi::ObjectIds ids{derived_id(t.task_object_id, "authorisation"),
                      derived_id(t.task_object_id, "document"), t.task_object_id};
  LIAISON_ASSIGN_OR_RETURN(
      auto objects, etsi::objects_for_signed_request(envelope.value("payload", json::object()),
                                                     envelope_text, ids));
  // The request's documents (a warrant, a court order) travel with it, as
  // DocumentObjects the task names, while they fit in one message; the
  // rest are named on the timeline as not sent.
  std::vector<XmlElement> documents;
  std::vector<std::string> left_behind;
  {
    std::vector<Attachment> attachments;
    LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
      LIAISON_ASSIGN_OR_RETURN(attachments, tx.list_attachments(t.request_id));
      return Ok{};
    }));
    std::uint64_t budget = settings_.delivery_part_bytes;
    const json& issuer = envelope["payload"].value("issuer", json::object());
    for (const Attachment& a : attachments) {
      if (a.purpose != AttachmentPurpose::kDocument || a.uploader_org_id != party.local.id)
        continue;
      if (a.size > budget) {
        left_behind.push_back(a.name);
        continue;
      }
      std::ifstream in(blobs_.path_of(a.sha256), std::ios::binary);
      std::string bytes;
      if (in) bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      if (bytes.size() != a.size) {
        return Error::make(ErrorCode::kUnavailable, "attachment " + a.id + " cannot be read");
      }
      budget -= a.size;
      const std::string id = derived_id(t.task_object_id, "attachment:" + a.id);
      documents.push_back(etsi::document_for_attachment(
          id, issuer.value("country", ""), issuer.value("endpoint_uid", ""), ids.authorisation,
          a.name, a.media_type, bytes));
      etsi::associate(objects.back(), id);
    }
  }
  objects.insert(objects.end() - 1, std::make_move_iterator(documents.begin()),
                 std::make_move_iterator(documents.end()));
  std::vector<ActionRequest> actions;
  actions.reserve(objects.size());
  for (auto& o : objects) {
    actions.push_back(
        {0, etsi::Verb::kCreate, etsi::action_element(etsi::Verb::kCreate, {std::move(o)})});
  }
  LIAISON_ASSIGN_OR_RETURN(auto answers, exchange(link, std::move(actions)));
  for (std::size_t i = 0; i < answers.size(); ++i) {
    // Taken already: an earlier attempt reached the peer before it failed.
    if (answers[i].error && answers[i].error->code != Hi1ErrorCode::kObjectAlreadyExists) {
      const std::string what = i == 0                    ? "the Authorisation"
                               : i == 1                  ? "the signed request"
                               : i + 1 == answers.size() ? "the task"
                                                         : "a document";
      return action_error("the provider's hub refused " + what, *answers[i].error);
    }
  }
  std::string note = "forwarded over HI-1 to " + t.peer;
  if (!left_behind.empty()) {
    note += "; not sent, too large for one message: ";
    for (std::size_t i = 0; i < left_behind.size(); ++i) note += (i ? ", " : "") + left_behind[i];
  }
  LIAISON_TRY(requests_.record_link_event(t.request_id, party.local.id, "hi1_forwarded", note,
                                          transfer_subject(t, link)));
  t.state = Hi1TransferState::kSent;
  t.attempts = 0;
  t.last_error.reset();
  t.updated_at = t.next_attempt_at = format_rfc3339_micros(clock_.now());
  LIAISON_TRY(store_.write([&](WriteTx& tx) { return tx.update_hi1_transfer(t); }));
  ++pass.forwarded;
  return Ok{};
}

Status Hi1Federation::follow(Hi1Transfer& t, const PeerLink& link, const Party& party,
                             FederationPass& pass) {
  Request r;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(r, tx.get_request(t.request_id));
    return Ok{};
  }));
  const bool preservation = r.draft.kind == RequestKind::kPreservation;
  t.last_error.reset();
  LIAISON_ASSIGN_OR_RETURN(
      auto answers,
      exchange(link, {{0, etsi::Verb::kGet,
                       etsi::action_element(etsi::Verb::kGet,
                                            {etsi::core_text("Identifier", t.task_object_id)})}}));
  if (answers[0].error) return action_error("GET of the task", *answers[0].error);
  const XmlElement* object = answers[0].body ? answers[0].body->child(kCore, "HI1Object") : nullptr;
  if (object == nullptr) {
    return Error::make(ErrorCode::kUnavailable, "the provider's hub answered the GET with nothing");
  }
  std::string status = etsi::entry_value(object->child(kTask, "Status"));
  std::string reason;
  if (const XmlElement* why = object->child(kTask, "StatusReason"))
    reason = etsi::value_of(why->child(kCore, "ErrorDescription"));
  if (status != t.remote_status && !status.empty()) {
    json subject = transfer_subject(t, link);
    subject["hi1"]["status"] = status;
    if (!reason.empty()) subject["hi1"]["reason"] = reason;
    LIAISON_TRY(requests_.record_link_event(
        t.request_id, party.local.id, "hi1_remote_status",
        "the provider's hub reports " + status + (reason.empty() ? "" : ": " + reason), subject));
    ++pass.statuses;
    t.remote_status = status;
    // What the provider did there, taken here in its name.
    ActionInput in;
    std::string by = "reported by the provider's hub over HI-1";
    if (status == "Rejected" || status == "Invalid") {
      in.action = RequestAction::kReject;
      in.note = (status == "Invalid" ? "refused on receipt by the provider's hub" : by) +
                (reason.empty() ? "" : ": " + reason);
    } else if (status == "DisclosureNotAvailable" || status == "PreservationNotAvailable") {
      in.action = RequestAction::kNotAvailable;
      in.note = by;
    } else if (status == "Preserved") {
      in.action = RequestAction::kPreserve;
      in.note = by;
      std::string until = etsi::value_of(object->child(kTask, "PreservationExpiration"));
      if (!until.empty()) in.preserved_until = until;
    }
    if (!in.note.empty() && !is_final(r.status) && r.status != RequestStatus::kPreserved) {
      auto taken = requests_.act_for_peer(party.peer, t.request_id, in);
      // A step the request has taken already (a delivery got there first)
      // needs nothing more. Any other failure is this hub's own: kept on the
      // transfer, and the status is not taken here.
      if (!taken.ok() && taken.error().code != ErrorCode::kIllegalTransition) {
        t.last_error = "taking the provider's step here failed: " + taken.error().message;
      }
    }
  }
  // Withdrawn here after it was forwarded: withdrawn there too.
  if (r.status == RequestStatus::kCancelled && !final_status(t.remote_status)) {
    XmlElement cancel = etsi::task_cancellation(
        t.task_object_id, preservation, link.organisation.country, link.organisation.unique_id);
    LIAISON_ASSIGN_OR_RETURN(
        auto updated,
        exchange(link, {{0, etsi::Verb::kUpdate,
                         etsi::action_element(etsi::Verb::kUpdate, {std::move(cancel)})}}));
    if (updated[0].error) return action_error("cancelling the task", *updated[0].error);
    t.remote_status = "Cancelled";
  }
  if (final_status(t.remote_status)) t.state = Hi1TransferState::kDone;
  t.attempts = 0;
  t.updated_at = t.next_attempt_at = format_rfc3339_micros(clock_.now());
  return store_.write([&](WriteTx& tx) { return tx.update_hi1_transfer(t); });
}

Status Hi1Federation::deliver(Hi1Transfer& t, const PeerLink& link, const Party& party,
                              FederationPass& pass) {
  etsi::DeliveryPart part;
  part.country = link.organisation.country;
  part.owner = link.organisation.unique_id;
  part.task_id = t.task_object_id;
  part.delivery_id = t.delivery_id;
  part.package_id = t.package_id;
  auto send = [&](etsi::DeliveryPart& p) -> Status {
    p.object_id = derived_id(t.delivery_id, std::to_string(p.sequence));
    XmlElement object = etsi::delivery_object(p);
    LIAISON_ASSIGN_OR_RETURN(
        auto answers,
        exchange(link, {{0, etsi::Verb::kDeliver,
                         etsi::action_element(
                             etsi::Verb::kDeliver,
                             {etsi::core_text("Identifier", p.object_id), std::move(object)})}}));
    if (answers[0].error) {
      return action_error("the authority's hub refused the delivery", *answers[0].error);
    }
    return Ok{};
  };
  std::uint64_t parts = 0;
  if (t.package_id.empty()) {
    LIAISON_TRY(send(part));
    parts = 1;
  } else {
    std::string path;
    std::uint64_t size = 0;
    LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
      LIAISON_ASSIGN_OR_RETURN(EvidencePackage p, tx.get_evidence_package(t.package_id));
      LIAISON_ASSIGN_OR_RETURN(Attachment a, tx.get_attachment(p.attachment_id));
      path = blobs_.path_of(a.sha256);
      size = a.size;
      return Ok{};
    }));
    std::ifstream in(path, std::ios::binary);
    if (!in)
      return Error::make(ErrorCode::kUnavailable, "the package's stored file cannot be read");
    std::string buffer;
    while (t.sent_bytes < size) {
      const std::uint64_t n =
          std::min<std::uint64_t>(settings_.delivery_part_bytes, size - t.sent_bytes);
      buffer.resize(n);
      in.seekg(static_cast<std::streamoff>(t.sent_bytes));
      if (!in.read(buffer.data(), static_cast<std::streamsize>(n))) {
        return Error::make(ErrorCode::kUnavailable, "the package's stored file cannot be read");
      }
      part.sequence = t.next_sequence;
      part.last = t.sent_bytes + n == size;
      part.data = std::move(buffer);
      LIAISON_TRY(send(part));
      buffer = std::move(*part.data);
      part.data.reset();
      // Progress is kept part by part, so a restart resumes after the last
      // part the peer took.
      t.sent_bytes += n;
      t.next_sequence += 1;
      t.attempts = 0;
      t.updated_at = format_rfc3339_micros(clock_.now());
      LIAISON_TRY(store_.write([&](WriteTx& tx) { return tx.update_hi1_transfer(t); }));
    }
    parts = static_cast<std::uint64_t>(t.next_sequence - 1);
  }
  json subject = transfer_subject(t, link);
  subject["hi1"]["parts"] = parts;
  subject["hi1"]["bytes"] = t.sent_bytes;
  LIAISON_TRY(requests_.record_link_event(
      t.request_id, party.local.id, "hi1_delivered",
      t.package_id.empty() ? "told the authority's hub over HI-1 that the data does not exist"
                           : "package " + t.package_id + " delivered over HI-1 to " + t.peer,
      subject));
  t.state = Hi1TransferState::kDone;
  t.last_error.reset();
  t.updated_at = t.next_attempt_at = format_rfc3339_micros(clock_.now());
  LIAISON_TRY(store_.write([&](WriteTx& tx) { return tx.update_hi1_transfer(t); }));
  ++pass.delivered;
  return Ok{};
}

void Hi1Federation::failed(Hi1Transfer& t, const Error& e, const Party& party,
                           FederationPass& pass) {
  Timestamp now = clock_.now();
  t.attempts += 1;
  t.last_error = e.message;
  t.updated_at = format_rfc3339_micros(now);
  // The peer unreachable, in trouble, or refusing the token (a link to
  // mend): tried again, less and less often. Anything else the peer
  // refused for good.
  bool again = e.code == ErrorCode::kUnavailable || e.code == ErrorCode::kUnauthenticated ||
               e.code == ErrorCode::kInternal;
  if (again) {
    std::int64_t wait = settings_.retry_base_seconds << std::min<std::int64_t>(t.attempts - 1, 16);
    wait = std::min(wait, settings_.retry_max_seconds);
    t.next_attempt_at = format_rfc3339_micros(Timestamp{now.unix_micros + wait * 1'000'000});
    ++pass.retrying;
  } else {
    t.state = Hi1TransferState::kRefused;
    ++pass.refused;
    json subject = {{"hi1", {{"peer", t.peer}, {"task", t.task_object_id}, {"reason", e.message}}}};
    (void)requests_.record_link_event(
        t.request_id, party.local.id,
        t.kind == Hi1TransferKind::kForward ? "hi1_forward_refused" : "hi1_delivery_refused",
        e.message, subject);
  }
  (void)store_.write([&](WriteTx& tx) { return tx.update_hi1_transfer(t); });
}

}  // namespace liaison
