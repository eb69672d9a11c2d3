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

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "etsi/message.h"
#include "etsi/xml_tree.h"

namespace liaison::etsi {

inline constexpr const char* kLiaisonFormatOwner = "LIAISON";

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
