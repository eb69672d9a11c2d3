// Federation between two real hubs on loopback, each with a link to the
// other (`serve --hi1-links`): a request the police unit submits on its own
// hub is forwarded over HI-1 to the provider's hub, produced there, and the
// sealed package is delivered back and registered on the police unit's hub.
// "Not available" and a withdrawal travel the same way. Every message
// between them is XML-signed and checked. Both ledgers record their side.
// The hubs run twice: over plain HTTP, each authenticating the other's
// system by a bearer token, and over HTTPS, each by the other's client
// certificate alone (mutual TLS).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>
#include <tuple>

#include "api/api_helpers.h"
#include "support/demo_evidence.h"
#include "support/hub_process.h"
#include "support/signing.h"
#include "support/x509_support.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT
using testing::HubProcess;

void write_links(const std::filesystem::path& file, const std::string& text) {
  // Written aside and renamed, so the hub never reads half a file.
  std::filesystem::path temp = file.string() + ".new";
  {
    std::ofstream out(temp);
    out << text;
  }
  ::chmod(temp.c_str(), 0600);
  std::filesystem::rename(temp, file);
}

// How each hub's system authenticates to the other's POST /hi1.
enum class Channel { kBearerToken, kMutualTls };

std::string quoted(const std::string& key, const std::string& value) {
  return key + " = \"" + value + "\"\n";
}

// A [[link]] table. `credentials` are its token, or its tls_* files.
std::string link(const std::string& organisation, const std::string& peer, const std::string& url,
                 const std::string& credentials) {
  return "[[link]]\n" + quoted("organisation", organisation) + quoted("peer", peer) +
         quoted("url", url) + credentials;
}

std::string endpoint(const json& org) {
  return org["country"].get<std::string>() + "/" + org["endpoint_uid"].get<std::string>();
}

// Polls `check` until it holds or ~30 seconds pass.
bool eventually(const std::function<bool()>& check) {
  for (int i = 0; i < 150; ++i) {
    if (check()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return check();
}

bool has_event(const json& events, const std::string& type) {
  for (const auto& e : events) {
    if (e.value("type", "") == type) return true;
  }
  return false;
}

// Whether the request's ledger entries (their canonical text) include one of `type`.
bool has_ledger_entry(const json& view, const std::string& type) {
  for (const auto& e : view["ledger"]) {
    if (e.value("entry", "").find("\"type\":\"" + type + "\"") != std::string::npos) return true;
  }
  return false;
}

class Hi1Federation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { start_hubs(Channel::kBearerToken); }

  static void start_hubs(Channel channel) {
    links_dir_ = std::make_unique<testing::TempDir>();
    authority_links_ = links_dir_->path() / "authority-links.toml";
    provider_links_ = links_dir_->path() / "provider-links.toml";
    write_links(authority_links_, "# filled in once both hubs run\n");
    write_links(provider_links_, "# filled in once both hubs run\n");
    // Each hub signs what it sends and answers, and takes only messages
    // signed by the other: the police unit's key is trusted for NL/NPCU, the
    // provider's for IE/EXMAIL.
    const std::filesystem::path& d = links_dir_->path();
    // Over mutual TLS the same certificate is the system's TLS client
    // certificate, and the directory of trusted signers is the one of
    // trusted TLS clients too; each hub also has a server certificate for
    // 127.0.0.1, which the other trusts.
    auto police_key = testing::make_signing_key("hi1.police.example.org");
    auto provider_key = testing::make_signing_key("hi1.mail.example.org", true);
    for (const auto& [name, key, trusted_as] :
         {std::tuple{"authority", police_key, "IE-EXMAIL.pem"},
          std::tuple{"provider", provider_key, "NL-NPCU.pem"}}) {
      write_links(d / (std::string(name) + "-key.pem"), key.private_key_pem);
      write_links(d / (std::string(name) + "-cert.pem"), key.certificate_pem);
      std::filesystem::create_directory(d / (std::string(name) + "-signers"));
      const auto& other = std::string(name) == "authority" ? provider_key : police_key;
      write_links(d / (std::string(name) + "-signers") / trusted_as, other.certificate_pem);
      auto server =
          testing::make_signing_key(std::string(name) + " hub", false, false, "IP:127.0.0.1");
      write_links(d / (std::string(name) + "-server-key.pem"), server.private_key_pem);
      write_links(d / (std::string(name) + "-server-cert.pem"), server.certificate_pem);
    }
    auto file = [&](const std::string& name) { return (d / name).string(); };
    auto serve_args = [&](const std::string& name, const std::filesystem::path& links) {
      std::vector<std::string> args{"--hi1-links",
                                    links.string(),
                                    "--hi1-interval",
                                    "1",
                                    "--hi1-signing-key",
                                    (d / (name + "-key.pem")).string(),
                                    "--hi1-signing-cert",
                                    (d / (name + "-cert.pem")).string(),
                                    "--hi1-signers",
                                    (d / (name + "-signers")).string(),
                                    "--hi1-require-signatures"};
      if (channel == Channel::kMutualTls) {
        for (const std::string& a : {std::string("--tls-cert"), file(name + "-server-cert.pem"),
                                     std::string("--tls-key"), file(name + "-server-key.pem"),
                                     std::string("--hi1-tls-clients"), file(name + "-signers")})
          args.push_back(a);
      }
      return args;
    };
    authority_ = std::make_unique<HubProcess>(serve_args("authority", authority_links_));
    provider_ = std::make_unique<HubProcess>(serve_args("provider", provider_links_));
    // Each hub trusts the other's central authority: the provider's hub
    // verifies the officer's signatures, the police unit's hub the analyst's
    // signature on the package.
    ASSERT_NO_FATAL_FAILURE(testing::trust_roots_of(*authority_, *provider_));
    ASSERT_NO_FATAL_FAILURE(testing::trust_roots_of(*provider_, *authority_));
    HubClient officer = testing::client_as(*authority_, "officer");
    json probe = create_request(*authority_, officer);
    police_ = endpoint(probe["issuer"]);
    provider_endpoint_ = endpoint(probe["provider"]);
    // With tokens, the police unit's system holds an officer's token on the
    // provider's hub, and the provider's an analyst's token on the police
    // unit's hub. Over mutual TLS each holds no token: its certificate, trusted
    // for its endpoint, makes it its organisation's federation link account.
    auto credentials = [&](const std::string& name, const HubProcess& peer,
                           const std::string& user) {
      if (channel == Channel::kBearerToken) return quoted("token", peer.token(user));
      const std::string other = name == "authority" ? "provider" : "authority";
      return quoted("tls_ca", file(other + "-server-cert.pem")) +
             quoted("tls_certificate", file(name + "-cert.pem")) +
             quoted("tls_key", file(name + "-key.pem"));
    };
    write_links(authority_links_, link(police_, provider_endpoint_, provider_->base_url() + "/hi1",
                                       credentials("authority", *provider_, "officer")));
    write_links(provider_links_, link(provider_endpoint_, police_, authority_->base_url() + "/hi1",
                                      credentials("provider", *authority_, "analyst")));
  }
  static void TearDownTestSuite() {
    authority_.reset();
    provider_.reset();
    links_dir_.reset();
  }

  // The journeys, run by both suites.
  static void forwarded_produced_and_delivered_back();
  static void not_available_there_is_not_available_here();
  static void rejection_and_withdrawal_travel_both_ways();

  // A request the officer files, the prosecutor validates and the officer
  // submits on the police unit's hub.
  static json submitted() {
    HubClient officer = testing::client_as(*authority_, "officer");
    json draft = create_request(*authority_, officer);
    return testing::submit_signed(*authority_, draft);
  }

  // The request as the provider's analyst sees it on the provider's hub,
  // once it has arrived there.
  static json arrived(const std::string& id) {
    HubClient analyst = testing::client_as(*provider_, "analyst");
    json view;
    EXPECT_TRUE(eventually([&] {
      auto r = analyst.send("GET", "/api/v1/requests/" + id);
      if (r.status != 200) return false;
      view = body_of(r);
      return true;
    })) << "request "
        << id << " never reached the provider's hub";
    return view;
  }

  static json at_authority(const std::string& id) {
    HubClient officer = testing::client_as(*authority_, "officer");
    return get_json(officer, "/api/v1/requests/" + id);
  }

  static bool authority_status_is(const std::string& id, const std::string& status) {
    return eventually([&] { return at_authority(id).value("status", "") == status; });
  }

  static inline std::unique_ptr<testing::TempDir> links_dir_;
  static std::filesystem::path authority_links_, provider_links_;
  static inline std::unique_ptr<HubProcess> authority_;
  static inline std::unique_ptr<HubProcess> provider_;
  static std::string police_, provider_endpoint_;
};
std::filesystem::path Hi1Federation::authority_links_, Hi1Federation::provider_links_;
std::string Hi1Federation::police_, Hi1Federation::provider_endpoint_;

void Hi1Federation::forwarded_produced_and_delivered_back() {
  // The officer attaches the warrant to the draft before it is signed.
  HubClient officer = testing::client_as(*authority_, "officer");
  json draft = create_request(*authority_, officer);
  const std::string pdf = "%PDF-1.7\n% warrant of the examining magistrate, Rotterdam\n%%EOF\n";
  std::filesystem::path warrant = links_dir_->path() / ("warrant-" + random_uuid() + ".pdf");
  std::ofstream(warrant, std::ios::binary) << pdf;
  auto attached = officer.upload(request_path(draft) + "/attachments?name=warrant.pdf",
                                 warrant.string(), "application/pdf");
  ASSERT_EQ(attached.status, 201) << attached.body;
  json request = testing::submit_signed(*authority_, draft);
  ASSERT_EQ(request.value("status", ""), "submitted") << request;
  const std::string id = request["id"];

  // On the provider's hub: verified against the trusted root, and in the
  // analyst's queue under the same id.
  json there = arrived(id);
  ASSERT_EQ(there.value("status", ""), "submitted") << there;
  EXPECT_EQ(there["issuer_reference"], request["issuer_reference"]);
  EXPECT_TRUE(has_ledger_entry(there, "request.received")) << there["ledger"];
  // The warrant travelled with it, byte for byte.
  HubClient analyst = testing::client_as(*provider_, "analyst");
  json documents = get_json(analyst, "/api/v1/requests/" + id + "/attachments")["items"];
  ASSERT_EQ(documents.size(), 1u) << documents;
  EXPECT_EQ(documents[0]["name"], "warrant.pdf");
  EXPECT_EQ(documents[0]["media_type"], "application/pdf");
  EXPECT_EQ(analyst
                .send("GET", "/api/v1/requests/" + id + "/attachments/" +
                                 documents[0]["id"].get<std::string>() + "/content")
                .body,
            pdf);
  EXPECT_TRUE(eventually([&] {
    return has_event(get_json(officer, "/api/v1/requests/" + id + "/events")["items"],
                     "hi1_forwarded");
  }));

  // Produced there: acknowledged, accepted, sealed for the police unit's
  // recipient key (known on both hubs) and uploaded.
  act_ok(analyst, there, "acknowledge");
  there = act_ok(analyst, there, "accept");
  std::filesystem::path file = links_dir_->path() / ("package-" + id + ".liaison");
  testing::seal_as_analyst(
      *provider_, there, file, {{"subscriber.csv", "suspect@example.org\n"}},
      {testing::police_recipient(*authority_), testing::police_recipient(*provider_)});
  auto uploaded = testing::upload_package(*provider_, id, file);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  act_ok(analyst, there, "produce");

  // Back on the police unit's hub: registered with the hub's own checks,
  // and the request produced.
  ASSERT_TRUE(authority_status_is(id, "produced")) << at_authority(id);
  json packages = get_json(officer, "/api/v1/requests/" + id + "/packages")["items"];
  ASSERT_EQ(packages.size(), 1u) << packages;
  const json& package = packages[0];
  EXPECT_EQ(package["id"], testing::json_of(uploaded)["package"]["id"]);
  // Checked here as an upload is: the analyst's signature against the
  // trusted root, the request id, the police unit's recipient key. The
  // reference in the manifest is the one the provider's hub gave.
  const json& registered = package["custody"].back();
  EXPECT_EQ(registered["outcome"], "verified") << package["custody"];
  EXPECT_EQ(registered["detail"]["provider_hub_reference"], there["reference"]);
  // The same bytes the provider sealed, downloadable by the officer.
  auto download = officer.send("GET", package["content"].get<std::string>());
  ASSERT_EQ(download.status, 200);
  EXPECT_EQ(download.body, testing::slurp(file));

  // Both ledgers record their side.
  json here = at_authority(id);
  EXPECT_TRUE(has_ledger_entry(here, "request.forwarded")) << here["ledger"];
  EXPECT_TRUE(has_ledger_entry(here, "evidence.produced")) << here["ledger"];
  EXPECT_TRUE(has_ledger_entry(here, "request.produced")) << here["ledger"];
  EXPECT_TRUE(eventually([&] {
    json v = get_json(analyst, "/api/v1/requests/" + id);
    return has_ledger_entry(v, "evidence.delivered") && has_ledger_entry(v, "evidence.produced");
  }));
}

void Hi1Federation::not_available_there_is_not_available_here() {
  json request = submitted();
  const std::string id = request["id"];
  json there = arrived(id);
  HubClient analyst = testing::client_as(*provider_, "analyst");
  act_ok(analyst, there, "acknowledge");
  there = act_ok(analyst, there, "accept");
  act_ok(analyst, there, "not_available", json{{"note", "no such account"}});
  ASSERT_TRUE(authority_status_is(id, "not_available")) << at_authority(id);
  EXPECT_TRUE(has_ledger_entry(at_authority(id), "request.not_available"));
}

void Hi1Federation::rejection_and_withdrawal_travel_both_ways() {
  json rejected = submitted();
  json there = arrived(rejected["id"]);
  HubClient analyst = testing::client_as(*provider_, "analyst");
  act_ok(analyst, there, "acknowledge");
  act_ok(analyst, there, "reject", json{{"note", "not our customer"}});
  HubClient officer = testing::client_as(*authority_, "officer");
  ASSERT_TRUE(authority_status_is(rejected["id"], "rejected"))
      << get_json(officer, request_path(rejected) + "/events");

  json withdrawn = submitted();
  there = arrived(withdrawn["id"]);
  ASSERT_EQ(there.value("status", ""), "submitted");
  act_ok(officer, withdrawn, "cancel", json{{"note", "the suspect was identified otherwise"}});
  EXPECT_TRUE(eventually([&] {
    return get_json(analyst, "/api/v1/requests/" + withdrawn["id"].get<std::string>())
               .value("status", "") == "cancelled";
  }));
}

// The same hubs over HTTPS, each system holding no token on the other hub:
// its client certificate, trusted for its endpoint, is its credential.
class Hi1FederationOverMutualTls : public Hi1Federation {
 protected:
  static void SetUpTestSuite() { start_hubs(Channel::kMutualTls); }
};

TEST_F(Hi1Federation, ARequestIsForwardedProducedAndItsPackageDeliveredBack) {
  forwarded_produced_and_delivered_back();
}
TEST_F(Hi1Federation, NotAvailableThereIsNotAvailableHere) {
  not_available_there_is_not_available_here();
}
TEST_F(Hi1Federation, ARejectionThereIsARejectionHereAndAWithdrawalHereIsOneThere) {
  rejection_and_withdrawal_travel_both_ways();
}

TEST_F(Hi1FederationOverMutualTls, ARequestIsForwardedProducedAndItsPackageDeliveredBack) {
  forwarded_produced_and_delivered_back();
}
TEST_F(Hi1FederationOverMutualTls, NotAvailableThereIsNotAvailableHere) {
  not_available_there_is_not_available_here();
}
TEST_F(Hi1FederationOverMutualTls, ARejectionThereIsARejectionHereAndAWithdrawalHereIsOneThere) {
  rejection_and_withdrawal_travel_both_ways();
}

TEST_F(Hi1FederationOverMutualTls, WithoutItsCertificateASystemIsNobody) {
  // What made the journeys pass was the certificates: the same message
  // without one, over the same TLS, is refused.
  ASSERT_EQ(authority_->base_url().rfind("https://", 0), 0u);
  HubClient anonymous(provider_->base_url(), "", {provider_->tls_ca_file(), "", ""});
  EXPECT_EQ(anonymous.send("POST", "/hi1", "<HI1Message/>", "application/xml").status, 401);
}

}  // namespace
}  // namespace liaison
