// `liaison evidence`: seal, open, verify and exhibit evidence packages
// (docs/evidence-format.md), and move them through a hub.
//
// Sealing, opening and verifying work offline, on the provider's and the
// authority's own machines: the hub never sees plaintext or a private key.
// Upload and download go through the hub, which keeps the chain of custody.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "cli/cli.h"
#include "cli/key_files.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/remote.h"
#include "cli/request_signer.h"
#include "core/time.h"
#include "evidence/package.h"
#include "ledger/entry.h"
#include "store/blob_store.h"
#include "trust/chain.h"
#include "trust/trust_failure.h"
#include "trust/trust_store.h"

namespace liaison::cli {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr std::uint64_t kDefaultPartBytes = std::uint64_t{256} << 20;

// The media types of the files providers most often produce; anything else
// is application/octet-stream unless --type says otherwise.
std::string guess_media_type(const fs::path& path) {
  static const std::vector<std::pair<std::string, std::string>> kByExtension = {
      {".csv", "text/csv"},
      {".txt", "text/plain"},
      {".log", "text/plain"},
      {".json", "application/json"},
      {".xml", "application/xml"},
      {".pdf", "application/pdf"},
      {".eml", "message/rfc822"},
      {".mbox", "application/mbox"},
      {".zip", "application/zip"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".mp4", "video/mp4"},
      {".html", "text/html"},
      {".pcap", "application/vnd.tcpdump.pcap"}};
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const auto& [e, type] : kByExtension) {
    if (e == ext) return type;
  }
  return "application/octet-stream";
}

// "NAME=VALUE" options (--type, --describe), by item name.
std::map<std::string, std::string> name_values(const std::vector<std::string>& pairs,
                                               const std::string& flag) {
  std::map<std::string, std::string> out;
  for (const auto& p : pairs) {
    auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw CliError(kExitUsage, fmt::format("{}: expected NAME=VALUE, got '{}'", flag, p));
    }
    out[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return out;
}

// Files to seal: each FILE as its own name, each DIR's regular files by their
// path below it. Anything else (a link, a device) is refused rather than
// silently left out of a production.
std::vector<evidence::SealInput> collect_inputs(const std::vector<std::string>& args) {
  std::vector<evidence::SealInput> out;
  for (const auto& arg : args) {
    fs::path p(arg);
    std::error_code ec;
    auto status = fs::symlink_status(p, ec);
    if (ec || !fs::exists(status)) throw CliError(kExitUsage, arg + ": no such file or folder");
    if (fs::is_regular_file(status)) {
      out.push_back({p.string(), p.filename().string(), guess_media_type(p), ""});
      continue;
    }
    if (!fs::is_directory(status)) {
      throw CliError(kExitUsage, arg + ": not a regular file or a folder");
    }
    std::vector<evidence::SealInput> found;
    for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      auto st = it->symlink_status();
      if (fs::is_directory(st)) continue;
      if (!fs::is_regular_file(st)) {
        throw CliError(kExitUsage, it->path().string() +
                                       ": not a regular file (links and "
                                       "devices are not sealed)");
      }
      found.push_back({it->path().string(), fs::relative(it->path(), p).generic_string(),
                       guess_media_type(it->path()), ""});
    }
    if (ec) throw CliError(kExitFailure, arg + ": " + ec.message());
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    out.insert(out.end(), found.begin(), found.end());
  }
  if (out.empty()) throw CliError(kExitUsage, "nothing to seal");
  return out;
}

trust::TrustStore load_store(const std::string& file) {
  auto store = trust::TrustStore::from_json(read_json_file(file));
  if (!store.ok()) fail(store.error());
  return std::move(store.value());
}

trust::Certificate load_certificate(const std::string& file) {
  auto cert = trust::certificate_from_json(read_json_file(file));
  if (!cert.ok()) throw CliError(kExitInvalid, file + ": " + cert.error().message);
  return std::move(cert.value());
}

std::string org_text(const trust::OrgRef& o) {
  return o.name + " (" + o.country + "/" + o.endpoint_uid + ")";
}

// Writes opened items below a folder. Each item goes to a temporary name and
// takes its own name only once the library has checked its size and SHA-256,
// so a file under an item's name is always the item, whole. Existing files
// are never replaced.
class FolderSink final : public evidence::ItemSink {
 public:
  explicit FolderSink(fs::path root) : root_(std::move(root)) {}
  ~FolderSink() override { abort(); }
  FolderSink(const FolderSink&) = delete;
  FolderSink& operator=(const FolderSink&) = delete;

  Status begin(const evidence::Item& item) override {
    fs::path target = (root_ / fs::path(item.name)).lexically_normal();
    // The library refuses names with "..", but the folder is ours to guard.
    auto rel = target.lexically_relative(root_);
    if (rel.empty() || *rel.begin() == "..") {
      return Error::invalid("name", item.name + " would be written outside " + root_.string());
    }
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec)
      return Error::make(ErrorCode::kUnavailable,
                         target.parent_path().string() + ": " + ec.message());
    if (fs::exists(target)) {
      return Error::make(ErrorCode::kConflict, target.string() + " exists; nothing replaced");
    }
    target_ = target;
    part_ = target.string() + ".part";
    fd_ = ::open(part_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0) return Error::make(ErrorCode::kUnavailable, part_ + ": " + std::strerror(errno));
    return Ok{};
  }

  Status write(std::string_view bytes) override {
    while (!bytes.empty()) {
      ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Error::make(ErrorCode::kUnavailable, part_ + ": " + std::strerror(errno));
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return Ok{};
  }

  Status finish() override {
    if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
      fd_ = -1;
      return Error::make(ErrorCode::kUnavailable, part_ + ": " + std::strerror(errno));
    }
    fd_ = -1;
    // link() never replaces: a file that appeared meanwhile is kept.
    if (::link(part_.c_str(), target_.c_str()) != 0) {
      int err = errno;
      ::unlink(part_.c_str());
      part_.clear();
      return Error::make(err == EEXIST ? ErrorCode::kConflict : ErrorCode::kUnavailable,
                         target_.string() + ": " + std::strerror(err));
    }
    ::unlink(part_.c_str());
    part_.clear();
    ++written_;
    return Ok{};
  }

  void abort() override {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (!part_.empty()) ::unlink(part_.c_str());
    part_.clear();
  }

  std::size_t written() const { return written_; }

 private:
  fs::path root_;
  fs::path target_;
  std::string part_;
  int fd_ = -1;
  std::size_t written_ = 0;
};

json statement_json(const evidence::Statement& s) {
  json recipients = json::array();
  for (const auto& r : s.recipients) {
    recipients.push_back(
        {{"key_id", r.key_id}, {"name", r.name}, {"organisation", org_text(r.organisation)}});
  }
  return {{"package_id", s.package_id},
          {"request_id", s.request_id},
          {"reference", s.reference},
          {"producer", org_text(s.producer)},
          {"created_at", format_rfc3339(s.created_at)},
          {"aead", evidence::aead_name(s.aead)},
          {"items", s.item_count},
          {"total_size", s.total_size},
          {"merkle_root", s.merkle_root},
          {"recipients", std::move(recipients)}};
}

// What a trust store says about the signer's certificates, at sealing time.
json signer_check(const std::vector<trust::Certificate>& certs, Timestamp at,
                  const trust::TrustStore* store, bool& ok) {
  json out = json::object();
  if (certs.empty()) {
    ok = false;
    return {{"result", "failed"}, {"reason", "no certificate"}};
  }
  const trust::Certificate& leaf = certs[0];
  out["name"] = leaf.subject_name;
  out["key_id"] = leaf.key_id();
  if (leaf.organisation) out["organisation"] = org_text(*leaf.organisation);
  if (!store) {
    out["chain"] = "not checked (no --trust-store)";
    return out;
  }
  std::vector<trust::Certificate> intermediates(certs.begin() + 1, certs.end());
  auto chain = trust::verify_chain(*store, leaf, intermediates, at);
  if (!chain.ok()) {
    ok = false;
    auto f = trust::trust_failure_of(chain.error());
    out["chain"] = "failed: " + f.code + ": " + f.detail;
  } else {
    out["chain"] = "verified to root " + chain->root.subject_name;
    if (chain->revoked_later_at) {
      out["revoked_later_at"] = format_rfc3339(*chain->revoked_later_at);
    }
  }
  return out;
}

json registration_check(const std::optional<ledger::Receipt>& reg) {
  if (!reg) return "none (the package was not downloaded from a hub)";
  auto entry = ledger::decode_entry(reg->entry);
  return {{"ledger_entry", reg->leaf_index},
          {"checkpoint_size", reg->tree_size},
          {"time", entry.ok() ? format_rfc3339_micros(entry->time) : ""},
          {"hub_key", reg->vkey}};
}

void print_report(const json& report) {
  const json& s = report["package"];
  std::cout << "Package " << s["package_id"].get<std::string>() << " for request "
            << s["reference"].get<std::string>() << " (" << s["request_id"].get<std::string>()
            << ")\n";
  std::cout << "  produced by " << s["producer"].get<std::string>() << ", sealed "
            << s["created_at"].get<std::string>() << " (" << s["aead"].get<std::string>() << ")\n";
  const json& signer = report["signer"];
  std::cout << "  signed by   " << signer.value("name", "") << " (key "
            << signer.value("key_id", "") << "): " << signer.value("chain", "") << "\n";
  for (const auto& r : s["recipients"]) {
    std::cout << "  sealed for  " << r["name"].get<std::string>() << ", "
              << r["organisation"].get<std::string>() << " (key " << r["key_id"].get<std::string>()
              << ")\n";
  }
  std::cout << "  items       " << s["items"].get<std::uint64_t>() << ", "
            << human_bytes(static_cast<double>(s["total_size"].get<std::uint64_t>())) << "\n";
  std::cout << "  structure   " << report["structure"].get<std::string>() << "\n";
  std::cout << "  contents    " << report["contents"].get<std::string>() << "\n";
  const json& reg = report["registration"];
  if (reg.is_string()) {
    std::cout << "  registered  " << reg.get<std::string>() << "\n";
  } else {
    std::cout << "  registered  ledger entry " << reg["ledger_entry"].get<std::uint64_t>() << " at "
              << reg["time"].get<std::string>() << ", proved in checkpoint of size "
              << reg["checkpoint_size"].get<std::uint64_t>() << "\n";
  }
}

// Sends a party's verification report to the package's chain of custody.
void send_report(const Remote& remote, const evidence::PackageInfo& info, bool ok,
                 const std::string& checked, const std::string& detail) {
  HubClient c = client(remote);
  json body = {{"result", ok ? "verified" : "failed"},
               {"checked", checked},
               {"statement_sha256", info.statement_sha256},
               {"tool", "liaison evidence verify"}};
  if (!detail.empty()) body["detail"] = detail.substr(0, 4096);
  call(c, "POST",
       "/api/v1/requests/" + url_encode(info.statement.request_id) + "/packages/" +
           url_encode(info.statement.package_id) + "/verifications",
       body.dump());
}

}  // namespace

void add_evidence_commands(CLI::App& app) {
  auto* ev = app.add_subcommand(
      "evidence", "Seal, open, verify and exhibit evidence packages; upload and download them");
  ev->require_subcommand(1);

  // seal
  static std::string request_id, reference, key_file, trust_file, out, aead;
  static std::vector<std::string> to_files, inputs, types, descriptions;
  static int chunk_log2 = 16;
  static Remote seal_remote;
  auto* seal = ev->add_subcommand("seal", "Seal files into an evidence package (offline)");
  seal->add_option("--request", request_id, "The request's id")->required();
  seal->add_option("--reference", reference,
                   "The request's reference (default: asked of the hub with --hub/--token)");
  seal->add_option("--to", to_files,
                   "Recipient certificate files (default: the requesting authority's recipient "
                   "keys in the trust store)");
  seal->add_option("--key", key_file, "Your key file (the signing analyst's)")
      ->required()
      ->check(CLI::ExistingFile);
  seal->add_option("--trust-store", trust_file,
                   "Trust store ('trust export'); default: the hub's, with --hub/--token");
  seal->add_option("--out", out, "The package file to create")->required();
  seal->add_option("--type", types, "NAME=MEDIA/TYPE for an item, e.g. mail.mbox=application/mbox");
  seal->add_option("--describe", descriptions, "NAME=TEXT: an item's description");
  seal->add_option("--aead", aead,
                   "aes-256-gcm or xchacha20poly1305 (default: what the CPU "
                   "does fastest)");
  seal->add_option("--chunk-log2", chunk_log2, "Chunk size as a power of two, 10-24")
      ->capture_default_str();
  seal->add_option("INPUT", inputs, "Files and folders to seal")->required();
  add_remote(seal, seal_remote);
  seal->callback([] {
    if (fs::exists(out)) throw CliError(kExitUsage, out + " exists; choose a new file");
    auto items = collect_inputs(inputs);
    auto by_type = name_values(types, "--type");
    auto by_description = name_values(descriptions, "--describe");
    for (auto& item : items) {
      if (auto it = by_type.find(item.name); it != by_type.end()) item.media_type = it->second;
      if (auto it = by_description.find(item.name); it != by_description.end()) {
        item.description = it->second;
      }
    }
    for (const auto* m : {&by_type, &by_description}) {
      for (const auto& entry : *m) {
        const std::string& name = entry.first;
        if (std::none_of(items.begin(), items.end(),
                         [&name](const auto& i) { return i.name == name; })) {
          throw CliError(kExitUsage, "no item is named " + name);
        }
      }
    }
    const bool use_hub = !seal_remote.token.empty();
    trust::TrustStore store;
    if (!trust_file.empty()) {
      store = load_store(trust_file);
    } else if (use_hub) {
      HubClient c = client(seal_remote);
      auto parsed = trust::TrustStore::from_json(call(c, "GET", "/api/v1/trust"));
      if (!parsed.ok()) fail(parsed.error());
      store = std::move(parsed.value());
    } else {
      throw CliError(kExitUsage, "--trust-store is required (or --hub/--token to use the hub's)");
    }
    std::optional<trust::OrgRef> issuer;
    if (use_hub) {
      HubClient c = client(seal_remote);
      json view = call(c, "GET", "/api/v1/requests/" + url_encode(request_id));
      std::string hub_reference = view["reference"].get<std::string>();
      if (!reference.empty() && reference != hub_reference) {
        throw CliError(kExitInvalid,
                       "--reference: the hub has " + hub_reference + " for this request");
      }
      reference = hub_reference;
      const json& org = view["issuer"];
      issuer =
          trust::OrgRef{org["country"].get<std::string>(), org["endpoint_uid"].get<std::string>(),
                        org["name"].get<std::string>(), OrgKind::kAuthority};
    }
    if (reference.empty()) {
      throw CliError(kExitUsage, "--reference is required (or --hub/--token to ask the hub)");
    }
    const Timestamp now = Timestamp::from_seconds(std::time(nullptr));
    std::vector<trust::Certificate> recipients;
    recipients.reserve(to_files.size());
    for (const auto& f : to_files) recipients.push_back(load_certificate(f));
    if (recipients.empty()) {
      if (!issuer) {
        throw CliError(kExitUsage,
                       "--to is required (or --hub/--token to seal to the "
                       "requesting authority's recipient keys)");
      }
      recipients = store.recipient_certificates(issuer->country, issuer->endpoint_uid, now);
      if (recipients.empty()) {
        throw CliError(kExitInvalid, issuer->name +
                                         " has no recipient key in the trust store; ask it to "
                                         "certify one ('liaison trust certify-recipient')");
      }
    }
    // A recipient the trust store cannot vouch for could be anyone's key.
    for (std::size_t i = 0; i < recipients.size(); ++i) {
      auto chain = trust::verify_recipient_chain(store, recipients[i], {}, now);
      if (!chain.ok()) {
        auto f = trust::trust_failure_of(chain.error());
        throw CliError(kExitInvalid, "recipient " + recipients[i].subject_name + " (key " +
                                         recipients[i].key_id() + "): " + f.code + ": " + f.detail);
      }
    }
    trust::SecretKey key = load_key(key_file);
    auto signer = signer_from_store(std::move(key), store, now);
    if (!signer.ok()) fail(signer.error());
    std::vector<trust::Certificate> chain = {signer->certificate};
    chain.insert(chain.end(), signer->chain.begin(), signer->chain.end());

    evidence::SealOptions options;
    options.request_id = request_id;
    options.reference = reference;
    options.created_at = now;
    options.chunk_log2 = chunk_log2;
    if (!aead.empty()) {
      auto a = evidence::aead_from_name(aead);
      if (!a) throw CliError(kExitUsage, "--aead: must be aes-256-gcm or xchacha20poly1305");
      options.aead = *a;
    }
    ProgressBar bar("sealing");
    options.progress = [&](std::uint64_t done, std::uint64_t total) { bar.update(done, total); };
    auto sealed = evidence::seal_package(items, recipients, signer->key, chain, options, out);
    if (sealed.ok()) bar.update(sealed->statement.total_size, sealed->statement.total_size);
    bar.finish();
    if (!sealed.ok()) fail(sealed.error());
    const auto& s = sealed->statement;
    if (seal_remote.json_out) {
      std::cout << json{{"file", out},
                        {"statement_sha256", sealed->statement_sha256},
                        {"package", statement_json(s)}}
                       .dump(2)
                << "\n";
      return;
    }
    std::cout << "Sealed " << s.item_count << " item(s), "
              << human_bytes(static_cast<double>(s.total_size)) << ", into " << out << ": package "
              << s.package_id << " for " << reference << ", for " << recipients.size()
              << " recipient(s)\n";
  });

  // open
  static std::string open_file, open_key, open_out;
  static bool open_json = false;
  auto* open = ev->add_subcommand("open", "Decrypt a package into a folder, checking every byte");
  open->add_option("PACKAGE", open_file, "The package")->required()->check(CLI::ExistingFile);
  open->add_option("--key", open_key, "A recipient key file")->required()->check(CLI::ExistingFile);
  open->add_option("--out", open_out, "The folder to write the items to")->required();
  open->add_flag("--json", open_json, "Print JSON");
  open->callback([] {
    trust::SecretKey key = load_key(open_key);
    FolderSink sink{fs::path(open_out)};
    ProgressBar bar("opening");
    auto opened = evidence::open_package(open_file, key, &sink,
                                         [&](auto done, auto total) { bar.update(done, total); });
    bar.finish();
    if (!opened.ok()) fail(opened.error());
    const auto& s = opened->statement;
    if (open_json) {
      std::cout << json{{"folder", open_out},
                        {"items", sink.written()},
                        {"package", statement_json(s)}}
                       .dump(2)
                << "\n";
      return;
    }
    std::cout << "Opened " << sink.written() << " item(s), "
              << human_bytes(static_cast<double>(s.total_size)) << ", into " << open_out
              << "; every chunk authenticated and every SHA-256 matched the signed manifest\n";
  });

  // verify
  static std::string verify_file, verify_key, verify_trust;
  static bool verify_report = false;
  static Remote verify_remote;
  auto* verify = ev->add_subcommand(
      "verify", "Check a package: without a key its signature and structure, with one every byte");
  verify->add_option("PACKAGE", verify_file, "The package")->required()->check(CLI::ExistingFile);
  verify->add_option("--key", verify_key, "A recipient key file: also decrypt and check contents")
      ->check(CLI::ExistingFile);
  verify
      ->add_option("--trust-store", verify_trust,
                   "Trust store ('trust export'): check the signer's certificate chain")
      ->check(CLI::ExistingFile);
  verify->add_flag("--report", verify_report,
                   "Add the result to the package's chain of custody on the hub");
  add_remote(verify, verify_remote);
  verify->callback([] {
    std::optional<trust::TrustStore> store;
    if (!verify_trust.empty()) store = load_store(verify_trust);
    auto inspected = evidence::inspect_package(verify_file);
    if (!inspected.ok()) fail(inspected.error());
    evidence::PackageInfo info = std::move(inspected.value());
    bool ok = true;
    std::string problem;
    json report = {{"file", verify_file},
                   {"statement_sha256", info.statement_sha256},
                   {"package", statement_json(info.statement)},
                   {"structure", "verified: header, manifest, Merkle root, signature, length"}};
    report["signer"] = signer_check(info.signature.certificates, info.statement.created_at,
                                    store ? &*store : nullptr, ok);
    if (!ok) problem = "signer: " + report["signer"]["chain"].get<std::string>();
    report["registration"] = registration_check(info.registration);
    if (!verify_key.empty()) {
      trust::SecretKey key = load_key(verify_key);
      ProgressBar bar("verifying");
      auto opened = evidence::open_package(verify_file, key, nullptr,
                                           [&](auto done, auto total) { bar.update(done, total); });
      bar.finish();
      if (opened.ok()) {
        report["contents"] = "verified: every chunk decrypted and every item's SHA-256 matched";
      } else {
        ok = false;
        const Error& e = opened.error();
        problem = (e.issues.empty() ? "" : e.issues[0].field + ": ") + e.message;
        report["contents"] = "FAILED: " + problem;
      }
    } else {
      report["contents"] = "not checked (no --key)";
    }
    report["result"] = ok ? "verified" : "failed";
    if (verify_report) {
      send_report(verify_remote, info, ok, verify_key.empty() ? "structure" : "contents", problem);
    }
    if (verify_remote.json_out) {
      std::cout << report.dump(2) << "\n";
    } else {
      print_report(report);
    }
    if (!ok) throw CliError(kExitInvalid, "the package does not verify: " + problem);
  });

  // exhibit
  static std::string ex_file, ex_item, ex_key, ex_out;
  auto* exhibit = ev->add_subcommand(
      "exhibit", "Export one item, in the clear, with the proof that it belongs to the package");
  exhibit->add_option("PACKAGE", ex_file, "The package")->required()->check(CLI::ExistingFile);
  exhibit->add_option("ITEM", ex_item, "The item's name, or its index")->required();
  exhibit->add_option("--key", ex_key, "A recipient key file")
      ->required()
      ->check(CLI::ExistingFile);
  exhibit->add_option("--out", ex_out, "The exhibit file to create")->required();
  exhibit->callback([] {
    if (fs::exists(ex_out)) throw CliError(kExitUsage, ex_out + " exists; choose a new file");
    auto item = evidence::find_item(ex_file, ex_item);
    if (!item.ok()) fail(item.error());
    trust::SecretKey key = load_key(ex_key);
    Status written = evidence::write_exhibit(ex_file, item->index, key, ex_out);
    if (!written.ok()) fail(written.error());
    std::cout << "Wrote exhibit " << ex_out << ": item " << item->index << " (" << item->name
              << ", " << human_bytes(static_cast<double>(item->size)) << ", sha256 " << item->sha256
              << ")\n";
  });

  // verify-exhibit
  static std::string vx_file, vx_trust;
  static bool vx_json = false;
  auto* vx = ev->add_subcommand("verify-exhibit",
                                "Check an exhibit on its own: signature, Merkle path and SHA-256");
  vx->add_option("FILE", vx_file, "The exhibit")->required()->check(CLI::ExistingFile);
  vx->add_option("--trust-store", vx_trust,
                 "Trust store: also check the provider's certificate chain")
      ->check(CLI::ExistingFile);
  vx->add_flag("--json", vx_json, "Print JSON");
  vx->callback([] {
    std::optional<trust::TrustStore> store;
    if (!vx_trust.empty()) store = load_store(vx_trust);
    auto checked = evidence::verify_exhibit(vx_file);
    if (!checked.ok()) fail(checked.error());
    bool ok = true;
    json signer = signer_check(checked->signature.certificates, checked->statement.created_at,
                               store ? &*store : nullptr, ok);
    const auto& item = checked->item;
    json report = {{"file", vx_file},
                   {"result", ok ? "verified" : "failed"},
                   {"item",
                    {{"index", item.index},
                     {"name", item.name},
                     {"media_type", item.media_type},
                     {"size", item.size},
                     {"sha256", item.sha256},
                     {"description", item.description}}},
                   {"package", statement_json(checked->statement)},
                   {"signer", signer},
                   {"registration", registration_check(checked->registration)}};
    if (vx_json) {
      std::cout << report.dump(2) << "\n";
    } else {
      std::cout << "Exhibit: item " << item.index << " of " << checked->statement.item_count << ", "
                << item.name << " (" << item.media_type << ", " << item.size << " bytes, sha256 "
                << item.sha256 << ")\n";
      std::cout << "  of package  " << checked->statement.package_id << " for request "
                << checked->statement.reference << ", produced by "
                << org_text(checked->statement.producer) << "\n";
      std::cout << "  signed by   " << signer.value("name", "") << " (key "
                << signer.value("key_id", "") << "): " << signer.value("chain", "") << "\n";
      std::cout << "  proof       the item's SHA-256 and Merkle path lead to the signed root\n";
      json reg = report["registration"];
      std::cout << "  registered  "
                << (reg.is_string() ? reg.get<std::string>()
                                    : "ledger entry " +
                                          std::to_string(reg["ledger_entry"].get<std::uint64_t>()))
                << "\n";
    }
    if (!ok)
      throw CliError(kExitInvalid,
                     "the exhibit's signer is not trusted: " + signer["chain"].get<std::string>());
  });

  // upload
  static std::string up_file;
  static std::uint64_t part_bytes = kDefaultPartBytes;
  static Remote up_remote;
  auto* upload = ev->add_subcommand(
      "upload", "Upload a sealed package to its request; run it again to resume");
  upload->add_option("PACKAGE", up_file, "The package")->required()->check(CLI::ExistingFile);
  upload->add_option("--part-size", part_bytes, "Bytes per part")->capture_default_str();
  add_remote(upload, up_remote);
  upload->callback([] {
    if (part_bytes == 0) throw CliError(kExitUsage, "--part-size must be positive");
    // Refuse to send what the hub would refuse, before sending gigabytes.
    auto inspected = evidence::inspect_package(up_file);
    if (!inspected.ok()) fail(inspected.error());
    const auto& info = inspected.value();
    HubClient c = client(up_remote);
    const std::string base =
        "/api/v1/requests/" + url_encode(info.statement.request_id) + "/packages/uploads";
    // The same package always resumes the same upload.
    http::Headers idem;
    idem.set("Idempotency-Key", "evidence-upload-" + info.statement_sha256);
    json upload = call(c, "POST", base, json{{"size", info.file_bytes}}.dump(), idem);
    const std::string upload_id = upload["id"].get<std::string>();
    if (upload["state"] == "refused") {
      throw CliError(kExitInvalid,
                     "the hub refused this package earlier; see its chain of "
                     "custody ('liaison request show')");
    }
    ProgressBar bar("uploading");
    json package;
    std::uint64_t at = upload["received"].get<std::uint64_t>();
    if (upload["state"] == "completed") {
      package = call(c, "GET",
                     "/api/v1/requests/" + url_encode(info.statement.request_id) + "/packages/" +
                         url_encode(info.statement.package_id));
    }
    while (package.is_null()) {
      bar.update(at, info.file_bytes);
      const std::uint64_t len = std::min(part_bytes, info.file_bytes - at);
      http::Headers range;
      range.set("Content-Range", "bytes " + std::to_string(at) + "-" +
                                     std::to_string(at + len - 1) + "/" +
                                     std::to_string(info.file_bytes));
      ClientResponse resp;
      try {
        resp = c.upload_range("PUT", base + "/" + url_encode(upload_id), up_file, at, len,
                              "application/octet-stream", range);
      } catch (const std::exception& e) {
        bar.finish();
        throw CliError(kExitUnavailable,
                       std::string(e.what()) + "; run the same command again to resume");
      }
      if (resp.status == 409) {
        // Another attempt got further (or a part was lost): ask where to go on.
        json now = call(c, "GET", base + "/" + url_encode(upload_id));
        if (now["state"] != "open" || now["received"].get<std::uint64_t>() == at) {
          bar.finish();
          throw CliError(kExitConflict, describe_problem(resp.status, resp.body));
        }
        at = now["received"].get<std::uint64_t>();
        continue;
      }
      if (resp.status >= 400) {
        bar.finish();
        throw CliError(exit_code_for_http(resp.status), describe_problem(resp.status, resp.body));
      }
      json body = json::parse(resp.body, nullptr, false);
      at = body["upload"]["received"].get<std::uint64_t>();
      if (body.contains("package")) package = body["package"];
    }
    bar.update(info.file_bytes, info.file_bytes);
    bar.finish();
    if (up_remote.json_out) {
      std::cout << package.dump(2) << "\n";
      return;
    }
    std::cout << "Uploaded package " << info.statement.package_id << " ("
              << human_bytes(static_cast<double>(info.file_bytes)) << ") to "
              << info.statement.reference << "; the hub verified it and registered it as "
              << "attachment " << package["attachment"]["id"].get<std::string>() << "\n";
  });

  // download
  static std::string dl_request, dl_package, dl_out;
  static int dl_wait = 30;
  static Remote dl_remote;
  auto* download = ev->add_subcommand(
      "download",
      "Download a request's package, check it, and add the hub's proof of registration");
  download->add_option("REQUEST", dl_request, "Request id")->required();
  download->add_option("--package", dl_package, "Package id (when the request has several)");
  download->add_option("--out", dl_out, "The package file to create")->required();
  download
      ->add_option("--wait", dl_wait, "Seconds to wait for a checkpoint to cover the registration")
      ->capture_default_str();
  add_remote(download, dl_remote);
  download->callback([] {
    if (fs::exists(dl_out)) throw CliError(kExitUsage, dl_out + " exists; choose a new file");
    HubClient c = client(dl_remote);
    const std::string base = "/api/v1/requests/" + url_encode(dl_request);
    json list = call(c, "GET", base + "/packages");
    json chosen;
    for (const auto& p : list["items"]) {
      if (dl_package.empty() || p["id"] == dl_package) {
        if (!chosen.is_null() && dl_package.empty()) {
          throw CliError(kExitUsage,
                         "the request has several packages; choose one with "
                         "--package");
        }
        chosen = p;
      }
    }
    if (chosen.is_null()) {
      throw CliError(kExitNotFound, dl_package.empty() ? "the request has no evidence package"
                                                       : "no package " + dl_package);
    }
    const std::string partial = dl_out + ".download";
    ClientResponse resp;
    try {
      resp = c.download(chosen["content"].get<std::string>(), partial);
    } catch (const std::exception& e) {
      throw CliError(kExitUnavailable, e.what());
    }
    if (resp.status >= 400) {
      throw CliError(exit_code_for_http(resp.status), describe_problem(resp.status, resp.body));
    }
    struct Remove {
      std::string path;
      ~Remove() { std::remove(path.c_str()); }
    } cleanup{partial};
    auto hashed = hash_file(partial);
    if (!hashed.ok()) fail(hashed.error());
    if (hashed->sha256 != chosen["attachment"]["sha256"].get<std::string>()) {
      throw CliError(kExitFailure,
                     "downloaded bytes do not match the recorded SHA-256; nothing was written");
    }
    auto inspected = evidence::inspect_package(partial);
    if (!inspected.ok()) fail(inspected.error());
    // The registration's receipt, once a checkpoint covers it.
    std::optional<ledger::Receipt> receipt;
    for (int waited = 0; !receipt; ++waited) {
      json bundle = call(c, "GET", base + "/receipts");
      for (const auto& r : bundle.value("receipts", json::array())) {
        auto parsed = ledger::receipt_from_json(r);
        if (!parsed.ok()) continue;
        auto entry = ledger::decode_entry(parsed->entry);
        if (entry.ok() && entry->type == evidence::kRegistrationEntryType &&
            parsed->content == evidence::registration_content(*inspected)) {
          receipt = std::move(parsed.value());
        }
      }
      if (receipt || waited >= dl_wait) break;
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    std::string note;
    if (receipt) {
      Status appended = evidence::append_registration(partial, *receipt);
      if (!appended.ok()) fail(appended.error());
    } else {
      note = "; no checkpoint covers its registration yet, so it carries no proof of it";
    }
    if (::link(partial.c_str(), dl_out.c_str()) != 0) {
      throw CliError(errno == EEXIST ? kExitConflict : kExitFailure,
                     dl_out + ": " + std::strerror(errno));
    }
    std::cout << "Downloaded package " << chosen["id"].get<std::string>() << " to " << dl_out
              << " (" << human_bytes(static_cast<double>(hashed->size)) << ", SHA-256 checked, "
              << "signature and structure verified" << note << ")\n";
  });
}

}  // namespace liaison::cli
