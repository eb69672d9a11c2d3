// The JSON form of requests: strict decoding of drafts from outside, and the
// canonical encoding Liaison serves.
//
// Decoding is strict: unknown fields, wrong types and invalid values are all
// reported, each with the JSON path of the field and the reason, in one error.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "core/request.h"
#include "core/result.h"
#include "core/time.h"

namespace liaison {

struct DecodedDraft {
  RequestDraft draft;
  std::vector<Warning> warnings;
};

// Decodes and validates a request draft. `now` is used to refuse deadlines in the past.
Result<DecodedDraft> decode_request_draft(const nlohmann::json& body, Timestamp now);

// Parses JSON text; a syntax error names the byte offset.
Result<nlohmann::json> parse_json_text(std::string_view text);

nlohmann::json encode_identifier(const Identifier& id);
// Restores an identifier Liaison itself encoded; throws on a malformed one.
Identifier decode_stored_identifier(const nlohmann::json& j);
nlohmann::json encode_draft(const RequestDraft& d);
nlohmann::json encode_warnings(const std::vector<Warning>& w);
// Restores a draft that Liaison itself encoded (from storage); trusts its input.
Result<RequestDraft> decode_stored_draft(const nlohmann::json& j);
std::vector<Warning> decode_warnings(const nlohmann::json& j);

}  // namespace liaison
