// What `liaison serve` needs to federate over HI-1: the peer links file,
// read again whenever it changes, and the HTTP transport to peers.
#pragma once

#include <ctime>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "etsi/peer_links.h"
#include "etsi/xml_signature.h"
#include "service/hi1_federation.h"

namespace liaison::cli {

// The links file (etsi/peer_links.h). It holds bearer tokens, so one that
// anyone but its owner may read or write is refused.
class PeerLinksFile {
 public:
  // Reads `path` once; an unreadable, exposed or invalid file is an error
  // naming the path and, for an invalid one, each problem's field.
  static Result<PeerLinksFile> open(std::string path);
  PeerLinksFile(PeerLinksFile&& other) noexcept;
  PeerLinksFile& operator=(PeerLinksFile&&) = delete;
  PeerLinksFile(const PeerLinksFile&) = delete;
  PeerLinksFile& operator=(const PeerLinksFile&) = delete;
  ~PeerLinksFile() = default;

  // The links as the file now states them: read again when it changed. A
  // changed file that is refused leaves the links as they were, and the
  // refusal is logged once.
  std::vector<etsi::PeerLink> links();

 private:
  explicit PeerLinksFile(std::string path) : path_(std::move(path)) {}
  Result<std::vector<etsi::PeerLink>> read() const;

  std::string path_;
  std::mutex mu_;
  std::vector<etsi::PeerLink> links_;
  timespec changed_{};
  std::string last_refusal_;
};

// The hub's XML-signing key and certificate, from PEM files; the key file
// must be readable by its owner alone. Errors name the file.
Result<etsi::XmlSigningKey> load_signing_key(const std::string& key_path,
                                             const std::string& certificate_path);

// Ok when `path` is a private key file only its owner may read or change;
// otherwise the error names the path and says why.
Status check_private_key_file(const std::string& path);

// http://host:port/path as the base the HTTP client connects to and the path.
std::pair<std::string, std::string> split_endpoint_url(const std::string& url);

// Posts HI-1 messages with the command line's HTTP client.
class HttpHi1Transport : public Hi1Transport {
 public:
  Result<std::string> post(const etsi::PeerLink& link, const std::string& xml) override;
};

}  // namespace liaison::cli
