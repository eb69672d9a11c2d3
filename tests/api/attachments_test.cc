// Attachments over HTTP: streamed uploads and downloads, limits, tenancy, and
// that refused uploads leave nothing behind in the blob store's temp area.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>

#include "api/api_helpers.h"
#include "service/environment.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT
namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes `size` pseudo-random bytes; returns them.
std::string write_random_file(const fs::path& p, std::size_t size, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::string data(size, '\0');
  for (std::size_t i = 0; i < size; i += 8) {
    std::uint64_t v = rng();
    for (std::size_t j = 0; j < 8 && i + j < size; ++j)
      data[i + j] = static_cast<char>(v >> (8 * j));
  }
  std::ofstream(p, std::ios::binary) << data;
  return data;
}

std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

// Sends raw bytes to the hub and returns everything it answers until it closes.
std::string raw_exchange(int port, const std::string& head, const std::string& chunk,
                         std::size_t chunks) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "";
  }
  auto send_all = [fd](const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
      ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  };
  bool ok = send_all(head);
  for (std::size_t i = 0; ok && i < chunks; ++i) ok = send_all(chunk);
  if (ok) send_all("0\r\n\r\n");
  ::shutdown(fd, SHUT_WR);
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

class Attachments : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { hub_ = std::make_unique<HubProcess>(); }
  static void TearDownTestSuite() { hub_.reset(); }

  HubProcess& hub() { return *hub_; }
  HubClient as(const std::string& who) { return HubClient(hub_->base_url(), hub_->token(who)); }
  fs::path tmp_dir() { return hub_->data_dir() / "blobs" / "tmp"; }

  json submitted() {
    HubClient officer = as("officer");
    json r = create_request(hub(), officer);
    return submit_signed(hub(), r);
  }

  testing::TempDir scratch_;
  static std::unique_ptr<HubProcess> hub_;
};

std::unique_ptr<HubProcess> Attachments::hub_;

TEST_F(Attachments, ThirtyMegabytesRoundTripByteForByte) {
  json r = submitted();
  fs::path in = scratch_.path() / "mailbox.mbox";
  std::string data = write_random_file(in, 30 * 1000 * 1000, 42);

  auto up = as("analyst").upload(request_path(r) + "/attachments?name=mailbox.mbox", in.string(),
                                 "application/mbox");
  ASSERT_EQ(up.status, 201) << up.body;
  json meta = body_of(up);
  EXPECT_EQ(meta["size"], data.size());
  EXPECT_EQ(meta["sha256"], sha256_hex(data));
  EXPECT_EQ(meta["media_type"], "application/mbox");
  EXPECT_EQ(meta["purpose"], "document");
  EXPECT_EQ(meta["name"], "mailbox.mbox");
  EXPECT_EQ(meta["uploader_org_id"], hub().org_id("provider"));

  std::string att_path = request_path(r) + "/attachments/" + meta["id"].get<std::string>();
  EXPECT_EQ(get_json(as("officer"), att_path), meta);

  fs::path out = scratch_.path() / "downloaded.mbox";
  auto down = as("officer").download(att_path + "/content", out.string());
  ASSERT_EQ(down.status, 200) << down.body;
  EXPECT_EQ(down.headers.get("X-Content-SHA256"),
            std::optional<std::string>(meta["sha256"].get<std::string>()));
  EXPECT_EQ(down.headers.get("Content-Type"), std::optional<std::string>("application/mbox"));
  EXPECT_EQ(down.headers.get("Content-Disposition"),
            std::optional<std::string>("attachment; filename=\"mailbox.mbox\""));
  EXPECT_EQ(fs::file_size(out), data.size());
  EXPECT_TRUE(read_file(out) == data) << "downloaded bytes differ";
  EXPECT_EQ(files_in(tmp_dir()), 0u);

  // Listed once, and the upload is on the timeline.
  json list = get_json(as("officer"), request_path(r) + "/attachments");
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["id"], meta["id"]);
  EXPECT_EQ(get_json(as("officer"), request_path(r) + "/events")["items"].back()["type"],
            "attachment");
}

TEST_F(Attachments, ForeignUploadsAre404AndLeaveNoFile) {
  json r = submitted();
  fs::path in = scratch_.path() / "x.bin";
  write_random_file(in, 2 * 1000 * 1000, 7);
  ASSERT_EQ(files_in(tmp_dir()), 0u);

  HubClient admin(hub().base_url(), hub().admin_token());
  json other = make_provider(admin, "Other Cloud GmbH", "OTHERCLOUD-ATT");
  auto [user, token] =
      make_user(hub(), admin, other["id"], "analyst@cloud.example.org", {"analyst"});
  std::string path = request_path(r) + "/attachments?name=x.bin";
  for (const std::string& t : {token, hub().token("prosecutor"), hub().admin_token()}) {
    auto up = HubClient(hub().base_url(), t).upload(path, in.string(), "application/octet-stream");
    EXPECT_TRUE(IsProblem(up, 404, "not-found"));
    EXPECT_EQ(files_in(tmp_dir()), 0u);
  }
  // Refused for other reasons, also nothing left: a forbidden role, a bad name, no name.
  EXPECT_TRUE(IsProblem(as("provider_admin").upload(path, in.string(), "application/octet-stream"),
                        403, "forbidden"));
  EXPECT_TRUE(IsProblem(
      as("analyst").upload(request_path(r) + "/attachments?name=a/b", in.string(), "text/plain"),
      422, "validation-failed", "name"));
  EXPECT_TRUE(
      IsProblem(as("analyst").upload(request_path(r) + "/attachments", in.string(), "text/plain"),
                422, "validation-failed", "name", "is required"));
  EXPECT_TRUE(IsProblem(as("analyst").upload(path + "&colour=red", in.string(), "text/plain"), 422,
                        "validation-failed", "colour", "unknown query parameter"));
  EXPECT_TRUE(IsProblem(as("analyst").upload(path, in.string(), "text/plain",
                                             headers({{"Idempotency-Key", std::string(300, 'k')}})),
                        422, "validation-failed", "Idempotency-Key"));
  EXPECT_EQ(files_in(tmp_dir()), 0u);
  EXPECT_TRUE(get_json(as("officer"), request_path(r) + "/attachments")["items"].empty());
}

TEST_F(Attachments, AnAttachmentBelongsToItsRequest) {
  json a = submitted();
  json b = submitted();
  HubClient officer = as("officer");
  auto up = officer.send("POST", request_path(a) + "/attachments?name=order.pdf", "%PDF-1.4 A",
                         "application/pdf");
  ASSERT_EQ(up.status, 201) << up.body;
  std::string att = body_of(up)["id"];
  EXPECT_EQ(officer.send("GET", request_path(a) + "/attachments/" + att).status, 200);
  EXPECT_TRUE(
      IsProblem(officer.send("GET", request_path(b) + "/attachments/" + att), 404, "not-found"));
  fs::path out = scratch_.path() / "never";
  auto down = officer.download(request_path(b) + "/attachments/" + att + "/content", out.string());
  EXPECT_TRUE(IsProblem(down, 404, "not-found"));
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(IsProblem(
      officer.send("GET", request_path(a) + "/attachments/3f2c6a1e-8d4b-4c1a-9e7f-0a1b2c3d4e5f"),
      404, "not-found"));
}

TEST_F(Attachments, IdempotentUpload) {
  json r = submitted();
  HubClient analyst = as("analyst");
  auto key = headers({{"Idempotency-Key", "upload-1"}});
  std::string path = request_path(r) + "/attachments?name=log.txt";
  auto first = analyst.send("POST", path, "line one\n", "text/plain", key);
  ASSERT_EQ(first.status, 201) << first.body;
  auto second = analyst.send("POST", path, "line one\n", "text/plain", key);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.headers.get("Idempotent-Replayed"), std::optional<std::string>("true"));
  EXPECT_EQ(body_of(second)["id"], body_of(first)["id"]);
  EXPECT_TRUE(IsProblem(analyst.send("POST", request_path(r) + "/attachments?name=other.txt",
                                     "line one\n", "text/plain", key),
                        409, "conflict", "Idempotency-Key"));
  EXPECT_EQ(get_json(analyst, request_path(r) + "/attachments")["items"].size(), 1u);
  EXPECT_EQ(files_in(tmp_dir()), 0u);
}

TEST(AttachmentLimits, AnUploadOverTheLimitIs413AndLeavesNoFile) {
  HubProcess hub({"--max-upload-bytes", "1048576"});
  HubClient officer(hub.base_url(), hub.token("officer"));
  json r = create_request(hub, officer);
  submit_signed(hub, r);
  fs::path tmp = hub.data_dir() / "blobs" / "tmp";
  testing::TempDir scratch;

  fs::path big = scratch.path() / "big.bin";
  write_random_file(big, 1048577, 3);
  auto up = officer.upload(request_path(r) + "/attachments?name=big.bin", big.string(),
                           "application/octet-stream");
  EXPECT_TRUE(IsProblem(up, 413, "too-large"));
  EXPECT_NE(body_of(up)["detail"].get<std::string>().find("1048576"), std::string::npos) << up.body;
  EXPECT_EQ(files_in(tmp), 0u);

  // Chunked, so the server only finds out while streaming to disk.
  std::string head = "POST " + request_path(r) +
                     "/attachments?name=big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Authorization: Bearer " +
                     hub.token("officer") +
                     "\r\nContent-Type: application/octet-stream\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n";
  std::string chunk = "10000\r\n" + std::string(0x10000, 'z') + "\r\n";  // 64 KiB per chunk
  std::string reply = raw_exchange(hub.port(), head, chunk, 20);         // 1.25 MiB in all
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply.substr(0, 200);
  EXPECT_NE(reply.find("application/problem+json"), std::string::npos);
  EXPECT_EQ(files_in(tmp), 0u);
  EXPECT_TRUE(get_json(officer, request_path(r) + "/attachments")["items"].empty());

  // Exactly at the limit is accepted.
  fs::path fits = scratch.path() / "fits.bin";
  write_random_file(fits, 1048576, 4);
  EXPECT_EQ(officer
                .upload(request_path(r) + "/attachments?name=fits.bin", fits.string(),
                        "application/octet-stream")
                .status,
            201);
  EXPECT_EQ(files_in(tmp), 0u);
}

}  // namespace
}  // namespace liaison
