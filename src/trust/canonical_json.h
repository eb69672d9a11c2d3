// Canonical JSON per RFC 8785 (JSON Canonicalization Scheme, JCS).
//
// Everything Liaison signs is a JSON value, and a signature covers bytes, not
// values: signer and verifier must turn the same value into the same bytes
// whatever library, platform or key order produced it. JCS does that by
// writing numbers as ECMAScript does, escaping strings minimally, and sorting
// object members by their names as UTF-16 code units. Values JCS cannot
// represent exactly (NaN, infinities, invalid UTF-8, and integers beyond 2^53
// other than those whose digits are exactly JCS's form of their double, such
// as 10000000000000000) are refused rather than approximated, because an
// approximation would let two different values share one signature.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"

namespace liaison::trust {

// The canonical UTF-8 text of `value`. Errors name the offending value by its
// JSON Pointer, e.g. "/targets/0/port".
Result<std::string> canonical_json(const nlohmann::json& value);

// The ECMAScript Number.prototype.toString form of a finite double
// (RFC 8785 §3.2.2.3); exposed for tests. Refuses NaN and infinities.
Result<std::string> canonical_number(double value);

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing beyond U+10FFFF), as every string JCS writes must be.
bool valid_utf8(std::string_view text);

}  // namespace liaison::trust
