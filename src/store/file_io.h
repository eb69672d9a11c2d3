// Small POSIX file helpers shared by the store's file-backed parts (the blob
// store, the hub's secret key): an owning descriptor, errors that carry errno,
// and the directory fsync that makes a rename durable.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/result.h"

namespace liaison::store_io {

// kUnavailable with `what` and the current errno's text.
inline Error io_error(const std::string& what) {
  return Error::make(ErrorCode::kUnavailable, what + ": " + std::strerror(errno));
}

// A file descriptor closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

// Makes the entries of `dir` (a rename into it) durable.
inline Status fsync_dir(const std::string& dir) {
  Fd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!d.ok() || ::fsync(d.get()) != 0) return io_error("cannot sync directory " + dir);
  return Ok{};
}

}  // namespace liaison::store_io
