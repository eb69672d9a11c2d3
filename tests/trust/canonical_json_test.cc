#include "trust/canonical_json.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <limits>

namespace liaison::trust {
namespace {

using nlohmann::json;

std::string canonical(const json& j) {
  auto r = canonical_json(j);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : std::string();
}

std::string number(std::uint64_t bits) {
  auto r = canonical_number(std::bit_cast<double>(bits));
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : std::string();
}

// RFC 8785 §3.2.2 input, and §3.2.3 its canonical form.
TEST(CanonicalJsonTest, Rfc8785SampleObject) {
  const char* input = R"({
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })";
  EXPECT_EQ(canonical(json::parse(input)),
            R"({"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],)"
            R"("string":"€$\u000f\nA'B\"\\\\\"/"})");
}

// RFC 8785 §3.2.3: member names sort as UTF-16 code units, so U+1F600 (a
// surrogate pair starting 0xD83D) comes before U+FB33.
TEST(CanonicalJsonTest, Rfc8785SortingExample) {
  const char* input = R"({
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  })";
  EXPECT_EQ(canonical(json::parse(input)),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
            "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
            "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
            "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

// UTF-8 byte order would put U+E000 (EE 80 80) before U+1F600 (F0 9F 98 80).
TEST(CanonicalJsonTest, SortsSupplementaryCharactersBeforePrivateUse) {
  json j = json::parse(R"({"\ue000": 1, "\ud83d\ude00": 2, "z": 3})");
  EXPECT_EQ(canonical(j), "{\"z\":3,\"\xf0\x9f\x98\x80\":2,\"\xee\x80\x80\":1}");
}

// RFC 8785 Appendix B.
TEST(CanonicalJsonTest, Rfc8785AppendixBNumbers) {
  EXPECT_EQ(number(0x0000000000000000), "0");
  EXPECT_EQ(number(0x8000000000000000), "0");
  EXPECT_EQ(number(0x0000000000000001), "5e-324");
  EXPECT_EQ(number(0x8000000000000001), "-5e-324");
  EXPECT_EQ(number(0x7fefffffffffffff), "1.7976931348623157e+308");
  EXPECT_EQ(number(0xffefffffffffffff), "-1.7976931348623157e+308");
  EXPECT_EQ(number(0x4340000000000000), "9007199254740992");
  EXPECT_EQ(number(0xc340000000000000), "-9007199254740992");
  EXPECT_EQ(number(0x4430000000000000), "295147905179352830000");
  EXPECT_EQ(number(0x44b52d02c7e14af5), "9.999999999999997e+22");
  EXPECT_EQ(number(0x44b52d02c7e14af6), "1e+23");
  EXPECT_EQ(number(0x44b52d02c7e14af7), "1.0000000000000001e+23");
  EXPECT_EQ(number(0x444b1ae4d6e2ef4e), "999999999999999700000");
  EXPECT_EQ(number(0x444b1ae4d6e2ef4f), "999999999999999900000");
  EXPECT_EQ(number(0x444b1ae4d6e2ef50), "1e+21");
  EXPECT_EQ(number(0x3eb0c6f7a0b5ed8c), "9.999999999999997e-7");
  EXPECT_EQ(number(0x3eb0c6f7a0b5ed8d), "0.000001");
  EXPECT_EQ(number(0x41b3de4355555553), "333333333.3333332");
  EXPECT_EQ(number(0x41b3de4355555554), "333333333.33333325");
  EXPECT_EQ(number(0x41b3de4355555555), "333333333.3333333");
  EXPECT_EQ(number(0x41b3de4355555556), "333333333.3333334");
  EXPECT_EQ(number(0x41b3de4355555557), "333333333.33333343");
  EXPECT_EQ(number(0xbecbf647612f3696), "-0.0000033333333333333333");
  EXPECT_EQ(number(0x43143ff3c1cb0959), "1424953923781206.2");
}

TEST(CanonicalJsonTest, RefusesNanAndInfinity) {
  EXPECT_FALSE(canonical_number(std::numeric_limits<double>::quiet_NaN()).ok());
  EXPECT_FALSE(canonical_number(std::numeric_limits<double>::infinity()).ok());
  EXPECT_FALSE(canonical_number(-std::numeric_limits<double>::infinity()).ok());
  auto r = canonical_json(json{{"a", json::array({1, std::numeric_limits<double>::quiet_NaN()})}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().issues.at(0).field, "/a/1");
}

TEST(CanonicalJsonTest, IntegersAreExactUpTo2To53) {
  EXPECT_EQ(canonical(json(std::int64_t{9007199254740992})), "9007199254740992");
  EXPECT_EQ(canonical(json(std::int64_t{-9007199254740992})), "-9007199254740992");
  EXPECT_EQ(canonical(json::parse("[0, -1, 42]")), "[0,-1,42]");
  EXPECT_FALSE(canonical_json(json(std::int64_t{9007199254740993})).ok());  // would round
  EXPECT_FALSE(canonical_json(json(std::int64_t{1} << 60)).ok());           // JCS writes ...847000
  EXPECT_FALSE(canonical_json(json(std::int64_t{-9007199254740993})).ok());
  EXPECT_FALSE(canonical_json(json(std::numeric_limits<std::int64_t>::min())).ok());
  EXPECT_FALSE(canonical_json(json(std::numeric_limits<std::uint64_t>::max())).ok());
  auto r = canonical_json(json::parse(R"({"n": {"big": 18446744073709551615}})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().issues.at(0).field, "/n/big");
}

// JCS writes these doubles as plain digits; read back as integers they must
// canonicalise to the same text, or canonical_json would refuse its own output.
TEST(CanonicalJsonTest, LargeIntegersThatAreExactlyTheirDoublesForm) {
  EXPECT_EQ(canonical(json(std::int64_t{9007199254740994})), "9007199254740994");
  EXPECT_EQ(canonical(json(std::uint64_t{10000000000000000})), "10000000000000000");
  EXPECT_EQ(canonical(json(std::int64_t{-1152921504606847000})), "-1152921504606847000");
  EXPECT_EQ(canonical(json(std::uint64_t{9993720368547758000u})), "9993720368547758000");
  for (const char* text :
       {"1e16", "9007199254740994.0", "1.152921504606847e18", "9993720368547758080.0"}) {
    std::string once = canonical(json::parse(text));
    EXPECT_EQ(canonical(json::parse(once)), once) << text;
  }
}

TEST(CanonicalJsonTest, FloatsWithIntegerValuesLoseTheirFraction) {
  EXPECT_EQ(canonical(json::parse("[4.0, -0.0, 1e2, 100.5]")), "[4,0,100,100.5]");
}

TEST(CanonicalJsonTest, EscapesOnlyWhatEcmaScriptEscapes) {
  std::string s = "\x01\x1f\x7f/\b\f\t<>&'";
  EXPECT_EQ(canonical(json(s)), "\"\\u0001\\u001f\x7f/\\b\\f\\t<>&'\"");
}

TEST(CanonicalJsonTest, RefusesInvalidUtf8) {
  for (std::string bad :
       {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82", "\xf4\x90\x80\x80", "\x80"}) {
    EXPECT_FALSE(canonical_json(json(bad)).ok()) << "accepted " << json(bad.size());
    EXPECT_FALSE(valid_utf8(bad));
  }
  json obj = json::object();
  obj["ok"] = json::object();
  obj["ok"]["\xff"] = 1;
  EXPECT_FALSE(canonical_json(obj).ok());
  EXPECT_TRUE(valid_utf8("\xf0\x9f\x98\x80 caf\xc3\xa9"));
}

TEST(CanonicalJsonTest, NestedObjectsSortedArraysKeptInOrder) {
  json j = json::parse(R"({"b": [3, {"z": 1, "a": 2}], "a": {"y": null, "x": "é"}})");
  EXPECT_EQ(canonical(j), "{\"a\":{\"x\":\"\xc3\xa9\",\"y\":null},\"b\":[3,{\"a\":2,\"z\":1}]}");
}

TEST(CanonicalJsonTest, RefusesBinaryValues) {
  EXPECT_FALSE(canonical_json(json::binary({1, 2, 3})).ok());
}

TEST(CanonicalJsonTest, ErrorPathsEscapePointerCharacters) {
  json j;
  j["a/b"]["c~d"] = std::numeric_limits<double>::infinity();
  auto r = canonical_json(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().issues.at(0).field, "/a~1b/c~0d");
}

}  // namespace
}  // namespace liaison::trust
