// The manifest's lines (docs/evidence-format.md §4): the statement, one line
// per item and the signature line, each the canonical JSON of one object.
//
// Encoders write the canonical form; decoders are strict: a line must be
// exactly the canonical form of the object it parses to, with exactly the
// members the format lists, or it is refused naming the member by its path
// ("manifest/items/3/name"). Lines are given and returned without their final
// newline.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "evidence/package.h"

namespace liaison::evidence {

// Canonical JSON of each line. Refused only when a value cannot be written
// canonically (invalid UTF-8), which validation before sealing rules out.
Result<std::string> encode_statement(const Statement& s);
Result<std::string> encode_item(const Item& item);
Result<std::string> encode_signature(const SignatureBlock& sig);

// `path` is where the line is ("manifest/statement", "manifest/items/3",
// "manifest/signature"); an item line must carry `expected_index`.
Result<Statement> decode_statement(std::string_view line, const std::string& path);
Result<Item> decode_item(std::string_view line, std::uint64_t expected_index,
                         const std::string& path);
Result<SignatureBlock> decode_signature(std::string_view line, const std::string& path);

// What the signature covers: "liaison-evidence-v1" || 0x00 || statement line.
std::string signing_input(std::string_view statement_line);

// Checks that the signature block fits the statement and verifies: its key id
// is the statement's signer, the first certificate is a user certificate of
// that key from the producing organisation signed by the second, the second
// that organisation's certificate, and the signature is valid under the first
// certificate's key. Whether the second reaches a trusted root is the
// caller's question.
Status check_signature(const Statement& statement, std::string_view statement_line,
                       const SignatureBlock& sig, const std::string& path);

// The value rules of §4, shared by the writer (which refuses its inputs) and
// the readers. Each names `field` in its error.
Status validate_name(std::string_view name, const std::string& field);
Status validate_media_type(std::string_view media_type, const std::string& field);
Status validate_description(std::string_view description, const std::string& field);
// 1–128 bytes of printable UTF-8 text.
Status validate_reference(std::string_view reference, const std::string& field);

}  // namespace liaison::evidence
