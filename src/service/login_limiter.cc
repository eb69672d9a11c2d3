#include "service/login_limiter.h"

#include <algorithm>

namespace liaison {

void LoginLimiter::prune(std::deque<std::int64_t>& times, std::int64_t now) const {
  while (!times.empty() && times.front() <= now - window_) times.pop_front();
}

std::int64_t LoginLimiter::begin(const std::string& address, std::int64_t now) {
  std::lock_guard lock(mu_);
  // Now and then drop addresses whose failures have all aged out, so the map
  // does not grow with every address that ever failed once.
  if (++calls_ % 1024 == 0) {
    for (auto it = failures_.begin(); it != failures_.end();) {
      prune(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
  }
  auto& times = failures_[address];
  prune(times, now);
  if (static_cast<int>(times.size()) >= limit_) return times.front() + window_ - now;
  // Kept sorted: the clock may step back, and the front must stay the oldest.
  times.insert(std::upper_bound(times.begin(), times.end(), now), now);
  return 0;
}

void LoginLimiter::forgive(const std::string& address, std::int64_t started) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(address);
  if (it == failures_.end()) return;
  auto& times = it->second;
  auto at = std::find(times.begin(), times.end(), started);
  if (at != times.end()) times.erase(at);
}

}  // namespace liaison
