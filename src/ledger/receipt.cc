#include "ledger/receipt.h"

#include "core/request_json.h"
#include "trust/canonical_json.h"
#include "trust/encoding.h"
#include "trust/json_fields.h"

namespace liaison::ledger {

namespace {

using nlohmann::json;
namespace fields = trust::fields;

constexpr std::size_t kMaxEntryBytes = 4096;
constexpr std::size_t kMaxContentBytes = 16 << 20;
constexpr std::size_t kMaxNoteBytes = 64 << 10;
constexpr std::size_t kMaxVkeyBytes = 1024;
// A path longer than 64 hashes would need a tree of more than 2^64 leaves.
constexpr std::size_t kMaxPath = 64;

// An Error for a failed check: `field` says which part of the receipt, the
// message says what did not hold.
Error failed(const std::string& field, const std::string& what) { return fields::bad(field, what); }

}  // namespace

json to_json(const Receipt& r) {
  json path = json::array();
  for (const Hash& h : r.path) path.push_back(to_hex(h));
  return {
      {"liaison_ledger_receipt", 1},
      {"entry", r.entry},
      {"leaf_index", r.leaf_index},
      {"salt", trust::base64url_encode(r.salt)},
      {"content", r.content},
      {"inclusion", {{"tree_size", r.tree_size}, {"path", std::move(path)}}},
      {"checkpoint", r.checkpoint},
      {"vkey", r.vkey},
  };
}

Result<Receipt> receipt_from_json(const json& j) {
  LIAISON_TRY(fields::object_with(j, "",
                                  {"liaison_ledger_receipt", "entry", "leaf_index", "salt",
                                   "content", "inclusion", "checkpoint", "vkey"}));
  LIAISON_TRY(fields::version(j, "liaison_ledger_receipt", ""));
  Receipt r;
  LIAISON_ASSIGN_OR_RETURN(r.entry, fields::string(j, "entry", "", kMaxEntryBytes));
  LIAISON_ASSIGN_OR_RETURN(std::int64_t index, fields::integer(j, "leaf_index", "", 0, INT64_MAX));
  r.leaf_index = static_cast<std::uint64_t>(index);
  LIAISON_ASSIGN_OR_RETURN(r.salt, fields::base64url(j, "salt", "", kSaltBytes));
  LIAISON_ASSIGN_OR_RETURN(r.content, fields::string(j, "content", "", kMaxContentBytes));

  LIAISON_ASSIGN_OR_RETURN(const json* inclusion, fields::require(j, "inclusion", ""));
  LIAISON_TRY(fields::object_with(*inclusion, "inclusion", {"tree_size", "path"}));
  LIAISON_ASSIGN_OR_RETURN(std::int64_t size,
                           fields::integer(*inclusion, "tree_size", "inclusion", 1, INT64_MAX));
  r.tree_size = static_cast<std::uint64_t>(size);
  LIAISON_ASSIGN_OR_RETURN(const json* path, fields::require(*inclusion, "path", "inclusion"));
  if (!path->is_array()) {
    return fields::bad("inclusion/path", std::string("must be an array, not ") + path->type_name());
  }
  if (path->size() > kMaxPath) {
    return fields::bad("inclusion/path", "has more than " + std::to_string(kMaxPath) + " hashes");
  }
  for (std::size_t i = 0; i < path->size(); ++i) {
    std::string field = "inclusion/path/" + std::to_string(i);
    const json& h = (*path)[i];
    if (!h.is_string()) return fields::bad(field, "must be a hex string");
    auto hash = hash_from_hex(h.get<std::string>(), field);
    if (!hash.ok()) return fields::bad(field, "must be 64 lower-case hex digits");
    r.path.push_back(*hash);
  }

  LIAISON_ASSIGN_OR_RETURN(r.checkpoint, fields::string(j, "checkpoint", "", kMaxNoteBytes));
  LIAISON_ASSIGN_OR_RETURN(r.vkey, fields::string(j, "vkey", "", kMaxVkeyBytes));
  return r;
}

Result<CheckedReceipt> check_receipt(const Receipt& r, const std::optional<NoteVerifier>& pinned) {
  CheckedReceipt out;

  auto entry = decode_entry(r.entry);
  if (!entry.ok()) return failed("entry", "the entry does not decode: " + entry.error().message);
  out.entry = std::move(entry).value();

  auto content = parse_json_text(r.content);
  bool canonical = false;
  if (content.ok()) {
    auto text = trust::canonical_json(*content);
    canonical = text.ok() && *text == r.content;
  }
  if (!canonical) return failed("content", "the content is not canonical JSON (RFC 8785)");
  out.content = std::move(content).value();

  LIAISON_ASSIGN_OR_RETURN(Hash commitment, commit(r.salt, r.content));
  if (commitment != out.entry.commitment) {
    return failed("commitment", "the salt and content give commitment " + to_hex(commitment) +
                                    ", not the entry's " + to_hex(out.entry.commitment));
  }

  // A pinned key is the one the reader already trusts; the receipt's own key
  // then says nothing, since whoever forged a receipt would also name a key.
  NoteVerifier verifier;
  if (pinned) {
    verifier = *pinned;
  } else {
    auto v = NoteVerifier::parse_vkey(r.vkey);
    if (!v.ok()) return failed("vkey", "the receipt's key does not parse: " + v.error().message);
    verifier = std::move(v).value();
  }
  auto opened = open_checkpoint(r.checkpoint, verifier);
  if (!opened.ok()) {
    std::string whose = pinned ? "the pinned key " + verifier.vkey() : "the receipt's key";
    return failed("checkpoint",
                  "the checkpoint does not open with " + whose + ": " + opened.error().message);
  }
  out.checkpoint = opened->checkpoint;

  if (r.tree_size != out.checkpoint.size) {
    return failed("inclusion/tree_size",
                  "the inclusion proof is for a tree of " + std::to_string(r.tree_size) +
                      " leaves, the checkpoint for " + std::to_string(out.checkpoint.size));
  }
  Status included =
      verify_inclusion(leaf_hash(r.entry), r.leaf_index, r.tree_size, r.path, out.checkpoint.root);
  if (!included.ok()) {
    return failed("inclusion", "the entry is not proved to be leaf " +
                                   std::to_string(r.leaf_index) +
                                   " of the checkpoint's tree: " + included.error().message);
  }
  return out;
}

}  // namespace liaison::ledger
