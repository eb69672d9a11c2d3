#include "store/hub_secret_key.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "store/file_io.h"

namespace liaison {

namespace {

using store_io::Fd;
using store_io::fsync_dir;
using store_io::io_error;

constexpr std::size_t kKeyBytes = 32;

Result<std::string> read_key(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.ok()) return io_error("cannot open " + path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("cannot stat " + path);
  if (!S_ISREG(st.st_mode)) return Error::make(ErrorCode::kUnavailable, path + " is not a file");
  if ((st.st_mode & 077) != 0) {
    return Error::make(ErrorCode::kUnavailable,
                       path + " may be read by others than its owner; chmod 600 it");
  }
  if (static_cast<std::size_t>(st.st_size) != kKeyBytes) {
    return Error::make(ErrorCode::kUnavailable,
                       path + " is not a " + std::to_string(kKeyBytes) + "-byte key");
  }
  std::string key(kKeyBytes, '\0');
  if (::read(fd.get(), key.data(), key.size()) != static_cast<ssize_t>(key.size()))
    return io_error("cannot read " + path);
  return key;
}

// rename(2) that fails rather than replace an existing file.
int rename_no_replace(const char* from, const char* to) {
  if (::renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return -1;
  // A file system without RENAME_NOREPLACE: link(2) never replaces either.
  if (::link(from, to) != 0) return -1;
  ::unlink(from);
  return 0;
}

}  // namespace

Result<std::string> load_or_create_hub_secret_key(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return read_key(path);

  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error::make(ErrorCode::kUnavailable, "cannot create " + dir + ": " + ec.message());
  ::chmod(dir.c_str(), 0700);

  if (sodium_init() < 0) return Error::internal("libsodium cannot be initialised");
  std::string key(kKeyBytes, '\0');
  randombytes_buf(key.data(), key.size());
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd.ok()) return io_error("cannot create " + tmp);
    bool written = ::write(fd.get(), key.data(), key.size()) == static_cast<ssize_t>(key.size()) &&
                   ::fsync(fd.get()) == 0;
    if (!written) {
      Error e = io_error("cannot write " + tmp);
      ::unlink(tmp.c_str());
      return e;
    }
  }
  sodium_memzero(key.data(), key.size());
  if (rename_no_replace(tmp.c_str(), path.c_str()) != 0) {
    bool lost_race = errno == EEXIST;
    Error e = io_error("cannot move " + tmp + " to " + path);
    ::unlink(tmp.c_str());
    // Another process created the key first: use theirs.
    if (lost_race) return read_key(path);
    return e;
  }
  LIAISON_TRY(fsync_dir(dir));
  return read_key(path);
}

}  // namespace liaison
