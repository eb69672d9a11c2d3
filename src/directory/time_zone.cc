#include "directory/time_zone.h"

#include <fstream>

namespace liaison::directory {

namespace {

constexpr const char* kZoneInfo = "/usr/share/zoneinfo/";

// IANA names are components of letters, digits and "_-+" joined by '/'; a
// component never starts with '.', so ".." and hidden files cannot be named.
bool well_formed(std::string_view zone) {
  if (zone.empty() || zone.size() > 64) return false;
  bool component_start = true;
  for (char c : zone) {
    if (c == '/') {
      if (component_start) return false;  // leading '/' or "//"
      component_start = true;
      continue;
    }
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '+';
    if (!ok) return false;
    component_start = false;
  }
  if (component_start) return false;  // trailing '/'
  // Debian's copies of the database under other rules are not zone names.
  return zone.rfind("posix/", 0) != 0 && zone.rfind("right/", 0) != 0;
}

}  // namespace

Status check_time_zone(std::string_view zone, const std::string& field) {
  if (!well_formed(zone)) {
    return Error::invalid(field, "must be an IANA time zone name, such as Europe/Dublin");
  }
  // A zone's file starts with the TZif magic; the database's other files
  // (leapseconds, tzdata.zi, ...) do not, and neither does a directory.
  std::ifstream in(kZoneInfo + std::string(zone), std::ios::binary);
  char magic[4] = {};
  if (!in.read(magic, sizeof magic) || std::string_view(magic, 4) != "TZif") {
    return Error::invalid(field,
                          "'" + std::string(zone) + "' is not a time zone this system knows");
  }
  return Ok{};
}

}  // namespace liaison::directory
