// What services need from the world besides storage: time and randomness.
// Tests substitute a fixed clock; production uses the system's.
#pragma once

#include <string>

#include "core/time.h"

namespace liaison {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

// A new id: a version 7 UUID (time-ordered; 74 bits from the CSPRNG).
std::string random_uuid();
// `bytes` random bytes, base64url without padding.
std::string random_base64url(std::size_t bytes);
// Lower-case hex SHA-256.
std::string sha256_hex(std::string_view data);

}  // namespace liaison
