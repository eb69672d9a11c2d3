#include "core/request_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core_matchers.h"

namespace liaison {
namespace {

using ::liaison::testing::FailsOn;
using ::liaison::testing::IsMalformed;
using ::liaison::testing::Issue;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;
using json = nlohmann::json;

const Timestamp kNow = parse_rfc3339("2026-11-02T09:15:00Z", "now").value();
constexpr const char* kProvider = "3f2c6a1e-8d4b-4c1a-9e7f-0a1b2c3d4e5f";

// A complete, valid production request; tests break one thing at a time.
json valid_body() {
  return json::parse(R"json({
    "kind": "production",
    "categories": ["SubscriberData", "TrafficData"],
    "targets": [
      {"kind": "email", "value": "Jane@Example.ORG"},
      {"kind": "ip", "value": "192.0.2.10", "port": 51234, "observed_at": "2026-10-30T21:04:05+01:00"}
    ],
    "period": {"start": "2026-10-01T00:00:00Z", "end": "2026-10-31T00:00:00+01:00"},
    "legal_basis": {"instrument": "Budapest Convention", "article": "Art. 18(1)(b)",
                    "domestic_reference": "RC-2026-0042"},
    "case_type": "Cybercrime",
    "offence_description": "Phishing campaign against customers of an example bank.",
    "max_penalty_months": 72,
    "non_disclosure_until": "2027-05-01T00:00:00Z",
    "deadline": "2026-11-20T17:00:00+01:00",
    "provider_id": "3F2C6A1E-8D4B-4C1A-9E7F-0A1B2C3D4E5F",
    "issuer_reference": "NL-CYB-2026-117"
  })json");
}

Result<DecodedDraft> decode(const json& body) { return decode_request_draft(body, kNow); }

// Decodes a body that must fail and returns its issues.
std::vector<FieldIssue> issues_of(const json& body) {
  auto r = decode(body);
  EXPECT_FALSE(r.ok()) << body.dump();
  if (r.ok()) return {};
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  return r.error().issues;
}

TEST(RequestJsonTest, CompleteDraftDecodesAndNormalises) {
  auto r = decode(valid_body());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const RequestDraft& d = r->draft;
  EXPECT_EQ(d.kind, RequestKind::kProduction);
  EXPECT_THAT(d.categories, ElementsAre(DataCategory::kSubscriberData, DataCategory::kTrafficData));
  ASSERT_THAT(d.targets, SizeIs(2));
  EXPECT_EQ(d.targets[0].kind, IdentifierKind::kEmail);
  EXPECT_EQ(d.targets[0].value, "Jane@example.org");
  EXPECT_EQ(d.targets[1].kind, IdentifierKind::kIpAddress);
  EXPECT_EQ(d.targets[1].port, 51234);
  EXPECT_EQ(d.targets[1].observed_at, "2026-10-30T20:04:05Z");
  ASSERT_TRUE(d.period.has_value());
  EXPECT_EQ(d.period->start, "2026-10-01T00:00:00Z");
  EXPECT_EQ(d.period->end, "2026-10-30T23:00:00Z");
  EXPECT_EQ(d.legal_basis, (LegalBasis{"Budapest Convention", "Art. 18(1)(b)", "RC-2026-0042"}));
  EXPECT_EQ(d.case_type, "Cybercrime");
  EXPECT_EQ(d.max_penalty_months, 72);
  EXPECT_EQ(d.non_disclosure_until, "2027-05-01T00:00:00Z");
  EXPECT_EQ(d.deadline, "2026-11-20T16:00:00Z");
  EXPECT_EQ(d.emergency_justification, std::nullopt);
  EXPECT_EQ(d.provider_org_id, kProvider);
  EXPECT_EQ(d.issuer_reference, "NL-CYB-2026-117");
  EXPECT_THAT(r->warnings, IsEmpty());
}

TEST(RequestJsonTest, OptionalFieldsDefault) {
  json b = valid_body();
  for (const char* k : {"period", "case_type", "max_penalty_months", "non_disclosure_until",
                        "deadline", "issuer_reference"}) {
    b.erase(k);
  }
  b["legal_basis"].erase("domestic_reference");
  b["categories"] = {"SubscriberData"};
  auto r = decode(b);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->draft.case_type, "NotSpecified");
  EXPECT_EQ(r->draft.period, std::nullopt);
  EXPECT_EQ(r->draft.deadline, std::nullopt);
  EXPECT_EQ(r->draft.legal_basis.domestic_reference, "");
  EXPECT_EQ(r->draft.issuer_reference, "");
}

TEST(RequestJsonTest, NullMeansAbsent) {
  json b = valid_body();
  b["period"] = nullptr;
  b["deadline"] = nullptr;
  b["categories"] = {"SubscriberData"};
  auto r = decode(b);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->draft.period, std::nullopt);
}

TEST(RequestJsonTest, BodyMustBeAnObject) {
  EXPECT_THAT(decode(json::array()), FailsOn("", "JSON object"));
  EXPECT_THAT(decode(json("production")), FailsOn("", "JSON object"));
}

TEST(RequestJsonTest, UnknownTopLevelField) {
  json b = valid_body();
  b["priority"] = "high";
  EXPECT_THAT(decode(b), FailsOn("priority", "unknown field"));
}

TEST(RequestJsonTest, UnknownFieldInsideTarget) {
  json b = valid_body();
  b["targets"][1]["protocol"] = "tcp";
  EXPECT_THAT(decode(b), FailsOn("targets/1/protocol", "unknown field"));
}

TEST(RequestJsonTest, UnknownFieldInsideNestedObjects) {
  json b = valid_body();
  b["period"]["timezone"] = "CET";
  b["legal_basis"]["court"] = "Example District Court";
  EXPECT_THAT(issues_of(b), UnorderedElementsAre(Issue("period/timezone", "unknown field"),
                                                 Issue("legal_basis/court", "unknown field")));
}

TEST(RequestJsonTest, WrongTypes) {
  json b = valid_body();
  b["kind"] = 3;
  EXPECT_THAT(decode(b), FailsOn("kind", "must be a string, not number"));

  b = valid_body();
  b["targets"][0]["kind"] = 1;
  EXPECT_THAT(decode(b), FailsOn("targets/0/kind", "must be a string, not number"));

  b = valid_body();
  b["targets"][1]["port"] = "443";
  EXPECT_THAT(decode(b), FailsOn("targets/1/port", "must be an integer, not string"));

  b = valid_body();
  b["targets"][1]["port"] = 443.5;
  EXPECT_THAT(decode(b), FailsOn("targets/1/port", "must be an integer"));

  b = valid_body();
  b["max_penalty_months"] = "72";
  EXPECT_THAT(decode(b), FailsOn("max_penalty_months", "must be an integer"));

  b = valid_body();
  b["categories"] = "SubscriberData";
  EXPECT_THAT(decode(b), FailsOn("categories", "non-empty array"));

  b = valid_body();
  b["targets"] = {{"kind", "email"}};  // an object, not an array of objects
  EXPECT_THAT(decode(b), FailsOn("targets", "non-empty array"));

  b = valid_body();
  b["targets"][0] = "jane@example.org";
  EXPECT_THAT(decode(b), FailsOn("targets/0", "must be an object"));

  b = valid_body();
  b["period"] = "October 2026";
  EXPECT_THAT(decode(b), FailsOn("period", "must be an object"));

  b = valid_body();
  b["legal_basis"] = "Art. 18";
  EXPECT_THAT(decode(b), FailsOn("legal_basis", "must be an object"));
}

TEST(RequestJsonTest, MissingRequiredFields) {
  for (const char* field :
       {"kind", "categories", "targets", "legal_basis", "offence_description", "provider_id"}) {
    json b = valid_body();
    b.erase(field);
    EXPECT_THAT(decode(b), FailsOn(field, "is required")) << field;
  }
}

TEST(RequestJsonTest, MissingRequiredNestedFields) {
  json b = valid_body();
  b["legal_basis"].erase("article");
  b["period"].erase("end");
  b["targets"][0].erase("value");
  EXPECT_THAT(issues_of(b), UnorderedElementsAre(Issue("legal_basis/article", "is required"),
                                                 Issue("period/end", "is required"),
                                                 Issue("targets/0/value", "is required")));
}

TEST(RequestJsonTest, EmptyRequiredStringsAndArrays) {
  json b = valid_body();
  b["offence_description"] = "";
  EXPECT_THAT(decode(b), FailsOn("offence_description", "must not be empty"));
  b = valid_body();
  b["categories"] = json::array();
  EXPECT_THAT(decode(b), FailsOn("categories", "non-empty"));
  b = valid_body();
  b["targets"] = json::array();
  EXPECT_THAT(decode(b), FailsOn("targets", "non-empty"));
}

TEST(RequestJsonTest, TooLongText) {
  json b = valid_body();
  b["offence_description"] = std::string(4001, 'x');
  EXPECT_THAT(decode(b), FailsOn("offence_description", "longer than 4000"));
  b = valid_body();
  b["issuer_reference"] = std::string(129, 'x');
  EXPECT_THAT(decode(b), FailsOn("issuer_reference", "longer than 128"));
}

TEST(RequestJsonTest, TooManyTargets) {
  json b = valid_body();
  b["targets"] = json::array();
  for (int i = 0; i < 1001; ++i)
    b["targets"].push_back({{"kind", "username"}, {"value", "u" + std::to_string(i)}});
  EXPECT_THAT(decode(b), FailsOn("targets", "at most 1000"));
}

TEST(RequestJsonTest, BadKindAndCaseType) {
  json b = valid_body();
  b["kind"] = "subpoena";
  EXPECT_THAT(decode(b), FailsOn("kind", "preservation, production"));
  b = valid_body();
  b["case_type"] = "cybercrime";
  EXPECT_THAT(decode(b), FailsOn("case_type", "AuthorisationTypeOfCase"));
}

TEST(RequestJsonTest, BadProviderId) {
  json b = valid_body();
  b["provider_id"] = "example-provider";
  EXPECT_THAT(decode(b), FailsOn("provider_id", "not a UUID"));
  b["provider_id"] = "3f2c6a1e-8d4b-4c1a-9e7f-0a1b2c3d4e5g";
  EXPECT_THAT(decode(b), FailsOn("provider_id", "non-hexadecimal"));
}

TEST(RequestJsonTest, BadAndDuplicateCategories) {
  json b = valid_body();
  b["categories"] = {"SubscriberData", "subscriber_data", 7};
  EXPECT_THAT(issues_of(b), ElementsAre(Issue("categories/1", "must be one of SubscriberData"),
                                        Issue("categories/2", "must be one of SubscriberData")));
  b = valid_body();
  b["categories"] = {"TrafficData", "SubscriberData", "TrafficData"};
  EXPECT_THAT(decode(b), FailsOn("categories/2", "listed twice"));
}

TEST(RequestJsonTest, InvalidTargetNamesItsPath) {
  json b = valid_body();
  b["targets"][1]["port"] = 70000;
  EXPECT_THAT(decode(b), FailsOn("targets/1/port", "1-65535"));
  b = valid_body();
  b["targets"][0]["value"] = "jane";
  EXPECT_THAT(decode(b), FailsOn("targets/0/value", "'@'"));
  b = valid_body();
  b["targets"][0]["kind"] = "imei";
  EXPECT_THAT(decode(b), FailsOn("targets/0/kind", "unknown identifier kind"));
}

TEST(RequestJsonTest, DuplicateTargetAfterNormalisation) {
  json b = valid_body();
  b["targets"].push_back({{"kind", "email"}, {"value", "Jane@example.org"}});
  EXPECT_THAT(decode(b), FailsOn("targets/2", "duplicates an earlier target"));
}

TEST(RequestJsonTest, PeriodEndMustFollowStart) {
  json b = valid_body();
  b["period"] = {{"start", "2026-10-31T00:00:00Z"}, {"end", "2026-10-01T00:00:00Z"}};
  EXPECT_THAT(decode(b), FailsOn("period/end", "after period/start"));
  b["period"] = {{"start", "2026-10-31T00:00:00Z"},
                 {"end", "2026-10-31T01:00:00+01:00"}};  // same instant
  EXPECT_THAT(decode(b), FailsOn("period/end", "after period/start"));
}

TEST(RequestJsonTest, PeriodIsKeptInWholeSecondsSoItsTextSortsLikeItsInstants) {
  // With fractions, '.' sorts before 'Z' and 10:00:00.5 would come before
  // 10:00:00 as text; whole seconds make text order and time order agree.
  json b = valid_body();
  b["period"] = {{"start", "2026-10-01T10:00:00Z"}, {"end", "2026-10-01T10:00:01.5Z"}};
  auto r = decode(b);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->draft.period->end, "2026-10-01T10:00:01Z");
  b["period"] = {{"start", "2026-10-01T10:00:00.5Z"}, {"end", "2026-10-01T10:00:00.9Z"}};
  EXPECT_THAT(decode(b), FailsOn("period/end", "after period/start"));
  b["period"] = {{"start", "2026-10-01T10:00:01Z"}, {"end", "2026-10-01T10:00:00.5Z"}};
  EXPECT_THAT(decode(b), FailsOn("period/end", "after period/start"));
}

TEST(RequestJsonTest, PeriodTimestampsNeedOffsets) {
  json b = valid_body();
  b["period"]["start"] = "2026-10-01T00:00:00";
  EXPECT_THAT(decode(b), FailsOn("period/start", "no UTC offset"));
}

TEST(RequestJsonTest, DeadlineMustBeInTheFuture) {
  json b = valid_body();
  b["deadline"] = "2026-11-02T10:14:59+01:00";  // one second before `now`
  EXPECT_THAT(decode(b), FailsOn("deadline", "in the past"));
  b["deadline"] = "2026-11-02T09:15:00Z";  // exactly now
  EXPECT_THAT(decode(b), FailsOn("deadline", "in the past"));
  b["deadline"] = "2026-11-02T09:15:01Z";
  EXPECT_TRUE(decode(b).ok());
  // The same deadline is fine if `now` is earlier: the check uses the clock passed in.
  b["deadline"] = "2026-01-01T00:00:00Z";
  EXPECT_TRUE(decode_request_draft(b, parse_rfc3339("2025-12-31T00:00:00Z", "now").value()).ok());
}

TEST(RequestJsonTest, MaxPenaltyRange) {
  json b = valid_body();
  b["max_penalty_months"] = -1;
  EXPECT_THAT(decode(b), FailsOn("max_penalty_months", "between 0 and 1200"));
  b["max_penalty_months"] = 1201;
  EXPECT_THAT(decode(b), FailsOn("max_penalty_months", "between 0 and 1200"));
  b["max_penalty_months"] = 0;
  EXPECT_TRUE(decode(b).ok());
}

TEST(RequestJsonTest, EmergencyNeedsJustification) {
  json b = valid_body();
  b["kind"] = "emergency_disclosure";
  EXPECT_THAT(decode(b), FailsOn("emergency_justification", "threat to life"));
  b["emergency_justification"] = "";
  EXPECT_THAT(decode(b), FailsOn("emergency_justification", "is required"));
  b["emergency_justification"] = "A person has announced a attack on a school in the example town.";
  auto r = decode(b);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->draft.emergency_justification, b["emergency_justification"].get<std::string>());
}

TEST(RequestJsonTest, JustificationOnlyOnEmergencies) {
  json b = valid_body();
  b["emergency_justification"] = "urgent";
  EXPECT_THAT(decode(b), FailsOn("emergency_justification", "only to emergency_disclosure"));
}

TEST(RequestJsonTest, DomainRegistrationNamesDomainsOnly) {
  json b = valid_body();
  b["kind"] = "domain_registration";
  b["categories"] = {"SubscriberData"};
  b["targets"] = {{{"kind", "domain"}, {"value", "Example.ORG"}},
                  {{"kind", "email"}, {"value", "a@example.org"}}};
  EXPECT_THAT(decode(b), FailsOn("targets/1/kind", "domains only"));

  b["targets"] = {{{"kind", "domain"}, {"value", "Example.ORG"}}};
  b["categories"] = {"SubscriberData", "TrafficData"};
  EXPECT_THAT(decode(b), FailsOn("categories", "SubscriberData only"));

  b["categories"] = {"SubscriberData"};
  auto r = decode(b);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->draft.targets[0].value, "example.org");
}

TEST(RequestJsonTest, AllProblemsAreReportedTogether) {
  json b = valid_body();
  b["kind"] = 3;
  b["surprise"] = true;
  b["categories"] = {"SubscriberData", "SubscriberData"};
  b["targets"][0]["value"] = "not-an-address";
  b["targets"][1]["port"] = 0;
  b.erase("legal_basis");
  b["provider_id"] = "nope";
  auto r = decode(b);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message, HasSubstr("7 fields are invalid"));
  EXPECT_THAT(
      r.error().issues,
      UnorderedElementsAre(Issue("surprise", "unknown field"), Issue("kind", "must be a string"),
                           Issue("categories/1", "listed twice"), Issue("targets/0/value", "'@'"),
                           Issue("targets/1/port", "1-65535"), Issue("legal_basis", "is required"),
                           Issue("provider_id", "not a UUID")));
}

TEST(RequestJsonTest, SingleProblemMessageNamesTheField) {
  json b = valid_body();
  b["priority"] = 1;
  auto r = decode(b);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "priority: unknown field");
}

TEST(RequestJsonTest, WeakIpTargetsGiveWarnings) {
  json b = valid_body();
  b["targets"][1].erase("port");
  b["targets"][1]["observed_at"] = "2026-10-30T21:04:05";
  auto r = decode(b);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_THAT(r->warnings, ElementsAre(Field(&Warning::field, "targets/1/port"),
                                       Field(&Warning::field, "targets/1/observed_at")));
  EXPECT_EQ(r->draft.targets[1].observed_at, "2026-10-30T21:04:05");
}

TEST(RequestJsonTest, TrafficWithoutPeriodWarns) {
  json b = valid_body();
  b.erase("period");
  auto r = decode(b);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_THAT(r->warnings, ElementsAre(Field(&Warning::field, "period")));
  b["categories"] = {"SubscriberData"};
  EXPECT_THAT(decode(b)->warnings, IsEmpty());
}

TEST(ParseJsonTextTest, ParsesValidText) {
  auto j = parse_json_text(R"({"a": [1, 2]})");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["a"][1], 2);
}

TEST(ParseJsonTextTest, MalformedInputNamesTheByte) {
  EXPECT_THAT(parse_json_text(R"({"kind": })"), IsMalformed("malformed JSON at byte 10"));
  EXPECT_THAT(parse_json_text(""), IsMalformed("malformed JSON at byte"));
  EXPECT_THAT(parse_json_text("{\"a\":1} x"), IsMalformed("malformed JSON at byte"));
  EXPECT_THAT(parse_json_text("{\"a\":\"\xff\"}"), IsMalformed("malformed JSON at byte"));
}

// Found by fuzz_request_json: a number too large for a double made
// nlohmann::json throw out_of_range rather than parse_error, which escaped
// parse_json_text and terminated the process.
TEST(ParseJsonTextTest, HugeNumberIsAnErrorNotAnException) {
  EXPECT_THAT(parse_json_text(R"({"max_penalty_months": 1e400})"),
              IsMalformed("number out of range"));
  EXPECT_THAT(parse_json_text("99999999e9999999999999"), IsMalformed("number out of range"));
}

TEST(StoredDraftTest, EncodeThenDecodeRoundTrips) {
  json b = valid_body();
  b["targets"].push_back(
      {{"kind", "crypto"}, {"network", "BTC"}, {"value", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"}});
  b["targets"].push_back({{"kind", "ip"}, {"value", "2001:db8::1"}});
  auto r = decode(b);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const RequestDraft& original = r->draft;

  json stored = encode_draft(original);
  auto back = decode_stored_draft(json::parse(stored.dump()));
  ASSERT_TRUE(back.ok()) << back.error().message;
  const RequestDraft& d = *back;
  EXPECT_EQ(d.kind, original.kind);
  EXPECT_EQ(d.categories, original.categories);
  EXPECT_EQ(d.targets, original.targets);
  EXPECT_EQ(d.period, original.period);
  EXPECT_EQ(d.legal_basis, original.legal_basis);
  EXPECT_EQ(d.case_type, original.case_type);
  EXPECT_EQ(d.offence_description, original.offence_description);
  EXPECT_EQ(d.max_penalty_months, original.max_penalty_months);
  EXPECT_EQ(d.non_disclosure_until, original.non_disclosure_until);
  EXPECT_EQ(d.emergency_justification, original.emergency_justification);
  EXPECT_EQ(d.deadline, original.deadline);
  EXPECT_EQ(d.provider_org_id, original.provider_org_id);
  EXPECT_EQ(d.issuer_reference, original.issuer_reference);
}

TEST(StoredDraftTest, EncodedDraftDecodesAgainAsTheSameDraft) {
  // Normalisation is idempotent: what Liaison serves, it would accept back unchanged.
  auto first = decode(valid_body());
  ASSERT_TRUE(first.ok());
  auto second = decode(encode_draft(first->draft));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(encode_draft(second->draft), encode_draft(first->draft));
}

TEST(StoredDraftTest, CorruptStoredDraftIsAnInternalError) {
  json stored = encode_draft(decode(valid_body())->draft);
  stored["kind"] = "subpoena";
  auto r = decode_stored_draft(stored);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  EXPECT_THAT(r.error().message, HasSubstr("corrupt"));

  stored = encode_draft(decode(valid_body())->draft);
  stored.erase("targets");
  EXPECT_EQ(decode_stored_draft(stored).error().code, ErrorCode::kInternal);
}

TEST(WarningsJsonTest, RoundTrip) {
  std::vector<Warning> w = {{"targets/0/port", "no source port"}, {"period", "no period"}};
  auto back = decode_warnings(encode_warnings(w));
  ASSERT_THAT(back, SizeIs(2));
  EXPECT_EQ(back[0].field, "targets/0/port");
  EXPECT_EQ(back[1].message, "no period");
  EXPECT_THAT(decode_warnings(json::object()), IsEmpty());
}

}  // namespace
}  // namespace liaison
