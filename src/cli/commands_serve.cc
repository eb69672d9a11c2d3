// `liaison serve`: run a hub over HTTP.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/api.h"
#include "cli/cli.h"
#include "cli/hi1_peering.h"
#include "cli/hub_runtime.h"
#include "cli/log_sink.h"
#include "cli/output.h"
#include "cli/sweeps.h"
#include "http/server.h"
#include "ledger/checkpoint.h"

namespace liaison::cli {

namespace {

struct ServeOptions {
  std::string data_dir = "var";
  std::string listen = "127.0.0.1:8080";
  http::ServerOptions server;
  std::string log_level = "info";
  int expiry_interval_seconds = 60;
  int activity_interval_seconds = 60;
  bool secure_cookies = false;
  std::string password_hash = "standard";
  int max_failed_logins = SessionPolicy{}.max_failed_logins;
  int lockout_minutes = static_cast<int>(SessionPolicy{}.lockout_seconds / 60);
  std::int64_t checkpoint_interval_seconds = CheckpointPolicy{}.interval_seconds;
  std::int64_t checkpoint_entries = CheckpointPolicy{}.max_entries;
  std::string ledger_origin = kDefaultLedgerOrigin;
  std::string law_dir = HubOptions::default_law_dir();
  std::string hi1_url;
  std::string hi1_links;  // the federation links file (etsi/peer_links.h)
  int hi1_interval_seconds = 30;
  std::string hi1_signing_key, hi1_signing_cert;  // XML signatures on what the hub sends
  std::string hi1_signers;                        // certificates trusted per sender
  bool hi1_require_signatures = false;
  std::string hi1_tls_clients;         // certificates trusted per endpoint for mutual TLS
  std::vector<std::string> witnesses;  // verifier keys
  std::string directory_data;          // empty: the shipped data/providers/
  std::string web_dir;  // empty: the built portal next to the binary or in the source tree
  ReminderFlags reminders;
};

// The portal named with --web must be there; the default one is served when
// it has been built (make web), and otherwise the hub serves the API alone.
std::optional<http::StaticSite> open_site(const std::string& web_dir) {
  std::vector<std::filesystem::path> candidates;
  if (!web_dir.empty()) {
    candidates.emplace_back(web_dir);
  } else {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) candidates.push_back(exe.parent_path() / "web");
    candidates.emplace_back(LIAISON_WEB_DIR);
  }
  for (const auto& dir : candidates) {
    std::error_code ec;
    if (web_dir.empty() && !std::filesystem::exists(dir / "index.html", ec)) continue;
    auto site = http::StaticSite::open(dir);
    if (!site.ok()) throw CliError(kExitUsage, "--web: " + site.error().message);
    spdlog::info("{}", nlohmann::json{{"event", "web_portal"},
                                      {"folder", dir.string()},
                                      {"files", site->file_count()},
                                      {"bytes", site->total_bytes()}}
                           .dump());
    return std::move(site).value();
  }
  spdlog::warn("{}", nlohmann::json{{"event", "web_portal_missing"},
                                    {"detail",
                                     "the portal is not built (make web): serving the "
                                     "API only"}}
                         .dump());
  return std::nullopt;
}

void parse_listen(const std::string& listen, http::ServerOptions& out) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    throw CliError(kExitUsage, "--listen must be HOST:PORT, such as 127.0.0.1:8080");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) throw CliError(kExitUsage, "--listen port must be 0-65535");
  out.address = host;
  out.port = static_cast<uint16_t>(port);
}

// Runs a task now and then every interval, until stopped; once more on the
// way out, so a clean shutdown loses nothing the task would have saved.
class PeriodicTask {
 public:
  PeriodicTask(int interval_seconds, std::function<void()> task, bool run_on_exit = true)
      : task_(std::move(task)), run_on_exit_(run_on_exit) {
    thread_ = std::thread([this, interval_seconds] {
      std::unique_lock lock(mu_);
      while (!stop_) {
        lock.unlock();
        task_();
        lock.lock();
        cv_.wait_for(lock, std::chrono::seconds(interval_seconds), [this] { return stop_; });
      }
    });
  }
  ~PeriodicTask() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    if (run_on_exit_) task_();
  }
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  std::function<void()> task_;
  bool run_on_exit_ = true;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// One federation pass, logged when it did something or failed.
void federate(Hi1Federation& federation) {
  auto pass = federation.sweep();
  if (!pass.ok()) {
    spdlog::warn(
        "{}", nlohmann::json{{"event", "hi1_federation_failed"}, {"reason", pass.error().message}}
                  .dump());
    return;
  }
  if (*pass == FederationPass{}) return;
  spdlog::info("{}", nlohmann::json{{"event", "hi1_federation"},
                                    {"forwarded", pass->forwarded},
                                    {"refused", pass->refused},
                                    {"statuses", pass->statuses},
                                    {"delivered", pass->delivered},
                                    {"retrying", pass->retrying}}
                         .dump());
}

// The periodic sweeps (cli/sweeps.h), each failure and each count logged.
void sweep_requests(RequestService& requests, const ReminderPolicy& policy) {
  for (const auto& o : run_sweeps(requests, policy)) {
    if (!o.status.ok()) {
      spdlog::warn("{}", nlohmann::json{{"event", "sweep_failed"},
                                        {"task", o.task},
                                        {"detail", o.status.error().message}}
                             .dump());
    } else if (o.count > 0) {
      // Overdue emergency follow-ups are warnings: someone owes a court order.
      auto level = o.task == "follow_ups_escalated" ? spdlog::level::warn : spdlog::level::info;
      spdlog::log(level, "{}", nlohmann::json{{"event", o.task}, {"count", o.count}}.dump());
    }
  }
}

// Signs and publishes a ledger checkpoint when one is due.
void publish_checkpoint(LedgerService& ledger) {
  auto published = ledger.publish_if_due();
  if (!published.ok()) {
    spdlog::warn("{}", nlohmann::json{{"event", "checkpoint_not_published"},
                                      {"detail", published.error().message}}
                           .dump());
  }
}

// Writes when sessions were last used, for their idle timeout.
void save_activity(SessionService& sessions) {
  Status s = sessions.flush_activity();
  if (!s.ok()) {
    spdlog::warn(
        "{}", nlohmann::json{{"event", "session_activity_not_saved"}, {"detail", s.error().message}}
                  .dump());
  }
}

// Adds the shipped provider entries the directory does not hold yet. A
// folder named with --directory-data must exist; the default one may not
// (a hub installed without its source tree), and is then only reported.
void seed_directory(HubRuntime& hub, const std::string& flag) {
  std::string folder = flag.empty() ? default_directory_data() : flag;
  std::error_code ec;
  if (flag.empty() && !std::filesystem::is_directory(folder, ec)) {
    spdlog::warn("{}",
                 nlohmann::json{{"event", "directory_data_missing"}, {"folder", folder}}.dump());
    return;
  }
  auto added = hub.seed_directory(folder);
  if (!added.ok()) {
    Error e = added.error();
    e.message = "--directory-data " + folder + ": " + e.message;
    fail(e);
  }
  spdlog::info(
      "{}",
      nlohmann::json{{"event", "directory_seeded"}, {"folder", folder}, {"added", added.value()}}
          .dump());
}

void serve(ServeOptions& o) {
  parse_listen(o.listen, o.server);
  auto level = spdlog::level::from_str(o.log_level);
  // One access-log line per request: buffer them and write once a second
  // (and at once for warnings), rather than one system call per request.
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("liaison", std::make_shared<BufferedFdSink>(STDERR_FILENO)));
  spdlog::flush_every(std::chrono::seconds(1));
  spdlog::flush_on(spdlog::level::warn);
  spdlog::set_level(level);
  // Log lines are JSON objects written by the callers; no decoration.
  spdlog::set_pattern("%v");

  auto cost = trust::password_cost_from_name(o.password_hash, "--password-hash");
  if (!cost.ok()) fail(cost.error());
  if (o.max_failed_logins < 1 || o.lockout_minutes < 1)
    throw CliError(kExitUsage, "--max-failed-logins and --lockout-minutes must be at least 1");
  HubOptions hub_options;
  hub_options.sessions.password_cost = cost.value();
  hub_options.sessions.max_failed_logins = o.max_failed_logins;
  hub_options.sessions.lockout_seconds = std::int64_t{o.lockout_minutes} * 60;
  if (o.checkpoint_interval_seconds < 1 || o.checkpoint_entries < 1)
    throw CliError(kExitUsage, "--checkpoint-interval and --checkpoint-entries must be at least 1");
  hub_options.checkpoints = {o.checkpoint_interval_seconds, o.checkpoint_entries};
  hub_options.ledger_origin = o.ledger_origin;
  hub_options.law_dir = o.law_dir;
  hub_options.hi1.endpoint_url = o.hi1_url;
  std::optional<PeerLinksFile> links_file;
  if (!o.hi1_links.empty()) {
    if (o.hi1_interval_seconds < 1)
      throw CliError(kExitUsage, "--hi1-interval must be at least 1 second");
    auto opened = PeerLinksFile::open(o.hi1_links);
    if (!opened.ok()) {
      const Error& e = opened.error();
      throw CliError(kExitUsage,
                     "--hi1-links: " + (e.issues.empty() ? e.message : e.issues[0].reason));
    }
    links_file.emplace(std::move(opened).value());
  }
  auto usage_error = [](const char* flag, const Error& e) {
    return CliError(
        kExitUsage,
        std::string(flag) + ": " +
            (e.issues.empty() ? e.message : e.issues[0].field + " " + e.issues[0].reason));
  };
  std::optional<etsi::XmlSigningKey> signing_key;
  if (o.hi1_signing_key.empty() != o.hi1_signing_cert.empty()) {
    throw CliError(kExitUsage, "--hi1-signing-key and --hi1-signing-cert go together");
  }
  if (!o.hi1_signing_key.empty()) {
    auto k = load_signing_key(o.hi1_signing_key, o.hi1_signing_cert);
    if (!k.ok()) throw usage_error("--hi1-signing-key", k.error());
    signing_key = std::move(k).value();
  }
  std::optional<etsi::XmlSignaturePolicy> signatures;
  if (!o.hi1_signers.empty()) {
    auto p = etsi::XmlSignaturePolicy::load(o.hi1_signers, o.hi1_require_signatures);
    if (!p.ok()) throw usage_error("--hi1-signers", p.error());
    signatures = std::move(p).value();
  } else if (o.hi1_require_signatures) {
    throw CliError(kExitUsage,
                   "--hi1-require-signatures needs --hi1-signers: the certificates to check with");
  }
  if (o.server.tls_certificate_file.empty() != o.server.tls_key_file.empty()) {
    throw CliError(kExitUsage, "--tls-cert and --tls-key go together");
  }
  if (!o.server.tls_key_file.empty()) {
    Status key = check_private_key_file(o.server.tls_key_file);
    if (!key.ok()) throw usage_error("--tls-key", key.error());
  }
  std::optional<etsi::EndpointCertificates> tls_clients;
  if (!o.hi1_tls_clients.empty()) {
    if (o.server.tls_certificate_file.empty()) {
      throw CliError(kExitUsage,
                     "--hi1-tls-clients needs --tls-cert and --tls-key: mutual TLS is TLS first");
    }
    auto c = etsi::EndpointCertificates::load(o.hi1_tls_clients);
    if (!c.ok()) throw usage_error("--hi1-tls-clients", c.error());
    tls_clients = std::move(c).value();
    o.server.tls_request_client_certificate = true;
  }
  std::optional<http::StaticSite> site = open_site(o.web_dir);
  auto hub_result = HubRuntime::open(o.data_dir, false, hub_options);
  if (!hub_result.ok()) fail(hub_result.error());
  auto& hub = *hub_result.value();
  o.server.upload_dir = hub.blobs().temp_dir();

  std::vector<ledger::NoteVerifier> witnesses;
  for (const auto& vkey : o.witnesses) {
    auto w = ledger::NoteVerifier::parse_vkey(vkey);
    if (!w.ok()) throw CliError(kExitUsage, "--witness " + vkey + ": " + w.error().message);
    witnesses.push_back(std::move(w).value());
  }
  hub.ledger().set_witnesses(std::move(witnesses));
  seed_directory(hub, o.directory_data);
  auto warmed = hub.ledger().warm();
  if (!warmed.ok()) fail(warmed.error());
  spdlog::info("{}", nlohmann::json{{"event", "ledger_cache_warmed"}, {"nodes", *warmed}}.dump());
  api::Api api({hub.store(), hub.blobs(), hub.accounts(), hub.sessions(), hub.requests(),
                hub.trust(), hub.ledger(), hub.directory(), "0.1.0",
                // Serving HTTPS itself, the hub's cookies are Secure too.
                o.secure_cookies || !o.server.tls_certificate_file.empty(), &hub.routes(),
                &hub.hi1(), &hub.hi1_schemas(), &hub.hi1_xsd(), signatures ? &*signatures : nullptr,
                signing_key ? &*signing_key : nullptr, tls_clients ? &*tls_clients : nullptr,
                site ? &*site : nullptr, &hub.transparency()});
  http::Server server(o.server, api);
  api.set_server_stats(&server.stats());
  try {
    server.start();
  } catch (const std::exception& e) {
    throw CliError(kExitUnavailable, e.what());
  }
  ReminderPolicy reminders = o.reminders.policy();
  PeriodicTask sweeper(o.expiry_interval_seconds,
                       [&hub, reminders] { sweep_requests(hub.requests(), reminders); });
  PeriodicTask activity(o.activity_interval_seconds, [&hub] { save_activity(hub.sessions()); });
  // Federation over HI-1: not run again on the way out, since a peer that
  // does not answer would hold the shutdown.
  HttpHi1Transport transport;
  std::optional<Hi1Federation> federation;
  std::optional<PeriodicTask> federating;
  if (links_file) {
    FederationSettings settings;
    settings.signing_key = signing_key ? &*signing_key : nullptr;
    settings.signatures = signatures ? &*signatures : nullptr;
    federation.emplace(
        hub.store(), hub.blobs(), hub.requests(), hub.clock(), transport,
        [&links_file] { return links_file->links(); }, settings);
    federating.emplace(
        o.hi1_interval_seconds, [&federation] { federate(*federation); }, false);
  }
  // Checked every second, so "after M entries" is kept within a second.
  PeriodicTask checkpoints(1, [&hub] { publish_checkpoint(hub.ledger()); });
  std::string host = o.server.address.find(':') != std::string::npos ? "[" + o.server.address + "]"
                                                                     : o.server.address;
  std::cout << "Liaison hub serving " << o.data_dir << " at "
            << (o.server.tls_certificate_file.empty() ? "http://" : "https://") << host << ":"
            << server.port() << std::endl;
  server.wait_for_shutdown_signal();
  server.stop();
  spdlog::default_logger()->flush();
}

}  // namespace

void add_serve_command(CLI::App& app) {
  static ServeOptions o;
  auto* cmd = app.add_subcommand("serve", "Serve a hub's HTTP API");
  cmd->add_option("--data", o.data_dir, "Hub data directory")
      ->envname("LIAISON_DATA")
      ->capture_default_str();
  cmd->add_option("--listen", o.listen, "Address and port; port 0 picks a free one")
      ->capture_default_str();
  cmd->add_option("--network-threads", o.server.network_threads, "Threads for network I/O")
      ->capture_default_str();
  cmd->add_option("--worker-threads", o.server.worker_threads, "Threads for writes")
      ->capture_default_str();
  cmd->add_option("--max-connections", o.server.max_connections, "Open connections at most")
      ->capture_default_str();
  cmd->add_option("--max-body-bytes", o.server.max_body_bytes, "Largest JSON body")
      ->capture_default_str();
  cmd->add_option("--max-upload-bytes", o.server.max_upload_bytes, "Largest attachment")
      ->capture_default_str();
  cmd->add_option("--max-header-bytes", o.server.max_header_bytes, "Largest header block")
      ->capture_default_str();
  cmd->add_option("--log-level", o.log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str();
  cmd->add_option("--expiry-interval", o.expiry_interval_seconds,
                  "Seconds between sweeps: preservation expiry, emergency follow-ups, lapsed "
                  "gag orders, reminders")
      ->capture_default_str();
  o.reminders.add_to(cmd);
  cmd->add_option("--checkpoint-interval", o.checkpoint_interval_seconds,
                  "Publish a ledger checkpoint at least this often (seconds) while the log grows")
      ->capture_default_str();
  cmd->add_option("--checkpoint-entries", o.checkpoint_entries,
                  "... or as soon as this many entries are not in a checkpoint")
      ->capture_default_str();
  cmd->add_option("--law-data", o.law_dir,
                  "The legal rules the hub applies (instruments, parties, routes)")
      ->envname("LIAISON_LAW_DATA")
      ->capture_default_str();
  cmd->add_option("--ledger-origin", o.ledger_origin,
                  "The checkpoints' origin line and key name, such as hub.example.org/ledger; "
                  "choose it once")
      ->capture_default_str();
  cmd->add_option("--witness", o.witnesses,
                  "A witness's verifier key (liaison witness vkey); its cosignatures of the "
                  "ledger's checkpoints are kept and served. Repeat for more");
  cmd->add_option("--directory-data", o.directory_data,
                  "Folder of provider directory entries (*.toml) to add when not yet stored; "
                  "stored entries are never overwritten (default: the shipped data/providers)")
      ->envname("LIAISON_DIRECTORY_DATA");
  cmd->add_option("--hi1-url", o.hi1_url,
                  "The public URL of POST /hi1 that GETCSPCONFIG advertises (default: the URL the "
                  "caller used)");
  cmd->add_option("--hi1-links", o.hi1_links,
                  "Federation: a TOML file of peer hubs to forward requests to and deliver "
                  "results back to over HI-1 (mode 600; read again when it changes; see "
                  "docs/etsi.md)")
      ->envname("LIAISON_HI1_LINKS");
  cmd->add_option("--hi1-signing-key", o.hi1_signing_key,
                  "Sign HI-1 responses and federation messages (XMLDSig) with this PEM private key "
                  "(RSA or EC P-256, mode 600)");
  cmd->add_option("--hi1-signing-cert", o.hi1_signing_cert,
                  "... and put this PEM certificate of that key in their KeyInfo");
  cmd->add_option("--hi1-signers", o.hi1_signers,
                  "Check the XML signatures of HI-1 messages against this folder of certificates, "
                  "one COUNTRY-ENDPOINT_ID.pem per sender");
  cmd->add_flag("--hi1-require-signatures", o.hi1_require_signatures,
                "Refuse HI-1 messages (and federation answers) that carry no XML signature");
  cmd->add_option("--tls-cert", o.server.tls_certificate_file,
                  "Serve HTTPS only (TLS 1.2 or later) with this PEM certificate chain");
  cmd->add_option("--tls-key", o.server.tls_key_file,
                  "... and this PEM private key of it (mode 600)");
  cmd->add_option("--hi1-tls-clients", o.hi1_tls_clients,
                  "Mutual TLS on POST /hi1: a client certificate trusted in this folder (one "
                  "COUNTRY-ENDPOINT_ID.pem per endpoint) authenticates that endpoint's "
                  "organisation, through its federation link account");
  cmd->add_option("--hi1-interval", o.hi1_interval_seconds,
                  "Seconds between federation passes: forward, follow, deliver")
      ->capture_default_str();
  cmd->add_option("--web", o.web_dir,
                  "Folder of the built web portal, served from /; by default web/ next to the "
                  "binary, or the source tree's web/dist, when built");
  cmd->add_flag("--secure-cookies", o.secure_cookies,
                "Mark the session cookie Secure (HTTPS only): set it behind a TLS-terminating "
                "reverse proxy");
  cmd->add_option("--password-hash", o.password_hash,
                  "Argon2id cost of new password hashes: standard, moderate, or min (tests only); "
                  "hashes of another cost are upgraded at the next login")
      ->envname("LIAISON_PASSWORD_HASH")
      ->capture_default_str();
  cmd->add_option("--max-failed-logins", o.max_failed_logins,
                  "Consecutive failed logins that lock an account")
      ->capture_default_str();
  cmd->add_option("--lockout-minutes", o.lockout_minutes, "How long a locked account stays locked")
      ->capture_default_str();
  cmd->callback([] { serve(o); });
}

}  // namespace liaison::cli
