#include "directory/time_zone.h"

#include "law/deadline.h"

namespace liaison::directory {

Status check_time_zone(std::string_view zone, const std::string& field) {
  return law::validate_time_zone(zone, field);
}

}  // namespace liaison::directory
