#include "service/idempotency.h"

namespace liaison {

Status validate_idempotency_key(const std::string& key) {
  if (key.empty() || key.size() > 255) {
    return Error::invalid("Idempotency-Key", "must be 1-255 characters");
  }
  for (char c : key) {
    if (c < 0x21 || c > 0x7e)
      return Error::invalid("Idempotency-Key", "must be visible ASCII characters");
  }
  return Ok{};
}

Result<std::optional<std::string>> find_replay(WriteTx& tx, const std::string& principal_id,
                                               const std::optional<IdempotencyKey>& key,
                                               const std::string& resource_kind) {
  if (!key) return std::optional<std::string>();
  auto found = tx.get_idempotency(principal_id, key->key);
  if (!found.ok()) {
    if (found.error().code == ErrorCode::kNotFound) return std::optional<std::string>();
    return found.take_error();
  }
  if (found->fingerprint != key->fingerprint || found->resource_kind != resource_kind) {
    Error e =
        Error::invalid("Idempotency-Key", "this key was already used for a different request");
    e.code = ErrorCode::kConflict;
    return e;
  }
  return std::optional<std::string>(found->resource_id);
}

Status remember(WriteTx& tx, const std::string& principal_id,
                const std::optional<IdempotencyKey>& key, const std::string& resource_kind,
                const std::string& resource_id, const std::string& now) {
  if (!key) return Ok{};
  return tx.insert_idempotency(
      {principal_id, key->key, key->fingerprint, resource_kind, resource_id, now});
}

}  // namespace liaison
