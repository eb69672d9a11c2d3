#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "cli/hub_client.h"
#include "support/test_support.h"
#include "support/x509_support.h"

namespace liaison::http {
namespace {

using cli::ClientResponse;
using cli::HubClient;
using namespace std::chrono_literals;

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string random_bytes(std::size_t n) {
  std::mt19937_64 rng(42);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rng());
  return out;
}

void write_file(const std::filesystem::path& p, const std::string& data) {
  std::ofstream out(p, std::ios::binary);
  out << data;
}

// A blocking POSIX socket, for sending bytes no well-behaved client would.
class RawSocket {
 public:
  explicit RawSocket(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) throw std::runtime_error("socket failed");
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      throw std::runtime_error("connect failed");
    }
  }
  ~RawSocket() { ::close(fd_); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  void send_all(const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const auto n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;  // the server may hang up early; the caller checks the reply
      sent += static_cast<std::size_t>(n);
    }
  }

  // Reads until the peer closes (or the receive timeout fires).
  std::string read_to_end() {
    std::string out;
    char buf[4096];
    for (;;) {
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return out;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }

  // Reads until `count` complete responses with Content-Length have arrived.
  std::string read_responses(int count) {
    std::string out;
    char buf[4096];
    while (complete_responses(out) < count) {
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  static int complete_responses(const std::string& s) {
    int count = 0;
    std::size_t pos = 0;
    for (;;) {
      const auto end = s.find("\r\n\r\n", pos);
      if (end == std::string::npos) return count;
      const auto cl = s.find("Content-Length: ", pos);
      std::size_t len = 0;
      if (cl != std::string::npos && cl < end) len = std::stoul(s.substr(cl + 16));
      if (s.size() < end + 4 + len) return count;
      ++count;
      pos = end + 4 + len;
    }
  }

  int fd_;
};

class TestHandler : public Handler {
 public:
  Response handle(Request& req) override {
    {
      std::lock_guard lock(mu_);
      last_request_id_ = req.request_id;
      last_body_file_ = req.body_file;
      threads_[req.method] = std::this_thread::get_id();
    }
    Response res;
    if (req.path == "/throw") throw std::runtime_error("boom");
    if (req.path == "/slow") {
      // Blocks until the test says a concurrent GET got through, proving
      // this POST is not occupying the only network thread.
      slow_started_promise.set_value();
      get_finished_future.wait_for(5s);
      res.body = "slow done";
      return res;
    }
    if (req.path == "/upload") {
      res.status = req.body_file ? 201 : 400;
      res.body = req.body_file.value_or("");
      return res;
    }
    if (req.path == "/download") {
      if (!download_file_) {
        res.status = 404;
        res.headers.set("Content-Type", "application/problem+json");
        res.body = R"({"status":404})";
        return res;
      }
      res.headers.set("Content-Type", "application/octet-stream");
      res.body_file = download_file_;
      return res;
    }
    if (req.path == "/certificate") {
      res.body = req.client_certificate;
      return res;
    }
    if (req.path == "/nothing") {
      res.status = 204;
      return res;
    }
    std::string out = "method=" + req.method + "\npath=" + req.path + "\n";
    for (const auto& [k, v] : req.query) out += "q:" + k + "=" + v + "\n";
    out += "custom=" + req.headers.get("x-custom-header").value_or("<none>") + "\n";
    out += "body=" + req.body + "\n";
    res.headers.set("Content-Type", "text/plain");
    res.headers.add("X-Echo", "yes");
    res.body = std::move(out);
    return res;
  }

  bool is_upload(const std::string& method, const std::string& path) const override {
    return method == "POST" && path == "/upload";
  }

  std::string last_request_id() {
    std::lock_guard lock(mu_);
    return last_request_id_;
  }
  std::optional<std::string> last_body_file() {
    std::lock_guard lock(mu_);
    return last_body_file_;
  }
  std::thread::id thread_for(const std::string& method) {
    std::lock_guard lock(mu_);
    return threads_[method];
  }

  std::optional<std::string> download_file_;
  std::promise<void> slow_started_promise;
  std::future<void> slow_started = slow_started_promise.get_future();
  std::promise<void> get_finished;
  std::shared_future<void> get_finished_future = get_finished.get_future().share();

 private:
  std::mutex mu_;
  std::string last_request_id_;
  std::optional<std::string> last_body_file_;
  std::map<std::string, std::thread::id> threads_;
};

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions options = {}) {
    options.address = "127.0.0.1";
    options.port = 0;
    if (options.upload_dir.empty()) options.upload_dir = uploads_.path().string();
    server_ = std::make_unique<Server>(options, handler_);
    server_->start();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  HubClient client(std::string token = "secret") const {
    return HubClient(url(), std::move(token));
  }

  TestHandler handler_;
  testing::TempDir uploads_;
  testing::TempDir scratch_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, GetEchoDecodesPathAndQueryAndMatchesHeadersCaseInsensitively) {
  start();
  Headers extra;
  extra.add("X-CUSTOM-Header", "Value 1");
  const auto res = client().send("GET", "/echo%20it?a=1%202&b=c+d&flag&e=%3D%26", "", "", extra);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(
      res.body,
      "method=GET\npath=/echo it\nq:a=1 2\nq:b=c d\nq:flag=\nq:e==&\ncustom=Value 1\nbody=\n");
  EXPECT_EQ(res.headers.get("server"), "liaison");
  EXPECT_EQ(res.headers.get("x-echo"), "yes");
  EXPECT_EQ(res.headers.get("content-length"), std::to_string(res.body.size()));
  const auto id = res.headers.get("X-Request-Id");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->size(), 16u);
  EXPECT_EQ(*id, handler_.last_request_id());
}

TEST_F(ServerTest, PostRunsOnWorkerPoolAndDoesNotBlockGets) {
  ServerOptions options;
  options.network_threads = 1;
  options.worker_threads = 2;
  start(options);

  auto post = std::async(std::launch::async, [&] { return client().send("POST", "/slow", "{}"); });
  ASSERT_EQ(handler_.slow_started.wait_for(5s), std::future_status::ready);
  // With one network thread, this GET is only served if the POST sits elsewhere.
  const auto get = client().send("GET", "/echo");
  handler_.get_finished.set_value();
  EXPECT_EQ(get.status, 200);

  const auto post_res = post.get();
  EXPECT_EQ(post_res.status, 200);
  EXPECT_EQ(post_res.body, "slow done");
  EXPECT_NE(handler_.thread_for("POST"), handler_.thread_for("GET"));
}

TEST_F(ServerTest, PostBodyIsDelivered) {
  start();
  const auto res = client().send("PUT", "/echo", R"({"x":1})");
  EXPECT_EQ(res.status, 200);
  EXPECT_NE(res.body.find("method=PUT\n"), std::string::npos);
  EXPECT_NE(res.body.find("body={\"x\":1}\n"), std::string::npos);
}

TEST_F(ServerTest, OversizedBodyGets413Problem) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  start(options);
  const auto res = client().send("POST", "/echo", std::string(4096, 'x'));
  EXPECT_EQ(res.status, 413);
  EXPECT_EQ(res.headers.get("Content-Type"), "application/problem+json");
  EXPECT_EQ(res.headers.get("Connection"), "close");
  const auto body = nlohmann::json::parse(res.body);
  EXPECT_EQ(body["type"], "urn:liaison:problem:too-large");
  EXPECT_EQ(body["status"], 413);
  EXPECT_EQ(body["detail"], "request body exceeds 1024 bytes");
}

TEST_F(ServerTest, OversizedChunkedBodyGets413) {
  ServerOptions options;
  options.max_body_bytes = 100;
  start(options);
  RawSocket sock(server_->port());
  sock.send_all("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n200\r\n" +
                std::string(512, 'a') + "\r\n0\r\n\r\n");
  const auto reply = sock.read_to_end();
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 413")) << reply;
}

TEST_F(ServerTest, OversizedHeaderGets431) {
  ServerOptions options;
  options.max_header_bytes = 1024;
  start(options);
  RawSocket sock(server_->port());
  sock.send_all("GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8000, 'a') + "\r\n\r\n");
  const auto reply = sock.read_to_end();
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 431")) << reply.substr(0, 200);
  EXPECT_NE(reply.find("application/problem+json"), std::string::npos);
  EXPECT_NE(reply.find(R"("status":431)"), std::string::npos);
}

TEST_F(ServerTest, MalformedRequestLineGets400) {
  start();
  RawSocket sock(server_->port());
  sock.send_all("THIS IS NOT HTTP\r\n\r\n");
  const auto reply = sock.read_to_end();
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply;
  EXPECT_NE(reply.find(R"("type":"urn:liaison:problem:bad-request")"), std::string::npos);
  EXPECT_NE(reply.find("Connection: close"), std::string::npos);
}

TEST_F(ServerTest, KeepAliveServesPipelinedRequestsOnOneConnection) {
  start();
  RawSocket sock(server_->port());
  sock.send_all(
      "GET /echo?n=1 HTTP/1.1\r\nHost: x\r\n\r\nGET /echo?n=2 HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto reply = sock.read_responses(2);
  EXPECT_NE(reply.find("q:n=1"), std::string::npos);
  EXPECT_NE(reply.find("q:n=2"), std::string::npos);
  EXPECT_EQ(reply.find("Connection: close"), std::string::npos);
}

TEST_F(ServerTest, UploadStreamsIntoUploadDir) {
  ServerOptions options;
  options.max_body_bytes = 1024;  // far below the upload, so memory reads would fail
  start(options);
  const auto data = random_bytes(5 * 1024 * 1024);
  const auto local = scratch_.path() / "evidence.bin";
  write_file(local, data);

  const auto res = client().upload("/upload", local.string(), "application/octet-stream");
  ASSERT_EQ(res.status, 201) << res.body;
  const auto stored = handler_.last_body_file();
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(res.body, *stored);
  EXPECT_EQ(std::filesystem::path(*stored).parent_path(), uploads_.path());
  EXPECT_TRUE(read_file(*stored) == data);
}

TEST_F(ServerTest, UploadOverLimitGets413AndLeavesNoFile) {
  ServerOptions options;
  options.max_upload_bytes = 1000;
  start(options);
  const auto local = scratch_.path() / "big.bin";
  write_file(local, random_bytes(5000));
  const auto res = client().upload("/upload", local.string(), "application/octet-stream");
  EXPECT_EQ(res.status, 413);
  EXPECT_NE(res.body.find("request body exceeds 1000 bytes"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_empty(uploads_.path()));
}

TEST_F(ServerTest, DownloadStreamsResponseFile) {
  start();
  const auto data = random_bytes(3 * 1024 * 1024 + 17);
  const auto source = scratch_.path() / "package.zip";
  write_file(source, data);
  handler_.download_file_ = source.string();

  const auto out = scratch_.path() / "out.zip";
  const auto res = client().download("/download", out.string());
  EXPECT_EQ(res.status, 200);
  EXPECT_TRUE(res.body.empty());
  EXPECT_EQ(res.headers.get("Content-Length"), std::to_string(data.size()));
  EXPECT_TRUE(read_file(out) == data);
}

TEST_F(ServerTest, DownloadErrorReturnsBodyAndWritesNoFile) {
  start();
  const auto out = scratch_.path() / "missing.zip";
  const auto res = client().download("/download", out.string());
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body, R"({"status":404})");
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST_F(ServerTest, HeadHasNoBodyButGetsContentLength) {
  start();
  const auto get = client().send("GET", "/echo");
  const auto head = client().send("HEAD", "/echo");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(
      head.headers.get("Content-Length"),
      std::to_string(get.body.size() + std::string("HEAD").size() - std::string("GET").size()));
}

TEST_F(ServerTest, NoContentResponseHasNoBody) {
  start();
  const auto res = client().send("GET", "/nothing");
  EXPECT_EQ(res.status, 204);
  EXPECT_TRUE(res.body.empty());
}

TEST_F(ServerTest, HandlerExceptionBecomes500Problem) {
  start();
  const auto res = client().send("GET", "/throw");
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.headers.get("Content-Type"), "application/problem+json");
  EXPECT_NE(res.body.find(R"("status":500)"), std::string::npos);
  EXPECT_EQ(server_->stats().responses_5xx.load(), 1u);
}

TEST_F(ServerTest, MaxConnectionsExceededGets503) {
  ServerOptions options;
  options.max_connections = 1;
  start(options);
  {
    RawSocket held(server_->port());
    held.send_all("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_NE(held.read_responses(1).find("200 OK"), std::string::npos);

    const auto res = client().send("GET", "/echo");
    EXPECT_EQ(res.status, 503);
    EXPECT_EQ(res.headers.get("Content-Type"), "application/problem+json");
    EXPECT_NE(res.body.find(R"("status":503)"), std::string::npos);
    EXPECT_EQ(server_->stats().rejected_connections.load(), 1u);
  }
  // The held connection is gone, so there is room again.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (server_->stats().open_connections.load() != 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(client().send("GET", "/echo").status, 200);
}

TEST_F(ServerTest, ClientRequestIdIsEchoedWhenWellFormed) {
  start();
  Headers extra;
  extra.add("X-Request-Id", "case-42.A_b");
  auto res = client().send("GET", "/echo", "", "", extra);
  EXPECT_EQ(res.headers.get("X-Request-Id"), "case-42.A_b");
  EXPECT_EQ(handler_.last_request_id(), "case-42.A_b");

  Headers bad;
  bad.add("X-Request-Id", "no spaces allowed");
  res = client().send("GET", "/echo", "", "", bad);
  const auto id = res.headers.get("X-Request-Id");
  ASSERT_TRUE(id.has_value());
  EXPECT_NE(*id, "no spaces allowed");
  EXPECT_EQ(id->size(), 16u);
}

TEST_F(ServerTest, IdleConnectionIsClosedAfterTimeout) {
  ServerOptions options;
  options.idle_timeout_seconds = 1;
  start(options);
  RawSocket idle(server_->port());
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_EQ(idle.read_to_end(), "");
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 4s);  // the raw socket gives up after 5 s
}

TEST_F(ServerTest, StatsCountRequests) {
  start();
  client().send("GET", "/echo");
  client().send("GET", "/download");  // 404: no file configured
  const auto& stats = server_->stats();
  EXPECT_EQ(stats.requests_total.load(), 2u);
  EXPECT_EQ(stats.responses_2xx.load(), 1u);
  EXPECT_EQ(stats.responses_4xx.load(), 1u);
}

TEST_F(ServerTest, StopIsCleanAndIdempotentEvenWithOpenConnections) {
  start();
  RawSocket idle(server_->port());
  idle.send_all("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_NE(idle.read_responses(1).find("200 OK"), std::string::npos);

  const auto url_before = url();
  const auto begin = std::chrono::steady_clock::now();
  server_->stop();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 5s);
  EXPECT_EQ(idle.read_to_end(), "");  // the server closed the idle connection
  EXPECT_THROW(HubClient(url_before, "").send("GET", "/echo"), std::runtime_error);
  server_.reset();  // the destructor stops again, harmlessly
}

TEST_F(ServerTest, WaitForShutdownSignalReturnsAfterStop) {
  start();
  auto waiter = std::async(std::launch::async, [&] { server_->wait_for_shutdown_signal(); });
  std::this_thread::sleep_for(50ms);
  server_->stop();
  EXPECT_EQ(waiter.wait_for(5s), std::future_status::ready);
}

TEST_F(ServerTest, BindingAnUsedPortThrows) {
  start();
  ServerOptions options;
  options.address = "127.0.0.1";
  options.port = server_->port();
  Server second(options, handler_);
  try {
    second.start();
    FAIL() << "expected start() to throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on 127.0.0.1"), std::string::npos)
        << e.what();
  }
}

TEST(HubClientTest, ClosedPortThrowsReadableError) {
  uint16_t port = 0;
  {
    TestHandler handler;
    ServerOptions options;
    options.port = 0;
    Server server(options, handler);
    server.start();
    port = server.port();
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  try {
    HubClient(url, "t").send("GET", "/echo");
    FAIL() << "expected send() to throw";
  } catch (const std::runtime_error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("cannot reach hub at " + url), std::string::npos) << msg;
    EXPECT_NE(msg.find("refused"), std::string::npos) << msg;
  }
}

// A peer on a loopback port that runs `script` on the first connection it
// accepts, in a thread of its own, and closes it when the script returns.
class ScriptedPeer {
 public:
  explicit ScriptedPeer(std::function<void(int)> script) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(listener_, 4) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      throw std::runtime_error("cannot listen on loopback");
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, script = std::move(script)] {
      const int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) return;
      script(connection);
      ::close(connection);
    });
  }
  ~ScriptedPeer() {
    thread_.join();
    ::close(listener_);
  }
  ScriptedPeer(const ScriptedPeer&) = delete;
  ScriptedPeer& operator=(const ScriptedPeer&) = delete;
  std::string url(const std::string& scheme = "http") const {
    return scheme + "://127.0.0.1:" + std::to_string(port_);
  }

 private:
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

// Reads until the client closes: a peer that never answers, not even a TLS
// handshake.
void say_nothing(int connection) {
  char buffer[4096];
  while (::read(connection, buffer, sizeof(buffer)) > 0) {
  }
}

// What `send` threw, or "" if it returned.
std::string failure_of(HubClient& client) {
  try {
    client.send("GET", "/echo");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(HubClientTest, APeerThatNeverAnswersTimesOut) {
  ScriptedPeer peer(say_nothing);
  HubClient client(peer.url(), "t");
  client.set_idle_timeout(200ms);
  const std::string failure = failure_of(client);
  EXPECT_NE(failure.find("lost connection to hub at " + peer.url()), std::string::npos) << failure;
  EXPECT_NE(failure.find("timed out"), std::string::npos) << failure;
}

TEST(HubClientTest, APeerThatNeverShakesHandsTimesOut) {
  ScriptedPeer peer(say_nothing);
  HubClient client(peer.url("https"), "t");
  client.set_idle_timeout(200ms);
  const std::string failure = failure_of(client);
  EXPECT_NE(failure.find("TLS handshake"), std::string::npos) << failure;
  EXPECT_NE(failure.find("timed out"), std::string::npos) << failure;
}

TEST(HubClientTest, AResponseThatKeepsComingIsNeverCutOff) {
  // Ten bytes, one every 100 ms: a whole second, under an idle timeout of
  // half of one, which each byte restarts.
  ScriptedPeer peer([](int connection) {
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      const ssize_t n = ::read(connection, buffer, sizeof(buffer));
      if (n <= 0) return;
      request.append(buffer, static_cast<std::size_t>(n));
    }
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\n";
    if (::write(connection, head.data(), head.size()) < 0) return;
    for (char c = '0'; c <= '9'; ++c) {
      std::this_thread::sleep_for(100ms);
      if (::write(connection, &c, 1) != 1) return;
    }
  });
  HubClient client(peer.url(), "t");
  client.set_idle_timeout(500ms);
  ClientResponse r = client.send("GET", "/slow");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "0123456789");
}

TEST(HubClientTest, RejectsWhatIsNotHttpOrHttps) {
  EXPECT_THROW(HubClient("ftp://hub.example.org", "t"), std::invalid_argument);
  EXPECT_THROW(HubClient("hub.example.org", "t"), std::invalid_argument);
}

// HTTPS: the server's certificate and key from PEM files, the client's
// certificate (when the server asks for one) handed to the handler as DER.
class TlsServerTest : public ServerTest {
 protected:
  void SetUp() override {
    server_key_ = testing::make_signing_key("hub.example.org", false, false,
                                            "IP:127.0.0.1,DNS:hub.example.org");
    client_key_ = testing::make_signing_key("NL-NPCU client");
    save("server.pem", server_key_.certificate_pem);
    save("server.key", server_key_.private_key_pem);
    save("client.pem", client_key_.certificate_pem);
    save("client.key", client_key_.private_key_pem);
  }
  void start_tls(bool ask_for_client_certificate) {
    ServerOptions o;
    o.tls_certificate_file = path("server.pem");
    o.tls_key_file = path("server.key");
    o.tls_request_client_certificate = ask_for_client_certificate;
    start(o);
  }
  std::string https_url() const { return "https://127.0.0.1:" + std::to_string(server_->port()); }
  std::string path(const std::string& name) const { return (scratch_.path() / name).string(); }
  void save(const std::string& name, const std::string& text) const {
    write_file(path(name), text);
  }
  cli::TlsClientOptions with_client_certificate() const {
    return {path("server.pem"), path("client.pem"), path("client.key")};
  }

  testing::TestSigningKey server_key_;
  testing::TestSigningKey client_key_;
};

TEST_F(TlsServerTest, AClientCertificateReachesTheHandlerAsItsDer) {
  start_tls(true);
  auto res = HubClient(https_url(), "", with_client_certificate()).send("GET", "/certificate");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, testing::der_of(client_key_.certificate_pem));
  // Without one the exchange goes on, with none to see.
  cli::TlsClientOptions anonymous{path("server.pem"), "", ""};
  res = HubClient(https_url(), "", anonymous).send("GET", "/certificate");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "");
  // A body goes both ways over TLS, and uploads stream as over TCP.
  res = HubClient(https_url(), "", anonymous).send("POST", "/echo", "hello", "text/plain");
  EXPECT_NE(res.body.find("body=hello"), std::string::npos) << res.body;
  save("big.bin", random_bytes(3 * 1024 * 1024 + 17));
  res = HubClient(https_url(), "", anonymous)
            .upload("/upload", path("big.bin"), "application/octet-stream");
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(read_file(res.body), read_file(path("big.bin")));
}

TEST_F(TlsServerTest, NotAskedTheClientKeepsItsCertificate) {
  start_tls(false);
  auto res = HubClient(https_url(), "", with_client_certificate()).send("GET", "/certificate");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "");
}

TEST_F(TlsServerTest, TheClientVerifiesTheServer) {
  start_tls(true);
  // A certificate the client was not told to trust.
  auto other = testing::make_signing_key("other.example.org", false, false, "IP:127.0.0.1");
  save("other.pem", other.certificate_pem);
  try {
    HubClient(https_url(), "", {path("other.pem"), "", ""}).send("GET", "/echo");
    FAIL() << "a server with an untrusted certificate was reached";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("TLS handshake"), std::string::npos) << e.what();
  }
  // The right certificate for another name.
  const std::string by_name = "https://localhost:" + std::to_string(server_->port());
  EXPECT_THROW(HubClient(by_name, "", {path("server.pem"), "", ""}).send("GET", "/echo"),
               std::runtime_error);
}

TEST_F(TlsServerTest, PlainHttpIsNotSpoken) {
  start_tls(true);
  EXPECT_THROW(HubClient(url(), "").send("GET", "/echo"), std::runtime_error);
  // And the server goes on serving.
  auto res = HubClient(https_url(), "", {path("server.pem"), "", ""}).send("GET", "/echo");
  EXPECT_EQ(res.status, 200);
}

TEST(TlsServerOptions, AKeyThatIsNotTheCertificatesStopsTheStart) {
  testing::TempDir dir;
  auto a = testing::make_signing_key("a.example.org");
  auto b = testing::make_signing_key("b.example.org");
  write_file(dir.path() / "a.pem", a.certificate_pem);
  write_file(dir.path() / "b.key", b.private_key_pem);
  TestHandler handler;
  ServerOptions o;
  o.port = 0;
  o.tls_certificate_file = (dir.path() / "a.pem").string();
  o.tls_key_file = (dir.path() / "b.key").string();
  Server server(o, handler);
  try {
    server.start();
    FAIL() << "started with a key that is not the certificate's";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("b.key"), std::string::npos) << e.what();
  }
  o.tls_key_file = (dir.path() / "missing.key").string();
  Server again(o, handler);
  EXPECT_THROW(again.start(), std::runtime_error);
}

}  // namespace
}  // namespace liaison::http
