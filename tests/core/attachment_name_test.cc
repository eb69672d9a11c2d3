#include "core/attachment_name.h"

#include <gtest/gtest.h>

#include <string>

namespace liaison {
namespace {

TEST(AttachmentName, AFileNameIsNoPathNoHiddenFileAndNoControlSequence) {
  EXPECT_TRUE(is_attachment_file_name("warrant-NPCU-2026-0042.pdf"));
  EXPECT_TRUE(is_attachment_file_name(std::string(255, 'a')));
  EXPECT_FALSE(is_attachment_file_name(""));
  EXPECT_FALSE(is_attachment_file_name(std::string(256, 'a')));
  EXPECT_FALSE(is_attachment_file_name(".profile"));
  EXPECT_FALSE(is_attachment_file_name("../etc/passwd"));
  EXPECT_FALSE(is_attachment_file_name("a\\b"));
  EXPECT_FALSE(is_attachment_file_name("report\x1b[2J.pdf"));
  EXPECT_FALSE(is_attachment_file_name(std::string("a\0b", 3)));
  EXPECT_FALSE(is_attachment_file_name("a\x7f"));
}

TEST(AttachmentName, AMediaTypeIsTypeSlashSubtype) {
  EXPECT_TRUE(is_media_type("application/pdf"));
  EXPECT_TRUE(is_media_type("application/vnd.ms-excel"));
  EXPECT_TRUE(is_media_type("image/svg+xml"));
  EXPECT_FALSE(is_media_type("pdf"));
  EXPECT_FALSE(is_media_type("/pdf"));
  EXPECT_FALSE(is_media_type("application/"));
  EXPECT_FALSE(is_media_type("text/plain; charset=utf-8"));
  EXPECT_FALSE(is_media_type("application/" + std::string(120, 'x')));
}

}  // namespace
}  // namespace liaison
