// A receipt: the self-contained proof that one event is in the ledger, for a
// party to keep and for a court or auditor to check offline.
//
//   {"liaison_ledger_receipt":1,
//    "entry":"<the entry's canonical JSON, as a string>",
//    "leaf_index":<n>,
//    "salt":"<base64url, 32 bytes>",
//    "content":"<the committed content's canonical JSON, as a string>",
//    "inclusion":{"tree_size":<m>,"path":["<hex>",…]},
//    "checkpoint":"<the signed note>",
//    "vkey":"<the hub's note verifier key>"}
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/merkle.h"

namespace liaison::ledger {

struct Receipt {
  std::string entry;  // canonical JSON bytes
  std::uint64_t leaf_index = 0;
  std::string salt;     // raw bytes
  std::string content;  // canonical JSON bytes
  std::uint64_t tree_size = 0;
  std::vector<Hash> path;
  std::string checkpoint;  // signed note
  std::string vkey;
};

nlohmann::json to_json(const Receipt& r);
// Strict; errors name the field.
Result<Receipt> receipt_from_json(const nlohmann::json& j);

struct CheckedReceipt {
  Entry entry;
  Checkpoint checkpoint;
  nlohmann::json content;
};

// Checks everything a receipt claims: the entry decodes; salt and content give
// its commitment; its leaf hash with the path gives the checkpoint's root at the
// checkpoint's size; the checkpoint is signed by the receipt's key — or, when
// `pinned` is given, by that key, whatever the receipt says. Errors say which
// check failed.
Result<CheckedReceipt> check_receipt(const Receipt& r,
                                     const std::optional<NoteVerifier>& pinned = std::nullopt);

}  // namespace liaison::ledger
