#include "evidence/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "trust/json_fields.h"

namespace liaison::evidence {

namespace {
constexpr std::size_t kLineBufferBytes = std::size_t{64} << 10;
}

Error io_error(const std::string& what) {
  return Error::make(ErrorCode::kUnavailable, what + ": " + std::strerror(errno));
}

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

Result<Fd> open_for_reading(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.ok()) return io_error("cannot open " + path);
  return fd;
}

Result<std::uint64_t> file_size(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return io_error("cannot stat " + path);
  if (!S_ISREG(st.st_mode)) {
    return trust::fields::bad("file", path + " is not a regular file");
  }
  return static_cast<std::uint64_t>(st.st_size);
}

Result<std::size_t> read_at(int fd, void* buf, std::size_t size, std::uint64_t offset,
                            const std::string& path) {
  std::size_t done = 0;
  auto* p = static_cast<char*>(buf);
  while (done < size) {
    ssize_t n = ::pread(fd, p + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("cannot read " + path);
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

Status write_at(int fd, const void* buf, std::size_t size, std::uint64_t offset,
                const std::string& path) {
  std::size_t done = 0;
  const auto* p = static_cast<const char*>(buf);
  while (done < size) {
    ssize_t n = ::pwrite(fd, p + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("cannot write " + path);
    }
    done += static_cast<std::size_t>(n);
  }
  return Ok{};
}

Result<NewFile> NewFile::create(const std::string& path) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.ok()) return io_error("cannot create " + path);
  return NewFile(std::move(fd), path);
}

NewFile::~NewFile() {
  if (!kept_ && fd_.ok()) {
    fd_ = Fd();
    ::unlink(path_.c_str());
  }
}

Status NewFile::commit() {
  if (::fsync(fd_.get()) != 0) return io_error("cannot sync " + path_);
  if (::close(fd_.release()) != 0) {
    ::unlink(path_.c_str());
    kept_ = true;  // nothing left to remove
    return io_error("cannot close " + path_);
  }
  kept_ = true;
  return sync_parent_dir(path_);
}

Status sync_parent_dir(const std::string& path) {
  std::size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  Fd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!d.ok() || ::fsync(d.get()) != 0) return io_error("cannot sync directory " + dir);
  return Ok{};
}

LineReader::LineReader(int fd, std::uint64_t offset, std::uint64_t end, std::string path)
    : fd_(fd),
      offset_(offset),
      end_(end),
      path_(std::move(path)),
      buf_(std::make_unique<char[]>(kLineBufferBytes)) {}

Status LineReader::fill() {
  std::uint64_t at = offset_ + (len_ - pos_);
  if (pos_ > 0) {
    std::memmove(buf_.get(), buf_.get() + pos_, len_ - pos_);
    len_ -= pos_;
    pos_ = 0;
  }
  std::size_t want = kLineBufferBytes - len_;
  if (at >= end_) return Ok{};
  if (end_ - at < want) want = static_cast<std::size_t>(end_ - at);
  LIAISON_ASSIGN_OR_RETURN(std::size_t n, read_at(fd_, buf_.get() + len_, want, at, path_));
  len_ += n;
  return Ok{};
}

Result<std::string> LineReader::next(std::size_t max, const std::string& field) {
  std::string line;
  std::uint64_t start = offset_;
  for (;;) {
    const char* begin = buf_.get() + pos_;
    const void* nl = std::memchr(begin, '\n', len_ - pos_);
    std::size_t take =
        nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - begin) : len_ - pos_;
    if (line.size() + take > max) {
      return trust::fields::bad(field, "the line at byte " + std::to_string(start) +
                                           " is longer than the limit of " + std::to_string(max) +
                                           " bytes");
    }
    line.append(begin, take);
    if (nl) {
      pos_ += take + 1;
      offset_ += take + 1;
      return line;
    }
    pos_ += take;
    offset_ += take;
    std::size_t before = len_ - pos_;
    LIAISON_TRY(fill());
    if (len_ - pos_ == before) {
      return trust::fields::bad(
          field, "truncated: the file ends at byte " + std::to_string(offset_) +
                     " inside the line that begins at byte " + std::to_string(start));
    }
  }
}

}  // namespace liaison::evidence
