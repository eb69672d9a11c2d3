#include "cli/hi1_peering.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/hub_client.h"

namespace liaison::cli {

namespace {

constexpr std::size_t kMaxFileBytes = 1 << 20;

// A file of the hub operator's, read whole. `secret` says what it holds when
// only its owner may read it (empty: anyone may).
Result<std::string> read_operator_file(const std::string& path, const std::string& secret,
                                       std::size_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Error::invalid(path, "is not a readable file");
  }
  if (!secret.empty() && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Error::invalid(path, "holds " + secret +
                                    " but others may read or change it; make it readable by "
                                    "the hub's user alone (chmod 600)");
  }
  if (static_cast<std::size_t>(st.st_size) > max_bytes) {
    return Error::invalid(path, "is larger than " + std::to_string(max_bytes >> 20) + " MiB");
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return Error::invalid(path, "cannot be read");
  return text.str();
}

std::string problem_text(const Error& e) {
  std::string text = e.message;
  for (const auto& issue : e.issues) text += "; " + issue.field + ": " + issue.reason;
  return text;
}

}  // namespace

Result<PeerLinksFile> PeerLinksFile::open(std::string path) {
  PeerLinksFile file(std::move(path));
  struct stat st {};
  if (::stat(file.path_.c_str(), &st) != 0) {
    return Error::invalid("--hi1-links", file.path_ + " cannot be read");
  }
  LIAISON_ASSIGN_OR_RETURN(file.links_, file.read());
  file.changed_ = st.st_mtim;
  return file;
}

PeerLinksFile::PeerLinksFile(PeerLinksFile&& other) noexcept
    : path_(std::move(other.path_)),
      links_(std::move(other.links_)),
      changed_(other.changed_),
      last_refusal_(std::move(other.last_refusal_)) {}

Result<std::vector<etsi::PeerLink>> PeerLinksFile::read() const {
  auto text = read_operator_file(path_, "bearer tokens", kMaxFileBytes);
  if (!text.ok()) {
    const Error& e = text.error();
    return Error::invalid("--hi1-links", path_ + " " + e.issues[0].reason);
  }
  auto links = etsi::parse_peer_links(*text, path_);
  if (!links.ok()) {
    Error e = links.take_error();
    return Error::invalid("--hi1-links", problem_text(e));
  }
  // The files a link names are checked now, not at its first message.
  for (std::size_t i = 0; i < links->size(); ++i) {
    const etsi::PeerLink& link = (*links)[i];
    const std::pair<const char*, const std::string*> files[] = {
        {"tls_ca", &link.tls_ca},
        {"tls_certificate", &link.tls_certificate},
        {"tls_key", &link.tls_key}};
    for (const auto& [field, file] : files) {
      if (file->empty()) continue;
      auto r =
          read_operator_file(*file, file == &link.tls_key ? "a private key" : "", kMaxFileBytes);
      if (!r.ok()) {
        return Error::invalid("--hi1-links", path_ + ": link[" + std::to_string(i + 1) + "]." +
                                                 field + ": " + r.error().issues[0].field + " " +
                                                 r.error().issues[0].reason);
      }
    }
  }
  return links;
}

std::vector<etsi::PeerLink> PeerLinksFile::links() {
  std::lock_guard lock(mu_);
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0 &&
      (st.st_mtim.tv_sec != changed_.tv_sec || st.st_mtim.tv_nsec != changed_.tv_nsec)) {
    auto fresh = read();
    if (fresh.ok()) {
      links_ = std::move(fresh).value();
      changed_ = st.st_mtim;
      last_refusal_.clear();
      spdlog::info(
          "{}",
          nlohmann::json{{"event", "hi1_links_loaded"}, {"file", path_}, {"links", links_.size()}}
              .dump());
    } else if (fresh.error().issues.empty() ? true
                                            : fresh.error().issues[0].reason != last_refusal_) {
      last_refusal_ =
          fresh.error().issues.empty() ? fresh.error().message : fresh.error().issues[0].reason;
      spdlog::warn(
          "{}",
          nlohmann::json{{"event", "hi1_links_refused"}, {"file", path_}, {"reason", last_refusal_}}
              .dump());
    }
  }
  return links_;
}

Result<etsi::XmlSigningKey> load_signing_key(const std::string& key_path,
                                             const std::string& certificate_path) {
  etsi::XmlSigningKey key;
  LIAISON_ASSIGN_OR_RETURN(key.private_key_pem,
                           read_operator_file(key_path, "a private key", kMaxFileBytes));
  LIAISON_ASSIGN_OR_RETURN(key.certificate_pem,
                           read_operator_file(certificate_path, "", kMaxFileBytes));
  // Proved now, not on the first message.
  auto probe =
      etsi::sign_xml("<HI1Message xmlns=\"http://uri.etsi.org/03120/common/2019/10/Core\"/>", key);
  if (!probe.ok()) {
    const Error& e = probe.error();
    return Error::invalid(
        key_path, e.issues.empty() ? e.message : e.issues[0].field + " " + e.issues[0].reason);
  }
  return key;
}

std::pair<std::string, std::string> split_endpoint_url(const std::string& url) {
  auto scheme = url.find("://");
  auto path = scheme == std::string::npos ? std::string::npos : url.find('/', scheme + 3);
  if (path == std::string::npos) return {url, "/"};
  return {url.substr(0, path), url.substr(path)};
}

Status check_private_key_file(const std::string& path) {
  LIAISON_ASSIGN_OR_RETURN(std::string ignored,
                           read_operator_file(path, "a private key", kMaxFileBytes));
  return Ok{};
}

Result<std::string> HttpHi1Transport::post(const etsi::PeerLink& link, const std::string& xml) {
  const std::string& url = link.url;
  auto [base, path] = split_endpoint_url(url);
  ClientResponse r;
  try {
    HubClient c(base, link.token, {link.tls_ca, link.tls_certificate, link.tls_key});
    r = c.send("POST", path, xml, "application/xml");
  } catch (const std::exception& e) {
    return Error::make(ErrorCode::kUnavailable, e.what());
  }
  if (r.status == 200) return std::move(r.body);
  if (r.status == 401 || r.status == 403) {
    return Error::make(ErrorCode::kUnauthenticated, url + " refused the link's credentials (HTTP " +
                                                        std::to_string(r.status) + ")");
  }
  return Error::make(r.status >= 500 || r.status == 429 || r.status == 0
                         ? ErrorCode::kUnavailable
                         : ErrorCode::kInvalidArgument,
                     url + " answered HTTP " + std::to_string(r.status));
}

}  // namespace liaison::cli
