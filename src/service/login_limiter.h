// Failed login attempts per remote address, in memory: at most `limit` in any
// `window`, after which the address is refused until its oldest failure in
// the window ages out.
//
// In memory, so a restart forgives everyone; the per-account lockout, which
// is stored, is what stops a patient attacker. An attempt counts as a failure
// from the moment it starts and is forgiven if it succeeds, so a burst of
// parallel attempts cannot all slip in under the limit.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace liaison {

class LoginLimiter {
 public:
  LoginLimiter(int limit, std::int64_t window_micros) : limit_(limit), window_(window_micros) {}

  // Starts an attempt from `address` at `now`. Returns 0 and counts the
  // attempt when the address is under its limit; otherwise the microseconds
  // until it may try again.
  std::int64_t begin(const std::string& address, std::int64_t now);
  // The attempt that began at `started` succeeded: it no longer counts.
  void forgive(const std::string& address, std::int64_t started);

 private:
  void prune(std::deque<std::int64_t>& times, std::int64_t now) const;

  const int limit_;
  const std::int64_t window_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<std::int64_t>> failures_;
  std::uint64_t calls_ = 0;
};

}  // namespace liaison
