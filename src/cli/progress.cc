#include "cli/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace liaison::cli {

std::string human_bytes(double bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{:.0f} {}", bytes, kUnits[unit])
                   : fmt::format("{:.1f} {}", bytes, kUnits[unit]);
}

ProgressBar::ProgressBar(std::string label) : ProgressBar(std::move(label), isatty(2) == 1) {}

ProgressBar::ProgressBar(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(std::uint64_t done, std::uint64_t total) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1;
  constexpr int kWidth = 24;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '.');
  std::string eta = "--:--";
  if (rate > 0 && done < total) {
    const auto left = static_cast<long long>(static_cast<double>(total - done) / rate);
    eta = fmt::format("{:02}:{:02}", left / 60, left % 60);
  } else if (done >= total) {
    eta = "00:00";
  }
  std::fprintf(
      stderr, "\r%s [%s] %3d%% %s of %s, %s/s, %s left \x1b[K", label_.c_str(), bar.c_str(),
      static_cast<int>(fraction * 100), human_bytes(static_cast<double>(done)).c_str(),
      human_bytes(static_cast<double>(total)).c_str(), human_bytes(rate).c_str(), eta.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  // A line of its own stays on the screen, complete, above what follows.
  if (!drawn_) return;
  std::fprintf(stderr, "\r\x1b[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace liaison::cli
