// The `liaison` command line as a user runs it: a separate process, talking to
// a real hub, with exit codes and one-line errors that mean something.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/hub_process.h"

namespace liaison {
namespace {

using nlohmann::json;
using testing::HubProcess;
using testing::ProcessResult;
using testing::run_liaison;

class CliFlow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { hub_ = new HubProcess(); }
  static void TearDownTestSuite() {
    delete hub_;
    hub_ = nullptr;
  }

  static ProcessResult as(const std::string& user, std::vector<std::string> args) {
    return run_liaison(
        args, {"LIAISON_HUB=" + hub_->base_url(), "LIAISON_TOKEN=" + hub_->token(user),
               "LIAISON_KEY_PASSPHRASE=" + hub_->demo()["key_passphrase"].get<std::string>()});
  }
  static json as_json(const std::string& user, std::vector<std::string> args) {
    args.push_back("--json");
    auto r = as(user, args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }
  static std::string draft_file() { return (hub_->data_dir() / "demo-request.json").string(); }
  static std::string key_file(const std::string& user) {
    return (hub_->data_dir() / "keys" / (user + ".key")).string();
  }

  static HubProcess* hub_;
};
HubProcess* CliFlow::hub_ = nullptr;

TEST_F(CliFlow, OfficerSendsAndAnalystProducesWithAVerifiedDownload) {
  json r = testing::submit_via_cli(*hub_, {"--file", draft_file()});
  ASSERT_EQ(r["status"], "submitted");
  std::string id = r["id"];

  auto queue = as("analyst", {"request", "list"});
  ASSERT_EQ(queue.exit_code, 0) << queue.err;
  EXPECT_NE(queue.out.find(r["reference"].get<std::string>()), std::string::npos) << queue.out;
  EXPECT_NE(queue.out.find("REFERENCE"), std::string::npos);

  EXPECT_EQ(as("analyst", {"request", "act", id, "acknowledge"}).exit_code, 0);
  EXPECT_EQ(
      as("analyst", {"request", "act", id, "request_clarification", "--note", "Which account?"})
          .exit_code,
      0);
  EXPECT_EQ(
      as("officer", {"request", "act", id, "clarify", "--note", "The one in the first target."})
          .exit_code,
      0);
  EXPECT_EQ(
      as("officer", {"request", "message", id, "Thank you for the quick turnaround."}).exit_code,
      0);
  EXPECT_EQ(as("analyst", {"request", "act", id, "accept"}).exit_code, 0);

  // The provider seals on its own side, for the police's recipient key the
  // hub's trust store vouches for, and uploads the sealed package.
  auto work = hub_->data_dir().parent_path() / "production";
  std::filesystem::create_directories(work / "mail");
  std::ofstream(work / "subscriber-record.csv")
      << "account,created\nsuspect.mailbox@example.org,2025-03-01\n";
  std::ofstream(work / "mail" / "inbox.mbox")
      << "From suspect.mailbox@example.org\nSubject: invoice\n";
  const std::string package = (hub_->data_dir().parent_path() / "production.liaison").string();
  auto sealed = as(
      "analyst", {"evidence", "seal", "--request", id, "--key", key_file("analyst"), "--out",
                  package, "--describe", "subscriber-record.csv=Subscriber record", work.string()});
  ASSERT_EQ(sealed.exit_code, 0) << sealed.err;
  EXPECT_NE(sealed.out.find("Sealed 2 item(s)"), std::string::npos) << sealed.out;
  EXPECT_TRUE(sealed.err.empty()) << "no progress bar when not on a terminal: " << sealed.err;
  auto uploaded = as("analyst", {"evidence", "upload", package, "--part-size", "256"});
  ASSERT_EQ(uploaded.exit_code, 0) << uploaded.err;
  EXPECT_NE(uploaded.out.find("the hub verified it"), std::string::npos) << uploaded.out;
  auto done = as("analyst", {"request", "act", id, "produce"});
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_NE(done.out.find("is now produced"), std::string::npos) << done.out;

  // The officer sees every step, downloads the package with its proof of
  // registration, opens it with the recipient key and exports one exhibit.
  auto shown = as("officer", {"request", "show", id});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  for (const char* step :
       {"submit", "acknowledge", "request_clarification", "clarify", "message", "accept",
        "evidence_package", "produce", "Which account?", "quick turnaround"}) {
    EXPECT_NE(shown.out.find(step), std::string::npos) << step << " missing from\n" << shown.out;
  }
  const auto dir = hub_->data_dir().parent_path();
  const std::string got = (dir / "received.liaison").string();
  auto dl = as("officer", {"evidence", "download", id, "--out", got});
  ASSERT_EQ(dl.exit_code, 0) << dl.err;
  EXPECT_EQ(dl.out.find("no checkpoint covers"), std::string::npos) << dl.out;
  const std::string recipient = key_file("police-recipient");
  auto verified = as("officer", {"evidence", "verify", got, "--key", recipient, "--report"});
  ASSERT_EQ(verified.exit_code, 0) << verified.err << verified.out;
  EXPECT_NE(verified.out.find("contents    verified"), std::string::npos) << verified.out;
  EXPECT_NE(verified.out.find("registered  ledger entry"), std::string::npos) << verified.out;
  auto opened = as(
      "officer", {"evidence", "open", got, "--key", recipient, "--out", (dir / "opened").string()});
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  std::ifstream in(dir / "opened" / "subscriber-record.csv");
  std::string first_line;
  std::getline(in, first_line);
  EXPECT_EQ(first_line, "account,created");
  EXPECT_TRUE(std::filesystem::exists(dir / "opened" / "mail" / "inbox.mbox"));
  const std::string exhibit = (dir / "exhibit-1").string();
  auto exported = as("officer", {"evidence", "exhibit", got, "subscriber-record.csv", "--key",
                                 recipient, "--out", exhibit});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;

  // A third party with nothing but the exhibit and the trust store checks it.
  const std::string store = (dir / "court-trust.json").string();
  ASSERT_EQ(as("officer", {"trust", "export", "--out", store}).exit_code, 0);
  auto court = testing::run_liaison(
      {"evidence", "verify-exhibit", exhibit, "--trust-store", store, "--json"}, {});
  ASSERT_EQ(court.exit_code, 0) << court.err;
  json report = json::parse(court.out);
  EXPECT_EQ(report["result"], "verified");
  EXPECT_EQ(report["item"]["name"], "subscriber-record.csv");
  EXPECT_EQ(report["item"]["description"], "Subscriber record");
  EXPECT_NE(report["signer"]["chain"].get<std::string>().find("verified"), std::string::npos);
  EXPECT_TRUE(report["registration"].is_object()) << report.dump();

  // The chain of custody shows every hand: parts, registration, download, report.
  json full = as_json("officer", {"request", "show", id});
  ASSERT_EQ(full["packages"].size(), 1u);
  std::vector<std::string> kinds;
  for (const auto& e : full["packages"][0]["custody"]) kinds.push_back(e["kind"]);
  ASSERT_GE(kinds.size(), 6u);
  EXPECT_EQ(kinds.front(), "upload_started");
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "upload_part"),
            static_cast<long>((std::filesystem::file_size(package) + 255) / 256));
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "registered"), 1);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "download"), 1);
  EXPECT_EQ(kinds.back(), "verification");
  auto custody = as("officer", {"request", "show", id});
  EXPECT_NE(custody.out.find("Chain of custody"), std::string::npos) << custody.out;
}

TEST_F(CliFlow, ProvidersAreFoundByEndpointOrNameAndShownInTheTimeline) {
  auto list = as("officer", {"request", "providers"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("EXMAIL"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find("Northport Police"), std::string::npos)
      << "authorities are not providers";

  json r = testing::submit_via_cli(
      *hub_, {"--kind", "production", "--provider", "exmail", "--category", "SubscriberData",
              "--target", "email:someone@example.org", "--instrument", "Budapest Convention",
              "--article", "Art. 18", "--offence", "Fraud", "--reference", "NPCU-2026-0042",
              "--domestic-reference", "Northport order 2026/117"});
  EXPECT_EQ(r["provider"]["name"], "Example Mail Ltd");
  auto unknown =
      as("officer", {"request", "create", "--provider", "No Such Mail", "--kind", "production"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("names no provider"), std::string::npos) << unknown.err;

  ASSERT_EQ(as("analyst", {"request", "act", r["id"], "acknowledge"}).exit_code, 0);
  auto shown = as("officer", {"request", "show", r["id"]});
  EXPECT_NE(shown.out.find("BY"), std::string::npos);
  // The timeline names the organisation that acted on each line.
  std::istringstream lines(shown.out);
  bool found = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" acknowledge ") != std::string::npos)
      found = line.find("Example Mail Ltd") != std::string::npos;
  }
  EXPECT_TRUE(found) << shown.out;
}

TEST_F(CliFlow, ADateWithoutATimeIsExplained) {
  auto r = as("officer", {"request", "create", "--file", draft_file(), "--deadline", "2027-01-15"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("deadline: a date alone is not enough"), std::string::npos) << r.err;
}

TEST_F(CliFlow, DownloadNeverReplacesAnExistingFile) {
  json r = as_json("officer", {"request", "create", "--file", draft_file()});
  std::string id = r["id"];
  auto doc = hub_->data_dir().parent_path() / "warrant.txt";
  std::ofstream(doc) << "order of the investigating judge\n";
  json att = as_json("officer", {"request", "attach", id, doc.string(), "--type", "text/plain"});
  auto existing = hub_->data_dir().parent_path() / "keep-me.txt";
  std::ofstream(existing) << "precious\n";
  auto r2 = as("officer", {"request", "download", id, att["id"], "--out", existing.string()});
  EXPECT_EQ(r2.exit_code, 6) << r2.err;
  EXPECT_NE(r2.err.find("already exists"), std::string::npos) << r2.err;
  std::ifstream in(existing);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "precious");
  EXPECT_FALSE(std::filesystem::exists(existing.string() + ".part"));
}

TEST_F(CliFlow, PreservationFromFlagsIsPreservedAndExtended) {
  std::string provider = hub_->org_id("provider");
  json r = testing::submit_via_cli(*hub_, {"--kind",
                                           "preservation",
                                           "--provider",
                                           provider,
                                           "--category",
                                           "TrafficData",
                                           "--target",
                                           "ip:[2001:db8::7]:443@2026-10-01T08:00:00Z",
                                           "--period-start",
                                           "2026-09-01T00:00:00Z",
                                           "--period-end",
                                           "2026-10-01T00:00:00Z",
                                           "--instrument",
                                           "Budapest Convention",
                                           "--article",
                                           "Art. 29",
                                           "--offence",
                                           "Ransomware intrusion at a hospital",
                                           "--case-type",
                                           "Cybercrime",
                                           "--reference",
                                           "NPCU-2026-0043",
                                           "--domestic-reference",
                                           "Northport order 2026/118"});
  std::string id = r["id"];
  EXPECT_EQ(r["targets"][0]["value"], "2001:db8::7");
  EXPECT_EQ(r["targets"][0]["port"], 443);
  for (const char* a : {"acknowledge", "accept"})
    ASSERT_EQ(as("analyst", {"request", "act", id, a}).exit_code, 0);
  json preserved = as_json(
      "analyst", {"request", "act", id, "preserve", "--preserved-until", "2099-01-31T00:00:00Z"});
  EXPECT_EQ(preserved["status"], "preserved");
  EXPECT_EQ(preserved["preserved_until"], "2099-01-31T00:00:00Z");
  json extended = as_json(
      "officer", {"request", "act", id, "extend", "--preserved-until", "2099-03-02T00:00:00Z"});
  EXPECT_EQ(extended["preserved_until"], "2099-03-02T00:00:00Z");
  EXPECT_EQ(extended["etsi_status"]["value"], "Preserved");
}

TEST_F(CliFlow, WeakIpTargetIsAcceptedWithAWarning) {
  std::string provider = hub_->org_id("provider");
  auto r = as("officer", {"request",
                          "create",
                          "--kind",
                          "production",
                          "--provider",
                          provider,
                          "--category",
                          "SubscriberData",
                          "--target",
                          "ip:192.0.2.10",
                          "--instrument",
                          "Budapest Convention",
                          "--article",
                          "Art. 18",
                          "--offence",
                          "Phishing",
                          "--reference",
                          "NPCU-2026-0044",
                          "--domestic-reference",
                          "Northport order 2026/119"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("warning: targets/0/port"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("carrier-grade NAT"), std::string::npos) << r.out;
}

TEST_F(CliFlow, InvalidInputExitsThreeWithOneLineNamingTheField) {
  std::string provider = hub_->org_id("provider");
  auto r = as("officer",
              {"request", "create", "--kind", "production", "--provider", provider, "--category",
               "SubscriberData", "--target", "ip:192.0.2.300:80", "--instrument",
               "Budapest Convention", "--article", "Art. 18", "--offence", "Phishing"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("targets/0/value"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(r.out.empty());
}

// A police EPOC the way its people file it from the command line: the officer
// signs, learns the route needs a prosecutor's validation, asks the
// prosecutor's office, whose validator co-signs; then it goes.
TEST_F(CliFlow, AProsecutorValidatesAPoliceRequestBeforeItIsSent) {
  json r = as_json("officer",
                   {"request", "create", "--file", draft_file(), "--sign", key_file("officer")});
  std::string id = r["id"];
  EXPECT_EQ(r["signatures_required"]["validators"], 1);

  auto early = as("officer", {"request", "act", id, "submit"});
  EXPECT_EQ(early.exit_code, 3) << early.out << early.err;
  EXPECT_NE(early.err.find("validator's co-signature by a judge or prosecutor"), std::string::npos)
      << early.err;
  EXPECT_EQ(std::count(early.err.begin(), early.err.end(), '\n'), 1) << early.err;

  auto own = as("officer", {"request", "validator", id, "NPCU"});
  EXPECT_EQ(own.exit_code, 3) << own.err;
  EXPECT_NE(own.err.find("is the issuing organisation"), std::string::npos) << own.err;
  auto nobody = as("officer", {"request", "validator", id, "No Such Office"});
  EXPECT_EQ(nobody.exit_code, 2) << nobody.err;
  EXPECT_NE(nobody.err.find("ORG 'No Such Office' names no authority"), std::string::npos)
      << nobody.err;

  auto asked = as("officer", {"request", "validator", id, "NPPO"});
  ASSERT_EQ(asked.exit_code, 0) << asked.err;
  EXPECT_NE(asked.out.find("Northport Public Prosecutor's Office is asked to validate it"),
            std::string::npos)
      << asked.out;
  EXPECT_NE(asked.out.find("still needed: a validator's co-signature"), std::string::npos)
      << asked.out;

  EXPECT_EQ(as("prosecutor", {"request", "show", id}).exit_code, 0);
  auto cosigned = as("prosecutor",
                     {"request", "sign", id, "--key", key_file("prosecutor"), "--as", "validator"});
  ASSERT_EQ(cosigned.exit_code, 0) << cosigned.err;
  EXPECT_NE(cosigned.out.find("2 signature(s)"), std::string::npos) << cosigned.out;
  EXPECT_EQ(cosigned.out.find("still needed"), std::string::npos) << cosigned.out;

  auto sent = as("officer", {"request", "act", id, "submit"});
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_NE(sent.out.find("is now submitted"), std::string::npos) << sent.out;
  EXPECT_EQ(as("prosecutor", {"request", "show", id}).exit_code, 4);
}

TEST_F(CliFlow, IllegalActionExitsSixAndSaysWhatIsAllowed) {
  json r = testing::submit_via_cli(*hub_, {"--file", draft_file()});
  auto bad = as("analyst", {"request", "act", r["id"], "produce"});
  EXPECT_EQ(bad.exit_code, 6);
  EXPECT_NE(bad.err.find("allowed now: acknowledge, reject"), std::string::npos) << bad.err;
}

TEST_F(CliFlow, ForeignOrUnknownRequestExitsFour) {
  json r = as_json("officer", {"request", "create", "--file", draft_file()});
  // A draft is not the provider's to see.
  auto hidden = as("analyst", {"request", "show", r["id"]});
  EXPECT_EQ(hidden.exit_code, 4) << hidden.err;
  EXPECT_NE(hidden.err.find("not found"), std::string::npos);
}

TEST_F(CliFlow, MissingOrBadTokenAndUnreachableHub) {
  auto no_token =
      run_liaison({"request", "list"}, {"LIAISON_HUB=" + hub_->base_url(), "LIAISON_TOKEN="});
  EXPECT_EQ(no_token.exit_code, 2);
  EXPECT_NE(no_token.err.find("LIAISON_TOKEN"), std::string::npos);
  auto bad_token = run_liaison({"request", "list"},
                               {"LIAISON_HUB=" + hub_->base_url(), "LIAISON_TOKEN=lsn_nope"});
  EXPECT_EQ(bad_token.exit_code, 5);
  auto unreachable =
      run_liaison({"request", "list"}, {"LIAISON_HUB=http://127.0.0.1:1", "LIAISON_TOKEN=lsn_x"});
  EXPECT_EQ(unreachable.exit_code, 7);
  EXPECT_NE(unreachable.err.find("cannot reach hub"), std::string::npos) << unreachable.err;
}

TEST_F(CliFlow, UnknownFlagIsAUsageError) {
  auto r = run_liaison({"request", "list", "--frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("frobnicate"), std::string::npos);
}

}  // namespace
}  // namespace liaison

namespace liaison::testing {
namespace {

TEST(RouteCli, ListsTheOpenRoutesAndNamesAWrongFlag) {
  HubProcess hub;
  std::vector<std::string> env = {"LIAISON_HUB=" + hub.base_url(),
                                  "LIAISON_TOKEN=" + hub.token("officer")};
  auto r = run_liaison(
      {"route", "--provider", "EXMAIL", "--category", "SubscriberData", "--kind", "production"},
      env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("eu-2023-1543/epoc-subscriber"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("needs validation by"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sap/art7: the Second Additional Protocol is not in force"),
            std::string::npos)
      << r.out;
  auto as_json = run_liaison({"route", "--provider", "EXMAIL", "--category", "TrafficData",
                              "--kind", "production", "--max-penalty-months", "24", "--json"},
                             env);
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  auto advice = nlohmann::json::parse(as_json.out);
  for (const auto& a : advice["available"])
    EXPECT_NE(a["id"], "eu-2023-1543/epoc-traffic-content") << "below the 3-year threshold";
  auto bad = run_liaison(
      {"route", "--provider", "EXMAIL", "--category", "Gossip", "--kind", "production"}, env);
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_NE(bad.err.find("category"), std::string::npos) << bad.err;
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
}

}  // namespace
}  // namespace liaison::testing
