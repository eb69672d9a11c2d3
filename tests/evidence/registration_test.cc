// Registrations: the hub's receipt appended to a package.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "evidence/package.h"
#include "evidence_fixture.h"
#include "trust/canonical_json.h"

namespace liaison::evidence {
namespace {

using testing::field_of;
using ::testing::HasSubstr;
using testing::pki;
using testing::read_file;
using testing::receipt_for;
using testing::Workspace;
using testing::write_file;

class Registration : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sealed = ws.seal({ws.input("a.txt", "alpha"), ws.input("b.txt", "beta")}, "p.lep");
    ASSERT_TRUE(sealed.ok());
    info = *sealed;
    path = ws.path("p.lep").string();
  }
  Workspace ws;
  PackageInfo info;
  std::string path;
};

TEST_F(Registration, ContentIsAsSpecified) {
  EXPECT_EQ(registration_content(info),
            "{\"package_id\":\"" + info.statement.package_id + "\",\"request_id\":\"" +
                info.statement.request_id + "\",\"size\":" + std::to_string(info.package_bytes) +
                ",\"statement_sha256\":\"" + info.statement_sha256 + "\"}");
}

TEST_F(Registration, AppendedAndReadBack) {
  ledger::Receipt receipt = receipt_for(registration_content(info));
  ASSERT_TRUE(append_registration(path, receipt).ok());
  auto inspected = inspect_package(path);
  ASSERT_TRUE(inspected.ok()) << inspected.error().message;
  ASSERT_TRUE(inspected->registration);
  EXPECT_EQ(inspected->registration->content, receipt.content);
  EXPECT_EQ(inspected->package_bytes, info.package_bytes);
  EXPECT_GT(inspected->file_bytes, info.package_bytes);
  std::string bytes = read_file(path);
  EXPECT_EQ(bytes.substr(info.package_bytes, 33), "liaison-evidence-registration/v1\n");
  EXPECT_TRUE(open_package(path, pki().police_unit_key, nullptr).ok());
  // Only once.
  EXPECT_EQ(field_of(append_registration(path, receipt)), "file");
}

TEST_F(Registration, AReceiptForAnotherPackageIsRefused) {
  PackageInfo other = info;
  other.statement_sha256 = std::string(64, '0');
  auto r = append_registration(path, receipt_for(registration_content(other)));
  EXPECT_EQ(field_of(r), "registration/content");
  other = info;
  other.package_bytes += 1;
  EXPECT_EQ(field_of(append_registration(path, receipt_for(registration_content(other)))),
            "registration/content");
  EXPECT_EQ(read_file(path).size(), info.package_bytes);  // nothing was appended
  // Appended by hand, the reader refuses it as well.
  std::string line =
      trust::canonical_json(ledger::to_json(receipt_for(registration_content(other)))).value();
  write_file(path, read_file(path) + "liaison-evidence-registration/v1\n" + line + "\n");
  EXPECT_EQ(field_of(inspect_package(path)), "registration/content");
}

TEST_F(Registration, OnlyTheReceiptOfARegistrationProvesOne) {
  // A valid receipt of another event committing to the same content.
  auto r = append_registration(path, receipt_for(registration_content(info), "attachment.added"));
  EXPECT_EQ(field_of(r), "registration/receipt");
  EXPECT_NE(r.error().message.find("attachment.added"), std::string::npos) << r.error().message;
  EXPECT_EQ(read_file(path).size(), info.package_bytes);
}

TEST_F(Registration, AReceiptThatDoesNotVerifyIsRefused) {
  ledger::Receipt receipt = receipt_for(registration_content(info));
  receipt.salt[0] = static_cast<char>(receipt.salt[0] ^ 1);
  auto r = append_registration(path, receipt);
  EXPECT_EQ(field_of(r), "registration/receipt");
  EXPECT_EQ(read_file(path).size(), info.package_bytes);
}

TEST_F(Registration, BytesAroundTheReceiptAreRefused) {
  ASSERT_TRUE(append_registration(path, receipt_for(registration_content(info))).ok());
  std::string good = read_file(path);
  write_file(path, good + "x");
  EXPECT_EQ(field_of(inspect_package(path)), "file");
  write_file(path, good.substr(0, good.size() - 1));
  EXPECT_EQ(field_of(inspect_package(path)), "registration");
  std::string spaced = good;
  spaced.insert(info.package_bytes + 34, " ");
  write_file(path, spaced);
  auto r = inspect_package(path);
  EXPECT_EQ(field_of(r), "registration");
  EXPECT_THAT(r.error().message, HasSubstr("canonical"));
}

}  // namespace
}  // namespace liaison::evidence
