#include "store/hub_secret_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "support/test_support.h"

namespace liaison {
namespace {

TEST(HubSecretKeyTest, CreatedOnceOwnerOnlyAndReadBackTheSame) {
  testing::TempDir dir;
  std::string path = (dir.path() / "keys" / "hub-secrets.key").string();
  auto first = load_or_create_hub_secret_key(path);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->size(), 32u);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((dir.path() / "keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  auto again = load_or_create_hub_secret_key(path);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, *first);
  // Nothing left behind from writing it.
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path() / "keys")) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST(HubSecretKeyTest, AKeyOthersMayReadIsRefused) {
  testing::TempDir dir;
  std::string path = (dir.path() / "hub-secrets.key").string();
  ASSERT_TRUE(load_or_create_hub_secret_key(path).ok());
  ::chmod(path.c_str(), 0644);
  auto r = load_or_create_hub_secret_key(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("chmod 600"), std::string::npos);
}

TEST(HubSecretKeyTest, AKeyOfTheWrongSizeIsRefusedNotReplaced) {
  testing::TempDir dir;
  std::string path = (dir.path() / "hub-secrets.key").string();
  {
    std::ofstream out(path);
    out << "short";
  }
  ::chmod(path.c_str(), 0600);
  auto r = load_or_create_hub_secret_key(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("32-byte"), std::string::npos);
  EXPECT_EQ(std::filesystem::file_size(path), 5u);
}

}  // namespace
}  // namespace liaison
