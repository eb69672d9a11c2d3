#include "http/cookie.h"

#include <gtest/gtest.h>

namespace liaison::http {
namespace {

Headers with(std::initializer_list<std::pair<std::string, std::string>> list) {
  Headers h;
  for (const auto& [n, v] : list) h.add(n, v);
  return h;
}

TEST(CookieTest, FindsOneCookieAmongOthers) {
  Headers h = with({{"Cookie", "theme=dark; liaison_session=abc-123_x; lang=en"}});
  EXPECT_EQ(cookie_value(h, "liaison_session"), "abc-123_x");
  EXPECT_EQ(cookie_value(h, "theme"), "dark");
  EXPECT_EQ(cookie_value(h, "missing"), std::nullopt);
  EXPECT_EQ(cookie_value(h, "liaison"), std::nullopt);
}

TEST(CookieTest, ReadsEveryCookieHeaderAnyCaseAndQuotes) {
  Headers h = with({{"cookie", "a=1"}, {"COOKIE", "liaison_session=\"q\""}});
  EXPECT_EQ(cookie_value(h, "a"), "1");
  EXPECT_EQ(cookie_value(h, "liaison_session"), "q");
  EXPECT_EQ(cookie_value(with({{"Set-Cookie", "liaison_session=x"}}), "liaison_session"),
            std::nullopt);
  EXPECT_EQ(cookie_value(with({{"Cookie", "liaison_session"}}), "liaison_session"), std::nullopt);
  EXPECT_EQ(cookie_value(with({{"Cookie", " liaison_session = v ;"}}), "liaison_session"), "v");
}

TEST(CookieTest, SetCookieCarriesTheProtectiveAttributes) {
  EXPECT_EQ(set_cookie("liaison_session", "v", {43200, false}),
            "liaison_session=v; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200");
  EXPECT_EQ(set_cookie("liaison_session", "", {0, true}),
            "liaison_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure");
}

}  // namespace
}  // namespace liaison::http
