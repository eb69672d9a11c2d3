#include "store/blob_store.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "store/file_io.h"

namespace liaison {

namespace fs = std::filesystem;

namespace {

using store_io::Fd;
using store_io::fsync_dir;
using store_io::io_error;

std::string to_hex(const unsigned char* p, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 0x0f];
  }
  return out;
}

// Blob names come from clients (download URLs, attachment records), so only
// a real digest may become part of a path: anything else could climb out of
// the store with "../".
bool is_sha256_hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

struct EvpDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

// Reads `in` to the end, hashing it; when `out` is valid also copies it there.
Result<BlobInfo> hash_stream(int in, int out) {
  std::unique_ptr<EVP_MD_CTX, EvpDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    return Error::internal("SHA-256 init failed");
  std::array<char, 1 << 16> buf;
  BlobInfo info;
  for (;;) {
    ssize_t n = ::read(in, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot read blob source");
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(n));
    info.size += static_cast<std::uint64_t>(n);
    for (ssize_t off = 0; out >= 0 && off < n;) {
      ssize_t w = ::write(out, buf.data() + off, static_cast<std::size_t>(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return io_error("cannot write blob");
      off += w;
    }
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> md;
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), md.data(), &len);
  info.sha256 = to_hex(md.data(), len);
  return info;
}

}  // namespace

Result<BlobInfo> hash_file(const std::string& path) {
  Fd in(::open(path.c_str(), O_RDONLY));
  if (!in.ok()) return io_error("cannot open " + path);
  return hash_stream(in.get(), -1);
}

BlobStore::BlobStore(std::string root) : root_(std::move(root)), temp_dir_(root_ + "/tmp") {}

Result<BlobStore> BlobStore::open(const std::string& root) {
  std::error_code ec;
  fs::create_directories(root + "/tmp", ec);
  if (ec)
    return Error::make(ErrorCode::kUnavailable,
                       "cannot create blob directory " + root + ": " + ec.message());
  return BlobStore(root);
}

std::string BlobStore::path_of(const std::string& sha256) const {
  return root_ + "/" + sha256.substr(0, 2) + "/" + sha256;
}

bool BlobStore::exists(const std::string& sha256) const {
  struct stat st {};
  return is_sha256_hex(sha256) && ::stat(path_of(sha256).c_str(), &st) == 0;
}

std::string BlobStore::new_temp_path() const {
  std::array<unsigned char, 12> rnd;
  randombytes_buf(rnd.data(), rnd.size());
  return temp_dir_ + "/upload-" + to_hex(rnd.data(), rnd.size());
}

std::string BlobStore::partial_path(const std::string& id) const {
  return temp_dir_ + "/upload-" + id + ".part";
}

Status BlobStore::append_part(const std::string& id, std::uint64_t at, const std::string& part_path,
                              std::uint64_t part_bytes) const {
  Fd in(::open(part_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.ok()) return io_error("cannot read the uploaded part");
  struct stat st {};
  if (::fstat(in.get(), &st) != 0) return io_error("cannot read the uploaded part");
  if (static_cast<std::uint64_t>(st.st_size) != part_bytes) {
    return Error::invalid("Content-Range", "the range names " + std::to_string(part_bytes) +
                                               " bytes but the body has " +
                                               std::to_string(st.st_size));
  }
  const std::string target = partial_path(id);
  Fd out(::open(target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  if (!out.ok()) return io_error("cannot open the partial upload");
  if (::ftruncate(out.get(), static_cast<off_t>(at)) != 0) {
    return io_error("cannot trim the partial upload");
  }
  // In the kernel where it can (no copy through user space), by reads and
  // writes where the file system cannot.
  auto out_off = static_cast<off_t>(at);
  std::uint64_t left = part_bytes;
  bool kernel_copy = true;
  std::string buffer;
  while (left > 0) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, 1u << 30));
    ssize_t n = -1;
    if (kernel_copy) {
      n = ::copy_file_range(in.get(), nullptr, out.get(), &out_off, want, 0);
      if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)) {
        kernel_copy = false;
        continue;
      }
    } else {
      buffer.resize(std::min<std::size_t>(want, 1u << 20));
      n = ::read(in.get(), buffer.data(), buffer.size());
      for (ssize_t done = 0; n > 0 && done < n;) {
        ssize_t w =
            ::pwrite(out.get(), buffer.data() + done, static_cast<std::size_t>(n - done), out_off);
        if (w < 0 && errno != EINTR) return io_error("cannot write the partial upload");
        if (w > 0) {
          done += w;
          out_off += w;
        }
      }
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("cannot copy the uploaded part");
    }
    if (n == 0) return Error::internal("the uploaded part ended early");
    left -= static_cast<std::uint64_t>(n);
  }
  if (::fdatasync(out.get()) != 0) return io_error("cannot make the partial upload durable");
  return Ok{};
}

Result<BlobInfo> BlobStore::adopt(const std::string& temp_path) {
  Result<BlobInfo> info = [&]() -> Result<BlobInfo> {
    Fd in(::open(temp_path.c_str(), O_RDWR));
    if (!in.ok()) return io_error("cannot open upload " + temp_path);
    LIAISON_ASSIGN_OR_RETURN(BlobInfo i, hash_stream(in.get(), -1));
    if (::fsync(in.get()) != 0) return io_error("cannot sync upload");
    return i;
  }();
  if (!info.ok()) {
    ::unlink(temp_path.c_str());
    return info;
  }
  std::string dest = path_of(info->sha256);
  std::string dir = root_ + "/" + info->sha256.substr(0, 2);
  if (exists(info->sha256)) {
    // Same content already stored: the bytes are identical by construction.
    ::unlink(temp_path.c_str());
    return info;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error::make(ErrorCode::kUnavailable, "cannot create " + dir + ": " + ec.message());
  if (::rename(temp_path.c_str(), dest.c_str()) != 0) {
    ::unlink(temp_path.c_str());
    return io_error("cannot move blob into place");
  }
  LIAISON_TRY(fsync_dir(dir));
  LIAISON_TRY(fsync_dir(root_));
  return info;
}

Result<BlobInfo> BlobStore::put_file(const std::string& source_path) {
  std::string tmp = new_temp_path();
  {
    Fd in(::open(source_path.c_str(), O_RDONLY));
    if (!in.ok()) return io_error("cannot open " + source_path);
    Fd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600));
    if (!out.ok()) return io_error("cannot create " + tmp);
    auto copied = hash_stream(in.get(), out.get());
    if (!copied.ok()) {
      ::unlink(tmp.c_str());
      return copied;
    }
  }
  return adopt(tmp);
}

Result<BlobInfo> BlobStore::put_bytes(std::string_view bytes) {
  std::string tmp = new_temp_path();
  {
    Fd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600));
    if (!out.ok()) return io_error("cannot create " + tmp);
    for (std::size_t off = 0; off < bytes.size();) {
      ssize_t w = ::write(out.get(), bytes.data() + off, bytes.size() - off);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        ::unlink(tmp.c_str());
        return io_error("cannot write blob");
      }
      off += static_cast<std::size_t>(w);
    }
  }
  return adopt(tmp);
}

}  // namespace liaison
