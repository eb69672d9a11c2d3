// The actions of the request state machine, by name.
#pragma once

#include <optional>
#include <string_view>

namespace liaison {

enum class RequestAction {
  kSubmit,                // authority sends a draft to the provider
  kAcknowledge,           // provider confirms receipt
  kRequestClarification,  // provider asks a question (needs a note)
  kClarify,               // authority answers (needs a note)
  kAccept,                // provider will answer
  kReject,                // provider refuses, with grounds (needs a note)
  kCancel,                // authority withdraws
  kPreserve,              // provider has preserved the data (preservation requests)
  kExtend,                // authority extends an active preservation
  kRelease,               // either side ends an active preservation (and its hold)
  kProduce,               // provider produced data (needs a production attachment)
  kNotAvailable,          // provider has no such data
  kExpire,                // the hub: a preservation ran out
  kFollowUp,              // authority: the legal process owed after an emergency disclosure
  kNotifyUser,            // provider: told the user, once a gag order lapsed (needs a note)
};

const char* request_action_name(RequestAction a);
std::optional<RequestAction> request_action_from_name(std::string_view s);

}  // namespace liaison
