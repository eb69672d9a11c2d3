#include "core/identifier.h"

#include <arpa/inet.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "core/time.h"

namespace liaison {

namespace {

struct KindName {
  IdentifierKind kind;
  const char* name;
};
constexpr KindName kKindNames[] = {
    {IdentifierKind::kEmail, "email"},          {IdentifierKind::kPhone, "phone"},
    {IdentifierKind::kAccount, "account"},      {IdentifierKind::kUsername, "username"},
    {IdentifierKind::kDomain, "domain"},        {IdentifierKind::kIpAddress, "ip"},
    {IdentifierKind::kCryptoAddress, "crypto"},
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool has_control_or_space(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x21 || u == 0x7f;
  });
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

Error bad(const std::string& field, std::string reason) {
  return Error::invalid(field, std::move(reason));
}

// --- Bitcoin -------------------------------------------------------------

constexpr std::string_view kBase58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

// Decodes base58; false on a character outside the alphabet.
bool base58_decode(std::string_view s, std::vector<std::uint8_t>& out) {
  std::vector<std::uint8_t> num;  // big-endian base-256
  for (char c : s) {
    auto pos = kBase58.find(c);
    if (pos == std::string_view::npos) return false;
    int carry = static_cast<int>(pos);
    for (auto it = num.rbegin(); it != num.rend(); ++it) {
      carry += 58 * (*it);
      *it = static_cast<std::uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      num.insert(num.begin(), static_cast<std::uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  std::size_t zeros = 0;
  while (zeros < s.size() && s[zeros] == '1') ++zeros;
  out.assign(zeros, 0);
  out.insert(out.end(), num.begin(), num.end());
  return true;
}

bool base58check_ok(std::string_view s) {
  std::vector<std::uint8_t> raw;
  if (!base58_decode(s, raw) || raw.size() != 25) return false;
  std::array<unsigned char, crypto_hash_sha256_BYTES> h1, h2;
  crypto_hash_sha256(h1.data(), raw.data(), 21);
  crypto_hash_sha256(h2.data(), h1.data(), h1.size());
  return std::equal(h2.begin(), h2.begin() + 4, raw.begin() + 21) &&
         (raw[0] == 0x00 || raw[0] == 0x05);
}

std::uint32_t bech32_polymod(const std::vector<std::uint8_t>& values) {
  static constexpr std::uint32_t kGen[] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                           0x2a1462b3};
  std::uint32_t chk = 1;
  for (auto v : values) {
    std::uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (int i = 0; i < 5; ++i) {
      if ((top >> i) & 1) chk ^= kGen[i];
    }
  }
  return chk;
}

// Checks a segwit address (BIP 173 bech32 for v0, BIP 350 bech32m for v1+).
bool bech32_ok(std::string_view addr) {
  constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  auto sep = addr.rfind('1');
  if (sep == std::string_view::npos || sep == 0 || sep + 7 > addr.size() || addr.size() > 90)
    return false;
  std::string_view hrp = addr.substr(0, sep);
  std::vector<std::uint8_t> values;
  for (char c : hrp) values.push_back(static_cast<std::uint8_t>(c >> 5));
  values.push_back(0);
  for (char c : hrp) values.push_back(static_cast<std::uint8_t>(c & 31));
  std::vector<std::uint8_t> data;
  for (char c : addr.substr(sep + 1)) {
    auto pos = kCharset.find(c);
    if (pos == std::string_view::npos) return false;
    data.push_back(static_cast<std::uint8_t>(pos));
  }
  values.insert(values.end(), data.begin(), data.end());
  std::uint32_t pm = bech32_polymod(values);
  // A mainnet address: the caller only checked the "bc1" prefix, which a
  // longer human-readable part such as "bc1x" also has.
  if (hrp != "bc" || data.size() < 7) return false;
  std::uint8_t witness_version = data[0];
  if (witness_version > 16) return false;
  if (witness_version == 0 ? pm != 1 : pm != 0x2bc830a3) return false;
  // The checksum says nothing about the witness program: regroup its 5-bit
  // values into bytes (BIP 173 convertbits without padding) and check its size.
  std::uint32_t acc = 0;
  unsigned bits = 0;
  std::size_t program_bytes = 0;
  for (std::size_t i = 1; i + 6 < data.size(); ++i) {
    acc = ((acc << 5) | data[i]) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      ++program_bytes;
    }
  }
  if (bits >= 5 || (acc & ((1u << bits) - 1)) != 0) return false;
  if (program_bytes < 2 || program_bytes > 40) return false;
  return witness_version != 0 || program_bytes == 20 || program_bytes == 32;
}

}  // namespace

const char* identifier_kind_name(IdentifierKind kind) {
  for (const auto& k : kKindNames) {
    if (k.kind == kind) return k.name;
  }
  return "unknown";
}

std::optional<IdentifierKind> identifier_kind_from_name(std::string_view name) {
  for (const auto& k : kKindNames) {
    if (name == k.name) return k.kind;
  }
  return std::nullopt;
}

std::string identifier_kind_names() {
  std::string out;
  for (const auto& k : kKindNames) {
    if (!out.empty()) out += ", ";
    out += k.name;
  }
  return out;
}

Result<std::string> normalise_domain(std::string_view v, const std::string& field) {
  std::string d = lower(v);
  if (!d.empty() && d.back() == '.') d.pop_back();
  if (d.empty()) return bad(field, "domain is empty");
  if (!is_ascii(d)) {
    return bad(field, "internationalised domain names must be given in their xn-- (Punycode) form");
  }
  if (d.size() > 253) return bad(field, "domain is longer than 253 characters");
  std::size_t labels = 0, start = 0;
  while (start <= d.size()) {
    auto end = d.find('.', start);
    if (end == std::string::npos) end = d.size();
    std::string_view label(d.data() + start, end - start);
    if (label.empty()) return bad(field, "domain has an empty label (two dots in a row?)");
    if (label.size() > 63) return bad(field, "a domain label is longer than 63 characters");
    if (label.front() == '-' || label.back() == '-') {
      return bad(field, "a domain label may not start or end with '-'");
    }
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
        return bad(field, std::string("domain contains the character '") + c +
                              "'; only letters, digits, '-' and '.' are allowed");
      }
    }
    ++labels;
    start = end + 1;
  }
  if (labels < 2) return bad(field, "domain needs at least two labels, such as example.org");
  return d;
}

Result<std::string> normalise_email(std::string_view v, const std::string& field) {
  if (v.size() > 254) return bad(field, "e-mail address is longer than 254 characters");
  auto at = v.rfind('@');
  if (at == std::string_view::npos) return bad(field, "e-mail address has no '@'");
  std::string_view local = v.substr(0, at);
  if (local.empty()) return bad(field, "e-mail address has nothing before '@'");
  if (local.size() > 64) return bad(field, "the part before '@' is longer than 64 characters");
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return bad(field, "the part before '@' may not start or end with '.' or contain '..'");
  }
  constexpr std::string_view kAtextExtra = "!#$%&'*+/=?^_`{|}~-.";
  for (char c : local) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) continue;  // RFC 6531 allows UTF-8 local parts
    if (!std::isalnum(u) && kAtextExtra.find(c) == std::string_view::npos) {
      return bad(field,
                 std::string("the part before '@' contains '") + c + "', which is not allowed");
    }
  }
  auto domain = normalise_domain(v.substr(at + 1), field);
  if (!domain.ok()) return bad(field, "e-mail domain: " + domain.error().message);
  return std::string(local) + "@" + domain.value();
}

Result<std::string> normalise_e164(std::string_view v, const std::string& field) {
  std::string digits;
  bool plus = false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
    } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') {
      continue;
    } else {
      return bad(field,
                 std::string("phone number contains '") + c + "'; use E.164 such as +31201234567");
    }
  }
  if (!plus && digits.rfind("00", 0) == 0) {
    digits.erase(0, 2);
    plus = true;
  }
  if (!plus) {
    return bad(
        field,
        "phone number must be in international E.164 form, starting with '+' and the country code");
  }
  if (digits.empty() || digits[0] == '0') return bad(field, "a country code never starts with 0");
  if (digits.size() < 7 || digits.size() > 15) {
    return bad(field, "an E.164 number has 7 to 15 digits after the '+'");
  }
  return "+" + digits;
}

Result<std::string> normalise_ip(std::string_view v, const std::string& field) {
  // inet_pton stops at a NUL and would accept "192.0.2.1\0junk".
  if (has_control_or_space(v)) return bad(field, "not a valid IPv4 or IPv6 address");
  std::string s(v);
  if (s.find(':') != std::string::npos) {
    if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
    in6_addr a6{};
    if (inet_pton(AF_INET6, s.c_str(), &a6) != 1) return bad(field, "not a valid IPv6 address");
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &a6, buf, sizeof buf);
    return std::string(buf);
  }
  // inet_pton accepts only strict dotted quads; we also refuse leading zeros,
  // which some tools read as octal.
  int parts = 0;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto end = s.find('.', start);
    if (end == std::string::npos) end = s.size();
    std::string_view part(s.data() + start, end - start);
    if (part.size() > 1 && part[0] == '0') {
      return bad(field, "IPv4 octets may not have leading zeros");
    }
    ++parts;
    start = end + 1;
  }
  in_addr a4{};
  if (parts != 4 || inet_pton(AF_INET, s.c_str(), &a4) != 1) {
    return bad(field, "not a valid IPv4 or IPv6 address");
  }
  return s;
}

Result<std::string> normalise_crypto_address(std::string_view network, std::string_view v,
                                             const std::string& field) {
  std::string net = lower(network);
  if (net == "bitcoin" || net == "btc") {
    std::string low = lower(v);
    if (low.rfind("bc1", 0) == 0) {
      bool mixed =
          std::any_of(v.begin(), v.end(),
                      [](char c) { return std::isupper(static_cast<unsigned char>(c)); }) &&
          std::any_of(v.begin(), v.end(),
                      [](char c) { return std::islower(static_cast<unsigned char>(c)); });
      if (mixed || !bech32_ok(low))
        return bad(field, "not a valid bech32 Bitcoin address (checksum mismatch)");
      return low;
    }
    if (!base58check_ok(v))
      return bad(field, "not a valid Base58Check Bitcoin address (checksum mismatch)");
    return std::string(v);
  }
  if (net == "ethereum" || net == "eth") {
    if (v.size() != 42 || (v.substr(0, 2) != "0x" && v.substr(0, 2) != "0X") ||
        !std::all_of(v.begin() + 2, v.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })) {
      return bad(field, "an Ethereum address is 0x followed by 40 hexadecimal digits");
    }
    return lower(v);
  }
  if (v.empty() || v.size() > 128 || has_control_or_space(v)) {
    return bad(field, "crypto address must be 1-128 printable characters without spaces");
  }
  return std::string(v);
}

Result<Identifier> parse_identifier(const IdentifierInput& in, const std::string& field,
                                    std::vector<Warning>& warnings) {
  auto kind = identifier_kind_from_name(in.kind);
  if (!kind) {
    return bad(field + "/kind", "unknown identifier kind '" + in.kind + "'; expected one of " +
                                    identifier_kind_names());
  }
  Identifier id;
  id.kind = *kind;
  const std::string vfield = field + "/value";
  if (in.value.empty()) return bad(vfield, "value is empty");
  if (in.port && *kind != IdentifierKind::kIpAddress) {
    return bad(field + "/port", "port applies only to ip identifiers");
  }
  if (in.observed_at && *kind != IdentifierKind::kIpAddress) {
    return bad(field + "/observed_at", "observed_at applies only to ip identifiers");
  }
  if (in.network && *kind != IdentifierKind::kCryptoAddress) {
    return bad(field + "/network", "network applies only to crypto identifiers");
  }
  switch (*kind) {
    case IdentifierKind::kEmail: {
      LIAISON_ASSIGN_OR_RETURN(id.value, normalise_email(in.value, vfield));
      break;
    }
    case IdentifierKind::kPhone: {
      LIAISON_ASSIGN_OR_RETURN(id.value, normalise_e164(in.value, vfield));
      break;
    }
    case IdentifierKind::kDomain: {
      LIAISON_ASSIGN_OR_RETURN(id.value, normalise_domain(in.value, vfield));
      break;
    }
    case IdentifierKind::kAccount:
    case IdentifierKind::kUsername: {
      if (in.value.size() > 512) return bad(vfield, "value is longer than 512 characters");
      if (has_control_or_space(in.value)) {
        return bad(vfield, "value may not contain spaces or control characters");
      }
      if (*kind == IdentifierKind::kAccount && in.value.find("://") != std::string::npos) {
        auto scheme_end = in.value.find("://");
        std::string scheme = lower(in.value.substr(0, scheme_end));
        if (scheme != "https" && scheme != "http") {
          return bad(vfield, "an account URL must use http or https");
        }
        auto host_end = in.value.find_first_of("/?#:", scheme_end + 3);
        auto host = in.value.substr(scheme_end + 3, host_end == std::string::npos
                                                        ? std::string::npos
                                                        : host_end - scheme_end - 3);
        auto norm_host = normalise_domain(host, vfield);
        if (!norm_host.ok()) return bad(vfield, "account URL host: " + norm_host.error().message);
      }
      id.value = in.value;
      break;
    }
    case IdentifierKind::kIpAddress: {
      LIAISON_ASSIGN_OR_RETURN(id.value, normalise_ip(in.value, vfield));
      if (in.port) {
        if (*in.port < 1 || *in.port > 65535) return bad(field + "/port", "port must be 1-65535");
        id.port = static_cast<std::uint16_t>(*in.port);
      } else {
        warnings.push_back(
            {field + "/port",
             "no source port: behind carrier-grade NAT many subscribers share one "
             "public address, and the provider cannot attribute it without the port"});
      }
      if (in.observed_at) {
        if (is_local_datetime_without_offset(*in.observed_at)) {
          id.observed_at = *in.observed_at;
          warnings.push_back(
              {field + "/observed_at",
               "observed_at has no UTC offset: the provider cannot tell which hour "
               "is meant, and a shared address may be attributed to the wrong person"});
        } else {
          LIAISON_ASSIGN_OR_RETURN(Timestamp t,
                                   parse_rfc3339(*in.observed_at, field + "/observed_at"));
          id.observed_at = format_rfc3339(t);
        }
      } else {
        warnings.push_back({field + "/observed_at",
                            "no observation time: dynamic and shared addresses change hands, so an "
                            "address cannot be attributed without the time with its UTC offset"});
      }
      break;
    }
    case IdentifierKind::kCryptoAddress: {
      if (!in.network || in.network->empty()) {
        return bad(field + "/network",
                   "crypto identifiers need a network, such as bitcoin or ethereum");
      }
      LIAISON_ASSIGN_OR_RETURN(id.value, normalise_crypto_address(*in.network, in.value, vfield));
      id.network = lower(*in.network);
      if (*id.network == "btc") id.network = "bitcoin";
      if (*id.network == "eth") id.network = "ethereum";
      if (*id.network != "bitcoin" && *id.network != "ethereum") {
        warnings.push_back({field + "/value", "the format of " + *id.network +
                                                  " addresses is not checked; verify it by hand"});
      }
      break;
    }
  }
  return id;
}

}  // namespace liaison
