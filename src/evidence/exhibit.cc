// Exhibits (docs/evidence-format.md §7): one item in the clear, with the
// signed statement, the item's line and its Merkle path, so that it proves
// itself without the package or its other items.
#include <nlohmann/json.hpp>

#include "core/request_json.h"
#include "evidence/digest.h"
#include "evidence/layout.h"
#include "evidence/manifest.h"
#include "ledger/memory_tree.h"
#include "trust/canonical_json.h"
#include "trust/json_fields.h"

namespace liaison::evidence {

using nlohmann::json;
namespace fields = trust::fields;

namespace {

constexpr std::size_t kHashBlockBytes = 4 << 20;
constexpr std::size_t kMaxPathLength = 64;

// Writes the item's plaintext after the exhibit's lines, as it authenticates.
class ExhibitSink : public ItemSink {
 public:
  ExhibitSink(int fd, std::uint64_t offset, const std::string& path)
      : fd_(fd), offset_(offset), path_(path) {}
  Status begin(const Item&) override { return Ok{}; }
  Status write(std::string_view plaintext) override {
    LIAISON_TRY(write_at(fd_, plaintext.data(), plaintext.size(), offset_, path_));
    offset_ += plaintext.size();
    return Ok{};
  }
  Status finish() override { return Ok{}; }
  void abort() override {}  // the unkept NewFile removes everything

 private:
  int fd_;
  std::uint64_t offset_;
  const std::string& path_;
};

struct Proof {
  std::uint64_t leaf_index = 0;
  std::uint64_t tree_size = 0;
  std::vector<ledger::Hash> path;
};

Result<std::string> proof_line(const Proof& p) {
  json path = json::array();
  for (const ledger::Hash& h : p.path) path.push_back(ledger::to_hex(h));
  return trust::canonical_json(
      json{{"leaf_index", p.leaf_index}, {"tree_size", p.tree_size}, {"path", std::move(path)}});
}

Result<Proof> parse_proof(std::string_view line, const std::string& at) {
  auto parsed = parse_json_text(line);
  if (!parsed.ok()) return fields::bad(at, "not JSON: " + parsed.error().message);
  auto canonical = trust::canonical_json(*parsed);
  if (!canonical.ok() || *canonical != line) return fields::bad(at, "not in canonical form");
  const json& j = *parsed;
  LIAISON_TRY(fields::object_with(j, at, {"leaf_index", "path", "tree_size"}));
  Proof p;
  LIAISON_ASSIGN_OR_RETURN(
      std::int64_t size,
      fields::integer(j, "tree_size", at, 1, static_cast<std::int64_t>(kMaxItems)));
  LIAISON_ASSIGN_OR_RETURN(std::int64_t index, fields::integer(j, "leaf_index", at, 0, size - 1));
  p.tree_size = static_cast<std::uint64_t>(size);
  p.leaf_index = static_cast<std::uint64_t>(index);
  LIAISON_ASSIGN_OR_RETURN(const json* path, fields::require(j, "path", at));
  if (!path->is_array() || path->size() > kMaxPathLength) {
    return fields::bad(at + "/path", "must be an array of at most 64 hashes");
  }
  for (std::size_t k = 0; k < path->size(); ++k) {
    const json& h = (*path)[k];
    std::string hat = at + "/path/" + std::to_string(k);
    if (!h.is_string()) return fields::bad(hat, "must be a string");
    LIAISON_ASSIGN_OR_RETURN(ledger::Hash hash, ledger::hash_from_hex(h.get<std::string>(), hat));
    p.path.push_back(hash);
  }
  return p;
}

}  // namespace

Status write_exhibit(const std::string& package_path, std::uint64_t index,
                     const trust::SecretKey& recipient, const std::string& out_path) {
  LIAISON_ASSIGN_OR_RETURN(Fd fd, open_for_reading(package_path));
  LIAISON_ASSIGN_OR_RETURN(Layout layout, read_layout(fd.get(), package_path));
  const PackageInfo& info = layout.info;
  const Statement& st = info.statement;
  if (index >= st.item_count) {
    return Error::not_found("the package has no item " + std::to_string(index) + " (it has " +
                            std::to_string(st.item_count) + " items)");
  }
  LIAISON_ASSIGN_OR_RETURN(PackageKey key, open_stanza(layout.header, st.recipients, recipient));

  // Every leaf, for the path; and where the item's ciphertext begins, which
  // the sizes before it say, so no other item is decrypted.
  std::vector<ledger::Hash> leaves;
  leaves.reserve(static_cast<std::size_t>(st.item_count));
  LineReader lines(fd.get(), layout.item_lines_offset, info.items_offset, package_path);
  std::uint64_t offset = info.items_offset;
  PlannedItem target;
  std::string item_line;
  for (std::uint64_t i = 0; i < st.item_count; ++i) {
    std::string at = "manifest/items/" + std::to_string(i);
    LIAISON_ASSIGN_OR_RETURN(std::string line, lines.next(kMaxItemLine, at));
    LIAISON_ASSIGN_OR_RETURN(Item item, decode_item(line, i, at));
    leaves.push_back(ledger::leaf_hash(line));
    std::uint64_t item_bytes = item_ciphertext_size(st.aead, st.chunk_size, item.size);
    if (i == index) {
      target = {std::move(item), offset};
      item_line = std::move(line);
    }
    offset += item_bytes;
  }
  ledger::MemoryTree tree(std::move(leaves));
  LIAISON_ASSIGN_OR_RETURN(ledger::Hash root, ledger::root_at(tree, st.item_count));
  if (ledger::to_hex(root) != st.merkle_root) {
    return fields::bad("file", "the manifest changed while the package was read");
  }
  Proof proof{index, st.item_count, {}};
  LIAISON_ASSIGN_OR_RETURN(proof.path, ledger::inclusion_proof(tree, index, st.item_count));

  LIAISON_ASSIGN_OR_RETURN(std::string signature_line, encode_signature(info.signature));
  LIAISON_ASSIGN_OR_RETURN(std::string proof_text, proof_line(proof));
  std::string registration = "null";
  if (info.registration) {
    LIAISON_ASSIGN_OR_RETURN(registration, receipt_line(*info.registration));
  }
  std::string head = std::string(kExhibitMagic) + info.statement_line + "\n" + signature_line +
                     "\n" + item_line + "\n" + proof_text + "\n" + registration + "\n";

  LIAISON_ASSIGN_OR_RETURN(NewFile out, NewFile::create(out_path));
  LIAISON_TRY(write_at(out.fd(), head.data(), head.size(), 0, out_path));
  ExhibitSink sink(out.fd(), head.size(), out_path);
  bool given = false;
  NextItem next = [&]() -> Result<std::optional<PlannedItem>> {
    if (given) return std::optional<PlannedItem>();
    given = true;
    return std::optional<PlannedItem>(target);
  };
  LIAISON_TRY(decrypt_items(fd.get(), package_path, layout, key, next, &sink, {}));
  return out.commit();
}

Result<ExhibitInfo> verify_exhibit(const std::string& path) {
  LIAISON_ASSIGN_OR_RETURN(Fd fd, open_for_reading(path));
  LIAISON_ASSIGN_OR_RETURN(std::uint64_t size, file_size(fd.get(), path));
  LineReader lines(fd.get(), 0, size, path);
  LIAISON_ASSIGN_OR_RETURN(std::string magic, lines.next(kExhibitMagic.size(), "exhibit/magic"));
  if (magic + "\n" != kExhibitMagic) {
    return fields::bad("exhibit/magic",
                       "not an exhibit (it does not begin with \"" +
                           std::string(kExhibitMagic.substr(0, kExhibitMagic.size() - 1)) +
                           "\" and a newline)");
  }
  ExhibitInfo info;
  LIAISON_ASSIGN_OR_RETURN(std::string statement_line,
                           lines.next(kMaxStatementLine, "exhibit/statement"));
  LIAISON_ASSIGN_OR_RETURN(info.statement, decode_statement(statement_line, "exhibit/statement"));
  const Statement& st = info.statement;
  LIAISON_ASSIGN_OR_RETURN(std::string signature_line,
                           lines.next(kMaxSignatureLine, "exhibit/signature"));
  LIAISON_ASSIGN_OR_RETURN(info.signature, decode_signature(signature_line, "exhibit/signature"));
  LIAISON_TRY(check_signature(st, statement_line, info.signature, "exhibit/signature"));
  LIAISON_ASSIGN_OR_RETURN(std::string item_line, lines.next(kMaxItemLine, "exhibit/item"));
  LIAISON_ASSIGN_OR_RETURN(std::string proof_text, lines.next(kMaxProofLine, "exhibit/proof"));
  LIAISON_ASSIGN_OR_RETURN(Proof proof, parse_proof(proof_text, "exhibit/proof"));
  if (proof.tree_size != st.item_count) {
    return fields::bad("exhibit/proof/tree_size", "is " + std::to_string(proof.tree_size) +
                                                      ", but the package has " +
                                                      std::to_string(st.item_count) + " items");
  }
  LIAISON_ASSIGN_OR_RETURN(info.item, decode_item(item_line, proof.leaf_index, "exhibit/item"));
  LIAISON_ASSIGN_OR_RETURN(ledger::Hash root, ledger::hash_from_hex(st.merkle_root, "merkle_root"));
  Status included = ledger::verify_inclusion(ledger::leaf_hash(item_line), proof.leaf_index,
                                             proof.tree_size, proof.path, root);
  if (!included.ok()) {
    return fields::bad("exhibit/proof", "the item line is not in the signed Merkle tree: " +
                                            included.error().message);
  }
  LIAISON_ASSIGN_OR_RETURN(std::string registration,
                           lines.next(kMaxReceiptLine, "exhibit/registration"));
  if (registration != "null") {
    LIAISON_ASSIGN_OR_RETURN(ledger::Receipt receipt,
                             parse_receipt_line(registration, "exhibit/registration"));
    auto checked = ledger::check_receipt(receipt);
    if (!checked.ok()) {
      return fields::bad("exhibit/registration", "does not verify: " + checked.error().message);
    }
    if (checked->entry.type != kRegistrationEntryType) {
      return fields::bad("exhibit/registration", "is the receipt of a " + checked->entry.type +
                                                     " entry, not of a registration");
    }
    // The exhibit does not know the package's size; everything else in the
    // content must be this package's.
    const json& content = checked->content;
    const json* claimed = content.is_object() ? fields::find(content, "size") : nullptr;
    PackageInfo named;
    named.statement = st;
    named.statement_sha256 = ledger::to_hex(Sha256::of(statement_line));
    named.package_bytes =
        claimed && claimed->is_number_unsigned() ? claimed->get<std::uint64_t>() : 0;
    if (receipt.content != registration_content(named)) {
      return fields::bad("exhibit/registration/content",
                         "the receipt is for " + receipt.content + ", not for this package");
    }
    info.registration = std::move(receipt);
  }
  info.plaintext_offset = lines.offset();
  std::uint64_t plaintext = size - info.plaintext_offset;
  if (plaintext != info.item.size) {
    return fields::bad("exhibit/plaintext",
                       "is " + std::to_string(plaintext) + " bytes (from byte " +
                           std::to_string(info.plaintext_offset) + "), but the item line says " +
                           std::to_string(info.item.size));
  }
  Sha256 sha;
  auto buf = std::make_unique_for_overwrite<unsigned char[]>(kHashBlockBytes);
  for (std::uint64_t at = info.plaintext_offset; at < size;) {
    std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(kHashBlockBytes, size - at));
    LIAISON_ASSIGN_OR_RETURN(std::size_t got, read_at(fd.get(), buf.get(), want, at, path));
    if (got != want) return fields::bad("exhibit/plaintext", "the file shrank while it was read");
    sha.update(buf.get(), got);
    at += got;
  }
  std::string digest = ledger::to_hex(sha.finish());
  if (digest != info.item.sha256) {
    return fields::bad("exhibit/plaintext",
                       "its SHA-256 is " + digest + ", not the item line's " + info.item.sha256);
  }
  return info;
}

}  // namespace liaison::evidence
