// A content-addressed store for attachment bytes, on the local file system.
//
// Blobs are named by the SHA-256 of their content. Every blob is written to a
// temporary file, fsync'd, renamed into place and its directory fsync'd, so a
// blob that put() reported is on disk whole, and a crash leaves at most a
// stray temporary file. The database holds only metadata.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"

namespace liaison {

struct BlobInfo {
  std::string sha256;  // lower-case hex
  std::uint64_t size = 0;
};

// The SHA-256 and size of a file, read once as a stream; used to check a
// download against the hash the hub recorded.
Result<BlobInfo> hash_file(const std::string& path);

class BlobStore {
 public:
  // Creates root/ and root/tmp/ if missing.
  static Result<BlobStore> open(const std::string& root);

  // Moves a file that lives in temp_dir() into the store, hashing it as it is
  // read once. The source file is consumed (renamed or removed).
  Result<BlobInfo> adopt(const std::string& temp_path);
  // Streams bytes from a file anywhere into the store (copying it).
  Result<BlobInfo> put_file(const std::string& source_path);
  // Stores a small in-memory value.
  Result<BlobInfo> put_bytes(std::string_view bytes);

  // False for anything that is not 64 lower-case hex digits.
  bool exists(const std::string& sha256) const;
  // Only meaningful for a digest that exists() accepts; it does not check.
  std::string path_of(const std::string& sha256) const;
  // Where callers stream uploads before adopt(); same file system as the store.
  const std::string& temp_dir() const { return temp_dir_; }
  // A fresh, unique temporary path inside temp_dir().
  std::string new_temp_path() const;

  // Resumable uploads: the bytes received so far of upload `id`, in a
  // partial file of temp_dir() that adopt() can take once it is complete.
  std::string partial_path(const std::string& id) const;
  // Writes the whole of `part_path` (which must hold exactly `part_bytes`;
  // refused naming "Content-Range" otherwise) at offset `at` of the partial
  // file, dropping whatever it held from there on (bytes of a part that was
  // never acknowledged), and makes it durable before returning.
  Status append_part(const std::string& id, std::uint64_t at, const std::string& part_path,
                     std::uint64_t part_bytes) const;

 private:
  explicit BlobStore(std::string root);
  std::string root_;
  std::string temp_dir_;
};

}  // namespace liaison
