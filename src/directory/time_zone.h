// Whether a directory entry's time zone is one the hub can count deadlines
// in: an IANA name in the system's time-zone database.
//
// The seam exists so that the check is the deadline arithmetic's own
// (law::validate_time_zone, src/law/deadline.h) once that is built into the
// hub; until then the zone's file is looked up under /usr/share/zoneinfo,
// after the name has been checked so that no path outside it can be named.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace liaison::directory {

// Ok when `zone` names a zone ("Europe/Dublin", "UTC"); otherwise an error
// naming `field`.
Status check_time_zone(std::string_view zone, const std::string& field);

}  // namespace liaison::directory
