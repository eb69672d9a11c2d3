// Idempotency-Key support for writes: a retried POST with the same key and
// the same body returns what the first one created instead of creating it
// again; the same key with a different body is refused.
//
// The lookup and the record happen inside the write's own transaction, so two
// concurrent retries cannot both create.
#pragma once

#include <optional>
#include <string>

#include "store/store.h"

namespace liaison {

// Outcome of an idempotent create: the resource, and whether it is a replay.
template <typename T>
struct Created {
  T value;
  bool replayed = false;
};

struct IdempotencyKey {
  std::string key;          // as the client sent it
  std::string fingerprint;  // a hash of what was asked (method, path, body)
};

// Validates a client's key: 1-255 visible ASCII characters.
Status validate_idempotency_key(const std::string& key);

// When the key was already used for this principal: the resource id it
// produced, or kConflict if the request differed. Otherwise std::nullopt.
Result<std::optional<std::string>> find_replay(WriteTx& tx, const std::string& principal_id,
                                               const std::optional<IdempotencyKey>& key,
                                               const std::string& resource_kind);

Status remember(WriteTx& tx, const std::string& principal_id,
                const std::optional<IdempotencyKey>& key, const std::string& resource_kind,
                const std::string& resource_id, const std::string& now);

}  // namespace liaison
