#include "ledger/audit.h"

namespace liaison::ledger {

namespace {

std::string num(std::uint64_t n) { return std::to_string(n); }

Error audit_failure(std::string field, std::string what) {
  return Error::invalid(std::move(field), std::move(what));
}

}  // namespace

LogAuditor::LogAuditor(std::optional<Checkpoint> earlier) : earlier_(std::move(earlier)) {
  if (earlier_ && earlier_->size == 0) root_at_earlier_ = tree_.root();
}

Status LogAuditor::add(std::string_view entry_bytes) {
  std::uint64_t index = tree_.size();
  // The leaf counts whether or not it decodes: the checkpoint commits to the
  // bytes, and skipping it would misplace every later entry.
  tree_.append(leaf_hash(entry_bytes));
  if (earlier_ && tree_.size() == earlier_->size) root_at_earlier_ = tree_.root();
  auto entry = decode_entry(entry_bytes);
  if (entry.ok()) return Ok{};
  Error e =
      audit_failure("entries/" + num(index),
                    "entry " + num(index) + " is not a ledger entry: " + entry.error().message);
  if (!first_failure_) first_failure_ = e;
  return e;
}

Status LogAuditor::finish(const Checkpoint& latest) const {
  if (first_failure_) return *first_failure_;
  std::uint64_t n = tree_.size();
  if (n != latest.size) {
    return audit_failure("size", "the log has " + num(n) + " entries but the checkpoint is for " +
                                     num(latest.size) + " (its root " + to_hex(latest.root) +
                                     "; the entries give " + to_hex(tree_.root()) + ")");
  }
  Hash root = tree_.root();
  if (root != latest.root) {
    return audit_failure("root", "at size " + num(n) + " the entries give root " + to_hex(root) +
                                     " but the checkpoint says " + to_hex(latest.root));
  }
  if (earlier_) {
    if (earlier_->origin != latest.origin) {
      return audit_failure("origin", "the earlier checkpoint is for log \"" + earlier_->origin +
                                         "\", the latest for \"" + latest.origin + "\"");
    }
    if (earlier_->size > n) {
      return audit_failure("earlier", "the earlier checkpoint is for size " + num(earlier_->size) +
                                          " (root " + to_hex(earlier_->root) +
                                          ") but the log has only " + num(n) + " entries (root " +
                                          to_hex(root) + ")");
    }
    if (*root_at_earlier_ != earlier_->root) {
      return audit_failure("earlier", "at the earlier checkpoint's size " + num(earlier_->size) +
                                          " the entries give root " + to_hex(*root_at_earlier_) +
                                          " but that checkpoint says " + to_hex(earlier_->root) +
                                          ": the log has been rewritten since");
    }
  }
  return Ok{};
}

Status LogAuditor::check_consistency(const Checkpoint& latest,
                                     const std::vector<Hash>& proof) const {
  // Every tree extends the empty one; RFC 9162 has no proof for that.
  if (!earlier_ || (earlier_->size == 0 && earlier_->root == empty_root())) return Ok{};
  Status s = verify_consistency(earlier_->size, latest.size, earlier_->root, latest.root, proof);
  if (s.ok()) return s;
  return audit_failure(
      "consistency", "the hub's proof that size " + num(earlier_->size) + " (root " +
                         to_hex(earlier_->root) + ") is a prefix of size " + num(latest.size) +
                         " (root " + to_hex(latest.root) + ") does not hold: " + s.error().message);
}

}  // namespace liaison::ledger
