// The little POSIX file I/O the evidence module needs: an owning descriptor,
// whole reads and writes at an offset (so two readers can share one open
// file), a buffered reader of lines with a length limit, and a new file that
// removes itself unless it is kept.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace liaison::evidence {

// kUnavailable naming `what` with the current errno's text.
Error io_error(const std::string& what);

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

Result<Fd> open_for_reading(const std::string& path);
Result<std::uint64_t> file_size(int fd, const std::string& path);

// Reads up to `size` bytes at `offset`, fewer only at the end of the file.
Result<std::size_t> read_at(int fd, void* buf, std::size_t size, std::uint64_t offset,
                            const std::string& path);
Status write_at(int fd, const void* buf, std::size_t size, std::uint64_t offset,
                const std::string& path);

// A file created with O_EXCL and removed when this goes, unless keep() was
// called: a failed seal or export leaves nothing behind.
class NewFile {
 public:
  static Result<NewFile> create(const std::string& path);
  NewFile(NewFile&&) noexcept = default;
  NewFile& operator=(NewFile&&) = delete;
  NewFile(const NewFile&) = delete;
  NewFile& operator=(const NewFile&) = delete;
  ~NewFile();

  int fd() const { return fd_.get(); }
  const std::string& path() const { return path_; }
  // fsyncs the file and its directory, closes it and keeps it.
  Status commit();

 private:
  NewFile(Fd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  Fd fd_;
  std::string path_;
  bool kept_ = false;
};

Status sync_parent_dir(const std::string& path);

// Lines read front to back from `offset`, through a buffer. Every line is
// checked against its limit as it is read, before more than the limit is held.
class LineReader {
 public:
  LineReader(int fd, std::uint64_t offset, std::uint64_t end, std::string path);

  // The next line without its newline; refused, naming `field`, when it is
  // longer than `max` bytes, or the data ends before its newline.
  Result<std::string> next(std::size_t max, const std::string& field);
  // Where the next line begins.
  std::uint64_t offset() const { return offset_; }

 private:
  Status fill();

  int fd_;
  std::uint64_t offset_;  // of buf_[pos_]
  std::uint64_t end_;
  std::string path_;
  std::unique_ptr<char[]> buf_;
  std::size_t pos_ = 0, len_ = 0;
};

}  // namespace liaison::evidence
