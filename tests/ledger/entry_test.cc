#include "ledger/entry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "ledger_fixture.h"
#include "trust/canonical_json.h"

namespace liaison::ledger {
namespace {

using ::testing::Contains;
using testing::entry_at;
using testing::entry_bytes;
using testing::hash_of_hex;
using ::testing::HasSubstr;
using testing::kNow;

constexpr const char* kCommitmentHex =
    "a606f31eb8d0997f398841f957d3ec9689eb5a911921e616dab34404809349fb";

Entry signed_submission() {
  Entry e;
  e.type = "request.submitted";
  e.request_id = "01890a5d-ac96-774b-bcce-b302099a8057";
  e.org = "2f1b6c3e-6a59-4f0e-9a4b-0c6d2e8f1a37";
  e.key_id = "0123456789abcdef0123456789abcdef";
  e.time = Timestamp{kNow.unix_micros + 250};
  e.commitment = hash_of_hex(kCommitmentHex);
  return e;
}

constexpr const char* kSubmissionJson =
    R"({"commitment":"a606f31eb8d0997f398841f957d3ec9689eb5a911921e616dab34404809349fb",)"
    R"("key_id":"0123456789abcdef0123456789abcdef","org":"2f1b6c3e-6a59-4f0e-9a4b-0c6d2e8f1a37",)"
    R"("request_id":"01890a5d-ac96-774b-bcce-b302099a8057","time":"2026-11-02T09:15:00.000250Z",)"
    R"("type":"request.submitted","v":1})";

bool same(const Entry& a, const Entry& b) {
  return a.type == b.type && a.request_id == b.request_id && a.org == b.org &&
         a.key_id == b.key_id && a.time == b.time && a.commitment == b.commitment;
}

TEST(EntryTest, EncodesExactlyAsDocumented) {
  auto bytes = encode_entry(signed_submission());
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  EXPECT_EQ(*bytes, kSubmissionJson);
}

TEST(EntryTest, AbsentIdsAreNull) {
  Entry e = signed_submission();
  e.type = "root.added";
  e.request_id.reset();
  e.key_id.reset();
  e.org = "hub";
  e.time = kNow;
  auto bytes = encode_entry(e);
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  EXPECT_EQ(*bytes, std::string(R"({"commitment":")") + kCommitmentHex +
                        R"(","key_id":null,"org":"hub","request_id":null,)"
                        R"("time":"2026-11-02T09:15:00.000000Z","type":"root.added","v":1})");
  auto back = decode_entry(*bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(same(*back, e));
}

TEST(EntryTest, RoundTrips) {
  for (std::uint64_t i = 0; i < 200; ++i) {
    Entry e = entry_at(i);
    std::string bytes = entry_bytes(i);
    auto back = decode_entry(bytes);
    ASSERT_TRUE(back.ok()) << bytes << ": " << back.error().message;
    EXPECT_TRUE(same(*back, e)) << bytes;
    EXPECT_EQ(encode_entry(*back).value(), bytes);
  }
}

// encode_entry writes the canonical form directly; it must be exactly what
// a general RFC 8785 implementation makes of the same value.
TEST(EntryTest, EncodingIsRfc8785) {
  for (std::uint64_t i = 0; i < 500; ++i) {
    Entry e = entry_at(i * 7919);
    if (i == 1) e.time = Timestamp{-1};                          // 1969-12-31T23:59:59.999999Z
    if (i == 2) e.time = Timestamp::from_seconds(253402300799);  // 9999-12-31T23:59:59Z
    nlohmann::json j = {
        {"commitment", to_hex(e.commitment)},
        {"key_id", e.key_id ? nlohmann::json(*e.key_id) : nlohmann::json(nullptr)},
        {"org", e.org},
        {"request_id", e.request_id ? nlohmann::json(*e.request_id) : nlohmann::json(nullptr)},
        {"time", format_rfc3339_micros(e.time)},
        {"type", e.type},
        {"v", 1},
    };
    auto bytes = encode_entry(e);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    EXPECT_EQ(*bytes, trust::canonical_json(j).value());
    ASSERT_TRUE(decode_entry(*bytes).ok()) << *bytes;
  }
}

struct Refusal {
  std::string bytes;
  std::string field;
};

std::string with(const std::string& from, const std::string& to) {
  std::string s = kSubmissionJson;
  std::size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(EntryTest, NonCanonicalBytesAreRefused) {
  std::string json = kSubmissionJson;
  const std::vector<std::string> variants = {
      json + "\n",
      " " + json,
      with(R"(,"key_id")", R"(, "key_id")"),
      with(R"("v":1)", R"("v" : 1)"),
      with(R"("v":1)", R"("v":1.0)"),
      with(R"("v":1)", R"("v":1e0)"),
      with(R"("org")", R"("\u006frg")"),
      with(R"("request.submitted")", R"("request\u002esubmitted")"),
      with(R"("v":1})", R"("v":1,"v":1})"),
      // Members out of order.
      R"({"v":1,"type":"request.submitted","time":"2026-11-02T09:15:00.000250Z",)"
      R"("request_id":"01890a5d-ac96-774b-bcce-b302099a8057",)"
      R"("org":"2f1b6c3e-6a59-4f0e-9a4b-0c6d2e8f1a37","key_id":"0123456789abcdef0123456789abcdef",)"
      R"("commitment":"a606f31eb8d0997f398841f957d3ec9689eb5a911921e616dab34404809349fb"})",
  };
  for (const std::string& v : variants) {
    auto r = decode_entry(v);
    ASSERT_FALSE(r.ok()) << v;
    EXPECT_FALSE(r.error().issues.empty()) << v;
  }
  auto spaced = decode_entry(with(R"(,"key_id")", R"(, "key_id")"));
  ASSERT_FALSE(spaced.ok());
  EXPECT_EQ(spaced.error().issues.at(0).field, "entry");
  EXPECT_THAT(spaced.error().message, HasSubstr("not in canonical form"));
}

TEST(EntryTest, FieldsAreCheckedStrictly) {
  const std::vector<Refusal> cases = {
      {"not json", "entry"},
      {"[]", ""},
      {with(R"(,"v":1)", ""), "v"},
      {with(R"("v":1)", R"("v":2)"), "v"},
      {with(R"("v":1)", R"("v":1,"w":0)"), "w"},
      {with(R"("request.submitted")", R"("request.teleported")"), "type"},
      {with(R"("request.submitted")", R"("")"), "type"},
      {with(R"("request.submitted")", "7"), "type"},
      {with("01890a5d-ac96-774b-bcce-b302099a8057", "01890A5D-AC96-774B-BCCE-B302099A8057"),
       "request_id"},
      {with(R"("01890a5d-ac96-774b-bcce-b302099a8057")", R"("")"), "request_id"},
      {with(R"("01890a5d-ac96-774b-bcce-b302099a8057")", "42"), "request_id"},
      {with(R"("2f1b6c3e-6a59-4f0e-9a4b-0c6d2e8f1a37")", R"("HUB")"), "org"},
      {with(R"("2f1b6c3e-6a59-4f0e-9a4b-0c6d2e8f1a37")", "null"), "org"},
      {with("0123456789abcdef0123456789abcdef", "0123456789abcdef"), "key_id"},
      {with("0123456789abcdef0123456789abcdef", "0123456789ABCDEF0123456789ABCDEF"), "key_id"},
      {with("2026-11-02T09:15:00.000250Z", "2026-11-02T09:15:00.00025Z"), "time"},
      {with("2026-11-02T09:15:00.000250Z", "2026-11-02T10:15:00.000250+01:00"), "time"},
      {with("2026-11-02T09:15:00.000250Z", "yesterday"), "time"},
      {with(kCommitmentHex, std::string(kCommitmentHex).substr(2)), "commitment"},
      {with(kCommitmentHex, "A606F31EB8D0997F398841F957D3EC9689EB5A911921E616DAB34404809349FB"),
       "commitment"},
      {std::string(2000, ' '), "entry"},
  };
  for (const Refusal& c : cases) {
    auto r = decode_entry(c.bytes);
    ASSERT_FALSE(r.ok()) << c.bytes;
    ASSERT_FALSE(r.error().issues.empty()) << c.bytes;
    EXPECT_EQ(r.error().issues.at(0).field, c.field) << c.bytes << ": " << r.error().message;
  }
}

TEST(EntryTest, EncodingRefusesWhatDecodingWould) {
  auto field_of = [](const Entry& e) {
    auto r = encode_entry(e);
    return r.ok() ? std::string("encoded") : r.error().issues.at(0).field;
  };
  Entry e = signed_submission();
  e.type = "request.teleported";
  EXPECT_EQ(field_of(e), "type");
  e = signed_submission();
  e.request_id = "01890A5D-AC96-774B-BCCE-B302099A8057";
  EXPECT_EQ(field_of(e), "request_id");
  e = signed_submission();
  e.org = "Hub";
  EXPECT_EQ(field_of(e), "org");
  e = signed_submission();
  e.key_id = "\xff";
  EXPECT_EQ(field_of(e), "key_id");
  e = signed_submission();
  e.time = Timestamp::from_seconds(253402300800);  // 10000-01-01T00:00:00Z
  EXPECT_EQ(field_of(e), "time");
  e = signed_submission();
  EXPECT_EQ(field_of(e), "encoded");
}

TEST(EntryTest, EventTypesAreTheDocumentedFortyNine) {
  const auto& types = event_types();
  EXPECT_EQ(types.size(), 51u);
  EXPECT_EQ(std::set<std::string>(types.begin(), types.end()).size(), types.size());
  std::regex form("[a-z]+\\.[a-z_]+");
  for (const auto& t : types) EXPECT_TRUE(std::regex_match(t, form)) << t;
  for (const char* t : {"request.created",
                        "request.signed",
                        "request.submitted",
                        "request.received",
                        "request.quarantined",
                        "request.acknowledged",
                        "request.clarification_requested",
                        "request.clarified",
                        "request.accepted",
                        "request.rejected",
                        "request.cancelled",
                        "request.preserved",
                        "request.extended",
                        "request.released",
                        "request.produced",
                        "request.not_available",
                        "request.expired",
                        "request.follow_up",
                        "request.follow_up_overdue",
                        "request.user_notification_permitted",
                        "request.user_notified",
                        "hold.created",
                        "hold.renewed",
                        "hold.released",
                        "hold.expired",
                        "message.sent",
                        "attachment.added",
                        "evidence.upload_started",
                        "evidence.upload_part",
                        "evidence.refused",
                        "evidence.produced",
                        "evidence.downloaded",
                        "evidence.verified",
                        "certificate.added",
                        "root.added",
                        "root.distrusted",
                        "revocation.published",
                        "user.created",
                        "user.disabled",
                        "user.enabled",
                        "key.certified",
                        "directory.entry_created",
                        "directory.entry_updated"}) {
    EXPECT_THAT(types, Contains(t));
  }
}

// docs/ledger.md has a row for every type, so an auditor knows what each means.
TEST(EntryTest, EveryEventTypeIsDocumented) {
  std::ifstream in(std::string(LIAISON_SOURCE_DIR) + "/docs/ledger.md");
  ASSERT_TRUE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  for (const auto& t : event_types())
    EXPECT_NE(ss.str().find("| `" + t + "` |"), std::string::npos) << t;
}

TEST(CommitmentTest, IsTheDomainSeparatedHashOfSaltAndContent) {
  std::string salt;
  for (int i = 0; i < 32; ++i) salt += static_cast<char>(i);
  std::string content = R"({"id":"01890a5d-ac96-774b-bcce-b302099a8057","state":"submitted"})";
  // Computed independently: Python's hashlib over the same bytes.
  auto c = commit(salt, content);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(to_hex(*c), kCommitmentHex);
  EXPECT_EQ(trust::hex_encode(trust::sha256(std::string("liaison-ledger-v1", 17) +
                                            std::string(1, '\0') + salt + content)),
            kCommitmentHex);

  std::string other_salt = salt;
  other_salt[31] ^= 1;
  EXPECT_NE(commit(other_salt, content).value(), *c);
  EXPECT_NE(commit(salt, content + " ").value(), *c);
  auto short_salt = commit(salt.substr(1), content);
  ASSERT_FALSE(short_salt.ok());
  EXPECT_EQ(short_salt.error().issues.at(0).field, "salt");
  EXPECT_THAT(short_salt.error().message, HasSubstr("must be 32 bytes, not 31"));
}

TEST(CommitmentTest, SaltsAreFreshAndFull) {
  std::string a = new_salt();
  std::string b = new_salt();
  EXPECT_EQ(a.size(), kSaltBytes);
  EXPECT_EQ(b.size(), kSaltBytes);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace liaison::ledger
