// Evidence packages through the hub's API, against a real hub: resumable
// uploads, the hub's checks of what a package claims, downloads by range, the
// chain of custody and who may see and do what.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/api_helpers.h"
#include "evidence/package.h"
#include "support/demo_evidence.h"
#include "trust/certificate.h"

namespace liaison::apitest {
namespace {

namespace fs = std::filesystem;

class Evidence : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { hub_ = std::make_unique<HubProcess>(); }
  static void TearDownTestSuite() { hub_.reset(); }

  HubProcess& hub() { return *hub_; }
  HubClient as(const std::string& who) { return HubClient(hub_->base_url(), hub_->token(who)); }

  json accepted() {
    json r = create_request(hub(), as("officer"));
    submit_signed(hub(), r);
    act_ok(as("analyst"), r, "acknowledge");
    return act_ok(as("analyst"), r, "accept");
  }

  fs::path sealed(const json& r, const std::string& name,
                  std::vector<trust::Certificate> recipients = {}) {
    fs::path file = hub().data_dir() / (name + ".liaison");
    testing::seal_as_analyst(hub(), r, file,
                             {{"subscriber.csv", "account,created\nsuspect@example.org,2025\n"},
                              {"mail/inbox.mbox", std::string(5000, 'm')}},
                             std::move(recipients));
    return file;
  }

  json start(const json& r, std::uint64_t size) {
    auto s = as("analyst").send("POST", request_path(r) + "/packages/uploads",
                                json{{"size", size}}.dump());
    EXPECT_EQ(s.status, 201) << s.body;
    return body_of(s);
  }

  ClientResponse put(const json& r, const json& upload, const fs::path& file, std::uint64_t at,
                     std::uint64_t len, std::uint64_t total) {
    http::Headers h;
    h.set("Content-Range", "bytes " + std::to_string(at) + "-" + std::to_string(at + len - 1) +
                               "/" + std::to_string(total));
    return as("analyst").upload_range(
        "PUT", request_path(r) + "/packages/uploads/" + upload["id"].get<std::string>(),
        file.string(), at, len, "application/octet-stream", h);
  }

  static std::vector<std::string> kinds(const json& package) {
    std::vector<std::string> out;
    for (const auto& e : package["custody"]) out.push_back(e["kind"]);
    return out;
  }

  static std::unique_ptr<HubProcess> hub_;
};
std::unique_ptr<HubProcess> Evidence::hub_;

TEST_F(Evidence, AnUploadResumesWhereTheHubsBytesEndAndTheCompletePackageIsRegistered) {
  json r = accepted();
  fs::path file = sealed(r, "resumed");
  const std::uint64_t size = fs::file_size(file);
  json upload = start(r, size);
  EXPECT_EQ(upload["state"], "open");
  EXPECT_EQ(upload["received"], 0);

  auto first = put(r, upload, file, 0, 1000, size);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(body_of(first)["upload"]["received"], 1000);
  // A part sent again, or one that skips ahead, is refused and changes nothing.
  EXPECT_TRUE(IsProblem(put(r, upload, file, 0, 1000, size), 409, "conflict", "Content-Range",
                        "starting at 1000"));
  EXPECT_TRUE(IsProblem(put(r, upload, file, 2000, 100, size), 409, "conflict", "Content-Range"));
  EXPECT_TRUE(IsProblem(put(r, upload, file, 1000, 100, size + 1), 422, "validation-failed",
                        "Content-Range", "announced"));
  // A client that lost track asks where to go on.
  json status = get_json(as("analyst"),
                         request_path(r) + "/packages/uploads/" + upload["id"].get<std::string>());
  EXPECT_EQ(status["received"], 1000);
  // The upload in progress is the uploader's business only.
  auto officer_view = as("officer").send(
      "GET", request_path(r) + "/packages/uploads/" + upload["id"].get<std::string>());
  EXPECT_TRUE(IsProblem(officer_view, 404, "not-found"));

  auto last = put(r, upload, file, 1000, size - 1000, size);
  ASSERT_EQ(last.status, 201) << last.body;
  json done = body_of(last);
  EXPECT_EQ(done["upload"]["state"], "completed");
  json package = done["package"];
  auto info = evidence::inspect_package(file.string());
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(package["id"], info->statement.package_id);
  EXPECT_EQ(package["statement_sha256"], info->statement_sha256);
  EXPECT_EQ(package["item_count"], 2);
  EXPECT_EQ(package["attachment"]["purpose"], "production");
  EXPECT_EQ(package["attachment"]["size"], size);
  EXPECT_EQ(kinds(package), (std::vector<std::string>{"upload_started", "upload_part",
                                                      "upload_part", "registered"}));
  const json& registered = package["custody"][3];
  EXPECT_EQ(registered["outcome"], "verified");
  EXPECT_EQ(registered["detail"]["signer"]["name"], "Ana Lindqvist");
  EXPECT_EQ(registered["detail"]["recipients"][0]["requesting_authority"], true);
  EXPECT_EQ(package["custody"][1]["first_byte"], 0);
  EXPECT_EQ(package["custody"][1]["last_byte"], 999);
  EXPECT_FALSE(package["custody"][1]["token_id"].is_null());
  // Each step names its custodian, as a court reads it.
  json analyst = get_json(as("analyst"), "/api/v1/me");
  EXPECT_EQ(package["custody"][1]["user_id"], analyst["id"]);
  EXPECT_EQ(package["custody"][1]["user_name"], analyst["name"]);

  // The stored bytes are the provider's, byte for byte.
  std::string got = (hub().data_dir() / "resumed.download").string();
  auto dl = as("officer").download(package["content"].get<std::string>(), got);
  ASSERT_EQ(dl.status, 200);
  std::ifstream a(file, std::ios::binary), b(got, std::ios::binary);
  std::stringstream sa, sb;
  sa << a.rdbuf();
  sb << b.rdbuf();
  EXPECT_EQ(sa.str(), sb.str());

  // The same package twice is one registration.
  json again = start(r, size);
  EXPECT_TRUE(IsProblem(put(r, again, file, 0, size, size), 409, "conflict", "package_id"));
  EXPECT_EQ(get_json(as("officer"), request_path(r) + "/packages")["items"].size(), 1u);
}

TEST_F(Evidence, APackageForAnotherRequestIsRefusedAndTheRefusalIsInTheRecord) {
  json mine = accepted();
  json other = accepted();
  fs::path file = sealed(other, "for-other");
  const std::uint64_t size = fs::file_size(file);
  json upload = start(mine, size);
  auto r = put(mine, upload, file, 0, size, size);
  EXPECT_TRUE(IsProblem(r, 422, "validation-failed", "package/manifest/statement/request_id",
                        other["id"].get<std::string>()));
  json status = get_json(
      as("analyst"), request_path(mine) + "/packages/uploads/" + upload["id"].get<std::string>());
  EXPECT_EQ(status["state"], "refused");
  EXPECT_TRUE(IsProblem(put(mine, upload, file, 0, size, size), 409, "conflict", "upload_id"));
  EXPECT_TRUE(get_json(as("officer"), request_path(mine) + "/packages")["items"].empty());
  // The refusal is a ledger entry of the request.
  json view = get_json(as("officer"), request_path(mine));
  bool refused = false;
  for (const auto& e : view["ledger"]) {
    refused =
        refused || e["entry"].get<std::string>().find("evidence.refused") != std::string::npos;
  }
  EXPECT_TRUE(refused);
}

TEST_F(Evidence, APackageNotSealedForTheRequestingAuthorityIsRefused) {
  json r = accepted();
  std::ifstream in(hub().demo()["recipients"]["prosecutor"]["certificate_file"].get<std::string>());
  auto prosecutor = trust::certificate_from_json(json::parse(in));
  ASSERT_TRUE(prosecutor.ok());
  fs::path file = sealed(r, "for-prosecutor", {prosecutor.value()});
  auto done = testing::upload_package(hub(), r["id"], file);
  EXPECT_TRUE(IsProblem(done, 422, "validation-failed", "package/manifest/statement/recipients",
                        "Northport Police"));
}

TEST_F(Evidence, APackageSignedByAnotherProviderIsRefused) {
  json r = accepted();
  // Another provider in the same country, certified by the same root, whose
  // analyst signs a package for a request that is not addressed to it.
  HubClient admin(hub().base_url(), hub().admin_token());
  auto created = admin.send("POST", "/api/v1/organisations",
                            json{{"kind", "provider"},
                                 {"name", "Other Mail Ltd"},
                                 {"country", "IE"},
                                 {"endpoint_uid", "OTHERMAIL"}}
                                .dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const trust::SecretKey& root_key = testing::demo_key(hub(), "demo-root-IE");
  Timestamp now = Timestamp::from_seconds(SystemClock().now().seconds());
  trust::SecretKey org_key = trust::SecretKey::generate();
  trust::Certificate org;
  org.kind = trust::CertKind::kOrganisation;
  org.subject_name = "Other Mail Ltd";
  org.public_key = org_key.public_key();
  org.organisation = trust::OrgRef{"IE", "OTHERMAIL", "Other Mail Ltd", OrgKind::kProvider};
  org.country = "IE";
  org.not_before = Timestamp::from_seconds(now.seconds() - 3600);
  org.not_after = Timestamp::from_seconds(now.seconds() + 86400);
  auto org_cert =
      trust::issue_certificate(org, root_key, "National 24/7 Point of Contact IE (demo)");
  ASSERT_TRUE(org_cert.ok()) << org_cert.error().message;
  ASSERT_EQ(
      admin.send("POST", "/api/v1/trust/certificates", trust::to_json(*org_cert).dump()).status,
      201);
  trust::SecretKey user_key = trust::SecretKey::generate();
  trust::Certificate user = org;
  user.kind = trust::CertKind::kUser;
  user.subject_name = "Otto Other";
  user.subject_email = "otto@other.example.org";
  user.public_key = user_key.public_key();
  user.roles.add(Role::kAnalyst);
  auto user_cert = trust::issue_certificate(user, org_key, "Other Mail Ltd");
  ASSERT_TRUE(user_cert.ok()) << user_cert.error().message;
  ASSERT_EQ(
      admin.send("POST", "/api/v1/trust/certificates", trust::to_json(*user_cert).dump()).status,
      201);

  fs::path file = hub().data_dir() / "other-provider.liaison";
  auto info = testing::seal_files(file, {{"data.csv", "a,b\n"}}, r["id"], r["reference"],
                                  {testing::police_recipient(hub())}, user_key,
                                  {*user_cert, *org_cert}, now);
  ASSERT_TRUE(info.ok()) << info.error().message;
  auto done = testing::upload_package(hub(), r["id"], file);
  EXPECT_TRUE(IsProblem(done, 422, "validation-failed", "package/manifest/signature",
                        "not for Example Mail Ltd"));
}

TEST_F(Evidence, AnAlteredPackageIsRefusedNamingWhereItWasAltered) {
  json r = accepted();
  fs::path file = sealed(r, "altered");
  auto info = evidence::inspect_package(file.string());
  ASSERT_TRUE(info.ok());
  {
    // One byte of the statement line: the signature no longer holds.
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(f)), {});
    auto at = text.find("\"reference\":\"") + 14;
    f.seekp(static_cast<std::streamoff>(at));
    f.put(text[at] == 'N' ? 'M' : 'N');
  }
  auto done = testing::upload_package(hub(), r["id"], file);
  ASSERT_EQ(done.status, 422) << done.body;
  json problem = body_of(done);
  EXPECT_EQ(problem["field"].get<std::string>().rfind("package/manifest", 0), 0u) << done.body;
}

TEST_F(Evidence, OnlyTheAddressedProvidersAnalystsUploadAndOnlyThePartiesSeePackages) {
  json r = accepted();
  for (const char* who : {"officer", "counsel", "provider_admin"}) {
    auto refused = as(who).send("POST", request_path(r) + "/packages/uploads", R"({"size":10})");
    EXPECT_TRUE(IsProblem(refused, 403, "forbidden")) << who;
  }
  EXPECT_TRUE(
      IsProblem(as("analyst").send("POST", request_path(r) + "/packages/uploads", R"({"size":0})"),
                422, "validation-failed", "size"));
  json package = testing::produce_package(hub(), r);
  ASSERT_TRUE(package.is_object());
  const std::string path = request_path(r) + "/packages/" + package["id"].get<std::string>();
  EXPECT_EQ(get_json(as("officer"), path)["id"], package["id"]);
  EXPECT_EQ(get_json(as("counsel"), path)["id"], package["id"]);
  EXPECT_TRUE(IsProblem(as("prosecutor").send("GET", path), 404, "not-found"));
  EXPECT_TRUE(IsProblem(HubClient(hub().base_url(), hub().admin_token()).send("GET", path), 404,
                        "not-found"));
}

TEST_F(Evidence, EveryDownloadAndVerificationIsInTheChainOfCustody) {
  json r = accepted();
  json package = testing::produce_package(hub(), r);
  ASSERT_TRUE(package.is_object());
  const std::string content = package["content"];
  const std::string path = request_path(r) + "/packages/" + package["id"].get<std::string>();
  HubClient officer = as("officer");
  auto ranged =
      officer.send("GET", content, "", "application/json", headers({{"Range", "bytes=10-19"}}));
  ASSERT_EQ(ranged.status, 206);
  EXPECT_EQ(ranged.body.size(), 10u);
  // A range that serves nothing records nothing.
  auto beyond =
      officer.send("GET", content, "", "application/json", headers({{"Range", "bytes=99999999-"}}));
  EXPECT_EQ(beyond.status, 416);
  ASSERT_EQ(officer.send("GET", content).status, 200);

  EXPECT_TRUE(IsProblem(
      officer.send("POST", path + "/verifications", R"({"result":"fine","checked":"structure"})"),
      422, "validation-failed", "result"));
  EXPECT_TRUE(IsProblem(officer.send("POST", path + "/verifications",
                                     json{{"result", "verified"},
                                          {"checked", "contents"},
                                          {"statement_sha256", std::string(64, '0')}}
                                         .dump()),
                        422, "validation-failed", "statement_sha256", "another package"));
  EXPECT_TRUE(IsProblem(officer.send("POST", path + "/verifications",
                                     R"({"result":"verified","checked":"contents","x":1})"),
                        422, "validation-failed", "x"));
  auto reported = officer.send("POST", path + "/verifications",
                               json{{"result", "verified"},
                                    {"checked", "contents"},
                                    {"statement_sha256", package["statement_sha256"]},
                                    {"detail", "opened by the evidence unit"}}
                                   .dump());
  ASSERT_EQ(reported.status, 201) << reported.body;

  json now = get_json(as("analyst"), path);
  auto k = kinds(now);
  ASSERT_EQ(k.size(), 6u) << now.dump();
  EXPECT_EQ(k[3], "download");
  EXPECT_EQ(now["custody"][3]["first_byte"], 10);
  EXPECT_EQ(now["custody"][3]["last_byte"], 19);
  EXPECT_EQ(now["custody"][3]["user_id"], hub().user_id("officer"));
  EXPECT_FALSE(now["custody"][3]["token_id"].is_null());
  EXPECT_EQ(k[4], "download");
  EXPECT_EQ(now["custody"][4]["first_byte"], 0);
  EXPECT_EQ(k[5], "verification");
  EXPECT_EQ(now["custody"][5]["outcome"], "verified");
  EXPECT_EQ(now["custody"][5]["detail"]["detail"], "opened by the evidence unit");
}

}  // namespace
}  // namespace liaison::apitest
