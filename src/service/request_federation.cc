// The request side of federation over HI-1 (service/hi1_federation.h): what
// the link records on a request, and the provider's steps it relays.
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/request_lifecycle.h"
#include "core/uuid.h"
#include "service/request_service.h"

namespace liaison {

using nlohmann::json;

Status RequestService::record_link_event(const std::string& request_id, const std::string& org_id,
                                         const std::string& type, const std::string& note,
                                         const json& subject) {
  std::string now = format_rfc3339_micros(clock_.now());
  return store_.write([&](WriteTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(Request r, tx.get_request(request_id));
    std::string status = request_status_name(r.status);
    return record(tx, {0, r.id, type, status, status, "hi1-link", org_id, now, note, std::nullopt},
                  r, subject);
  });
}

Result<std::string> RequestService::envelope_for_link(const std::string& request_id) {
  std::string out;
  LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
    LIAISON_ASSIGN_OR_RETURN(RequestSignatures s, tx.get_request_signatures(request_id));
    out = std::move(s.envelope_json);
    return Ok{};
  }));
  return out;
}

Status RequestService::accept_for_delivery(const Principal& p, const std::string& request_id) {
  LIAISON_ASSIGN_OR_RETURN(RequestView v, get(p, request_id, false));
  ActionInput in;
  in.note = "taken by the provider on its own hub, shown by its delivery over HI-1";
  if (v.request.status == RequestStatus::kSubmitted) {
    in.action = RequestAction::kAcknowledge;
    LIAISON_ASSIGN_OR_RETURN(v, act(p, request_id, in));
  }
  if (v.request.status == RequestStatus::kAcknowledged ||
      v.request.status == RequestStatus::kClarified) {
    in.action = RequestAction::kAccept;
    LIAISON_ASSIGN_OR_RETURN(v, act(p, request_id, in));
  }
  if (v.request.status != RequestStatus::kAccepted) {
    return Error::make(ErrorCode::kIllegalTransition,
                       std::string("the request is ") + request_status_name(v.request.status) +
                           " here, so nothing can be delivered to it");
  }
  return Ok{};
}

Result<Principal> RequestService::link_account(const Organisation& org, Role role) {
  // A real account, so what it writes (a rejection's grounds in the
  // conversation) names an author that exists: one per organisation, with a
  // stable id, disabled so that nobody can ever log in or hold a token as it.
  Principal link = Principal::federation_link(org, role);
  link.user.id = uuid_from_seed("hi1-link/" + org.id);
  link.user.email = "hi1-link." + link.user.id + "@liaison.invalid";
  link.user.disabled = true;
  link.user.created_at = format_rfc3339_micros(clock_.now());
  LIAISON_TRY(store_.write([&](WriteTx& tx) -> Status {
    if (tx.get_user(link.user.id).ok()) return Ok{};
    LIAISON_TRY(tx.insert_user(link.user));
    json content = {{"user",
                     {{"id", link.user.id},
                      {"org_id", org.id},
                      {"name", link.user.name},
                      {"email", link.user.email},
                      {"roles", link.user.roles.to_string()},
                      {"hub_admin", false},
                      {"disabled", true}}},
                    {"actor_user_id", "hub"}};
    return ledger_.append(
        tx, {"user.created", std::nullopt, org.id, std::nullopt, clock_.now(), std::move(content)});
  }));
  return link;
}

Result<RequestView> RequestService::act_for_peer(const Organisation& provider,
                                                 const std::string& request_id,
                                                 const ActionInput& in) {
  LIAISON_ASSIGN_OR_RETURN(Principal link, link_account(provider, Role::kAnalyst));
  // Rejection is possible before acceptance; everything else the provider's
  // hub reports follows it.
  if (in.action != RequestAction::kReject) {
    LIAISON_TRY(accept_for_delivery(link, request_id));
  } else {
    LIAISON_ASSIGN_OR_RETURN(RequestView v, get(link, request_id, false));
    if (v.request.status == RequestStatus::kSubmitted) {
      ActionInput ack;
      ack.action = RequestAction::kAcknowledge;
      ack.note = in.note;
      LIAISON_TRY(act(link, request_id, ack));
    }
  }
  return act(link, request_id, in);
}

Result<PackageView> RequestService::register_delivered_package(const Principal& p,
                                                               const std::string& request_id,
                                                               const std::string& path) {
  struct Cleanup {
    std::string path;
    ~Cleanup() { std::remove(path.c_str()); }
  } cleanup{path};
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error::make(ErrorCode::kInternal, "the delivered package cannot be read");
  LIAISON_TRY(accept_for_delivery(p, request_id));
  LIAISON_ASSIGN_OR_RETURN(auto started, start_package_upload(p, request_id, size, std::nullopt));
  UploadPart whole{path, 0, size - 1, size, true};
  cleanup.path.clear();  // put_package_part consumes it
  LIAISON_ASSIGN_OR_RETURN(UploadOutcome done,
                           put_package_part(p, request_id, started.value.id, whole));
  if (!done.package) return Error::internal("the delivered package was not registered");
  ActionInput produce;
  produce.action = RequestAction::kProduce;
  produce.note = "delivered by the provider's hub over HI-1";
  LIAISON_TRY(act(p, request_id, produce));
  return std::move(*done.package);
}

}  // namespace liaison
