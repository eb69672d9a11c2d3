// Every kind of HI1Message Liaison writes, built by the functions the hub and
// its federation use: the answers of POST /hi1 (errors, per-action results,
// GET of a held task, GETCSPCONFIG), the CREATE of a forwarded request, the
// DELIVER of a package part and of "no data", and the UPDATE that withdraws a
// task. The XSD test and the JSON-schema test check the same set, so a new
// kind of message is added here once and checked by both.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "etsi/csp_config.h"
#include "etsi/mapping.h"
#include "etsi/message.h"
#include "etsi/xml_tree.h"

namespace liaison::etsi::fixtures {

struct EmittedMessage {
  std::string name;  // says which message it is when a check fails
  XmlElement message;
};

// The header of a request from the demo police unit to the demo provider.
inline Header police_request() {
  Header h;
  h.sender = {"NL", "NPCU"};
  h.receiver = {"IE", "EXMAIL"};
  h.transaction_id = "c02358b2-76cf-4ba4-a8eb-f6436ccaea2e";
  h.national_profile_owner = "EU";
  h.national_profile_version = "v1.0";
  h.timestamp = "2026-12-02T10:00:00.000000Z";
  return h;
}

// A signed request's payload as objects_for_signed_request reads it.
inline nlohmann::json forwarded_request_payload() {
  return {{"request_id", "01900000-0000-7000-8000-000000000001"},
          {"kind", "production"},
          {"issuer", {{"country", "NL"}, {"endpoint_uid", "NPCU"}}},
          {"provider", {{"country", "IE"}, {"endpoint_uid", "EXMAIL"}}},
          {"categories", {"TrafficData", "StoredContentData"}},
          {"targets",
           {{{"kind", "ip"}, {"value", "2001:db8::1"}, {"observed_at", "2026-11-02T09:15:00Z"}},
            {{"kind", "ip"},
             {"value", "192.0.2.10"},
             {"port", 443},
             {"observed_at", "2026-11-02T09:15:00Z"}},
            {{"kind", "email"}, {"value", "alice@example.org"}},
            {{"kind", "crypto"}, {"network", "bitcoin"}, {"value", "bc1qexample"}}}},
          {"legal_basis",
           {{"instrument", "Budapest Convention"},
            {"article", "Art. 18"},
            {"domestic_reference", "W-1"}}},
          {"period", {{"start", "2026-10-01T00:00:00Z"}, {"end", "2026-11-01T00:00:00Z"}}},
          {"case_type", "Cybercrime"},
          {"offence_description", "Intrusion into a hospital's network."},
          {"deadline", "2026-12-20T00:00:00Z"},
          {"issuer_reference", ""}};
}

// Empty, with the reason in `why`, if the mapping refuses the payload.
inline std::vector<XmlElement> forwarded_request_objects(std::string* why = nullptr) {
  auto objects = objects_for_signed_request(
      forwarded_request_payload(), "{}",
      {"7dbbc880-8750-4d3c-abe7-ea4a17646045", "1fd7a4a2-8c2c-4bd2-9f49-0a3b3a8a7c11",
       "2b36a78b-b628-416d-bd22-404e68a0cd36"});
  if (!objects.ok()) {
    if (why != nullptr) *why = objects.error().message;
    return {};
  }
  return std::move(objects).value();
}

// The CREATE a hub sends to forward that request: one action per object.
inline XmlElement forwarded_request_message(const std::vector<XmlElement>& objects) {
  std::vector<ActionRequest> creates;
  creates.reserve(objects.size());
  for (const auto& o : objects) {
    creates.push_back({creates.size(), Verb::kCreate, action_element(Verb::kCreate, {o})});
  }
  return request_message(police_request(), creates);
}

inline std::vector<EmittedMessage> messages_liaison_emits() {
  std::vector<EmittedMessage> out;
  const Header request = police_request();
  const EndpointId provider{"IE", "EXMAIL"}, police{"NL", "NPCU"};
  const std::string answered_at = "2026-12-02T10:00:01.000000Z";

  out.push_back(
      {"refusal of a whole message",
       response_message(
           request, provider, police, "9d1b3b8e-8a5e-4c37-9d0b-3f1b1a2c4d5e", answered_at, {},
           Hi1Error{Hi1ErrorCode::kVersionNotSupported, "ETSIVersion V1.2.1 is not supported"})});
  out.push_back(
      {"refusal of a message whose header is unreadable",
       response_message(std::nullopt, provider, police, "9d1b3b8e-8a5e-4c37-9d0b-3f1b1a2c4d5e",
                        answered_at, {},
                        Hi1Error{Hi1ErrorCode::kRequiredElementMissing, "Header is missing"})});
  out.push_back({"an action's error",
                 response_message(request, provider, police, "", answered_at,
                                  {{0, std::nullopt,
                                    Hi1Error{Hi1ErrorCode::kGetObjectNotFound, "no such object"}}},
                                  std::nullopt)});

  std::vector<XmlElement> objects = forwarded_request_objects();
  out.push_back({"a forwarded request's CREATE", forwarded_request_message(objects)});

  // The task as GET shows it, with the status its request is in.
  if (objects.size() == 3) {
    for (RequestStatus st : {RequestStatus::kSubmitted, RequestStatus::kQuarantined,
                             RequestStatus::kProduced, RequestStatus::kCancelled}) {
      XmlElement held = object_as_held(objects[2], 2, "2026-12-02T10:00:00Z",
                                       TaskState{st, "refused on receipt: replayed", std::nullopt});
      out.push_back({"GET of a held task (" + std::string(request_status_name(st)) + ")",
                     response_message(request, provider, police, "", answered_at,
                                      {{0, core_element("GETResponse", {held}), std::nullopt}},
                                      std::nullopt)});
    }
  }

  out.push_back(
      {"GETCSPCONFIG",
       response_message(
           request, provider, police, "", answered_at,
           {{0, csp_config_response({"2026-12-01T00:00:00Z", "https://hub.example.org/hi1"}),
             std::nullopt}},
           std::nullopt)});

  // From the provider back to the authority: a package part, and "no data".
  Header back = request;
  std::swap(back.sender, back.receiver);
  DeliveryPart part;
  part.object_id = "71ff52ca-bcea-4fa3-b34e-1b89dcfb0d9e";
  part.country = "IE";
  part.owner = "EXMAIL";
  part.task_id = "2b36a78b-b628-416d-bd22-404e68a0cd36";
  part.ldid = "NL-NPCU-2026-0042";
  part.delivery_id = "d1079830-8e9a-4731-8fb7-36b9b961eb72";
  part.sequence = 2;
  part.last = false;
  part.data = std::string("LIAISON-EVIDENCE\0\x01\xff", 19);
  part.package_id = "0b0e4a4e-6f0e-4b59-9d1c-2f7a0e5f3a11";
  DeliveryPart none = part;
  none.data.reset();
  none.sequence = 1;
  none.last = true;
  std::vector<ActionRequest> deliveries;
  for (const auto& p : {part, none}) {
    deliveries.push_back({deliveries.size(), Verb::kDeliver,
                          action_element(Verb::kDeliver, {core_text("Identifier", p.object_id),
                                                          delivery_object(p)})});
  }
  out.push_back({"DELIVER of a package part and of no data", request_message(back, deliveries)});

  // The authority's hub withdrawing a task it forwarded.
  for (bool preservation : {false, true}) {
    XmlElement cancel =
        task_cancellation("2b36a78b-b628-416d-bd22-404e68a0cd36", preservation, "NL", "NPCU");
    out.push_back(
        {preservation ? "UPDATE withdrawing a preservation" : "UPDATE withdrawing a production",
         request_message(request, {{0, Verb::kUpdate, action_element(Verb::kUpdate, {cancel})}})});
  }
  return out;
}

}  // namespace liaison::etsi::fixtures
