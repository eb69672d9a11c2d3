// Feeds arbitrary identifiers to the validators. Besides crashes and
// sanitizer reports, checks that normalisation is idempotent: a value
// Liaison has normalised and stored must be accepted unchanged when read back.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/identifier.h"

namespace {

// Splits the input on 0x1f (unit separator) into up to five fields, so the
// corpus stays readable: kind, value, port, observed_at, network.
std::vector<std::string> split(std::string_view in) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (out.size() < 4) {
    auto end = in.find('\x1f', start);
    if (end == std::string_view::npos) break;
    out.emplace_back(in.substr(start, end - start));
    start = end + 1;
  }
  out.emplace_back(in.substr(start));
  out.resize(5);
  return out;
}

template <typename F>
void check_idempotent(F normalise, std::string_view v) {
  auto once = normalise(v);
  if (!once.ok()) {
    if (once.error().issues.size() != 1 || once.error().issues[0].field != "f") std::abort();
    return;
  }
  auto twice = normalise(*once);
  if (!twice.ok() || *twice != *once) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto f = split(raw);

  liaison::IdentifierInput in;
  in.kind = f[0];
  in.value = f[1];
  if (!f[2].empty()) {
    // Keep the port as the decoder would see it: any 64-bit integer.
    std::int64_t port = 0;
    for (char c : f[2].substr(0, 18)) port = port * 10 + (static_cast<unsigned char>(c) % 10);
    in.port = f[2][0] == '-' ? -port : port;
  }
  if (!f[3].empty()) in.observed_at = f[3];
  if (!f[4].empty()) in.network = f[4];

  std::vector<liaison::Warning> warnings;
  auto id = liaison::parse_identifier(in, "targets/0", warnings);
  if (id.ok()) {
    // No accepted value may smuggle control bytes (a NUL would cut the value
    // short in C APIs and logs) to a provider.
    for (char c : id->value) {
      auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f) std::abort();
    }
    // What was accepted once is accepted again, unchanged.
    liaison::IdentifierInput again{liaison::identifier_kind_name(id->kind), id->value,
                                   id->port ? std::optional<std::int64_t>(*id->port) : std::nullopt,
                                   id->observed_at, id->network};
    std::vector<liaison::Warning> w2;
    auto id2 = liaison::parse_identifier(again, "targets/0", w2);
    if (!id2.ok() || !(*id2 == *id)) std::abort();
  } else if (id.error().issues.size() != 1 ||
             id.error().issues[0].field.rfind("targets/0/", 0) != 0) {
    std::abort();
  }

  const std::string field = "f";
  check_idempotent([&](std::string_view v) { return liaison::normalise_email(v, field); }, raw);
  check_idempotent([&](std::string_view v) { return liaison::normalise_e164(v, field); }, raw);
  check_idempotent([&](std::string_view v) { return liaison::normalise_domain(v, field); }, raw);
  check_idempotent([&](std::string_view v) { return liaison::normalise_ip(v, field); }, raw);
  for (std::string_view net : {"bitcoin", "ethereum", "other"}) {
    check_idempotent(
        [&](std::string_view v) { return liaison::normalise_crypto_address(net, v, field); }, raw);
  }
  return 0;
}
