// A ledger entry: one event, as canonical JSON (RFC 8785), with no personal data.
//
//   {"commitment":"<hex SHA-256>","key_id":"<hex>"|null,"org":"<uuid>"|"hub",
//    "request_id":"<uuid>"|null,"time":"<RFC 3339 UTC, microseconds>",
//    "type":"<event type>","v":1}
//
// The commitment binds the event's content (the request, message, attachment
// or certificate as it stood) without revealing it:
//   commitment = SHA-256("liaison-ledger-v1" || 0x00 || salt || content)
// with a fresh 32-byte random salt per entry and the content's canonical JSON
// as bytes. A party holding the salt and the content can prove the entry is
// about exactly that content; anyone else learns nothing from it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "ledger/merkle.h"

namespace liaison::ledger {

inline constexpr std::size_t kSaltBytes = 32;

struct Entry {
  std::string type;                       // one of event_types()
  std::optional<std::string> request_id;  // lower-case UUID
  std::string org;                        // the actor's organisation id, or "hub"
  std::optional<std::string> key_id;      // the signing key, when the event was signed
  Timestamp time;
  Hash commitment{};
};

// Every event type the hub records, e.g. "request.created", "message.sent".
const std::vector<std::string>& event_types();

// Canonical JSON of the entry; the bytes the leaf hash is taken over.
// Refused, naming the field, when decode_entry would refuse the result, so the
// log never holds a leaf its auditors cannot read.
Result<std::string> encode_entry(const Entry& e);
// Strict: canonical form only, known type, fields exactly as above. Errors
// name the field.
Result<Entry> decode_entry(std::string_view bytes);

// A fresh random salt (kSaltBytes raw bytes).
std::string new_salt();
// The commitment above; `salt` must be kSaltBytes raw bytes.
Result<Hash> commit(std::string_view salt, std::string_view content);

}  // namespace liaison::ledger
