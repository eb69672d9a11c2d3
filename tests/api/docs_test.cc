// docs/api.md documents every route the API serves, and nothing else.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "api/api.h"
#include "cli/hub_runtime.h"
#include "support/test_support.h"

namespace liaison {
namespace {

TEST(ApiDocs, EveryRouteIsDocumentedAndEveryDocumentedRouteExists) {
  testing::TempDir dir;
  auto hub = cli::HubRuntime::open((dir.path() / "hub").string(), true);
  ASSERT_TRUE(hub.ok());
  api::Api api({hub.value()->store(), hub.value()->blobs(), hub.value()->accounts(),
                hub.value()->sessions(), hub.value()->requests(), hub.value()->trust(),
                hub.value()->ledger(), hub.value()->directory(), "test"});

  std::ifstream in(std::string(LIAISON_SOURCE_DIR) + "/docs/api.md");
  ASSERT_TRUE(in) << "docs/api.md is missing";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();

  std::set<std::string> documented;
  std::regex heading(R"(^### `([A-Z]+ [^`]+)`)", std::regex::multiline);
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), heading);
       it != std::sregex_iterator(); ++it) {
    documented.insert((*it)[1]);
  }
  std::set<std::string> served;
  for (const auto& r : api.route_list()) served.insert(r);
  ASSERT_GT(served.size(), 20u);
  for (const auto& r : served)
    EXPECT_TRUE(documented.count(r)) << r << " is not documented in docs/api.md";
  for (const auto& d : documented)
    EXPECT_TRUE(served.count(d)) << d << " is documented but not served";
}

}  // namespace
}  // namespace liaison
