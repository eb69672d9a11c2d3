// A small synchronous HTTP client the CLI uses to talk to a Liaison hub.
//
// One connection per call keeps it simple; the CLI issues a handful of
// requests per invocation, so connection reuse would buy nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "http/message.h"

namespace liaison::cli {

struct ClientResponse {
  int status = 0;
  http::Headers headers;
  std::string body;
};

// For https:// URLs: whom the hub's certificate must chain to, and the
// certificate this client presents (mutual TLS).
struct TlsClientOptions {
  std::string ca_file;           // PEM certificates; empty: the machine's trusted CAs
  std::string certificate_file;  // PEM chain to present, with key_file; empty: none
  std::string key_file;
  bool operator==(const TlsClientOptions&) const = default;
};

class HubClient {
 public:
  // base_url like "http://127.0.0.1:8080" or "https://hub.example.org",
  // optionally with a path prefix; anything else throws std::invalid_argument.
  // Over https the hub's certificate must chain to `tls.ca_file` (or the
  // machine's CAs) and name the URL's host.
  HubClient(std::string base_url, std::string bearer_token, TlsClientOptions tls = {});

  // Throws std::runtime_error ("cannot reach hub at <url>: <reason>") when the
  // hub cannot be reached or the exchange fails.
  ClientResponse send(const std::string& method, const std::string& path_and_query,
                      const std::string& body = "",
                      const std::string& content_type = "application/json",
                      const http::Headers& extra = {});

  // Streams a local file as the request body in constant memory.
  ClientResponse upload(const std::string& path_and_query, const std::string& file_path,
                        const std::string& content_type, const http::Headers& extra = {});

  // Streams `length` bytes of a local file from `offset` as the body of a
  // `method` request, in constant memory: one part of a resumable upload.
  ClientResponse upload_range(const std::string& method, const std::string& path_and_query,
                              const std::string& file_path, std::uint64_t offset,
                              std::uint64_t length, const std::string& content_type,
                              const http::Headers& extra = {});

  // Streams a 2xx response body into out_file in constant memory; otherwise
  // returns the (error) body in ClientResponse::body and leaves out_file alone.
  ClientResponse download(const std::string& path_and_query, const std::string& out_file);

  const std::string& base_url() const { return base_url_; }

  // How long any one step (resolving, connecting, the TLS handshake, or a
  // piece of a request or response) may take before the exchange fails as
  // timed out ("cannot reach hub" or "lost connection"). Transfers of any
  // size are fine while bytes keep moving.
  void set_idle_timeout(std::chrono::milliseconds timeout) { idle_timeout_ = timeout; }
  static constexpr std::chrono::milliseconds kDefaultIdleTimeout{std::chrono::seconds(60)};

 private:
  std::string base_url_;
  std::string token_;
  bool https_ = false;
  TlsClientOptions tls_;
  std::string host_;  // for the Host header, as written in the URL
  std::string connect_host_;
  std::string port_;
  std::string prefix_;  // path prefix from the URL, without trailing '/'
  std::chrono::milliseconds idle_timeout_ = kDefaultIdleTimeout;
};

}  // namespace liaison::cli
