// The federation links file: what it states, and each mistake in it named by
// its field.
#include "etsi/peer_links.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace liaison::etsi {
namespace {

using ::testing::HasSubstr;

TEST(PeerLinks, EachLinkJoinsAnOrganisationHereToOneOnAPeerHub) {
  auto links = parse_peer_links(R"toml(
# The police unit's requests to the mail provider go to the provider's hub.
[[link]]
organisation = "NL/NPCU"
peer = "IE/EXMAIL"
url = "http://127.0.0.1:9001/hi1"
token = "lsn_abc"

[[link]]
organisation = "NL/NPCU"
peer = "XX/OTHER-1"
url = "http://hub.example.org/hi1"
token = "lsn_def"
)toml",
                                "links.toml");
  ASSERT_TRUE(links.ok()) << links.error().message;
  ASSERT_EQ(links->size(), 2u);
  EXPECT_EQ((*links)[0].organisation, (EndpointId{"NL", "NPCU"}));
  EXPECT_EQ((*links)[0].peer, (EndpointId{"IE", "EXMAIL"}));
  EXPECT_EQ((*links)[0].url, "http://127.0.0.1:9001/hi1");
  EXPECT_EQ((*links)[1].token, "lsn_def");
  EXPECT_EQ(endpoint_text((*links)[1].peer), "XX/OTHER-1");

  // No links at all is a valid file: federation configured, nothing linked yet.
  auto none = parse_peer_links("# nothing yet\n", "links.toml");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

// Over https with a client certificate, mutual TLS authenticates the link
// and no token is needed.
TEST(PeerLinks, AMutualTlsLinkNeedsNoToken) {
  auto links = parse_peer_links(R"toml(
[[link]]
organisation = "NL/NPCU"
peer = "IE/EXMAIL"
url = "https://hub.example-mail.example.org/hi1"
tls_ca = "/etc/liaison/example-mail-ca.pem"
tls_certificate = "/etc/liaison/npcu-client.pem"
tls_key = "/etc/liaison/npcu-client.key"
)toml",
                                "links.toml");
  ASSERT_TRUE(links.ok()) << links.error().message;
  ASSERT_EQ(links->size(), 1u);
  EXPECT_EQ((*links)[0].token, "");
  EXPECT_EQ((*links)[0].tls_ca, "/etc/liaison/example-mail-ca.pem");
  EXPECT_EQ((*links)[0].tls_certificate, "/etc/liaison/npcu-client.pem");
  EXPECT_EQ((*links)[0].tls_key, "/etc/liaison/npcu-client.key");
}

TEST(PeerLinks, EveryMistakeIsNamedByItsField) {
  auto bad = parse_peer_links(R"toml(
colour = "blue"

[[link]]
organisation = "npcu"
peer = "IE/EXMAIL"
url = "ftp://hub.example.org/hi1"
token = "has a space"
retries = 3
tls_ca = "/etc/liaison/peer-ca.pem"

[[link]]
organisation = "NL/NPCU"
url = "http://hub.example.org/hi1"
token = 12

[[link]]
organisation = "NL/NPCU"
peer = "IE/EXMAIL"
url = "http://a.example.org/hi1"
token = "t1"

[[link]]
organisation = "NL/NPCU"
peer = "IE/EXMAIL"
url = "http://b.example.org/hi1"
token = "t2"

[[link]]
organisation = "NL/NPCU"
peer = "XX/OTHER"
url = "https://c.example.org/hi1"
tls_certificate = "client.pem"

[[link]]
organisation = "NL/NPCU"
peer = "XX/THIRD"
url = "https://d.example.org/hi1"
)toml",
                              "links.toml");
  ASSERT_FALSE(bad.ok());
  std::map<std::string, std::string> issues;
  for (const auto& i : bad.error().issues) issues[i.field] = i.reason;
  EXPECT_THAT(issues["colour"], HasSubstr("not a setting"));
  EXPECT_THAT(issues["link[1].organisation"], HasSubstr("COUNTRY/ENDPOINT_ID"));
  EXPECT_THAT(issues["link[1].url"], HasSubstr("http:// or https://"));
  EXPECT_THAT(issues["link[1].tls_ca"], HasSubstr("https:// link only"));
  EXPECT_THAT(issues["link[5].tls_certificate"], HasSubstr("absolute path"));
  EXPECT_THAT(issues["link[5].tls_key"], HasSubstr("goes with tls_certificate"));
  // Neither a token nor a client certificate: nothing would authenticate it.
  EXPECT_THAT(issues["link[6].token"], HasSubstr("required"));
  EXPECT_THAT(issues["link[1].token"], HasSubstr("without spaces"));
  EXPECT_THAT(issues["link[1].retries"], HasSubstr("not a setting"));
  EXPECT_THAT(issues["link[2].peer"], HasSubstr("required"));
  EXPECT_THAT(issues["link[2].token"], HasSubstr("string"));
  EXPECT_THAT(issues["link[4]"], HasSubstr("second time"));
  EXPECT_EQ(issues.count("link[3]"), 0u);

  auto broken = parse_peer_links("[[link]\norganisation = ", "links.toml");
  ASSERT_FALSE(broken.ok());
  ASSERT_FALSE(broken.error().issues.empty());
  EXPECT_THAT(broken.error().issues[0].field, HasSubstr("line"));

  // Outside ASCII anywhere (here a byte-order mark and a bare key) is refused, naming the line.
  auto non_ascii = parse_peer_links("# links\n\xef\xbb\xbf\xa1 = 1\n", "links.toml");
  ASSERT_FALSE(non_ascii.ok());
  EXPECT_EQ(non_ascii.error().issues[0].field, "line 2");
  EXPECT_THAT(non_ascii.error().issues[0].reason, HasSubstr("ASCII"));

  auto not_a_list = parse_peer_links("link = \"NL/NPCU\"\n", "links.toml");
  ASSERT_FALSE(not_a_list.ok());
  EXPECT_THAT(not_a_list.error().issues[0].reason, HasSubstr("[[link]]"));
}

}  // namespace
}  // namespace liaison::etsi
