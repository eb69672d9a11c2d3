// Whether a directory entry's time zone is one the hub can count deadlines
// in: the deadline arithmetic's own check (law::validate_time_zone), so an
// entry is never accepted with a zone its deadlines could not be computed in.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace liaison::directory {

// Ok when `zone` names a zone ("Europe/Dublin", "UTC"); otherwise an error
// naming `field`.
Status check_time_zone(std::string_view zone, const std::string& field);

}  // namespace liaison::directory
