// `liaison evidence` as a user runs it: a separate process, a real hub for
// upload and download, and one readable line with a meaningful exit code for
// everything that is refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/hub_client.h"
#include "support/demo_evidence.h"
#include "support/hub_process.h"

namespace liaison {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::HubProcess;
using testing::ProcessResult;
using testing::run_liaison;

class EvidenceCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { hub_ = new HubProcess(); }
  static void TearDownTestSuite() {
    delete hub_;
    hub_ = nullptr;
  }

  static std::vector<std::string> env(const std::string& user) {
    return {"LIAISON_HUB=" + hub_->base_url(), "LIAISON_TOKEN=" + hub_->token(user),
            "LIAISON_KEY_PASSPHRASE=" + hub_->demo()["key_passphrase"].get<std::string>()};
  }
  static ProcessResult as(const std::string& user, const std::vector<std::string>& args) {
    return run_liaison(args, env(user));
  }
  static std::string key(const std::string& name) {
    return (hub_->data_dir() / "keys" / (name + ".key")).string();
  }
  static fs::path dir() { return hub_->data_dir().parent_path(); }

  // An accepted request, as the analyst sees it.
  static json accepted() {
    cli::HubClient officer(hub_->base_url(), hub_->token("officer"));
    auto created = officer.send("POST", "/api/v1/requests", hub_->example_draft().dump());
    EXPECT_EQ(created.status, 201);
    json r = json::parse(created.body);
    testing::submit_signed(*hub_, r);
    cli::HubClient analyst(hub_->base_url(), hub_->token("analyst"));
    for (const char* a : {"acknowledge", "accept"}) {
      EXPECT_EQ(analyst
                    .send("POST", "/api/v1/requests/" + r["id"].get<std::string>() + "/actions",
                          json{{"action", a}}.dump())
                    .status,
                200);
    }
    return r;
  }

  static fs::path seal(const json& r, const std::string& name) {
    fs::path out = dir() / (name + ".liaison");
    testing::seal_as_analyst(*hub_, r, out,
                             {{"a.txt", "first item\n"}, {"b/c.csv", std::string(3000, 'c')}});
    return out;
  }

  // One readable line on standard error, and nothing on standard output.
  static void expect_one_line(const ProcessResult& r, int code, const std::string& contains) {
    EXPECT_EQ(r.exit_code, code) << r.out << r.err;
    EXPECT_NE(r.err.find(contains), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }

  static HubProcess* hub_;
};
HubProcess* EvidenceCli::hub_ = nullptr;

TEST_F(EvidenceCli, SealRefusesWhatItCannotSealInOneLineAndWritesNothing) {
  json r = accepted();
  const std::string out = (dir() / "refused.liaison").string();
  std::ofstream(dir() / "input.txt") << "x";
  const std::string input = (dir() / "input.txt").string();
  // No trust store and no hub to vouch for the recipients.
  expect_one_line(run_liaison({"evidence", "seal", "--request", r["id"], "--reference", "R-1",
                               "--key", key("analyst"), "--out", out, input},
                              {"LIAISON_KEY_PASSPHRASE=x"}),
                  2, "--trust-store");
  expect_one_line(as("analyst", {"evidence", "seal", "--request", r["id"], "--key", key("analyst"),
                                 "--out", out, (dir() / "no-such-file").string()}),
                  2, "no such file");
  expect_one_line(as("analyst", {"evidence", "seal", "--request", r["id"], "--key", key("analyst"),
                                 "--out", out, "--type", "other.txt=text/plain", input}),
                  2, "no item is named other.txt");
  // A user certificate is no recipient.
  json store = json::parse(
      cli::HubClient(hub_->base_url(), hub_->token("analyst")).send("GET", "/api/v1/trust").body);
  json officer_cert;
  for (const auto& c : store["certificates"]) {
    if (c["kind"] == "user" && c["subject"]["name"] == "Olivia Brandt") officer_cert = c;
  }
  ASSERT_FALSE(officer_cert.is_null());
  std::ofstream(dir() / "officer.cert.json") << officer_cert.dump();
  auto not_recipient =
      as("analyst", {"evidence", "seal", "--request", r["id"], "--key", key("analyst"), "--to",
                     (dir() / "officer.cert.json").string(), "--out", out, input});
  EXPECT_EQ(not_recipient.exit_code, 3) << not_recipient.err;
  EXPECT_NE(not_recipient.err.find("recipient"), std::string::npos) << not_recipient.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(EvidenceCli, OpenAndVerifyNameTheRecipientsOrTheAlteredPlace) {
  json r = accepted();
  fs::path pkg = seal(r, "to-open");
  // The prosecutor's recipient key is not among the package's recipients.
  auto wrong = as("officer", {"evidence", "open", pkg.string(), "--key",
                              key("prosecutor-recipient"), "--out", (dir() / "wrong").string()});
  EXPECT_EQ(wrong.exit_code, 3) << wrong.err;
  EXPECT_NE(wrong.err.find("Evidence unit, Northport Police"), std::string::npos) << wrong.err;
  EXPECT_FALSE(fs::exists(dir() / "wrong" / "a.txt"));

  // A flipped byte in the last chunk's tag.
  fs::path altered = dir() / "altered.liaison";
  fs::copy_file(pkg, altered);
  {
    std::fstream f(altered, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(-1, std::ios::end);
    char c = 0;
    f.get(c);
    f.seekp(-1, std::ios::end);
    f.put(static_cast<char>(c ^ 1));
  }
  auto structure = as("officer", {"evidence", "verify", altered.string()});
  EXPECT_EQ(structure.exit_code, 0)
      << "without a key, the encrypted bytes are not checked: " << structure.err;
  auto contents =
      as("officer", {"evidence", "verify", altered.string(), "--key", key("police-recipient")});
  EXPECT_EQ(contents.exit_code, 3);
  EXPECT_NE(contents.out.find("FAILED: items/1/chunks/0"), std::string::npos) << contents.out;
  auto opened = as("officer", {"evidence", "open", altered.string(), "--key",
                               key("police-recipient"), "--out", (dir() / "altered-out").string()});
  EXPECT_EQ(opened.exit_code, 3);
  EXPECT_NE(opened.err.find("items/1/chunks/0"), std::string::npos) << opened.err;
  EXPECT_FALSE(fs::exists(dir() / "altered-out" / "b" / "c.csv"));

  // A flipped byte in the header is found without a key.
  fs::path header = dir() / "header.liaison";
  fs::copy_file(pkg, header);
  {
    std::fstream f(header, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(50);
    f.put('\x55');
  }
  auto h = as("officer", {"evidence", "verify", header.string()});
  EXPECT_EQ(h.exit_code, 3);
  EXPECT_NE(h.err.find("header"), std::string::npos) << h.err;
}

TEST_F(EvidenceCli, AnExhibitVerifiesAloneAndFailsWhenAltered) {
  json r = accepted();
  fs::path pkg = seal(r, "exhibits");
  const std::string exhibit = (dir() / "exhibit-c").string();
  auto unknown = as("officer", {"evidence", "exhibit", pkg.string(), "nope.txt", "--key",
                                key("police-recipient"), "--out", exhibit});
  EXPECT_EQ(unknown.exit_code, 4) << unknown.err;
  auto made = as("officer", {"evidence", "exhibit", pkg.string(), "b/c.csv", "--key",
                             key("police-recipient"), "--out", exhibit});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  auto ok = run_liaison({"evidence", "verify-exhibit", exhibit});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("b/c.csv"), std::string::npos);
  EXPECT_EQ(ok.out.find("a.txt"), std::string::npos) << "the other item stays undisclosed";
  {
    std::fstream f(exhibit, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(-10, std::ios::end);
    f.put('d');
  }
  auto altered = run_liaison({"evidence", "verify-exhibit", exhibit});
  EXPECT_EQ(altered.exit_code, 3) << altered.err;
  EXPECT_NE(altered.err.find("exhibit/plaintext: its SHA-256"), std::string::npos) << altered.err;
}

TEST_F(EvidenceCli, UploadResumesAnInterruptedUploadAndIsIdempotent) {
  json r = accepted();
  fs::path pkg = seal(r, "resume");
  auto info = evidence::inspect_package(pkg.string());
  ASSERT_TRUE(info.ok());
  // An earlier run sent the announcement and a first part, then died.
  cli::HubClient analyst(hub_->base_url(), hub_->token("analyst"));
  const std::string base = "/api/v1/requests/" + r["id"].get<std::string>() + "/packages/uploads";
  http::Headers idem;
  idem.set("Idempotency-Key", "evidence-upload-" + info->statement_sha256);
  auto started =
      analyst.send("POST", base, json{{"size", info->file_bytes}}.dump(), "application/json", idem);
  ASSERT_EQ(started.status, 201) << started.body;
  std::string upload_id = json::parse(started.body)["id"];
  http::Headers range;
  range.set("Content-Range", "bytes 0-99/" + std::to_string(info->file_bytes));
  ASSERT_EQ(analyst
                .upload_range("PUT", base + "/" + upload_id, pkg.string(), 0, 100,
                              "application/octet-stream", range)
                .status,
            200);

  auto resumed = as("analyst", {"evidence", "upload", pkg.string(), "--json"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  json package = json::parse(resumed.out);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> parts;
  for (const auto& e : package["custody"]) {
    if (e["kind"] == "upload_part") parts.emplace_back(e["first_byte"], e["last_byte"]);
  }
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].first, 100u) << "the second run went on where the first stopped";
  // Running it again finds the package registered.
  auto again = as("analyst", {"evidence", "upload", pkg.string()});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find(info->statement.package_id), std::string::npos) << again.out;
}

TEST_F(EvidenceCli, SealShowsProgressOnATerminal) {
  json r = accepted();
  fs::path big = dir() / "big.bin";
  {
    std::ofstream f(big, std::ios::binary);
    std::string block(1 << 20, 'x');
    for (int i = 0; i < 64; ++i) f << block;
  }
  const std::string out = (dir() / "progress.liaison").string();
  std::string command;
  for (const auto& e : env("analyst")) command += e + " ";
  command += std::string(LIAISON_BINARY) + " evidence seal --request " +
             r["id"].get<std::string>() + " --key " + key("analyst") + " --out " + out + " " +
             big.string();
  // script(1) gives the command a terminal, as a person at a shell would.
  auto shown = testing::run_process({"/usr/bin/script", "-qec", command, "/dev/null"});
  ASSERT_EQ(shown.exit_code, 0) << shown.out << shown.err;
  EXPECT_NE(shown.out.find("sealing ["), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("100%"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("/s"), std::string::npos) << shown.out;
}

}  // namespace
}  // namespace liaison
