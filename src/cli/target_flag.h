// The --target flag of `liaison request create`: a compact way to write one
// identifier on a command line.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace liaison::cli {

// KIND:VALUE, where an ip may carry :PORT and @TIME
// (ip:192.0.2.1:443@2026-11-02T10:15:00Z, ip:[2001:db8::1]:443@…) and a
// crypto address its network (crypto:bitcoin:bc1…). Returns the target as the
// API's JSON; the hub validates the values. Throws CliError (usage) when the
// flag's own shape is wrong.
nlohmann::json parse_target_flag(const std::string& flag);

}  // namespace liaison::cli
