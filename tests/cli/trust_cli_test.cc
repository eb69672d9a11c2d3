// `liaison trust` as the people in a chain of trust run it, each with their
// own files: a central authority makes a root, an organisation's admin
// certifies an officer, and the officer signs, against a real hub.
#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "core/time.h"
#include "service/environment.h"
#include "support/hub_process.h"
#include "trust/key_file.h"
#include "trust/keys.h"

namespace liaison {
namespace {

using nlohmann::json;
using testing::HubProcess;
using testing::ProcessResult;
using testing::run_liaison;

const std::string kPassphrase = "ferry-lantern-orchard-7";
const std::string kCountry = "BE";
const std::string kRootName = "Example Federal Computer Crime Unit (test root)";
// A prosecutor's office: it issues a European Production Order for subscriber
// data on its own (EU 2023/1543 Art. 4(1)(a)), so the chain alone decides.
const std::string kOrgName = "Example City Public Prosecutor's Office, Cybercrime Section";
const std::string kEndpoint = "EXCPPO";

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string first_line(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

class TrustCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { hub_ = new HubProcess(); }
  static void TearDownTestSuite() {
    delete hub_;
    hub_ = nullptr;
  }
  void SetUp() override { dir_ = std::make_unique<testing::TempDir>(); }

  std::string path(const std::string& name) const { return (dir_->path() / name).string(); }

  // Offline, with the passphrase in the environment as a script would set it.
  static ProcessResult offline(const std::vector<std::string>& args,
                               const std::string& passphrase = kPassphrase) {
    return run_liaison(args, {"LIAISON_KEY_PASSPHRASE=" + passphrase});
  }
  static ProcessResult remote(const std::string& token, const std::vector<std::string>& args) {
    return run_liaison(args, {"LIAISON_HUB=" + hub_->base_url(), "LIAISON_TOKEN=" + token,
                              "LIAISON_KEY_PASSPHRASE=" + kPassphrase});
  }
  static json remote_json(const std::string& token, std::vector<std::string> args) {
    args.push_back("--json");
    auto r = remote(token, args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }
  // The hub operator's commands on its data directory.
  static json operator_json(std::vector<std::string> args) {
    args.insert(args.end(), {"--data", hub_->data_dir().string(), "--json"});
    auto r = run_liaison(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }
  static std::string token_for(const std::string& user_id,
                               const std::string& scopes = "read,write") {
    auto r = run_liaison({"token", "create", "--data", hub_->data_dir().string(), "--user", user_id,
                          "--scope", scopes});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return first_line(r.out);
  }

  // A key file sealed with libsodium's interactive limits, for the cases whose
  // point is not the key file; the whole chain below uses `trust keygen`.
  std::string fast_key(const std::string& name) {
    trust::KeyFileOptions fast{crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE, name};
    auto sealed = trust::seal_key_file(trust::SecretKey::generate(), kPassphrase, fast);
    EXPECT_TRUE(sealed.ok());
    std::string file = path(name + ".key");
    std::ofstream(file) << *sealed;
    return file;
  }
  std::string make_root(const std::string& key, const std::string& out,
                        const std::string& country = kCountry) {
    auto r = offline({"trust", "root", "create", "--key", key, "--name", kRootName, "--country",
                      country, "--out", path(out)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return path(out);
  }
  std::string certify_org(const std::string& root_key, const std::string& root_cert,
                          const std::string& org_key, const std::string& out) {
    auto r = offline({"trust", "certify-org", "--issuer-key", root_key, "--issuer-cert", root_cert,
                      "--subject-key", org_key, "--name", kOrgName, "--country", kCountry,
                      "--endpoint", kEndpoint, "--kind", "authority", "--out", path(out)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return path(out);
  }

  static HubProcess* hub_;
  std::unique_ptr<testing::TempDir> dir_;
};
HubProcess* TrustCli::hub_ = nullptr;

TEST_F(TrustCli, AChainMadeWithTheCliSignsRequestsUntilTheKeyIsRevoked) {
  // Each holder makes their own key; only public keys change hands.
  auto root_key = offline({"trust", "keygen", "--out", path("root.key"), "--label", kRootName});
  ASSERT_EQ(root_key.exit_code, 0) << root_key.err;
  EXPECT_NE(root_key.out.find("public key:"), std::string::npos) << root_key.out;
  ASSERT_EQ(offline({"trust", "keygen", "--out", path("org.key")}).exit_code, 0);
  auto officer_key = offline({"trust", "keygen", "--out", path("officer.key"), "--json"});
  ASSERT_EQ(officer_key.exit_code, 0) << officer_key.err;
  std::string officer_public = json::parse(officer_key.out)["public_key"];
  EXPECT_EQ(
      std::filesystem::status(path("officer.key")).permissions() & std::filesystem::perms::all,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  // The central authority.
  std::string root = make_root(path("root.key"), "root.cert");

  // The organisation and its people on the hub, created by its operator.
  json org =
      operator_json({"org", "create", "--kind", "authority", "--authority-type", "prosecutor",
                     "--name", kOrgName, "--country", kCountry, "--endpoint", kEndpoint});
  json officer =
      operator_json({"user", "create", "--org", org["id"], "--name", "Lena Peeters", "--email",
                     "lena.peeters@prosecution.example.org", "--roles", "officer"});
  json admin =
      operator_json({"user", "create", "--org", org["id"], "--name", "Marc Janssens", "--email",
                     "marc.janssens@prosecution.example.org", "--roles", "org_admin"});
  std::string officer_token = token_for(officer["id"]);
  std::string admin_token = token_for(admin["id"], "read,write,admin");

  // The root certifies the organisation, whose key certifies the officer's.
  auto org_cert = offline({"trust",
                           "certify-org",
                           "--issuer-key",
                           path("root.key"),
                           "--issuer-cert",
                           root,
                           "--subject-key",
                           path("org.key"),
                           "--name",
                           kOrgName,
                           "--country",
                           kCountry,
                           "--endpoint",
                           kEndpoint,
                           "--kind",
                           "authority",
                           "--emergency-contact",
                           "+32 2 555 01 00",
                           "--out",
                           path("org.cert")});
  ASSERT_EQ(org_cert.exit_code, 0) << org_cert.err;
  auto user_cert =
      offline({"trust", "certify-user", "--issuer-key", path("org.key"), "--issuer-cert",
               path("org.cert"), "--public-key", officer_public, "--name", "Lena Peeters",
               "--email", "lena.peeters@prosecution.example.org", "--roles", "officer", "--out",
               path("officer.cert")});
  ASSERT_EQ(user_cert.exit_code, 0) << user_cert.err;
  auto shown = offline({"trust", "show", path("org.cert")});
  EXPECT_NE(shown.out.find("call-back:    +3225550100"), std::string::npos) << shown.out;

  // The hub administrator accepts the root and the organisation; the
  // organisation's own admin adds its officer.
  auto imported = remote(hub_->admin_token(), {"trust", "import", root});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("Imported the root certificate of " + kRootName), std::string::npos)
      << imported.out;
  ASSERT_EQ(remote(hub_->admin_token(), {"trust", "import", path("org.cert")}).exit_code, 0);
  auto by_admin = remote(admin_token, {"trust", "import", path("officer.cert")});
  ASSERT_EQ(by_admin.exit_code, 0) << by_admin.err;

  // The officer signs and sends a request; the provider can verify it offline.
  std::string draft = (hub_->data_dir() / "demo-request.json").string();
  json first = remote_json(officer_token, {"request", "create", "--file", draft});
  auto sent = remote(officer_token,
                     {"request", "sign", first["id"], "--key", path("officer.key"), "--submit"});
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_NE(sent.out.find("Submitted"), std::string::npos) << sent.out;
  ASSERT_EQ(remote(officer_token, {"trust", "export", "--out", path("trust.json")}).exit_code, 0);
  ASSERT_EQ(remote(officer_token, {"request", "export", first["id"], "--out", path("first.json")})
                .exit_code,
            0);
  auto verified =
      offline({"request", "verify", path("first.json"), "--trust-store", path("trust.json")});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("VALID"), std::string::npos) << verified.out;
  EXPECT_NE(verified.out.find("Lena Peeters"), std::string::npos) << verified.out;

  // The officer's key is found compromised as of a moment after that first
  // request was signed; a request signed since is not to be trusted.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  std::string compromised_at = format_rfc3339(SystemClock().now().floor_seconds());
  json second = remote_json(officer_token, {"request", "create", "--file", draft});
  ASSERT_EQ(remote(officer_token, {"request", "sign", second["id"], "--key", path("officer.key")})
                .exit_code,
            0);
  auto revoked =
      offline({"trust", "revoke", "--issuer-key", path("org.key"), "--issuer-cert",
               path("org.cert"), "--certificate", path("officer.cert"), "--reason",
               "key_compromise", "--at", compromised_at, "--out", path("revocations-1.json")});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  auto published = remote(admin_token, {"trust", "import", path("revocations-1.json")});
  ASSERT_EQ(published.exit_code, 0) << published.err;

  // Signed before the revocation was published, but after the compromise:
  // quarantined on submission, and the sender is told why.
  auto submitted = remote(officer_token, {"request", "act", second["id"], "submit"});
  EXPECT_EQ(submitted.exit_code, 3) << submitted.out << submitted.err;
  EXPECT_NE(submitted.err.find("quarantined"), std::string::npos) << submitted.err;
  EXPECT_NE(submitted.err.find("key_revoked"), std::string::npos) << submitted.err;
  EXPECT_EQ(lines(submitted.err), 1) << submitted.err;

  // Signing anything new with the revoked key is refused before it is sent.
  json third = remote_json(officer_token, {"request", "create", "--file", draft});
  auto refused = remote(officer_token,
                        {"request", "sign", third["id"], "--key", path("officer.key"), "--submit"});
  EXPECT_EQ(refused.exit_code, 3) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("key_revoked"), std::string::npos) << refused.err;
  json still = remote_json(officer_token, {"request", "show", third["id"]});
  EXPECT_EQ(still["request"]["status"], "draft");

  // The first request was signed before the compromise: its signature stands.
  ASSERT_EQ(remote(officer_token, {"trust", "export", "--out", path("trust-2.json")}).exit_code, 0);
  auto still_valid =
      offline({"request", "verify", path("first.json"), "--trust-store", path("trust-2.json")});
  EXPECT_EQ(still_valid.exit_code, 0) << still_valid.out << still_valid.err;
  EXPECT_NE(still_valid.out.find("revoked later"), std::string::npos) << still_valid.out;
}

TEST_F(TrustCli, AWrongPassphraseExitsFiveInOneLineAndWritesNothing) {
  std::string key = fast_key("root");
  auto r = offline({"trust", "root", "create", "--key", key, "--name", kRootName, "--country",
                    kCountry, "--out", path("root.cert")},
                   "not-the-passphrase");
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find(key + ": does not open this key file"), std::string::npos) << r.err;
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_FALSE(std::filesystem::exists(path("root.cert")));
}

TEST_F(TrustCli, AnExistingFileIsNeverOverwritten) {
  std::string existing = path("precious.txt");
  std::ofstream(existing) << "precious\n";
  std::string key = fast_key("root");
  std::string root = make_root(key, "root.cert");

  auto keygen = offline({"trust", "keygen", "--out", existing});
  EXPECT_EQ(keygen.exit_code, 6) << keygen.err;
  EXPECT_NE(keygen.err.find(existing + " already exists"), std::string::npos) << keygen.err;
  // Refused before the key is opened: a wrong passphrase never comes into it.
  auto again = offline({"trust", "root", "create", "--key", key, "--name", kRootName, "--country",
                        kCountry, "--out", root},
                       "not-the-passphrase");
  EXPECT_EQ(again.exit_code, 6) << again.err;
  auto revoke = offline({"trust", "revoke", "--issuer-key", key, "--issuer-cert", root, "--serial",
                         std::string(32, 'a'), "--key-id", std::string(32, 'b'), "--reason",
                         "superseded", "--out", existing});
  EXPECT_EQ(revoke.exit_code, 6) << revoke.err;
  auto exported = remote(hub_->admin_token(), {"trust", "export", "--out", existing});
  EXPECT_EQ(exported.exit_code, 6) << exported.err;
  EXPECT_EQ(read_file(existing), "precious\n");
  EXPECT_NE(read_file(root).find("liaison_certificate"), std::string::npos);
}

TEST_F(TrustCli, AnOrganisationOfAnotherCountryThanItsRootIsRefused) {
  std::string key = fast_key("root");
  std::string root = make_root(key, "root.cert");
  std::string org_public = trust::SecretKey::generate().public_key().encoded();
  auto r =
      offline({"trust", "certify-org", "--issuer-key", key, "--issuer-cert", root, "--public-key",
               org_public, "--name", "Example Landespolizei", "--country", "DE", "--endpoint",
               "EXLPOL", "--kind", "authority", "--out", path("org.cert")});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("--country: country_mismatch"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("speaks for BE"), std::string::npos) << r.err;
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_FALSE(std::filesystem::exists(path("org.cert")));
}

TEST_F(TrustCli, AUserCertifiedByAnOrganisationTheHubDoesNotKnowIsChainUntrusted) {
  std::string root_key = fast_key("root");
  std::string org_key = fast_key("org");
  std::string root = make_root(root_key, "root.cert");
  std::string org = certify_org(root_key, root, org_key, "org.cert");
  auto user = offline({"trust", "certify-user", "--issuer-key", org_key, "--issuer-cert", org,
                       "--public-key", trust::SecretKey::generate().public_key().encoded(),
                       "--name", "Noor Claes", "--email", "noor.claes@prosecution.example.org",
                       "--roles", "officer,supervisor", "--out", path("user.cert")});
  ASSERT_EQ(user.exit_code, 0) << user.err;

  // Neither the root nor the organisation was imported.
  auto r = remote(hub_->admin_token(), {"trust", "import", path("user.cert")});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("chain_untrusted"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("user.cert"), std::string::npos) << r.err;
  EXPECT_EQ(lines(r.err), 1) << r.err;
}

TEST_F(TrustCli, ARevocationListMustBeNewerThanTheOneTheHubHolds) {
  std::string key = fast_key("root");
  std::string root = make_root(key, "root.cert");
  ASSERT_EQ(remote(hub_->admin_token(), {"trust", "import", root}).exit_code, 0);
  auto revoke = [&](const std::string& serial, const std::string& out,
                    const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {
        "trust", "revoke",   "--issuer-key",       key,        "--issuer-cert", root,    "--serial",
        serial,  "--key-id", std::string(32, 'c'), "--reason", "cessation",     "--out", path(out)};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = offline(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return path(out);
  };
  std::string first = revoke(std::string(32, '1'), "list-1.json");
  ASSERT_EQ(remote(hub_->admin_token(), {"trust", "import", first}).exit_code, 0);

  // Without --previous a list is number 1 again, which the hub already has.
  std::string again = revoke(std::string(32, '2'), "list-1-again.json");
  auto r = remote(hub_->admin_token(), {"trust", "import", again});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("revocation_list_not_newer"), std::string::npos) << r.err;
  EXPECT_EQ(lines(r.err), 1) << r.err;

  // The next list keeps what the last one revoked.
  std::string second = revoke(std::string(32, '2'), "list-2.json", {"--previous", first});
  json shown = json::parse(offline({"trust", "show", second, "--json"}).out);
  EXPECT_EQ(shown["revocation_list"]["number"], 2);
  EXPECT_EQ(shown["revocation_list"]["entries"].size(), 2u);
  EXPECT_EQ(remote(hub_->admin_token(), {"trust", "import", second}).exit_code, 0);
  auto twice = offline({"trust", "revoke", "--issuer-key", key, "--issuer-cert", root, "--serial",
                        std::string(32, '2'), "--key-id", std::string(32, 'c'), "--reason",
                        "cessation", "--previous", second, "--out", path("list-3.json")});
  EXPECT_EQ(twice.exit_code, 6) << twice.err;
  EXPECT_NE(twice.err.find("already revoked"), std::string::npos) << twice.err;
}

TEST_F(TrustCli, TheTrustStoreIsListedShownExportedReimportedAndARootDistrusted) {
  std::string key = fast_key("root");
  std::string root = make_root(key, "root.cert");
  auto shown = offline({"trust", "show", root});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("root certificate"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("self-signature is valid"), std::string::npos) << shown.out;
  // A key file shows its public half without being opened.
  auto key_shown = run_liaison({"trust", "show", key}, {"LIAISON_KEY_PASSPHRASE="});
  EXPECT_EQ(key_shown.exit_code, 0) << key_shown.err;
  EXPECT_NE(key_shown.out.find("public key:"), std::string::npos) << key_shown.out;
  // Private keys never go to a hub.
  auto sent_key = remote(hub_->admin_token(), {"trust", "import", key});
  EXPECT_EQ(sent_key.exit_code, 2) << sent_key.err;
  EXPECT_NE(sent_key.err.find("keys never go to a hub"), std::string::npos) << sent_key.err;

  ASSERT_EQ(remote(hub_->admin_token(), {"trust", "import", root}).exit_code, 0);
  auto listed = remote(hub_->token("officer"), {"trust", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out.rfind("KIND", 0), 0u) << listed.out;
  for (const char* column : {"SUBJECT", "KEY ID", "VALID UNTIL", "ROOT?", "FINGERPRINT"})
    EXPECT_NE(listed.out.find(column), std::string::npos) << column;
  EXPECT_NE(listed.out.find("olivia.brandt@police.example.org"), std::string::npos) << listed.out;

  // The exported bundle is shown, verified, and imports back as already held.
  ASSERT_EQ(
      remote(hub_->token("analyst"), {"trust", "export", "--out", path("store.json")}).exit_code,
      0);
  auto bundle = offline({"trust", "show", path("store.json")});
  ASSERT_EQ(bundle.exit_code, 0) << bundle.err;
  EXPECT_NE(bundle.out.find("every signature in it checked"), std::string::npos) << bundle.out;
  EXPECT_NE(bundle.out.find(kRootName), std::string::npos) << bundle.out;
  auto reimported = remote(hub_->admin_token(), {"trust", "import", path("store.json")});
  EXPECT_EQ(reimported.exit_code, 0) << reimported.err;
  EXPECT_NE(reimported.out.find("Already held: the root certificate of " + kRootName),
            std::string::npos)
      << reimported.out;

  // Only hub administrators choose roots.
  auto by_officer = remote(hub_->token("officer"), {"trust", "distrust", root});
  EXPECT_EQ(by_officer.exit_code, 5) << by_officer.err;
  ASSERT_EQ(remote(hub_->admin_token(), {"trust", "distrust", root}).exit_code, 0);
  json after = remote_json(hub_->admin_token(), {"trust", "list"});
  std::string fingerprint =
      json::parse(offline({"trust", "show", root, "--json"}).out)["fingerprint"];
  bool distrusted = false;
  for (const auto& c : after["certificates"]) {
    if (c["fingerprint"] == fingerprint) distrusted = !c["trusted_root"].get<bool>();
  }
  EXPECT_TRUE(distrusted);
  auto table = remote(hub_->admin_token(), {"trust", "list"});
  EXPECT_NE(table.out.find("distrusted"), std::string::npos) << table.out;
}

TEST_F(TrustCli, ARecipientKeyIsCertifiedShownImportedListedAndRevoked) {
  std::string root_key = fast_key("root");
  std::string org_key = fast_key("org");
  std::string desk_key = fast_key("evidence-desk");
  std::string root = make_root(root_key, "root.cert");
  std::string org = certify_org(root_key, root, org_key, "org.cert");
  auto made = offline({"trust", "certify-recipient", "--issuer-key", org_key, "--issuer-cert", org,
                       "--subject-key", desk_key, "--name", "Evidence unit, " + kOrgName,
                       "--valid-days", "30", "--out", path("desk.cert"), "--json"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  json issued = json::parse(made.out);
  EXPECT_EQ(issued["certificate"]["kind"], "recipient");
  EXPECT_EQ(issued["certificate"]["organisation"]["endpoint_uid"], kEndpoint);
  EXPECT_FALSE(issued["certificate"].contains("roles"));
  EXPECT_FALSE(issued["certificate"]["subject"].contains("email"));

  auto shown = offline({"trust", "show", path("desk.cert")});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(shown.out.rfind("recipient certificate", 0), 0u) << shown.out;
  EXPECT_NE(shown.out.find("sealed to this key; it signs nothing"), std::string::npos) << shown.out;

  // The hub takes it once the root and the organisation are in its store.
  for (const auto& f : {root, org}) {
    ASSERT_EQ(remote(hub_->admin_token(), {"trust", "import", f}).exit_code, 0) << f;
  }
  auto imported = remote(hub_->admin_token(), {"trust", "import", path("desk.cert")});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("Imported the recipient certificate of Evidence unit"),
            std::string::npos)
      << imported.out;
  json listed = remote_json(hub_->token("officer"), {"trust", "list", "--kind", "recipient"});
  bool found = false;
  for (const auto& c : listed["certificates"]) {
    EXPECT_EQ(c["kind"], "recipient");
    found = found || c["fingerprint"] == issued["fingerprint"];
  }
  EXPECT_TRUE(found) << listed.dump();
  auto table = remote(hub_->token("officer"), {"trust", "list", "--kind", "recipient"});
  EXPECT_NE(table.out.find("recipient"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("organisation "), std::string::npos) << "only recipients: " << table.out;

  // A bundle exported from the hub carries it, and shows it after checking it.
  ASSERT_EQ(
      remote(hub_->token("analyst"), {"trust", "export", "--out", path("store.json")}).exit_code,
      0);
  auto bundle = offline({"trust", "show", path("store.json")});
  ASSERT_EQ(bundle.exit_code, 0) << bundle.err;
  EXPECT_NE(bundle.out.find("Evidence unit, " + kOrgName), std::string::npos) << bundle.out;

  // A recipient certificate issues nothing; its organisation revokes it.
  auto by_recipient = offline({"trust", "revoke", "--issuer-key", desk_key, "--issuer-cert",
                               path("desk.cert"), "--certificate", path("desk.cert"), "--reason",
                               "superseded", "--out", path("wrong.json")});
  EXPECT_EQ(by_recipient.exit_code, 3) << by_recipient.err;
  EXPECT_NE(by_recipient.err.find("issues nothing"), std::string::npos) << by_recipient.err;
  EXPECT_EQ(lines(by_recipient.err), 1) << by_recipient.err;
  auto revoked =
      offline({"trust", "revoke", "--issuer-key", org_key, "--issuer-cert", org, "--certificate",
               path("desk.cert"), "--reason", "superseded", "--out", path("revocations-1.json")});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_EQ(remote(hub_->admin_token(), {"trust", "import", path("revocations-1.json")}).exit_code,
            0);
}

TEST_F(TrustCli, CertifyRecipientRefusesBadInputInOneLineAndWritesNothing) {
  std::string root_key = fast_key("root");
  std::string org_key = fast_key("org");
  std::string root = make_root(root_key, "root.cert");
  std::string org = certify_org(root_key, root, org_key, "org.cert");
  const std::string out = path("desk.cert");
  const std::string desk_public = trust::SecretKey::generate().public_key().encoded();
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string says;
  };
  const std::vector<Case> cases = {
      // A root certifies organisations, not recipient keys.
      {{"--issuer-key", root_key, "--issuer-cert", root, "--public-key", desk_public},
       3,
       "recipient keys are certified by an organisation"},
      // The organisation's own certifying key is not to be sealed to.
      {{"--issuer-key", org_key, "--issuer-cert", org, "--subject-key", org_key},
       3,
       "the subject key is the organisation's own"},
      {{"--issuer-key", org_key, "--issuer-cert", org, "--public-key", "not*base64"},
       3,
       "--public-key"},
      {{"--issuer-key", org_key, "--issuer-cert", org}, 2, "--public-key BASE64URL or"},
      {{"--issuer-key", org_key, "--issuer-cert", org, "--public-key", desk_public, "--valid-days",
        "0"},
       2,
       "--valid-days: must be between 1 and 3650"},
      {{"--issuer-key", org_key, "--issuer-cert", path("missing.cert"), "--public-key",
        desk_public},
       2,
       "cannot read"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {
        "trust", "certify-recipient", "--name", "Evidence unit", "--out", out};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto r = offline(args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.says << ": " << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out)) << c.says;
  }
  // Without --name it is a usage error too.
  auto unnamed = offline({"trust", "certify-recipient", "--issuer-key", org_key, "--issuer-cert",
                          org, "--public-key", desk_public, "--out", out});
  EXPECT_EQ(unnamed.exit_code, 2) << unnamed.err;
  EXPECT_EQ(lines(unnamed.err), 1) << unnamed.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST_F(TrustCli, TheDemoGivesEachAuthorityARecipientKeyInTheHubsStore) {
  const json& recipients = hub_->demo()["recipients"];
  ASSERT_TRUE(recipients.contains("police")) << hub_->demo().dump();
  ASSERT_TRUE(recipients.contains("prosecutor"));
  for (const char* who : {"police", "prosecutor"}) {
    std::string cert_file = recipients[who]["certificate_file"];
    std::string key_file = recipients[who]["key_file"];
    EXPECT_EQ(key_file,
              (hub_->data_dir() / "keys" / (std::string(who) + "-recipient.key")).string());
    // The key opens with the demo's one passphrase and is the one certified.
    auto key = trust::open_key_file(read_file(key_file),
                                    hub_->demo()["key_passphrase"].get<std::string>());
    ASSERT_TRUE(key.ok()) << who;
    json cert = json::parse(read_file(cert_file));
    EXPECT_EQ(cert["kind"], "recipient");
    EXPECT_EQ(cert["key_id"], key->public_key().key_id());
    EXPECT_EQ(recipients[who]["key_id"], cert["key_id"]);
  }
  json police = remote_json(hub_->token("officer"), {"trust", "list", "--kind", "recipient",
                                                     "--organisation", hub_->org_id("police")});
  ASSERT_EQ(police["certificates"].size(), 1u) << police.dump();
  EXPECT_EQ(police["certificates"][0]["key_id"], recipients["police"]["key_id"]);
}

TEST_F(TrustCli, ASigningPolicyChangeKeepsWhatIsNotGiven) {
  std::string org = hub_->org_id("prosecutor");
  json set = remote_json(hub_->admin_token(),
                         {"trust", "policy", "set", "--org", org, "--follow-up-hours", "24"});
  EXPECT_EQ(set["follow_up_hours"], 24);
  set = remote_json(hub_->admin_token(),
                    {"trust", "policy", "set", "--org", org, "--supervisors", "1"});
  EXPECT_EQ(set["supervisors"], 1);
  EXPECT_EQ(set["follow_up_hours"], 24);
  auto shown = remote(hub_->token("prosecutor"), {"trust", "policy", "get", "--org", org});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("supervisors:     1"), std::string::npos) << shown.out;
  auto bad =
      remote(hub_->admin_token(), {"trust", "policy", "set", "--org", org, "--validators", "9"});
  EXPECT_EQ(bad.exit_code, 3) << bad.err;
  EXPECT_NE(bad.err.find("validators"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace liaison
