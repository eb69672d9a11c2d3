#include "cli/hub_client.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "http/asio.h"

namespace liaison::cli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// Beast 1.74 compares Content-Length against an unset (boost::none) body limit
// as "exceeded", so "no limit" has to be spelled as the largest value.
constexpr std::uint64_t kNoBodyLimit = std::numeric_limits<std::uint64_t>::max();

std::string to_string(beast::string_view s) { return std::string(s.data(), s.size()); }

// One exchange's connection: plain TCP, or TLS over it for https. Every
// step runs asynchronously under a deadline, so a peer that accepts the
// connection and then says nothing costs `idle`, not forever.
struct Connection {
  explicit Connection(std::chrono::milliseconds idle_timeout) : idle(idle_timeout) {}

  asio::io_context ioc;
  tcp::socket socket{ioc};
  std::optional<asio::ssl::context> tls_context;
  std::optional<asio::ssl::stream<tcp::socket&>> tls;
  beast::flat_buffer buffer;
  std::chrono::milliseconds idle;

  // Calls `f` with the stream the HTTP messages go over.
  template <class F>
  void with_stream(F&& f) {
    if (tls) {
      f(*tls);
    } else {
      f(socket);
    }
  }

  // Starts one asynchronous operation with `start(handler)` and runs it to
  // completion. One that has not completed within `idle` is aborted with
  // `abort` (by default, closing the socket) and fails as timed_out.
  template <class Start>
  beast::error_code await(Start&& start) {
    return await(std::forward<Start>(start), [this] {
      beast::error_code ignored;
      socket.close(ignored);
    });
  }
  template <class Start, class Abort>
  beast::error_code await(Start&& start, Abort&& abort) {
    std::optional<beast::error_code> result;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run_for(idle);
    if (result) return *result;
    abort();
    ioc.restart();
    ioc.run();  // the aborted operation's handler
    return asio::error::timed_out;
  }
};

// Writes what `serializer` holds, a piece at a time, each under the
// connection's deadline. need_buffer (a buffer_body drained) is success.
template <class Serializer>
beast::error_code write_all(Connection& conn, Serializer& serializer) {
  beast::error_code ec;
  while (!ec && !serializer.is_done()) {
    ec = conn.await([&](auto handler) {
      conn.with_stream(
          [&](auto& stream) { bhttp::async_write_some(stream, serializer, std::move(handler)); });
    });
  }
  return ec == bhttp::error::need_buffer ? beast::error_code{} : ec;
}

[[noreturn]] void unreachable(const std::string& base_url, const beast::error_code& ec) {
  throw std::runtime_error(fmt::format("cannot reach hub at {}: {}", base_url, ec.message()));
}

void fill_headers(http::Headers& out, const bhttp::fields& in) {
  for (const auto& field : in) out.add(to_string(field.name_string()), to_string(field.value()));
}

}  // namespace

HubClient::HubClient(std::string base_url, std::string bearer_token, TlsClientOptions tls)
    : base_url_(std::move(base_url)), token_(std::move(bearer_token)), tls_(std::move(tls)) {
  std::string_view url = base_url_;
  constexpr std::string_view kHttp = "http://";
  constexpr std::string_view kHttps = "https://";
  https_ = url.starts_with(kHttps);
  if (!https_ && !url.starts_with(kHttp)) {
    throw std::invalid_argument(
        fmt::format("hub url must start with http:// or https:// (got '{}')", base_url_));
  }
  url.remove_prefix(https_ ? kHttps.size() : kHttp.size());
  const auto slash = url.find('/');
  const std::string_view authority = url.substr(0, slash);
  if (slash != std::string_view::npos) {
    prefix_ = std::string(url.substr(slash));
    while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
  }
  if (authority.empty())
    throw std::invalid_argument(fmt::format("hub url has no host: '{}'", base_url_));
  host_ = std::string(authority);
  std::string_view host = authority;
  std::string_view port = https_ ? "443" : "80";
  if (host.front() == '[') {  // IPv6 literal
    const auto close = host.find(']');
    if (close == std::string_view::npos)
      throw std::invalid_argument(fmt::format("bad hub url '{}'", base_url_));
    if (close + 1 < host.size() && host[close + 1] == ':') port = host.substr(close + 2);
    host = host.substr(1, close - 1);
  } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty() || port.empty())
    throw std::invalid_argument(fmt::format("bad hub url '{}'", base_url_));
  connect_host_ = std::string(host);
  port_ = std::string(port);
}

namespace {

template <class Body>
void prepare_request(bhttp::request<Body>& req, const std::string& host, const std::string& token,
                     const http::Headers& extra) {
  req.set(bhttp::field::host, host);
  req.set(bhttp::field::user_agent, "liaison-cli");
  if (!token.empty()) req.set(bhttp::field::authorization, "Bearer " + token);
  for (const auto& [name, value] : extra.all()) req.set(name, value);
}

// TLS 1.2 or later; the hub's certificate verified against `o.ca_file` or
// the machine's CAs, and for `host`; the client's own certificate if any.
void start_tls(Connection& conn, const std::string& host, const TlsClientOptions& o,
               const std::string& base_url) {
  auto& ctx = conn.tls_context.emplace(asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  beast::error_code ec;
  if (o.ca_file.empty()) {
    ctx.set_default_verify_paths(ec);
  } else {
    ctx.load_verify_file(o.ca_file, ec);
  }
  if (ec) {
    throw std::runtime_error(fmt::format("cannot use the CA certificates {}: {}",
                                         o.ca_file.empty() ? "of this machine" : o.ca_file,
                                         ec.message()));
  }
  if (!o.certificate_file.empty()) {
    ctx.use_certificate_chain_file(o.certificate_file, ec);
    if (ec) {
      throw std::runtime_error(fmt::format("cannot use the client certificate {}: {}",
                                           o.certificate_file, ec.message()));
    }
    ctx.use_private_key_file(o.key_file, asio::ssl::context::pem, ec);
    if (ec) {
      throw std::runtime_error(
          fmt::format("cannot use the client key {}: {}", o.key_file, ec.message()));
    }
  }
  ctx.set_verify_mode(asio::ssl::verify_peer);
  auto& tls = conn.tls.emplace(conn.socket, ctx);
  // The certificate must name the host: as an address (IP SAN) when the URL
  // gives one, else as a DNS name, which is also sent as the server name.
  asio::ip::make_address(host, ec);
  const bool named = ec.failed();
  ec = {};
  if (named) {
    SSL_set_tlsext_host_name(tls.native_handle(), host.c_str());
    SSL_set1_host(tls.native_handle(), host.c_str());
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(tls.native_handle()), host.c_str());
  }
  ec = conn.await([&](auto handler) {
    tls.async_handshake(asio::ssl::stream_base::client, std::move(handler));
  });
  if (ec) {
    throw std::runtime_error(
        fmt::format("cannot reach hub at {}: TLS handshake: {}", base_url, ec.message()));
  }
}

void connect(Connection& conn, const std::string& host, const std::string& port,
             const std::string& base_url, const TlsClientOptions* tls) {
  tcp::resolver resolver(conn.ioc);
  tcp::resolver::results_type results;
  beast::error_code ec = conn.await(
      [&](auto handler) {
        resolver.async_resolve(
            host, port,
            [&results, handler](beast::error_code e, tcp::resolver::results_type found) mutable {
              results = std::move(found);
              handler(e);
            });
      },
      [&resolver] { resolver.cancel(); });
  if (ec) unreachable(base_url, ec);
  ec = conn.await([&](auto handler) {
    asio::async_connect(
        conn.socket, results,
        [handler](beast::error_code e, const tcp::endpoint&) mutable { handler(e); });
  });
  if (ec) unreachable(base_url, ec);
  conn.socket.set_option(tcp::no_delay(true), ec);
  if (tls != nullptr) start_tls(conn, host, *tls, base_url);
}

// A hub that rejects a request early (413, 503) may stop reading and close,
// so a failed write is not yet a failed exchange: its response may be waiting.
// Hence callers pass the write error here instead of throwing on it.
template <class Parser>
void read_or_throw(Connection& conn, Parser& parser, const std::string& base_url,
                   const beast::error_code& write_ec, bool header_only = false) {
  beast::error_code ec;
  // A piece at a time, each under the deadline: a large body that keeps
  // arriving is never cut off, a peer that stops sending is.
  while (!ec && !(header_only ? parser.is_header_done() : parser.is_done())) {
    ec = conn.await([&](auto handler) {
      conn.with_stream([&](auto& stream) {
        bhttp::async_read_some(stream, conn.buffer, parser, std::move(handler));
      });
    });
  }
  if (ec) {
    throw std::runtime_error(fmt::format("lost connection to hub at {}: {}", base_url,
                                         (write_ec ? write_ec : ec).message()));
  }
}

ClientResponse to_client_response(bhttp::response<bhttp::string_body>&& res) {
  ClientResponse out;
  out.status = static_cast<int>(res.result_int());
  fill_headers(out.headers, res.base());
  out.body = std::move(res.body());
  return out;
}

// One request on a fresh connection, and its whole response in memory.
template <class Body>
ClientResponse exchange(bhttp::request<Body>& req, const std::string& host, const std::string& port,
                        const std::string& base_url, const TlsClientOptions* tls,
                        std::chrono::milliseconds idle) {
  req.prepare_payload();
  req.keep_alive(false);
  Connection conn(idle);
  connect(conn, host, port, base_url, tls);
  bhttp::request_serializer<Body> serializer{req};
  beast::error_code write_ec = write_all(conn, serializer);
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(kNoBodyLimit);
  if (req.method() == bhttp::verb::head) parser.skip(true);
  read_or_throw(conn, parser, base_url, write_ec);
  return to_client_response(parser.release());
}

}  // namespace

ClientResponse HubClient::send(const std::string& method, const std::string& path_and_query,
                               const std::string& body, const std::string& content_type,
                               const http::Headers& extra) {
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(prefix_ + path_and_query);
  req.version(11);
  prepare_request(req, host_, token_, extra);
  if (!body.empty()) {
    req.set(bhttp::field::content_type, content_type);
    req.body() = body;
  }
  return exchange(req, connect_host_, port_, base_url_, https_ ? &tls_ : nullptr, idle_timeout_);
}

ClientResponse HubClient::upload(const std::string& path_and_query, const std::string& file_path,
                                 const std::string& content_type, const http::Headers& extra) {
  bhttp::request<bhttp::file_body> req;
  req.method(bhttp::verb::post);
  req.target(prefix_ + path_and_query);
  req.version(11);
  prepare_request(req, host_, token_, extra);
  req.set(bhttp::field::content_type, content_type);
  beast::error_code ec;
  req.body().open(file_path.c_str(), beast::file_mode::scan, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot read {}: {}", file_path, ec.message()));
  return exchange(req, connect_host_, port_, base_url_, https_ ? &tls_ : nullptr, idle_timeout_);
}

ClientResponse HubClient::upload_range(const std::string& method, const std::string& path_and_query,
                                       const std::string& file_path, std::uint64_t offset,
                                       std::uint64_t length, const std::string& content_type,
                                       const http::Headers& extra) {
  std::ifstream in(file_path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", file_path));
  in.seekg(static_cast<std::streamoff>(offset));
  if (!in) throw std::runtime_error(fmt::format("cannot seek in {}", file_path));

  bhttp::request<bhttp::buffer_body> req;
  req.method(bhttp::string_to_verb(method));
  req.target(prefix_ + path_and_query);
  req.version(11);
  prepare_request(req, host_, token_, extra);
  req.set(bhttp::field::content_type, content_type);
  req.content_length(length);
  req.keep_alive(false);
  req.body().data = nullptr;
  req.body().more = true;

  Connection conn(idle_timeout_);
  connect(conn, connect_host_, port_, base_url_, https_ ? &tls_ : nullptr);
  bhttp::request_serializer<bhttp::buffer_body> sr{req};
  beast::error_code write_ec = conn.await([&](auto handler) {
    conn.with_stream(
        [&](auto& stream) { bhttp::async_write_header(stream, sr, std::move(handler)); });
  });
  // The body goes out a buffer at a time, so a part of any size costs the
  // same memory.
  std::vector<char> buffer(std::size_t{1} << 20);
  std::uint64_t left = length;
  while (!write_ec && left > 0) {
    const auto want = static_cast<std::streamsize>(std::min<std::uint64_t>(left, buffer.size()));
    in.read(buffer.data(), want);
    if (in.gcount() != want) throw std::runtime_error(fmt::format("{} ended early", file_path));
    left -= static_cast<std::uint64_t>(want);
    req.body().data = buffer.data();
    req.body().size = static_cast<std::size_t>(want);
    req.body().more = left > 0;
    write_ec = write_all(conn, sr);
  }
  if (!write_ec && !sr.is_done()) {
    req.body().data = nullptr;
    req.body().size = 0;
    req.body().more = false;
    write_ec = write_all(conn, sr);
  }
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(kNoBodyLimit);
  read_or_throw(conn, parser, base_url_, write_ec);
  return to_client_response(parser.release());
}

ClientResponse HubClient::download(const std::string& path_and_query, const std::string& out_file) {
  bhttp::request<bhttp::empty_body> req;
  req.method(bhttp::verb::get);
  req.target(prefix_ + path_and_query);
  req.version(11);
  prepare_request(req, host_, token_, {});
  req.keep_alive(false);

  Connection conn(idle_timeout_);
  connect(conn, connect_host_, port_, base_url_, https_ ? &tls_ : nullptr);
  bhttp::request_serializer<bhttp::empty_body> serializer{req};
  beast::error_code write_ec = write_all(conn, serializer);
  bhttp::response_parser<bhttp::empty_body> header_parser;
  header_parser.body_limit(kNoBodyLimit);
  read_or_throw(conn, header_parser, base_url_, write_ec, /*header_only=*/true);

  const unsigned status = header_parser.get().result_int();
  if (status < 200 || status >= 300) {
    bhttp::response_parser<bhttp::string_body> parser(std::move(header_parser));
    parser.body_limit(kNoBodyLimit);
    read_or_throw(conn, parser, base_url_, write_ec);
    return to_client_response(parser.release());
  }

  // Write beside the target and rename, so a broken transfer never leaves a
  // truncated file under the name the user asked for.
  const std::string part = out_file + ".part";
  bhttp::response_parser<bhttp::file_body> parser(std::move(header_parser));
  parser.body_limit(kNoBodyLimit);
  beast::error_code ec;
  parser.get().body().open(part.c_str(), beast::file_mode::write, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot write {}: {}", part, ec.message()));
  try {
    read_or_throw(conn, parser, base_url_, write_ec);
  } catch (...) {
    parser.get().body().close();
    std::error_code ignored;
    std::filesystem::remove(part, ignored);
    throw;
  }
  parser.get().body().close();
  std::error_code rename_ec;
  std::filesystem::rename(part, out_file, rename_ec);
  if (rename_ec)
    throw std::runtime_error(fmt::format("cannot write {}: {}", out_file, rename_ec.message()));

  ClientResponse out;
  out.status = static_cast<int>(status);
  fill_headers(out.headers, parser.get().base());
  return out;
}

}  // namespace liaison::cli
