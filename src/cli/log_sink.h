// Where `liaison serve` writes its log lines: standard error, buffered.
//
// The server logs one JSON line per request. Writing each with its own system
// call (as spdlog's console sinks do, flushing every line) costs measurable
// CPU per request; this sink collects lines and writes them in one call when
// flushed (once a second, and at once for warnings, see commands_serve.cc) or
// when the buffer fills.
#pragma once

#include <spdlog/sinks/base_sink.h>
#include <unistd.h>

#include <mutex>
#include <string>

namespace liaison::cli {

class BufferedFdSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit BufferedFdSink(int fd) : fd_(fd) { buffer_.reserve(kLimit); }
  ~BufferedFdSink() override { write_out(); }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    buffer_.append(formatted.data(), formatted.size());
    if (buffer_.size() >= kLimit) write_out();
  }
  void flush_() override { write_out(); }

 private:
  static constexpr std::size_t kLimit = std::size_t{64} * 1024;

  void write_out() {
    std::size_t off = 0;
    while (off < buffer_.size()) {
      ssize_t n = ::write(fd_, buffer_.data() + off, buffer_.size() - off);
      if (n <= 0) break;  // nowhere to report a failing log; drop the rest
      off += static_cast<std::size_t>(n);
    }
    buffer_.clear();
  }

  int fd_;
  std::string buffer_;
};

}  // namespace liaison::cli
