// Lengths of time as people and programs write them: ISO 8601 durations
// ("PT48H", "P2D", "P1DT12H") for the API, and the short form a command line
// takes ("48h", "2d", "90m"). Only units of fixed length: no years or months.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace liaison {

// "P[nW]" or "P[nD][T[nH][nM][nS]]" with at least one part, whole numbers
// only. Returns seconds; `field` names the input in errors.
Result<std::int64_t> parse_iso8601_duration(std::string_view text, std::string_view field);

// A whole number and a unit, "d", "h", "m" or "s" ("48h"), or an ISO 8601
// duration as above. Returns seconds.
Result<std::int64_t> parse_short_duration(std::string_view text, std::string_view field);

// Seconds as an ISO 8601 duration: "PT172800S" is written "P2D", 90 minutes "PT1H30M".
std::string format_iso8601_duration(std::int64_t seconds);

}  // namespace liaison
