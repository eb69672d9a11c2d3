#include "store/blob_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>

#include "support/test_support.h"

namespace liaison {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr const char* kAbcSha256 =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void spit(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

// Computed here, independently of the store's own hashing code path.
std::string sha256_hex(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0x0f];
  }
  return out;
}

std::size_t count_files(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) ++n;
  }
  return n;
}

class BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = BlobStore::open((dir_.path() / "blobs").string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    blobs_.emplace(std::move(opened).value());
  }

  BlobStore& blobs() { return *blobs_; }
  fs::path root() const { return dir_.path() / "blobs"; }
  // Stored blobs, not counting anything left in the temporary directory.
  std::size_t stored_blobs() const { return count_files(root()) - count_files(root() / "tmp"); }

  liaison::testing::TempDir dir_;
  std::optional<BlobStore> blobs_;
};

TEST_F(BlobStoreTest, PutBytesReturnsTheKnownHashAndStoresTheBytes) {
  auto info = blobs().put_bytes("abc");
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->sha256, kAbcSha256);
  EXPECT_EQ(info->size, 3u);
  EXPECT_TRUE(blobs().exists(kAbcSha256));
  EXPECT_EQ(slurp(blobs().path_of(kAbcSha256)), "abc");
  EXPECT_EQ(count_files(blobs().temp_dir()), 0u);
}

TEST_F(BlobStoreTest, EmptyBlobHasTheHashOfNothing) {
  auto info = blobs().put_bytes("");
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(info->size, 0u);
  EXPECT_TRUE(blobs().exists(info->sha256));
}

TEST_F(BlobStoreTest, PutFileOfALargeFileMatchesAnIndependentHash) {
  // 20 MB of pseudo-random bytes: many read buffers, and no run of zeros that
  // would hide a buffer handled twice or skipped.
  std::string bytes(20 * 1024 * 1024 + 17, '\0');
  std::mt19937_64 rng(20240301);
  for (std::size_t i = 0; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t v = rng();
    std::memcpy(&bytes[i], &v, 8);
  }
  fs::path source = dir_.path() / "evidence.bin";
  spit(source, bytes);

  auto info = blobs().put_file(source.string());
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->sha256, sha256_hex(bytes));
  EXPECT_EQ(info->size, bytes.size());
  EXPECT_EQ(slurp(blobs().path_of(info->sha256)), bytes);
  // put_file copies; the caller's file stays where it was.
  EXPECT_TRUE(fs::exists(source));
  EXPECT_EQ(count_files(blobs().temp_dir()), 0u);
}

TEST_F(BlobStoreTest, AdoptConsumesTheTemporaryFile) {
  std::string tmp = blobs().new_temp_path();
  EXPECT_EQ(fs::path(tmp).parent_path(), fs::path(blobs().temp_dir()));
  spit(tmp, "uploaded evidence");
  auto info = blobs().adopt(tmp);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->sha256, sha256_hex("uploaded evidence"));
  EXPECT_FALSE(fs::exists(tmp));
  EXPECT_EQ(slurp(blobs().path_of(info->sha256)), "uploaded evidence");
  EXPECT_EQ(count_files(blobs().temp_dir()), 0u);
}

TEST_F(BlobStoreTest, AdoptOfContentAlreadyStoredStillConsumesTheTemporaryFile) {
  ASSERT_TRUE(blobs().put_bytes("same").ok());
  std::string tmp = blobs().new_temp_path();
  spit(tmp, "same");
  auto info = blobs().adopt(tmp);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_FALSE(fs::exists(tmp));
  EXPECT_EQ(stored_blobs(), 1u);
}

TEST_F(BlobStoreTest, TemporaryPathsAreUnique) {
  EXPECT_NE(blobs().new_temp_path(), blobs().new_temp_path());
}

TEST_F(BlobStoreTest, IdenticalContentIsStoredOnce) {
  auto first = blobs().put_bytes("duplicate evidence");
  ASSERT_TRUE(first.ok()) << first.error().message;
  fs::path source = dir_.path() / "copy.txt";
  spit(source, "duplicate evidence");
  auto second = blobs().put_file(source.string());
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(first->sha256, second->sha256);
  EXPECT_EQ(stored_blobs(), 1u);
  EXPECT_EQ(count_files(blobs().temp_dir()), 0u);

  ASSERT_TRUE(blobs().put_bytes("different evidence").ok());
  EXPECT_EQ(stored_blobs(), 2u);
}

TEST_F(BlobStoreTest, BlobsSurviveReopening) {
  auto info = blobs().put_bytes("abc");
  ASSERT_TRUE(info.ok()) << info.error().message;
  auto again = BlobStore::open(root().string());
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->exists(kAbcSha256));
}

TEST_F(BlobStoreTest, PutFileOfAMissingPathIsUnavailableAndNamesThePath) {
  std::string missing = (dir_.path() / "no-such-file.bin").string();
  auto info = blobs().put_file(missing);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(info.error().message, HasSubstr(missing));
  EXPECT_EQ(count_files(blobs().temp_dir()), 0u);
}

TEST_F(BlobStoreTest, AdoptOfAMissingFileFails) {
  auto info = blobs().adopt(blobs().new_temp_path());
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::kUnavailable);
}

TEST_F(BlobStoreTest, ExistsIsFalseForGarbage) {
  ASSERT_TRUE(blobs().put_bytes("abc").ok());
  EXPECT_FALSE(blobs().exists(""));
  EXPECT_FALSE(blobs().exists("abc"));
  EXPECT_FALSE(blobs().exists("ba"));
  EXPECT_FALSE(blobs().exists(std::string(64, 'z')));
  EXPECT_FALSE(blobs().exists(std::string(kAbcSha256) + "00"));
  EXPECT_FALSE(blobs().exists(std::string(kAbcSha256).substr(0, 63)));
  EXPECT_FALSE(blobs().exists(std::string(64, '0')));
}

TEST_F(BlobStoreTest, ExistsDoesNotFollowPathsOutOfTheStore) {
  // A 64-character "hash" made of path segments must not reach a file beside
  // the store: callers take a client-supplied hash to exists()/path_of().
  spit(dir_.path() / "outside", "not a blob");
  std::string sneaky = "./../";
  while (sneaky.size() + std::string("outside").size() < 64) sneaky += "/";
  sneaky += "outside";
  ASSERT_EQ(sneaky.size(), 64u);
  // path_of() is root/<first two chars>/<hash>, so this is
  // root/.//./..////...//outside: the file beside root.
  ASSERT_TRUE(fs::exists(blobs().path_of(sneaky)))
      << "the probe no longer points at the file beside the store: " << blobs().path_of(sneaky);
  EXPECT_FALSE(blobs().exists(sneaky));
}

}  // namespace
}  // namespace liaison

namespace liaison {
namespace {

namespace fs = std::filesystem;

std::string contents_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class PartialUploadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = BlobStore::open((dir_.path() / "blobs").string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    blobs_.emplace(std::move(opened).value());
  }
  std::string part(const std::string& bytes) {
    std::string p = blobs_->new_temp_path();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }

  liaison::testing::TempDir dir_;
  std::optional<BlobStore> blobs_;
};

TEST_F(PartialUploadTest, PartsAppendWhereTheAcknowledgedBytesEnd) {
  ASSERT_TRUE(blobs_->append_part("u1", 0, part("hello "), 6).ok());
  ASSERT_TRUE(blobs_->append_part("u1", 6, part("world"), 5).ok());
  EXPECT_EQ(contents_of(blobs_->partial_path("u1")), "hello world");
  // A part whose acknowledgement was lost is sent again: what lay beyond its
  // offset is dropped, not kept after it.
  ASSERT_TRUE(blobs_->append_part("u1", 6, part("you"), 3).ok());
  EXPECT_EQ(contents_of(blobs_->partial_path("u1")), "hello you");
  // The completed partial file is adopted like any upload.
  auto blob = blobs_->adopt(blobs_->partial_path("u1"));
  ASSERT_TRUE(blob.ok()) << blob.error().message;
  EXPECT_EQ(blob->size, 9u);
  EXPECT_FALSE(fs::exists(blobs_->partial_path("u1")));
}

TEST_F(PartialUploadTest, APartOfAnotherLengthThanItsRangeChangesNothing) {
  ASSERT_TRUE(blobs_->append_part("u2", 0, part("abc"), 3).ok());
  Status s = blobs_->append_part("u2", 3, part("defg"), 3);
  ASSERT_FALSE(s.ok());
  ASSERT_EQ(s.error().issues.size(), 1u);
  EXPECT_EQ(s.error().issues[0].field, "Content-Range");
  EXPECT_EQ(contents_of(blobs_->partial_path("u2")), "abc");
}

}  // namespace
}  // namespace liaison
