#include "cli/target_flag.h"

#include <algorithm>
#include <charconv>

#include "cli/output.h"

namespace liaison::cli {

nlohmann::json parse_target_flag(const std::string& flag) {
  auto colon = flag.find(':');
  if (colon == std::string::npos || colon == 0) {
    throw CliError(kExitUsage,
                   "--target '" + flag + "' must be KIND:VALUE, such as email:someone@example.org");
  }
  std::string kind = flag.substr(0, colon);
  std::string rest = flag.substr(colon + 1);
  nlohmann::json t = {{"kind", kind}};
  if (kind == "ip") {
    if (auto at = rest.find('@'); at != std::string::npos) {
      t["observed_at"] = rest.substr(at + 1);
      rest.resize(at);
    }
    std::string addr = rest;
    std::string port;
    if (!rest.empty() && rest.front() == '[') {
      auto close = rest.find(']');
      if (close == std::string::npos)
        throw CliError(kExitUsage, "--target '" + flag + "': missing ']'");
      addr = rest.substr(1, close - 1);
      if (close + 1 < rest.size() && rest[close + 1] == ':') port = rest.substr(close + 2);
    } else if (std::count(rest.begin(), rest.end(), ':') == 1) {
      addr = rest.substr(0, rest.find(':'));
      port = rest.substr(rest.find(':') + 1);
    }
    t["value"] = addr;
    if (!port.empty()) {
      long long n = 0;
      auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
      if (ec != std::errc() || end != port.data() + port.size()) {
        throw CliError(kExitUsage, "--target '" + flag + "': port '" + port + "' is not a number");
      }
      t["port"] = n;  // the hub checks the range
    }
  } else if (kind == "crypto") {
    auto c2 = rest.find(':');
    if (c2 == std::string::npos)
      throw CliError(kExitUsage, "--target '" + flag + "' must be crypto:NETWORK:ADDRESS");
    t["network"] = rest.substr(0, c2);
    t["value"] = rest.substr(c2 + 1);
  } else {
    t["value"] = rest;
  }
  return t;
}

}  // namespace liaison::cli
