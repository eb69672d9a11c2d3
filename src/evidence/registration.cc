// Registrations (docs/evidence-format.md §6): the hub's ledger receipt for a
// package, appended after its items.
#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/request_json.h"
#include "evidence/layout.h"
#include "ledger/receipt.h"
#include "trust/canonical_json.h"
#include "trust/json_fields.h"

namespace liaison::evidence {

namespace fields = trust::fields;

std::string registration_content(const PackageInfo& info) {
  nlohmann::json j = {{"package_id", info.statement.package_id},
                      {"request_id", info.statement.request_id},
                      {"statement_sha256", info.statement_sha256},
                      {"size", info.package_bytes}};
  // Every value is ASCII and every number below 2^53, so this cannot fail.
  return trust::canonical_json(j).value();
}

Status check_registration(const ledger::Receipt& receipt, const PackageInfo& info) {
  auto checked = ledger::check_receipt(receipt);
  if (!checked.ok()) {
    return fields::bad("registration/receipt", "does not verify: " + checked.error().message);
  }
  // Only the hub's registration of a package proves it: a receipt of some
  // other event that happened to commit to the same content does not.
  if (checked->entry.type != kRegistrationEntryType) {
    return fields::bad("registration/receipt", "is the receipt of a " + checked->entry.type +
                                                   " entry, not of " +
                                                   std::string(kRegistrationEntryType));
  }
  if (receipt.content != registration_content(info)) {
    return fields::bad("registration/content", "the receipt is for " + receipt.content +
                                                   ", not for this package (" +
                                                   registration_content(info) + ")");
  }
  return Ok{};
}

Result<std::string> receipt_line(const ledger::Receipt& receipt) {
  return trust::canonical_json(ledger::to_json(receipt));
}

Result<ledger::Receipt> parse_receipt_line(std::string_view line, const std::string& field) {
  auto parsed = parse_json_text(line);
  if (!parsed.ok()) return fields::bad(field, "not JSON: " + parsed.error().message);
  auto canonical = trust::canonical_json(*parsed);
  if (!canonical.ok() || *canonical != line) {
    return fields::bad(field, "not in canonical form (RFC 8785)");
  }
  auto receipt = ledger::receipt_from_json(*parsed);
  if (!receipt.ok()) return fields::bad(field, receipt.error().message);
  return std::move(receipt).value();
}

Result<ledger::Receipt> read_registration(int fd, const std::string& path, std::uint64_t offset,
                                          std::uint64_t end, const PackageInfo& info) {
  std::string magic(kRegistrationMagic.size(), '\0');
  LIAISON_ASSIGN_OR_RETURN(std::size_t got, read_at(fd, magic.data(), magic.size(), offset, path));
  if (got != magic.size() || magic != kRegistrationMagic) {
    return fields::bad("file", std::to_string(end - offset) +
                                   " bytes after the last item, at byte " + std::to_string(offset) +
                                   ", are not a registration");
  }
  LineReader lines(fd, offset + magic.size(), end, path);
  LIAISON_ASSIGN_OR_RETURN(std::string line, lines.next(kMaxReceiptLine, "registration"));
  LIAISON_ASSIGN_OR_RETURN(ledger::Receipt receipt, parse_receipt_line(line, "registration"));
  if (lines.offset() != end) {
    return fields::bad("file", std::to_string(end - lines.offset()) +
                                   " bytes after the registration, at byte " +
                                   std::to_string(lines.offset()));
  }
  LIAISON_TRY(check_registration(receipt, info));
  return receipt;
}

Status append_registration(const std::string& path, const ledger::Receipt& receipt) {
  Fd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd.ok()) return io_error("cannot open " + path);
  LIAISON_ASSIGN_OR_RETURN(Layout layout, read_layout(fd.get(), path));
  const PackageInfo& info = layout.info;
  if (info.registration) return fields::bad("file", path + " already has a registration");
  LIAISON_TRY(check_registration(receipt, info));
  LIAISON_ASSIGN_OR_RETURN(std::string line, receipt_line(receipt));
  std::string bytes = std::string(kRegistrationMagic) + line + "\n";
  Status written = write_at(fd.get(), bytes.data(), bytes.size(), info.package_bytes, path);
  if (written.ok() && ::fsync(fd.get()) != 0) written = io_error("cannot sync " + path);
  if (!written.ok()) {
    // Leave the package as it was, without half a registration.
    if (::ftruncate(fd.get(), static_cast<off_t>(info.package_bytes)) == 0) ::fsync(fd.get());
    return written;
  }
  return Ok{};
}

}  // namespace liaison::evidence
