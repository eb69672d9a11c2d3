// The CLI's --target flag: any string either becomes a JSON target or a usage
// error, never a crash.
#include <cstdint>
#include <string>

#include "cli/output.h"
#include "cli/target_flag.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string flag(reinterpret_cast<const char*>(data), size);
  try {
    auto target = liaison::cli::parse_target_flag(flag);
    (void)target.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const liaison::cli::CliError&) {
  }
  return 0;
}
