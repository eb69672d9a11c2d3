// Scopes: what an API token may be used for, independent of who holds it.
// `read` covers GET and HEAD, `write` every other method, and `admin` the
// management of organisations and other people's accounts. A request needs
// both: a scope its token carries, and a role that allows the action.
//
// A set of scopes is a bit mask, like Roles, stored as comma-separated names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace liaison {

enum class Scope : std::uint8_t { kRead, kWrite, kAdmin };

const char* scope_name(Scope s);

class Scopes {
 public:
  Scopes() = default;
  Scopes(std::initializer_list<Scope> list) {
    for (Scope s : list) add(s);
  }
  void add(Scope s) { bits_ |= bit(s); }
  bool has(Scope s) const { return (bits_ & bit(s)) != 0; }
  bool empty() const { return bits_ == 0; }
  // Whether every scope of `other` is also in this set.
  bool covers(const Scopes& other) const { return (other.bits_ & ~bits_) == 0; }
  bool operator==(const Scopes&) const = default;
  // Comma-separated names in the order read, write, admin ("read,write").
  std::string to_string() const;
  // Parses a comma-separated list; errors name the unknown scope. An empty
  // list is an empty set.
  static Result<Scopes> parse(std::string_view list, const std::string& field);

 private:
  static std::uint32_t bit(Scope s) { return 1u << static_cast<unsigned>(s); }
  std::uint32_t bits_ = 0;
};

}  // namespace liaison
