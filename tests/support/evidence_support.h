// Evidence packages in tests: recipient certificates for a TestPki
// organisation, packages sealed from in-memory files, and, for tests against a
// running demo hub, a package sealed by the demo's analyst for the police and
// uploaded the way `liaison evidence upload` does it. Header-only.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "evidence/package.h"
#include "trust/certificate.h"
#include "trust/keys.h"

namespace liaison::testing {

struct TestRecipient {
  trust::SecretKey key = trust::SecretKey::generate();
  trust::Certificate cert;
};

// A recipient certificate issued by `org_key` for the organisation `org_cert` names.
inline TestRecipient recipient_of(const trust::SecretKey& org_key,
                                  const trust::Certificate& org_cert, Timestamp not_before,
                                  Timestamp not_after) {
  TestRecipient out;
  out.cert.kind = trust::CertKind::kRecipient;
  out.cert.subject_name = "Evidence unit, " + org_cert.subject_name;
  out.cert.public_key = out.key.public_key();
  out.cert.organisation = org_cert.organisation;
  out.cert.country = org_cert.country;
  out.cert.not_before = not_before;
  out.cert.not_after = not_after;
  auto issued = trust::issue_certificate(out.cert, org_key, org_cert.subject_name);
  EXPECT_TRUE(issued.ok()) << (issued.ok() ? "" : issued.error().message);
  if (issued.ok()) out.cert = std::move(issued.value());
  return out;
}

// Seals `files` (name, content) into `out`, each written first to a file
// beside it. Returns the package's description, or the seal's error.
inline Result<evidence::PackageInfo> seal_files(
    const std::filesystem::path& out, const std::vector<std::pair<std::string, std::string>>& files,
    const std::string& request_id, const std::string& reference,
    const std::vector<trust::Certificate>& recipients, const trust::SecretKey& signer,
    const std::vector<trust::Certificate>& chain, Timestamp created_at) {
  std::filesystem::path dir = out.string() + ".inputs";
  std::filesystem::create_directories(dir);
  std::vector<evidence::SealInput> inputs;
  int n = 0;
  for (const auto& [name, content] : files) {
    std::filesystem::path p = dir / std::to_string(n++);
    std::ofstream(p, std::ios::binary) << content;
    inputs.push_back({p.string(), name, "text/plain", ""});
  }
  evidence::SealOptions options;
  options.request_id = request_id;
  options.reference = reference;
  options.created_at = created_at;
  auto sealed = evidence::seal_package(inputs, recipients, signer, chain, options, out.string());
  std::filesystem::remove_all(dir);
  return sealed;
}

}  // namespace liaison::testing
