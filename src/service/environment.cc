#include "service/environment.h"

#include <sodium.h>

#include <array>
#include <chrono>
#include <vector>

#include "core/uuid.h"
#include "trust/encoding.h"

namespace liaison {

Timestamp SystemClock::now() const {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return Timestamp{us.count()};
}

std::string random_uuid() {
  std::array<std::uint8_t, 16> b;
  randombytes_buf(b.data(), b.size());
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return uuid_v7_from(static_cast<std::uint64_t>(ms.count()), b);
}

std::string random_base64url(std::size_t bytes) {
  return trust::base64url_encode(trust::random_bytes(bytes));
}

std::string sha256_hex(std::string_view data) { return trust::hex_encode(trust::sha256(data)); }

}  // namespace liaison
