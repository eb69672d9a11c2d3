// A progress line for long transfers: bytes done, rate and time left.
//
// Drawn on standard error, and only when standard error is a terminal, so
// that scripts reading the command's output (or its errors) get nothing but
// what they asked for. Redrawn at most ten times a second.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace liaison::cli {

class ProgressBar {
 public:
  // `enabled` defaults to whether standard error is a terminal.
  explicit ProgressBar(std::string label);
  ProgressBar(std::string label, bool enabled);
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar();

  void update(std::uint64_t done, std::uint64_t total);
  // Clears the line; the caller prints its own summary.
  void finish();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
};

// "1.5 GiB", "320 KiB", "12 B".
std::string human_bytes(double bytes);

}  // namespace liaison::cli
