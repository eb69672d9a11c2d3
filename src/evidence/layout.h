// What the readers share: a package read and checked up to the encrypted
// bytes (steps 1–6 of docs/evidence-format.md §8), with what is needed to go
// on to them, and the decryption of items through the hashing pipeline.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/result.h"
#include "evidence/file.h"
#include "evidence/format.h"
#include "evidence/package.h"
#include "evidence/recipients.h"

namespace liaison::evidence {

struct Layout {
  PackageInfo info;
  Header header;
  std::uint64_t item_lines_offset = 0;  // where the first item line begins
};

// Steps 1–6 on an open package.
Result<Layout> read_layout(int fd, const std::string& path);

// Reads a registration (§6) from `offset` to `end` and checks it against the
// package: the receipt verifies and names registration_content(info).
Result<ledger::Receipt> read_registration(int fd, const std::string& path, std::uint64_t offset,
                                          std::uint64_t end, const PackageInfo& info);
// The receipt's content must be the package's registration content; kept
// apart so that append_registration applies the same check.
Status check_registration(const ledger::Receipt& receipt, const PackageInfo& info);
// The canonical receipt line, without its newline.
Result<std::string> receipt_line(const ledger::Receipt& receipt);
Result<ledger::Receipt> parse_receipt_line(std::string_view line, const std::string& field);

// An item to decrypt and where its ciphertext begins.
struct PlannedItem {
  Item item;
  std::uint64_t offset = 0;
};
// The items to decrypt, in order; nullopt when there are no more.
using NextItem = std::function<Result<std::optional<PlannedItem>>()>;

// Step 7 for the items `next` yields: every chunk authenticated, and every
// item's plaintext the size and SHA-256 of its line. `sink` (may be null) is
// given each item's plaintext as it authenticates.
Status decrypt_items(int fd, const std::string& path, const Layout& layout,
                     const PackageKey& package_key, const NextItem& next, ItemSink* sink,
                     const Progress& progress);

// The error for a package that is shorter than its manifest says, naming the
// chunk where it ends; reads the item lines again to find it.
Error truncation_error(int fd, const std::string& path, const Layout& layout);

}  // namespace liaison::evidence
