// An HTTP/1.1 server for Liaison's API, on Boost.Beast and C++20 coroutines.
//
// The server owns sockets, parsing, limits, streaming and access logs. What a
// request means is up to the Handler. Reads (GET/HEAD) run on the network
// threads; everything else runs on a separate worker pool, because writes
// wait for a durable group commit and must not stall the network threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/message.h"

namespace liaison::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks an ephemeral port; see Server::port()
  int network_threads = 2;
  int worker_threads = 64;
  std::size_t max_header_bytes = std::size_t{16} * 1024;
  std::size_t max_body_bytes = std::size_t{1024} * 1024;   // ordinary JSON bodies
  std::uint64_t max_upload_bytes = 1024ull * 1024 * 1024;  // streamed uploads
  int max_connections = 1024;
  int idle_timeout_seconds = 60;
  std::string upload_dir;  // where streamed uploads land before the handler sees them
  // HTTPS: with a certificate chain and its key (PEM files), every connection
  // is TLS (1.2 or later) and plain HTTP is not spoken.
  std::string tls_certificate_file;
  std::string tls_key_file;
  // Ask each TLS client for a certificate (not required). One presented is
  // given to the handler as Request::client_certificate, unjudged: the
  // handshake proves only that the client holds its key.
  bool tls_request_client_certificate = false;
};

class Handler {
 public:
  virtual ~Handler() = default;
  // Called for every request. Must not throw; the server turns an escaping
  // exception into a 500 problem anyway.
  virtual Response handle(Request& request) = 0;
  // True when the body of this request should be streamed to a file in
  // ServerOptions::upload_dir rather than read into memory.
  virtual bool is_upload(const std::string& method, const std::string& path) const = 0;
};

// Counters the server keeps for /metrics.
struct ServerStats {
  std::atomic<std::uint64_t> requests_total{0};
  std::atomic<std::uint64_t> responses_2xx{0};
  std::atomic<std::uint64_t> responses_4xx{0};
  std::atomic<std::uint64_t> responses_5xx{0};
  std::atomic<std::uint64_t> rejected_connections{0};
  std::atomic<std::int64_t> open_connections{0};
  std::atomic<std::uint64_t> latency_micros_total{0};
};

class Server {
 public:
  Server(ServerOptions options, Handler& handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving in background threads. Throws std::runtime_error
  // when the address cannot be bound.
  void start();
  // Stops accepting, closes connections and joins the threads.
  void stop();
  // Blocks until stop() is called or SIGINT/SIGTERM arrives.
  void wait_for_shutdown_signal();

  uint16_t port() const;
  const ServerStats& stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace liaison::http
