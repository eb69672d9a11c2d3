#include "http/server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

#include "http/asio.h"
#include "http/problem.h"
#include "http/target.h"

namespace liaison::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// Boost 1.74's Beast still uses boost::string_view.
std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

// Bounds the time and bytes spent reading what a client still sends after we
// decided to close, so an abusive client cannot hold the connection open.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::uint64_t kLingerBytes = std::uint64_t{16} * 1024 * 1024;
// How long stop() lets in-flight requests finish before it abandons them.
constexpr auto kDrainTime = std::chrono::seconds(10);

// Log lines are JSON; anything from outside is escaped before it goes in.
std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += ch;
        }
    }
  }
  return out;
}

Response problem(int status, std::string_view type, std::string_view title,
                 std::string_view detail) {
  return problem_response(status, std::string(type), std::string(title), std::string(detail));
}

Response too_large(std::uint64_t limit) {
  return problem(413, "too-large", "Payload too large",
                 fmt::format("request body exceeds {} bytes", limit));
}

Response bad_request(std::string_view detail) {
  return problem(400, "bad-request", "Bad request", detail);
}

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::uint64_t random_u64() {
  thread_local std::mt19937_64 rng{[] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }()};
  return rng();
}

std::string random_hex16() { return fmt::format("{:016x}", random_u64()); }

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The framing headers are the server's job; a handler that sets them would
// produce a message that lies about its own length.
bool reserved_header(std::string_view name) {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
         iequals(name, "Connection") || iequals(name, "Server") || iequals(name, "X-Request-Id");
}

bool is_http_error(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
}

// Errors after which the peer is gone or silent; answering them is pointless.
bool is_transport_error(const beast::error_code& ec) {
  return !is_http_error(ec) || ec == bhttp::error::end_of_stream ||
         ec == bhttp::error::partial_message;
}

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// What stop() needs of a connection, whichever its transport.
struct ConnectionBase {
  ConnectionBase() = default;
  ConnectionBase(const ConnectionBase&) = delete;
  ConnectionBase& operator=(const ConnectionBase&) = delete;
  virtual ~ConnectionBase() = default;
  // Closes the socket on the connection's own strand.
  virtual void post_close() = 0;
};

// One client connection: plain TCP (beast::tcp_stream) or TLS over it.
template <class Stream>
struct Connection final : ConnectionBase, std::enable_shared_from_this<Connection<Stream>> {
  template <class... Args>
  explicit Connection(Args&&... args) : stream(std::forward<Args>(args)...) {}
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream); }
  void post_close() override {
    asio::post(tcp().get_executor(), [self = this->shared_from_this()] { self->tcp().close(); });
  }

  Stream stream;
  beast::flat_buffer buffer;
  std::string remote;
  std::string client_certificate;  // DER, when the client proved one over TLS
};

using PlainConnection = Connection<beast::tcp_stream>;
using TlsConnection = Connection<TlsStream>;

// The certificate the client presented in the handshake, as DER, or "".
std::string peer_certificate_der(SSL* ssl) {
  std::unique_ptr<X509, decltype(&X509_free)> cert(SSL_get1_peer_certificate(ssl), X509_free);
  if (!cert) return {};
  unsigned char* der = nullptr;
  const int size = i2d_X509(cert.get(), &der);
  if (size <= 0) return {};
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return out;
}

// What the access log and the stats need about one exchange.
struct Exchange {
  std::string request_id;
  std::string method = "-";
  std::string path = "-";
  Clock::time_point start = Clock::now();
  unsigned version = 11;
  bool head = false;
  bool keep_alive = false;
};

// The server's TLS context: TLS 1.2 or later, the certificate chain and key
// from PEM files, and, when asked, a request for the client's certificate.
// The client's chain is not judged here: the handshake proves the client
// holds the key of the certificate it presents, and whoever reads
// Request::client_certificate decides whom it trusts it for.
asio::ssl::context make_tls_context(const ServerOptions& o) {
  asio::ssl::context ctx(asio::ssl::context::tls_server);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::single_dh_use);
  beast::error_code ec;
  ctx.use_certificate_chain_file(o.tls_certificate_file, ec);
  if (ec) {
    throw std::runtime_error(
        fmt::format("cannot use the TLS certificate {}: {}", o.tls_certificate_file, ec.message()));
  }
  ctx.use_private_key_file(o.tls_key_file, asio::ssl::context::pem, ec);
  if (ec) {
    throw std::runtime_error(
        fmt::format("cannot use the TLS key {}: {}", o.tls_key_file, ec.message()));
  }
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1) {
    throw std::runtime_error(fmt::format("the TLS key {} is not the key of the certificate {}",
                                         o.tls_key_file, o.tls_certificate_file));
  }
  if (o.tls_request_client_certificate) {
    ctx.set_verify_mode(asio::ssl::verify_peer);
    ctx.set_verify_callback([](bool, asio::ssl::verify_context&) { return true; });
    // Resumed sessions keep the certificate; OpenSSL wants a context id for them.
    static const unsigned char kSessionContext[] = "liaison";
    SSL_CTX_set_session_id_context(ctx.native_handle(), kSessionContext,
                                   sizeof kSessionContext - 1);
  }
  return ctx;
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, Handler& h)
      : options(std::move(o)), handler(h), ioc(std::max(1, options.network_threads)) {}

  asio::awaitable<void> accept_loop();
  template <class Conn>
  void start_serving(std::shared_ptr<Conn> conn);
  // The TLS handshake, within the idle timeout; false when it failed.
  template <class Conn>
  asio::awaitable<bool> handshake(Conn& conn);
  template <class Conn>
  asio::awaitable<void> serve(std::shared_ptr<Conn> conn);
  template <class Conn>
  asio::awaitable<void> reject(std::shared_ptr<Conn> conn);
  template <class Conn>
  asio::awaitable<bool> serve_one(Conn& conn);
  template <class Conn>
  asio::awaitable<std::optional<Response>> read_upload(
      Conn& conn, bhttp::request_parser<bhttp::empty_body>&& hp, Request& req, bool& failed);
  template <class Conn>
  asio::awaitable<std::optional<Response>> read_body(Conn& conn,
                                                     bhttp::request_parser<bhttp::empty_body>&& hp,
                                                     Request& req, bool& failed);
  // Reads the rest of a body into `p`, answering "Expect: 100-continue" first.
  template <class Conn, class Body>
  asio::awaitable<beast::error_code> receive_body(Conn& conn, bhttp::request_parser<Body>& p);
  // The answer to a body that could not be read, or nullopt when the peer left.
  std::optional<Response> body_failure(const beast::error_code& ec, std::uint64_t limit);
  template <class Conn>
  asio::awaitable<void> respond(Conn& conn, Exchange& ex, Response res);
  template <class Conn>
  asio::awaitable<void> linger_close(Conn& conn);
  Response call_handler(Request& req);
  std::string new_upload_path(beast::file& file, beast::error_code& ec);
  void count_response(int status);
  bool register_connection(const std::shared_ptr<ConnectionBase>& conn);
  void unregister_connection(const std::shared_ptr<ConnectionBase>& conn);
  void spawn(asio::awaitable<void> task, const asio::any_io_executor& ex);
  void coroutine_done();
  std::chrono::seconds idle() const {
    return std::chrono::seconds(std::max(1, options.idle_timeout_seconds));
  }

  ServerOptions options;
  Handler& handler;
  ServerStats stats;

  std::mutex stop_mu;  // serialises start() and stop()
  bool started = false;

  // Guards the fields below; state_cv announces changes to them.
  std::mutex state_mu;
  std::condition_variable state_cv;
  bool stopped = false;
  bool signalled = false;
  int live_coroutines = 0;

  std::atomic<bool> stopping{false};
  std::mutex conns_mu;
  std::unordered_set<std::shared_ptr<ConnectionBase>> conns;
  // Set when the server speaks TLS (ServerOptions::tls_certificate_file).
  std::optional<asio::ssl::context> tls;

  std::uint16_t bound_port = 0;
  std::optional<asio::thread_pool> pool;
  std::vector<std::thread> threads;
  // Declared after everything a coroutine frame touches when it is destroyed,
  // so that the io_context (which owns suspended frames) dies first.
  asio::io_context ioc;
  tcp::acceptor acceptor{asio::make_strand(ioc)};
  std::unique_ptr<asio::signal_set> signals;

  // Keeps a connection where stop() can find it, for as long as it is served.
  struct Registration {
    Registration(Impl* i, std::shared_ptr<ConnectionBase> c) : impl(i), conn(std::move(c)) {}
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
    ~Registration() { impl->unregister_connection(conn); }
    Impl* impl;
    std::shared_ptr<ConnectionBase> conn;
  };
};

void Server::Impl::coroutine_done() {
  std::lock_guard lock(state_mu);
  --live_coroutines;
  state_cv.notify_all();
}

void Server::Impl::spawn(asio::awaitable<void> task, const asio::any_io_executor& ex) {
  {
    std::lock_guard lock(state_mu);
    ++live_coroutines;
  }
  asio::co_spawn(ex, std::move(task), [this](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& err) {
        spdlog::error(R"({{"event":"http_internal_error","error":"{}"}})", json_escape(err.what()));
      } catch (...) {
        spdlog::error(R"({"event":"http_internal_error","error":"unknown"})");
      }
    }
    coroutine_done();
  });
}

bool Server::Impl::register_connection(const std::shared_ptr<ConnectionBase>& conn) {
  std::lock_guard lock(conns_mu);
  // stop() sets the flag before it closes registered connections, so a
  // connection either gets closed by stop() or sees the flag here.
  if (stopping.load()) return false;
  conns.insert(conn);
  return true;
}

void Server::Impl::unregister_connection(const std::shared_ptr<ConnectionBase>& conn) {
  std::lock_guard lock(conns_mu);
  conns.erase(conn);
}

asio::awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    tcp::socket socket(asio::make_strand(ioc));
    beast::error_code ec;
    co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (stopping.load() || !acceptor.is_open() || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // Typically EMFILE; back off instead of spinning on a full fd table.
      spdlog::warn(R"({{"event":"http_accept_failed","error":"{}"}})", json_escape(ec.message()));
      asio::steady_timer timer(acceptor.get_executor(), std::chrono::milliseconds(50));
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (tls) {
      start_serving(std::make_shared<TlsConnection>(std::move(socket), *tls));
    } else {
      start_serving(std::make_shared<PlainConnection>(std::move(socket)));
    }
  }
}

template <class Conn>
void Server::Impl::start_serving(std::shared_ptr<Conn> conn) {
  beast::error_code ec;
  auto remote = conn->tcp().socket().remote_endpoint(ec);
  if (!ec) conn->remote = remote.address().to_string();
  const auto ex = conn->tcp().get_executor();
  if (stats.open_connections.load() >= options.max_connections) {
    stats.rejected_connections.fetch_add(1);
    spawn(reject(std::move(conn)), ex);
  } else {
    stats.open_connections.fetch_add(1);
    spawn(serve(std::move(conn)), ex);
  }
}

template <class Conn>
asio::awaitable<bool> Server::Impl::handshake(Conn& conn) {
  if constexpr (std::is_same_v<Conn, TlsConnection>) {
    beast::error_code ec;
    conn.tcp().expires_after(idle());
    co_await conn.stream.async_handshake(asio::ssl::stream_base::server,
                                         asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      spdlog::info(R"({{"event":"tls_handshake_failed","remote":"{}","error":"{}"}})",
                   json_escape(conn.remote), json_escape(ec.message()));
      conn.tcp().close();
      co_return false;
    }
    conn.client_certificate = peer_certificate_der(conn.stream.native_handle());
  }
  co_return true;
}

template <class Conn>
asio::awaitable<void> Server::Impl::reject(std::shared_ptr<Conn> conn) {
  if (!register_connection(conn)) co_return;
  Registration registration{this, conn};
  if (!co_await handshake(*conn)) co_return;
  Exchange ex;
  ex.request_id = random_hex16();
  co_await respond(*conn, ex,
                   problem(503, "unavailable", "Service unavailable", "too many open connections"));
  co_await linger_close(*conn);
}

template <class Conn>
asio::awaitable<void> Server::Impl::serve(std::shared_ptr<Conn> conn) {
  struct OpenGuard {
    ServerStats& stats;
    ~OpenGuard() { stats.open_connections.fetch_sub(1); }
  } open_guard{stats};
  if (!register_connection(conn)) co_return;
  Registration registration{this, conn};
  beast::error_code ec;
  conn->tcp().socket().set_option(tcp::no_delay(true), ec);
  if (!co_await handshake(*conn)) co_return;
  for (;;) {
    const bool keep_alive = co_await serve_one(*conn);
    if (!keep_alive) break;
  }
}

Response Server::Impl::call_handler(Request& req) {
  try {
    return handler.handle(req);
  } catch (const std::exception& e) {
    spdlog::error(R"({{"event":"handler_exception","request_id":"{}","error":"{}"}})",
                  req.request_id, json_escape(e.what()));
  } catch (...) {
    spdlog::error(R"({{"event":"handler_exception","request_id":"{}","error":"unknown"}})",
                  req.request_id);
  }
  return problem(500, "internal", "Internal server error",
                 "the server failed to handle the request");
}

// Returns whether the connection stays open for another request.
template <class Conn>
asio::awaitable<bool> Server::Impl::serve_one(Conn& conn) {
  bhttp::request_parser<bhttp::empty_body> hp;
  hp.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(options.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  // Beast checks Content-Length against the limit while finishing the header,
  // before we know whether this is an upload; the real limit is applied after.
  hp.body_limit(std::max<std::uint64_t>(options.max_body_bytes, options.max_upload_bytes));

  beast::error_code ec;
  conn.tcp().expires_after(idle());
  co_await bhttp::async_read_header(conn.stream, conn.buffer, hp,
                                    asio::redirect_error(asio::use_awaitable, ec));

  Exchange ex;
  if (ec) {
    if (is_transport_error(ec)) co_return false;
    ex.request_id = random_hex16();
    Response res;
    if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
      res = problem(431, "headers-too-large", "Request header fields too large",
                    fmt::format("request header exceeds {} bytes", options.max_header_bytes));
    } else if (ec == bhttp::error::body_limit) {
      // The header is complete when Content-Length trips the limit.
      const auto& h = hp.get();
      ex.method = upper(sv(h.method_string()));
      Request probe;
      ex.path = parse_target(sv(h.target()), probe) ? probe.path : "-";
      bool upload = false;
      try {
        upload = handler.is_upload(ex.method, ex.path);
      } catch (...) {
      }
      res = too_large(upload ? options.max_upload_bytes : options.max_body_bytes);
    } else {
      res = bad_request(fmt::format("malformed HTTP request: {}", ec.message()));
    }
    co_await respond(conn, ex, std::move(res));
    co_await linger_close(conn);
    co_return false;
  }

  Request req;
  {
    const auto& h = hp.get();
    req.method = upper(sv(h.method_string()));
    req.target = std::string(h.target());
    ex.method = req.method;
    ex.version = h.version();
    ex.head = h.method() == bhttp::verb::head;
    ex.keep_alive = h.keep_alive();
    for (const auto& field : h)
      req.headers.add(std::string(field.name_string()), std::string(field.value()));
    const auto id = h[beast::string_view("X-Request-Id")];
    req.request_id = valid_request_id(sv(id)) ? std::string(sv(id)) : random_hex16();
    req.remote_address = conn.remote;
    req.client_certificate = conn.client_certificate;
  }
  ex.request_id = req.request_id;

  if (!parse_target(req.target, req)) {
    co_await respond(conn, ex, bad_request("request target must be an absolute path"));
    co_await linger_close(conn);
    co_return false;
  }
  ex.path = req.path;

  bool upload = false;
  std::optional<Response> early;
  try {
    upload = handler.is_upload(req.method, req.path);
  } catch (const std::exception& e) {
    spdlog::error(R"({{"event":"handler_exception","request_id":"{}","error":"{}"}})",
                  req.request_id, json_escape(e.what()));
    early = problem(500, "internal", "Internal server error",
                    "the server failed to handle the request");
  }

  bool failed = false;
  if (!early) {
    // No ?: here: GCC 12 miscompiles co_await inside a conditional operator.
    if (upload) {
      early = co_await read_upload(conn, std::move(hp), req, failed);
    } else {
      early = co_await read_body(conn, std::move(hp), req, failed);
    }
  }
  if (failed && !early) co_return false;  // the peer went away mid-body
  if (early) {
    co_await respond(conn, ex, std::move(*early));
    co_await linger_close(conn);
    co_return false;
  }

  Response res;
  if (req.method == "GET" || req.method == "HEAD") {
    res = call_handler(req);
  } else {
    // Writes may block on a durable commit; keep them off the network threads.
    res = co_await asio::co_spawn(
        pool->get_executor(),
        [this, &req]() -> asio::awaitable<Response> { co_return call_handler(req); },
        asio::use_awaitable);
  }
  ex.keep_alive = ex.keep_alive && !stopping.load();
  co_await respond(conn, ex, std::move(res));  // clears keep_alive if the write failed
  if (!ex.keep_alive) {
    conn.tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
    conn.tcp().close();
  }
  co_return ex.keep_alive&& conn.tcp().socket().is_open();
}

namespace {

template <class Stream, class Body>
asio::awaitable<void> write_message(Stream& stream, bhttp::response<Body>& msg,
                                    std::chrono::seconds idle, beast::error_code& ec) {
  bhttp::response_serializer<Body> sr(msg);
  // One deadline per chunk, so a large download is bounded by stalls rather
  // than by its total duration.
  while (!sr.is_done()) {
    beast::get_lowest_layer(stream).expires_after(idle);
    co_await bhttp::async_write_some(stream, sr, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
  }
}

template <class Body>
void fill_header(bhttp::response<Body>& msg, const Response& res, const Exchange& ex) {
  msg.version(ex.version);
  msg.result(static_cast<unsigned>(res.status));
  for (const auto& [name, value] : res.headers.all()) {
    if (!reserved_header(name)) msg.insert(name, value);
  }
  msg.set(bhttp::field::server, "liaison");
  msg.set(beast::string_view("X-Request-Id"), ex.request_id);
  msg.keep_alive(ex.keep_alive);
}

bool status_without_body(int status) { return status < 200 || status == 204 || status == 304; }

// How much of a download is read from disk and written at a time.
constexpr std::size_t kFileChunk = std::size_t{64} * 1024;

// Opens the response's file at the start of the range it names and returns
// the number of bytes to send, or nullopt with `why` it cannot.
std::optional<std::uint64_t> open_file_range(const Response& res, beast::file& file,
                                             std::string& why) {
  beast::error_code ec;
  file.open(res.body_file->c_str(), beast::file_mode::scan, ec);
  const std::uint64_t size = ec ? 0 : file.size(ec);
  if (ec) {
    why = ec.message();
    return std::nullopt;
  }
  const std::uint64_t offset = res.body_file_offset;
  if (offset > size || (res.body_file_length && *res.body_file_length > size - offset)) {
    why = fmt::format("the range of {} bytes from {} lies outside the file of {} bytes",
                      res.body_file_length.value_or(size - offset), offset, size);
    return std::nullopt;
  }
  if (offset > 0) file.seek(offset, ec);
  if (ec) {
    why = ec.message();
    return std::nullopt;
  }
  return res.body_file_length.value_or(size - offset);
}

// Sends the header, then `length` bytes of `file` from where it stands, one
// chunk at a time: memory does not grow with the download, and each chunk
// gets its own deadline, as in write_message. (Beast 1.74's file_body always
// sends a whole file, so a range needs this loop over a buffer_body.)
template <class Stream>
asio::awaitable<void> write_file(Stream& stream, bhttp::response<bhttp::buffer_body>& msg,
                                 beast::file& file, std::uint64_t length, std::chrono::seconds idle,
                                 beast::error_code& ec) {
  msg.content_length(length);
  msg.body().data = nullptr;
  msg.body().more = true;
  bhttp::response_serializer<bhttp::buffer_body> sr(msg);
  beast::get_lowest_layer(stream).expires_after(idle);
  co_await bhttp::async_write_header(stream, sr, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  std::vector<char> chunk(kFileChunk);
  std::uint64_t left = length;
  while (left > 0) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
    const std::size_t got = file.read(chunk.data(), want, ec);
    if (ec) co_return;
    // The file shrank since it was opened: the body would fall short of its
    // Content-Length, so the connection is closed rather than left to lie.
    if (got == 0) {
      ec = bhttp::error::short_read;
      co_return;
    }
    left -= got;
    msg.body().data = chunk.data();
    msg.body().size = got;
    msg.body().more = true;
    beast::get_lowest_layer(stream).expires_after(idle);
    co_await bhttp::async_write(stream, sr, asio::redirect_error(asio::use_awaitable, ec));
    // Not an error: the serializer has sent the chunk and wants the next.
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec) co_return;
  }
  msg.body().data = nullptr;
  msg.body().size = 0;
  msg.body().more = false;
  beast::get_lowest_layer(stream).expires_after(idle);
  co_await bhttp::async_write(stream, sr, asio::redirect_error(asio::use_awaitable, ec));
}

}  // namespace

template <class Conn>
asio::awaitable<std::optional<Response>> Server::Impl::read_body(
    Conn& conn, bhttp::request_parser<bhttp::empty_body>&& hp, Request& req, bool& failed) {
  if (hp.content_length() && *hp.content_length() > options.max_body_bytes) {
    co_return too_large(options.max_body_bytes);
  }
  bhttp::request_parser<bhttp::string_body> p(std::move(hp));
  p.body_limit(options.max_body_bytes);
  const beast::error_code ec = co_await receive_body(conn, p);
  if (ec) {
    failed = true;
    co_return body_failure(ec, options.max_body_bytes);
  }
  req.body = std::move(p.get().body());
  co_return std::nullopt;
}

template <class Conn, class Body>
asio::awaitable<beast::error_code> Server::Impl::receive_body(Conn& conn,
                                                              bhttp::request_parser<Body>& p) {
  beast::error_code ec;
  if (!p.is_done() && iequals(sv(p.get()[bhttp::field::expect]), "100-continue")) {
    bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, p.get().version()};
    conn.tcp().expires_after(idle());
    co_await bhttp::async_write(conn.stream, cont, asio::redirect_error(asio::use_awaitable, ec));
  }
  while (!ec && !p.is_done()) {
    conn.tcp().expires_after(idle());
    co_await bhttp::async_read_some(conn.stream, conn.buffer, p,
                                    asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return ec;
}

std::optional<Response> Server::Impl::body_failure(const beast::error_code& ec,
                                                   std::uint64_t limit) {
  if (ec == bhttp::error::body_limit) return too_large(limit);
  if (!is_transport_error(ec))
    return bad_request(fmt::format("malformed HTTP body: {}", ec.message()));
  return std::nullopt;
}

std::string Server::Impl::new_upload_path(beast::file& file, beast::error_code& ec) {
  const std::filesystem::path dir = options.upload_dir.empty()
                                        ? std::filesystem::temp_directory_path()
                                        : std::filesystem::path(options.upload_dir);
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto path = (dir / fmt::format("upload-{}.part", random_hex16())).string();
    file.open(path.c_str(), beast::file_mode::write_new, ec);
    if (!ec) return path;
    if (ec != beast::errc::file_exists) break;
  }
  return {};
}

template <class Conn>
asio::awaitable<std::optional<Response>> Server::Impl::read_upload(
    Conn& conn, bhttp::request_parser<bhttp::empty_body>&& hp, Request& req, bool& failed) {
  if (hp.content_length() && *hp.content_length() > options.max_upload_bytes) {
    co_return too_large(options.max_upload_bytes);
  }
  bhttp::request_parser<bhttp::file_body> p(std::move(hp));
  p.body_limit(options.max_upload_bytes);
  beast::error_code ec;
  const std::string path = new_upload_path(p.get().body().file(), ec);
  if (ec) {
    spdlog::error(R"({{"event":"upload_open_failed","request_id":"{}","error":"{}"}})",
                  req.request_id, json_escape(ec.message()));
    failed = true;
    co_return problem(500, "internal", "Internal server error", "cannot store the upload");
  }
  ec = co_await receive_body(conn, p);
  p.get().body().close();
  if (ec) {
    std::error_code rm_ec;
    std::filesystem::remove(path, rm_ec);
    failed = true;
    co_return body_failure(ec, options.max_upload_bytes);
  }
  req.body_file = path;
  co_return std::nullopt;
}

void Server::Impl::count_response(int status) {
  stats.requests_total.fetch_add(1, std::memory_order_relaxed);
  if (status >= 200 && status < 300) {
    stats.responses_2xx.fetch_add(1, std::memory_order_relaxed);
  } else if (status >= 400 && status < 500) {
    stats.responses_4xx.fetch_add(1, std::memory_order_relaxed);
  } else if (status >= 500) {
    stats.responses_5xx.fetch_add(1, std::memory_order_relaxed);
  }
}

template <class Conn>
asio::awaitable<void> Server::Impl::respond(Conn& conn, Exchange& ex, Response res) {
  if (res.status < 100 || res.status > 999) {
    spdlog::error(R"({{"event":"invalid_status","request_id":"{}","status":{}}})", ex.request_id,
                  res.status);
    res = problem(500, "internal", "Internal server error",
                  "the server produced an invalid response");
  }
  beast::error_code ec;
  std::uint64_t bytes = 0;

  beast::file file;
  std::optional<std::uint64_t> file_length;
  if (res.body_file && !status_without_body(res.status)) {
    std::string why;
    file_length = open_file_range(res, file, why);
    if (!file_length) {
      spdlog::error(R"({{"event":"download_open_failed","request_id":"{}","error":"{}"}})",
                    ex.request_id, json_escape(why));
      res = problem(500, "internal", "Internal server error", "cannot read the response body");
    }
  }

  // Counted before writing, so a client holding the response sees it counted.
  count_response(res.status);
  if (file_length) {
    if (ex.head) {
      bhttp::response<bhttp::empty_body> head_msg;
      fill_header(head_msg, res, ex);
      head_msg.content_length(*file_length);
      co_await write_message(conn.stream, head_msg, idle(), ec);
    } else {
      bhttp::response<bhttp::buffer_body> file_msg;
      fill_header(file_msg, res, ex);
      co_await write_file(conn.stream, file_msg, file, *file_length, idle(), ec);
      bytes = *file_length;
    }
  } else if (ex.head || status_without_body(res.status)) {
    bhttp::response<bhttp::empty_body> msg;
    fill_header(msg, res, ex);
    if (!status_without_body(res.status)) msg.content_length(res.body.size());
    co_await write_message(conn.stream, msg, idle(), ec);
  } else {
    bhttp::response<bhttp::string_body> msg;
    fill_header(msg, res, ex);
    bytes = res.body.size();
    msg.body() = std::move(res.body);
    msg.prepare_payload();
    co_await write_message(conn.stream, msg, idle(), ec);
  }
  if (ec) ex.keep_alive = false;

  const auto elapsed = Clock::now() - ex.start;
  stats.latency_micros_total.fetch_add(
      static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()),
      std::memory_order_relaxed);
  if (spdlog::should_log(spdlog::level::info)) {
    const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
    spdlog::info(
        R"({{"event":"http_request","request_id":"{}","method":"{}","path":"{}","status":{},"bytes":{},"duration_ms":{:.3f},"remote":"{}"}})",
        ex.request_id, json_escape(ex.method), json_escape(ex.path), res.status, bytes, ms,
        conn.remote);
  }
}

template <class Conn>
asio::awaitable<void> Server::Impl::linger_close(Conn& conn) {
  beast::error_code ec;
  conn.tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
  // Closing with unread request bytes makes the kernel send a reset, which can
  // destroy our error response before the client reads it. Drain briefly.
  std::array<char, 16 * 1024> sink;
  std::uint64_t drained = 0;
  conn.tcp().expires_after(kLingerTime);
  while (!ec && drained < kLingerBytes) {
    // Below TLS: what is drained is never read, only waited out.
    const std::size_t n = co_await conn.tcp().async_read_some(
        asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
    drained += n;
  }
  conn.tcp().close();
}

Server::Server(ServerOptions options, Handler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

Server::~Server() { stop(); }

void Server::start() {
  Impl& s = *impl_;
  std::lock_guard lock(s.stop_mu);
  if (s.started) throw std::logic_error("server already started");

  if (!s.options.tls_certificate_file.empty()) s.tls.emplace(make_tls_context(s.options));
  beast::error_code ec;
  const auto address = asio::ip::make_address(s.options.address, ec);
  if (ec)
    throw std::runtime_error(
        fmt::format("invalid listen address '{}': {}", s.options.address, ec.message()));
  const tcp::endpoint endpoint(address, s.options.port);
  const auto fail = [&](std::string_view what) {
    throw std::runtime_error(fmt::format("cannot listen on {}:{}: {} ({})", s.options.address,
                                         s.options.port, ec.message(), what));
  };
  s.acceptor.open(endpoint.protocol(), ec);
  if (ec) fail("open");
  s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) fail("reuse_address");
  s.acceptor.bind(endpoint, ec);
  if (ec) {
    beast::error_code ignored;
    s.acceptor.close(ignored);
    fail("bind");
  }
  s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    s.acceptor.close(ignored);
    fail("listen");
  }
  s.bound_port = s.acceptor.local_endpoint().port();

  s.pool.emplace(static_cast<std::size_t>(std::max(1, s.options.worker_threads)));
  s.spawn(s.accept_loop(), s.acceptor.get_executor());
  const int n = std::max(1, s.options.network_threads);
  s.threads.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    s.threads.emplace_back([&s] {
      for (;;) {
        try {
          s.ioc.run();
          return;
        } catch (const std::exception& e) {
          spdlog::error(R"({{"event":"http_thread_exception","error":"{}"}})",
                        json_escape(e.what()));
        }
      }
    });
  }
  s.started = true;
  spdlog::info(R"({{"event":"http_listening","address":"{}","port":{},"tls":{}}})",
               json_escape(s.options.address), s.bound_port, s.tls.has_value());
}

void Server::stop() {
  Impl& s = *impl_;
  std::lock_guard lock(s.stop_mu);
  if (!s.started) return;
  {
    std::lock_guard state(s.state_mu);
    if (s.stopped) return;
  }
  {
    std::lock_guard conns(s.conns_mu);
    s.stopping = true;
    for (const auto& conn : s.conns) conn->post_close();
  }
  asio::post(s.acceptor.get_executor(), [&s] {
    beast::error_code ec;
    s.acceptor.close(ec);
  });
  {
    std::unique_lock state(s.state_mu);
    if (!s.state_cv.wait_for(state, kDrainTime, [&s] { return s.live_coroutines == 0; })) {
      spdlog::warn(R"({{"event":"http_stop_timeout","live":{}}})", s.live_coroutines);
    }
  }
  s.ioc.stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
  s.pool->join();
  {
    std::lock_guard state(s.state_mu);
    s.stopped = true;
  }
  s.state_cv.notify_all();
  spdlog::info(R"({"event":"http_stopped"})");
}

void Server::wait_for_shutdown_signal() {
  Impl& s = *impl_;
  {
    std::lock_guard lock(s.stop_mu);
    if (!s.started) return;  // nothing would ever wake us
  }
  {
    std::unique_lock state(s.state_mu);
    if (s.stopped) return;
    if (!s.signals) {
      s.signals = std::make_unique<asio::signal_set>(s.ioc, SIGINT, SIGTERM);
      s.signals->async_wait([&s](const beast::error_code& ec, int signo) {
        if (ec) return;
        spdlog::info(R"({{"event":"shutdown_signal","signal":{}}})", signo);
        std::lock_guard l(s.state_mu);
        s.signalled = true;
        s.state_cv.notify_all();
      });
    }
    s.state_cv.wait(state, [&s] { return s.signalled || s.stopped; });
  }
  stop();
}

uint16_t Server::port() const { return impl_->bound_port; }

const ServerStats& Server::stats() const { return impl_->stats; }

}  // namespace liaison::http
