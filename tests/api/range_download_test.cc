// Byte-range downloads of attachments against a real hub, over raw HTTP so
// that status, framing and headers are exactly what a client sees.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <random>

#include "api/api_helpers.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string("(none)") : it->second;
  }
};

// Parses one response from the front of `in` (framed by Content-Length) and
// removes it; status 0 when there is none.
RawResponse take_response(std::string& in) {
  RawResponse r;
  auto end = in.find("\r\n\r\n");
  if (end == std::string::npos || in.compare(0, 9, "HTTP/1.1 ") != 0) return r;
  r.status = std::stoi(in.substr(9, 3));
  std::size_t line = in.find("\r\n") + 2;
  while (line < end) {
    std::size_t next = in.find("\r\n", line);
    std::string h = in.substr(line, next - line);
    auto colon = h.find(':');
    std::string name = h.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = h.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers[name] = value;
    line = next + 2;
  }
  std::size_t length = std::stoull(
      r.header("content-length") == "(none)" ? std::string("0") : r.header("content-length"));
  r.body = in.substr(end + 4, length);
  in.erase(0, std::min(in.size(), end + 4 + length));
  return r;
}

// Sends `requests` on one connection and returns all the hub answers until it closes.
std::string exchange(int port, const std::string& requests) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "";
  }
  std::size_t off = 0;
  while (off < requests.size()) {
    ssize_t n = ::send(fd, requests.data() + off, requests.size() - off, MSG_NOSIGNAL);
    if (n <= 0) break;
    off += static_cast<std::size_t>(n);
  }
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

class RangeDownloads : public ::testing::Test {
 protected:
  // An odd size over several of the server's 64 KiB chunks.
  static constexpr std::size_t kSize = 300007;

  static void SetUpTestSuite() {
    hub_ = std::make_unique<HubProcess>();
    HubClient officer(hub_->base_url(), hub_->token("officer"));
    json r = create_request(*hub_, officer);
    submit_signed(*hub_, r);
    std::mt19937 rng(2026);
    data_ = std::string(kSize, '\0');
    for (char& c : data_) c = static_cast<char>(rng());
    HubClient analyst(hub_->base_url(), hub_->token("analyst"));
    auto up = analyst.send("POST", request_path(r) + "/attachments?name=export.bin", data_,
                           "application/octet-stream");
    ASSERT_EQ(up.status, 201) << up.body;
    json meta = body_of(up);
    sha256_ = meta["sha256"].get<std::string>();
    content_ = (request_path(r) + "/attachments/" + meta["id"].get<std::string>() + "/content");
  }
  static void TearDownTestSuite() { hub_.reset(); }

  static std::string request(const std::string& extra, bool close = true,
                             const std::string& method = "GET") {
    return method + " " + content_ + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
           hub_->token("officer") + "\r\n" + extra + (close ? "Connection: close\r\n" : "") +
           "\r\n";
  }
  static RawResponse get(const std::string& extra) {
    std::string answer = exchange(hub_->port(), request(extra));
    return take_response(answer);
  }
  static RawResponse get_range(const std::string& range) { return get("Range: " + range + "\r\n"); }

  // Expects a 206 of data[first, last].
  static void expect_partial(const RawResponse& r, std::size_t first, std::size_t last) {
    ASSERT_EQ(r.status, 206) << r.body;
    EXPECT_EQ(r.header("content-range"), "bytes " + std::to_string(first) + "-" +
                                             std::to_string(last) + "/" + std::to_string(kSize));
    EXPECT_EQ(r.header("content-length"), std::to_string(last - first + 1));
    EXPECT_EQ(r.header("accept-ranges"), "bytes");
    EXPECT_EQ(r.header("x-content-sha256"), sha256_) << "the hash names the whole file";
    EXPECT_TRUE(r.body == data_.substr(first, last - first + 1)) << "bytes differ";
  }

  static std::unique_ptr<HubProcess> hub_;
  // The uploaded file, its hash, and the path of its content.
  inline static std::string data_, sha256_, content_;
};

std::unique_ptr<HubProcess> RangeDownloads::hub_;

TEST_F(RangeDownloads, WithoutRangeTheWholeFileSaysRangesAreAccepted) {
  RawResponse r = get("");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("accept-ranges"), "bytes");
  EXPECT_EQ(r.header("etag"), "\"" + sha256_ + "\"");
  EXPECT_EQ(r.header("content-length"), std::to_string(kSize));
  EXPECT_TRUE(r.body == data_);
}

TEST_F(RangeDownloads, AtTheStart) { expect_partial(get_range("bytes=0-99"), 0, 99); }

TEST_F(RangeDownloads, InTheMiddleAcrossChunks) {
  expect_partial(get_range("bytes=65000-200000"), 65000, 200000);
  expect_partial(get_range("bytes=131072-131072"), 131072, 131072);
}

TEST_F(RangeDownloads, AtTheEnd) {
  expect_partial(get_range("bytes=" + std::to_string(kSize - 10) + "-" + std::to_string(kSize - 1)),
                 kSize - 10, kSize - 1);
  expect_partial(get_range("bytes=250000-"), 250000, kSize - 1);
  expect_partial(get_range("bytes=250000-999999999"), 250000, kSize - 1);
}

TEST_F(RangeDownloads, Suffix) {
  expect_partial(get_range("bytes=-1000"), kSize - 1000, kSize - 1);
  expect_partial(get_range("bytes=-9999999"), 0, kSize - 1);
}

TEST_F(RangeDownloads, BeyondTheSizeIs416WithTheSize) {
  for (const std::string& range :
       {"bytes=" + std::to_string(kSize) + "-", std::string("bytes=999999999-1000000000"),
        std::string("bytes=-0")}) {
    RawResponse r = get_range(range);
    EXPECT_EQ(r.status, 416) << range << ": " << r.body;
    EXPECT_EQ(r.header("content-range"), "bytes */" + std::to_string(kSize)) << range;
    EXPECT_EQ(r.header("content-type"), "application/problem+json") << range;
    EXPECT_NE(r.body.find("range-not-satisfiable"), std::string::npos) << r.body;
  }
}

TEST_F(RangeDownloads, SeveralRangesOrAMalformedOneGetTheWholeFile) {
  for (const char* range : {"bytes=0-9,20-29", "bytes=9-0", "bytes=abc", "lines=1-2"}) {
    RawResponse r = get_range(range);
    EXPECT_EQ(r.status, 200) << range;
    EXPECT_EQ(r.header("content-range"), "(none)") << range;
    EXPECT_TRUE(r.body == data_) << range;
  }
}

TEST_F(RangeDownloads, IfRangeAppliesTheRangeOnlyForTheSameFile) {
  const std::string etag = "\"" + sha256_ + "\"";
  expect_partial(get("Range: bytes=10-19\r\nIf-Range: " + etag + "\r\n"), 10, 19);
  for (const std::string& other : {std::string("\"") + std::string(64, '0') + "\"", "W/" + etag,
                                   sha256_, std::string("Mon, 02 Nov 2026 09:15:00 GMT")}) {
    RawResponse r = get("Range: bytes=10-19\r\nIf-Range: " + other + "\r\n");
    EXPECT_EQ(r.status, 200) << other;
    EXPECT_TRUE(r.body == data_) << other;
  }
}

TEST_F(RangeDownloads, RangesOnOneConnectionAreFramedExactly) {
  // Three answers on one kept-alive connection: each must end where its
  // Content-Length says, or the next would not parse.
  std::string answers = exchange(hub_->port(), request("Range: bytes=100-70099\r\n", false) +
                                                   request("Range: bytes=-5\r\n", false) +
                                                   request("Range: bytes=0-0\r\n"));
  expect_partial(take_response(answers), 100, 70099);
  expect_partial(take_response(answers), kSize - 5, kSize - 1);
  expect_partial(take_response(answers), 0, 0);
  EXPECT_TRUE(answers.empty()) << answers.size() << " bytes left over";
}

TEST_F(RangeDownloads, HeadIgnoresRange) {
  std::string answer = exchange(hub_->port(), request("Range: bytes=0-99\r\n", true, "HEAD"));
  auto end = answer.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos) << answer;
  EXPECT_EQ(answer.compare(0, 12, "HTTP/1.1 200"), 0) << answer;
  EXPECT_NE(answer.find("Content-Length: " + std::to_string(kSize)), std::string::npos) << answer;
  EXPECT_EQ(answer.size(), end + 4) << "no body";
}

}  // namespace
}  // namespace liaison
