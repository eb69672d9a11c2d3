#include "trust/canonical_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

namespace liaison::trust {

using nlohmann::json;

namespace {

// JCS numbers are IEEE-754 doubles: integers beyond this lose their identity.
constexpr std::uint64_t kMaxExactInteger = std::uint64_t{1} << 53;

Error refuse(std::string reason) { return Error::invalid("", std::move(reason)); }

// Prepends one JSON Pointer segment to the path of an error coming up from a
// nested value, so the path is only built when something is wrong.
Error at_segment(Error e, std::string_view segment) {
  std::string escaped;
  for (char c : segment) {
    if (c == '~') {
      escaped += "~0";
    } else if (c == '/') {
      escaped += "~1";
    } else {
      escaped += c;
    }
  }
  if (e.issues.empty()) e.issues.push_back({"", e.message});
  e.issues.front().field = "/" + escaped + e.issues.front().field;
  e.message = e.issues.front().field + ": " + e.issues.front().reason;
  return e;
}

// Decodes one UTF-8 sequence at s[i] (RFC 3629: no overlong forms, no
// surrogates, nothing beyond U+10FFFF). Returns its length, or 0 if invalid.
std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  std::size_t len;
  char32_t min;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  } else if ((b0 & 0xe0) == 0xc0) {
    len = 2;
    cp = b0 & 0x1f;
    min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    len = 3;
    cp = b0 & 0x0f;
    min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    len = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    unsigned char b = byte(i + k);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

// RFC 8785 §3.2.2.2: the ECMAScript JSON.stringify escapes, and nothing else.
// Runs of characters that need no escape are appended whole.
Status write_string(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t run = i;
    while (run < s.size()) {
      auto c = static_cast<unsigned char>(s[run]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++run;
    }
    out.append(s.data() + i, run - i);
    i = run;
    if (i == s.size()) break;
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      char32_t cp;
      std::size_t len = decode_utf8(s, i, cp);
      if (len == 0) return refuse("string is not valid UTF-8");
      out.append(s.data() + i, len);
      i += len;
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0x0f];
    }
    ++i;
  }
  out += '"';
  return Ok{};
}

// The UTF-16 code units of a valid UTF-8 string, for ordering member names.
std::u16string utf16_units(std::string_view s) {
  std::u16string out;
  std::size_t i = 0;
  while (i < s.size()) {
    char32_t cp = 0;
    std::size_t len = decode_utf8(s, i, cp);
    if (len == 0) break;  // the name is written (and refused) after sorting
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xd800 + (cp >> 10));
      out += static_cast<char16_t>(0xdc00 + (cp & 0x3ff));
    } else {
      out += static_cast<char16_t>(cp);
    }
    i += len;
  }
  return out;
}

// UTF-8 byte order, which nlohmann's std::map keeps, equals code point order.
// That differs from UTF-16 order only between characters above U+FFFF
// (surrogate pairs, 0xD800-0xDBFF first) and U+E000-U+FFFF, whose UTF-8 forms
// start with 0xF0-0xF4 and 0xEE-0xEF; names without such bytes need no re-sort.
bool needs_utf16_sort(const json::object_t& obj) {
  return std::any_of(obj.begin(), obj.end(), [](const auto& member) {
    return std::any_of(member.first.begin(), member.first.end(),
                       [](char c) { return static_cast<unsigned char>(c) >= 0xee; });
  });
}

Status write_value(const json& v, std::string& out);

Status write_member(const std::string& name, const json& value, bool first, std::string& out) {
  if (!first) out += ',';
  // The name itself is not repeated in the error: it is not valid text.
  LIAISON_TRY(write_string(name, out));
  out += ':';
  if (Status s = write_value(value, out); !s.ok()) return at_segment(s.take_error(), name);
  return Ok{};
}

Status write_object(const json::object_t& obj, std::string& out) {
  out += '{';
  bool first = true;
  if (!needs_utf16_sort(obj)) {
    for (const auto& [name, value] : obj) {
      LIAISON_TRY(write_member(name, value, first, out));
      first = false;
    }
  } else {
    std::vector<std::pair<std::u16string, const json::object_t::value_type*>> sorted;
    sorted.reserve(obj.size());
    for (const auto& member : obj) sorted.emplace_back(utf16_units(member.first), &member);
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [units, member] : sorted) {
      LIAISON_TRY(write_member(member->first, member->second, first, out));
      first = false;
    }
  }
  out += '}';
  return Ok{};
}

Status write_number(double d, std::string& out) {
  LIAISON_ASSIGN_OR_RETURN(std::string text, canonical_number(d));
  out += text;
  return Ok{};
}

// Integers up to 2^53 are exact doubles and written as they are. A larger one
// is accepted only if its digits are exactly what JCS writes for the double it
// denotes (9007199254740994, 10000000000000000): then nothing is approximated,
// and JCS output that a parser reads back as an integer canonicalises to
// itself. Every other large integer would be silently rounded, so it is refused.
Status write_integer(bool negative, std::uint64_t magnitude, std::string& out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, magnitude);
  std::string_view digits(buf, static_cast<std::size_t>(r.ptr - buf));
  if (magnitude > kMaxExactInteger) {
    double d = static_cast<double>(magnitude);
    auto as_double = canonical_number(negative ? -d : d);
    if (!as_double.ok() || std::string_view(*as_double).substr(negative ? 1 : 0) != digits) {
      return refuse("integer beyond 2^53 has no exact IEEE-754 double form");
    }
  }
  if (negative) out += '-';
  out += digits;
  return Ok{};
}

Status write_value(const json& v, std::string& out) {
  switch (v.type()) {
    case json::value_t::null:
      out += "null";
      return Ok{};
    case json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      return Ok{};
    case json::value_t::string:
      return write_string(*v.get_ptr<const json::string_t*>(), out);
    case json::value_t::number_integer: {
      std::int64_t n = v.get<std::int64_t>();
      return write_integer(
          n < 0,
          n < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n),
          out);
    }
    case json::value_t::number_unsigned:
      return write_integer(false, v.get<std::uint64_t>(), out);
    case json::value_t::number_float:
      return write_number(v.get<double>(), out);
    case json::value_t::array: {
      out += '[';
      const auto& arr = *v.get_ptr<const json::array_t*>();
      for (std::size_t i = 0; i < arr.size(); ++i) {
        if (i != 0) out += ',';
        if (Status s = write_value(arr[i], out); !s.ok()) {
          return at_segment(s.take_error(), std::to_string(i));
        }
      }
      out += ']';
      return Ok{};
    }
    case json::value_t::object:
      return write_object(*v.get_ptr<const json::object_t*>(), out);
    case json::value_t::binary:
      return refuse("binary values have no JSON form");
    case json::value_t::discarded:
      return refuse("discarded value");
  }
  return refuse("unknown JSON value type");
}

}  // namespace

Result<std::string> canonical_number(double value) {
  if (std::isnan(value) || std::isinf(value)) {
    return refuse("NaN and infinities have no JSON form");
  }
  if (value == 0) return std::string("0");  // also -0, as ECMAScript writes it
  // The shortest digits that read back as the same double; to_chars picks the
  // closest such digits when several exist, as ECMAScript requires.
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));  // "-d.ddde+XX"
  std::string out;
  if (sci.front() == '-') {
    out += '-';
    sci.remove_prefix(1);
  }
  auto e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits += c;
  }
  int exponent = 0;
  std::string_view exp_text = sci.substr(e_pos + 1);
  if (exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  // ECMA-262 Number::toString: value = digits × 10^(n − k).
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out += '.';
    out.append(digits, static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    out += n - 1 < 0 ? '-' : '+';
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp;
    std::size_t len = decode_utf8(text, i, cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

Result<std::string> canonical_json(const json& value) {
  std::string out;
  out.reserve(256);
  LIAISON_TRY(write_value(value, out));
  return out;
}

}  // namespace liaison::trust
