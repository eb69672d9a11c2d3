// `liaison hi1 …`: a Liaison request sent to a provider's HI-1 endpoint (ETSI
// TS 103 120) and its status read back. The signed request comes from the
// authority's own hub; the message goes to the provider's endpoint, which may
// be another Liaison hub or another system that speaks Liaison's profile.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "cli/cli.h"
#include "cli/hi1_peering.h"
#include "cli/hub_client.h"
#include "cli/output.h"
#include "cli/remote.h"
#include "core/time.h"
#include "etsi/mapping.h"
#include "etsi/message.h"
#include "etsi/namespaces.h"
#include "etsi/xml_signature.h"
#include "etsi/xml_tree.h"
#include "service/environment.h"

namespace liaison::cli {

namespace {

using etsi::XmlElement;
using nlohmann::json;

const std::string kCore(etsi::kCoreNamespace);
const std::string kTask(etsi::kTaskNamespace);

// The provider's endpoint and how this authority's system speaks to it: a
// bearer token, or a client certificate (mutual TLS), or both; and the key
// its messages are XML-signed with, when the endpoint wants them signed.
struct Peer {
  std::string url;    // the endpoint, http(s)://host:port/path
  std::string token;  // the bearer token its hub gave this authority's system
  TlsClientOptions tls;
  std::string signing_key_file, signing_cert_file;
  std::optional<etsi::XmlSigningKey> signing_key;  // loaded by check_peer
};

void add_peer(CLI::App* cmd, Peer& p) {
  cmd->add_option("--to", p.url,
                  "The provider's HI-1 endpoint, such as https://hub.example.org/hi1")
      ->required();
  cmd->add_option("--to-token", p.token,
                  "Bearer token for that endpoint (not needed with --to-cert)")
      ->envname("LIAISON_HI1_TOKEN");
  cmd->add_option("--to-ca", p.tls.ca_file,
                  "PEM certificates the endpoint's certificate must chain to (default: this "
                  "machine's CAs)");
  cmd->add_option("--to-cert", p.tls.certificate_file,
                  "Client certificate (PEM) of your system, for mutual TLS");
  cmd->add_option("--to-key", p.tls.key_file, "The client certificate's key (PEM, mode 600)");
  cmd->add_option("--signing-key", p.signing_key_file,
                  "Sign each message (XMLDSig) with this key (PEM, mode 600)");
  cmd->add_option("--signing-cert", p.signing_cert_file,
                  "The certificate (PEM) of the signing key, sent in each signature");
}

// Refuses, before anything is sent, settings that cannot work together, and
// loads the signing key.
void check_peer(Peer& p) {
  const bool https = p.url.rfind("https://", 0) == 0;
  if (!https && p.url.rfind("http://", 0) != 0) {
    throw CliError(kExitUsage, "--to " + p.url + ": give an http:// or https:// URL");
  }
  if (p.tls.certificate_file.empty() != p.tls.key_file.empty()) {
    throw CliError(kExitUsage, std::string(p.tls.key_file.empty() ? "--to-key" : "--to-cert") +
                                   ": a client certificate goes with its key");
  }
  if (!https && (!p.tls.ca_file.empty() || !p.tls.certificate_file.empty())) {
    throw CliError(kExitUsage, std::string(p.tls.ca_file.empty() ? "--to-cert" : "--to-ca") +
                                   ": is for an https:// endpoint");
  }
  if (p.token.empty() && p.tls.certificate_file.empty()) {
    throw CliError(
        kExitUsage,
        "--to-token: give the endpoint's token, or --to-cert and --to-key for mutual TLS");
  }
  if (!p.tls.key_file.empty()) {
    Status key = check_private_key_file(p.tls.key_file);
    if (!key.ok()) throw CliError(kExitUsage, "--to-key: " + key.error().message);
  }
  if (p.signing_key_file.empty() != p.signing_cert_file.empty()) {
    throw CliError(kExitUsage,
                   std::string(p.signing_key_file.empty() ? "--signing-key" : "--signing-cert") +
                       ": a signing key goes with its certificate");
  }
  if (!p.signing_key_file.empty()) {
    auto key = load_signing_key(p.signing_key_file, p.signing_cert_file);
    if (!key.ok()) {
      const Error& e = key.error();
      throw CliError(kExitUsage, "--signing-key: " + (e.issues.empty() ? e.message
                                                                       : e.issues[0].field + ": " +
                                                                             e.issues[0].reason));
    }
    p.signing_key = std::move(key).value();
  }
}

std::string now_micro() { return format_rfc3339_micros(SystemClock().now()); }

etsi::Header header_for(const json& payload) {
  etsi::Header h;
  h.sender = {payload["issuer"].value("country", ""), payload["issuer"].value("endpoint_uid", "")};
  h.receiver = {payload["provider"].value("country", ""),
                payload["provider"].value("endpoint_uid", "")};
  h.transaction_id = random_uuid();
  h.timestamp = now_micro();
  h.etsi_version = "V1.23.1";
  h.national_profile_owner = etsi::kLiaisonProfileOwner;
  h.national_profile_version = etsi::kLiaisonProfileVersion;
  return h;
}

std::string error_text(const etsi::Hi1Error& e) {
  return std::to_string(static_cast<int>(e.code)) + " " + e.description;
}

// Posts `message`; the answers per action, or a CliError for a refusal of the
// whole message or a transport failure.
std::vector<etsi::ActionResponse> exchange(const Peer& peer, const XmlElement& message) {
  auto [base, path] = split_endpoint_url(peer.url);
  std::string xml = etsi::write_xml(message);
  if (peer.signing_key) {
    auto signed_xml = etsi::sign_xml(xml, *peer.signing_key);
    if (!signed_xml.ok()) {
      throw CliError(kExitFailure, "the message cannot be signed: " + signed_xml.error().message);
    }
    xml = std::move(signed_xml).value();
  }
  ClientResponse r;
  try {
    HubClient c(base, peer.token, peer.tls);
    r = c.send("POST", path, xml, "application/xml");
  } catch (const std::invalid_argument& e) {
    throw CliError(kExitUsage, "--to " + peer.url + ": " + e.what());
  } catch (const std::runtime_error& e) {
    // No connection, or TLS that failed: the endpoint's certificate, or ours.
    throw CliError(kExitUnavailable, e.what());
  }
  if (r.status == 0) throw CliError(kExitUnavailable, peer.url + " is unreachable");
  if (r.status == 401 || r.status == 403) {
    const char* what = peer.tls.certificate_file.empty() ? "token"
                       : peer.token.empty()              ? "client certificate"
                                                         : "token and client certificate";
    throw CliError(kExitDenied,
                   peer.url + " refused the " + what + " (HTTP " + std::to_string(r.status) + ")");
  }
  if (r.status != 200) {
    throw CliError(kExitFailure, peer.url + " answered HTTP " + std::to_string(r.status));
  }
  auto tree = etsi::parse_xml(r.body);
  etsi::ResponseReading reading =
      tree.ok() ? etsi::read_response(*tree) : etsi::ResponseReading{{}, {}, true};
  if (reading.malformed) {
    throw CliError(kExitFailure, peer.url + " answered something that is not an HI-1 response");
  }
  if (reading.error) {
    throw CliError(kExitInvalid, "the endpoint refused the message: " + error_text(*reading.error));
  }
  return reading.actions;
}

struct TaskStatus {
  std::string status;
  std::string reason;
};

TaskStatus get_status(const Peer& peer, const etsi::Header& like, const std::string& task_id) {
  etsi::Header h = like;
  h.transaction_id = random_uuid();
  h.timestamp = now_micro();
  XmlElement m = etsi::request_message(
      h, {{0, etsi::Verb::kGet,
           etsi::action_element(etsi::Verb::kGet, {etsi::core_text("Identifier", task_id)})}});
  auto answers = exchange(peer, m);
  if (answers.size() != 1) throw CliError(kExitFailure, "the endpoint did not answer the GET");
  if (answers[0].error) {
    throw CliError(answers[0].error->code == etsi::Hi1ErrorCode::kGetObjectNotFound ? kExitNotFound
                                                                                    : kExitInvalid,
                   "GET " + task_id + ": " + error_text(*answers[0].error));
  }
  if (!answers[0].body) throw CliError(kExitFailure, "the endpoint answered the GET with nothing");
  const XmlElement* object = answers[0].body->child(kCore, "HI1Object");
  TaskStatus s;
  if (object != nullptr) {
    s.status = etsi::entry_value(object->child(kTask, "Status"));
    if (const XmlElement* why = object->child(kTask, "StatusReason"))
      s.reason = etsi::value_of(why->child(kCore, "ErrorDescription"));
  }
  return s;
}

bool settled(const std::string& status) {
  return status != "AwaitingDisclosure" && status != "AwaitingPreservation" &&
         status != "AwaitingApproval";
}

// Polls until the task's status settles or `seconds` pass; the last status.
TaskStatus watch(const Peer& peer, const etsi::Header& like, const std::string& task_id,
                 int seconds, int interval) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  TaskStatus s = get_status(peer, like, task_id);
  while (!settled(s.status) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::seconds(interval));
    s = get_status(peer, like, task_id);
  }
  return s;
}

void print_status(const std::string& task_id, const TaskStatus& s) {
  std::cout << "task " << task_id << ": " << (s.status.empty() ? "(no status)" : s.status);
  if (!s.reason.empty()) std::cout << " (" << s.reason << ")";
  std::cout << "\n";
}

}  // namespace

void add_hi1_commands(CLI::App& app) {
  static Remote remote;
  static Peer peer;
  static std::string request_id, task_id, sender;
  static int watch_seconds = 0, interval = 5;
  auto* hi1 =
      app.add_subcommand("hi1", "Send requests over ETSI TS 103 120 (HI-1) and follow them");
  hi1->require_subcommand(1);

  auto* send = hi1->add_subcommand(
      "send",
      "Send a signed request from your hub to a provider's HI-1 endpoint, then read its status");
  add_remote(send, remote);
  add_peer(send, peer);
  send->add_option("request", request_id, "The request's id on your hub (signed, not yet sent)")
      ->required();
  send->add_option("--watch", watch_seconds,
                   "Poll with GET for up to this many seconds, until the status settles");
  send->add_option("--interval", interval, "Seconds between polls")->check(CLI::Range(1, 3600));
  send->callback([] {
    check_peer(peer);
    HubClient c = client(remote);
    json envelope = call(c, "GET", "/api/v1/requests/" + url_encode(request_id) + "/signed");
    const json& payload = envelope["payload"];
    etsi::ObjectIds ids{random_uuid(), random_uuid(), random_uuid()};
    auto objects = etsi::objects_for_signed_request(payload, envelope.dump(), ids);
    if (!objects.ok()) {
      const Error& e = objects.error();
      throw CliError(
          kExitInvalid,
          "the request cannot travel over HI-1: " +
              (e.issues.empty() ? e.message : e.issues[0].field + ": " + e.issues[0].reason));
    }
    etsi::Header h = header_for(payload);
    std::vector<etsi::ActionRequest> actions;
    for (auto& o : *objects) {
      actions.push_back({actions.size(), etsi::Verb::kCreate,
                         etsi::action_element(etsi::Verb::kCreate, {std::move(o)})});
    }
    auto answers = exchange(peer, etsi::request_message(h, actions));
    const char* names[] = {"Authorisation", "signed request", "task"};
    for (std::size_t i = 0; i < answers.size() && i < 3; ++i) {
      if (answers[i].error) {
        throw CliError(kExitInvalid, std::string("the endpoint refused the ") + names[i] + ": " +
                                         error_text(*answers[i].error));
      }
    }
    if (answers.size() != 3)
      throw CliError(kExitFailure, "the endpoint did not answer each object");
    TaskStatus s = watch(peer, h, ids.task, watch_seconds, interval);
    if (remote.json_out) {
      std::cout << json{{"transaction_id", h.transaction_id},
                        {"authorisation_id", ids.authorisation},
                        {"document_id", ids.document},
                        {"task_id", ids.task},
                        {"status", s.status},
                        {"status_reason", s.reason}}
                       .dump(2)
                << "\n";
      return;
    }
    std::cout << "sent " << request_id << " to " << peer.url << "\n";
    print_status(ids.task, s);
  });

  auto* status =
      hi1->add_subcommand("status", "Read a task's status from a provider's HI-1 endpoint");
  add_peer(status, peer);
  status->add_option("task", task_id, "The task's ObjectIdentifier, as `hi1 send` printed it")
      ->required();
  status->add_option("--from", sender, "Your endpoint, as COUNTRY/ENDPOINT_ID (e.g. NL/NPCU)")
      ->required();
  status->add_option("--provider", request_id, "The provider's endpoint, as COUNTRY/ENDPOINT_ID")
      ->required();
  status->add_option("--watch", watch_seconds, "Poll for up to this many seconds");
  status->add_option("--interval", interval, "Seconds between polls")->check(CLI::Range(1, 3600));
  status->add_flag("--json", remote.json_out, "Print JSON");
  status->callback([] {
    check_peer(peer);
    auto endpoint = [](const std::string& text, const char* flag) {
      auto slash = text.find('/');
      if (slash != 2 || slash + 1 >= text.size()) {
        throw CliError(kExitUsage, std::string(flag) + " " + text +
                                       ": give COUNTRY/ENDPOINT_ID, such as NL/NPCU");
      }
      return json{{"country", text.substr(0, 2)}, {"endpoint_uid", text.substr(3)}};
    };
    etsi::Header h = header_for(json{{"issuer", endpoint(sender, "--from")},
                                     {"provider", endpoint(request_id, "--provider")}});
    TaskStatus s = watch(peer, h, task_id, watch_seconds, interval);
    if (remote.json_out) {
      std::cout
          << json{{"task_id", task_id}, {"status", s.status}, {"status_reason", s.reason}}.dump(2)
          << "\n";
      return;
    }
    print_status(task_id, s);
  });
}

}  // namespace liaison::cli
