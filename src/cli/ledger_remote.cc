#include "cli/ledger_remote.h"

#include <string>

#include "cli/output.h"
#include "cli/remote.h"

namespace liaison::cli {

std::vector<ledger::Hash> fetch_consistency_proof(HubClient& c, std::uint64_t first,
                                                  std::uint64_t second) {
  nlohmann::json proof = call(c, "GET",
                              "/api/v1/ledger/proof/consistency?first=" + std::to_string(first) +
                                  "&second=" + std::to_string(second));
  std::vector<ledger::Hash> path;
  for (const auto& h : proof.value("path", nlohmann::json::array())) {
    auto parsed = ledger::hash_from_hex(h.is_string() ? h.get<std::string>() : "", "path");
    if (!parsed.ok()) throw CliError(kExitInvalid, parsed.error().message);
    path.push_back(parsed.value());
  }
  return path;
}

}  // namespace liaison::cli
