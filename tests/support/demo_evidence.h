// Evidence packages against a running demo hub: sealed by the demo's analyst
// (Example Mail Ltd) for the police's recipient key, with the analyst's
// certificates from the hub's trust store, and uploaded in parts as
// `liaison evidence upload` does. Header-only, for test binaries that link
// the CLI library.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cli/hub_client.h"
#include "cli/request_signer.h"
#include "service/environment.h"
#include "support/evidence_support.h"
#include "support/hub_process.h"
#include "support/signing.h"
#include "trust/trust_store.h"

namespace liaison::testing {

// The police's recipient certificate, as the demo wrote it.
inline trust::Certificate police_recipient(const HubProcess& hub) {
  std::ifstream in(hub.demo()["recipients"]["police"]["certificate_file"].get<std::string>());
  auto cert = trust::certificate_from_json(nlohmann::json::parse(in));
  EXPECT_TRUE(cert.ok());
  return cert.ok() ? cert.value() : trust::Certificate{};
}

inline const trust::SecretKey& police_recipient_key(const HubProcess& hub) {
  return demo_key(hub, "police-recipient");
}

// Seals `files` for `request` (its view JSON) into `out` as the demo analyst,
// for the police's recipient key (or `recipients` when given).
inline evidence::PackageInfo seal_as_analyst(
    const HubProcess& hub, const nlohmann::json& request, const std::filesystem::path& out,
    const std::vector<std::pair<std::string, std::string>>& files,
    std::vector<trust::Certificate> recipients = {}, const std::string& signer = "analyst") {
  cli::HubClient c = client_as(hub, signer);
  auto store = trust::TrustStore::from_json(json_of(c.send("GET", "/api/v1/trust")));
  EXPECT_TRUE(store.ok());
  const Timestamp now = Timestamp::from_seconds(SystemClock().now().seconds());
  auto key = trust::SecretKey::from_bytes(demo_key(hub, signer).bytes());
  EXPECT_TRUE(key.ok());
  auto s = cli::signer_from_store(std::move(key.value()), *store, now);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  std::vector<trust::Certificate> chain = {s->certificate};
  chain.insert(chain.end(), s->chain.begin(), s->chain.end());
  if (recipients.empty()) recipients.push_back(police_recipient(hub));
  auto sealed = seal_files(out, files, request["id"].get<std::string>(),
                           request["reference"].get<std::string>(), recipients, s->key, chain, now);
  EXPECT_TRUE(sealed.ok()) << (sealed.ok() ? "" : sealed.error().message);
  return sealed.ok() ? sealed.value() : evidence::PackageInfo{};
}

// Uploads the package file in parts of `part_bytes`; the last answer.
inline cli::ClientResponse upload_package(const HubProcess& hub, const std::string& request_id,
                                          const std::filesystem::path& file,
                                          std::uint64_t part_bytes = 1u << 20,
                                          const std::string& who = "analyst") {
  cli::HubClient c = client_as(hub, who);
  const std::string base = "/api/v1/requests/" + request_id + "/packages/uploads";
  const std::uint64_t size = std::filesystem::file_size(file);
  auto started = c.send("POST", base, nlohmann::json{{"size", size}}.dump());
  if (started.status != 201) return started;
  const std::string id = json_of(started)["id"];
  cli::ClientResponse last;
  for (std::uint64_t at = 0; at < size;) {
    std::uint64_t len = std::min(part_bytes, size - at);
    http::Headers h;
    h.set("Content-Range", "bytes " + std::to_string(at) + "-" + std::to_string(at + len - 1) +
                               "/" + std::to_string(size));
    last = c.upload_range("PUT", base + "/" + id, file.string(), at, len,
                          "application/octet-stream", h);
    if (last.status >= 300) return last;
    at += len;
  }
  return last;
}

// Seals one small file for `request` and uploads it: the package's JSON.
inline nlohmann::json produce_package(
    const HubProcess& hub, const nlohmann::json& request,
    const std::string& content = "subscriber,suspect@example.org\n") {
  std::filesystem::path file =
      hub.data_dir() / ("package-" + request["id"].get<std::string>() + ".liaison");
  seal_as_analyst(hub, request, file, {{"subscriber.csv", content}});
  auto r = upload_package(hub, request["id"].get<std::string>(), file);
  EXPECT_EQ(r.status, 201) << r.body;
  auto j = json_of(r);
  return j.is_object() && j.contains("package") ? j["package"] : nlohmann::json();
}

}  // namespace liaison::testing
