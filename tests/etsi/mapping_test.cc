// From TS 103 120 objects to Liaison requests: ETSI's examples map to the
// requests they describe, the result is a request body Liaison accepts, and
// what Liaison cannot take is answered with its Annex D code.
#include "etsi/mapping.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "core/request_json.h"
#include "support/test_support.h"

namespace liaison::etsi {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

const fs::path kExamples = fs::path(LIAISON_SOURCE_DIR) / "data/etsi/ts103120/examples/xml";

std::string read(const fs::path& p) { return testing::slurp(p); }

// The CREATEd objects of an example, in order.
std::vector<XmlElement> created(const std::string& file) {
  auto tree = parse_xml(read(kExamples / file));
  EXPECT_TRUE(tree.ok());
  RequestReading r = read_request(*tree);
  EXPECT_FALSE(r.error);
  std::vector<XmlElement> out;
  for (const auto& a : r.actions) {
    if (const XmlElement* o = a.body.child(std::string(kCoreNamespace), "HI1Object"))
      out.push_back(*o);
  }
  return out;
}

TEST(Mapping, AnAuthorisationWithAnLdTaskIsAProductionRequest) {
  auto objects = created("request4.xml");
  ASSERT_EQ(objects.size(), 2u);
  MappingOutcome m = map_task(objects[1], &objects[0]);
  ASSERT_FALSE(m.error) << m.error->description;
  EXPECT_EQ(m.mapped->task_id, "2b36a78b-b628-416d-bd22-404e68a0cd36");
  EXPECT_EQ(m.mapped->authorisation_id, "7dbbc880-8750-4d3c-abe7-ea4a17646045");
  EXPECT_EQ(m.mapped->reference, "XX-ACTOR01-1234");
  EXPECT_EQ(m.mapped->draft, json::parse(R"({"issuer_reference": "XX-ACTOR01-1234",
                            "categories": ["SubscriberData"],
                            "period": {"start": "2019-09-30T12:00:00Z", "end": "2019-12-30T12:00:00Z"},
                            "targets": [{"kind": "phone", "value": "+442079460223"}],
                            "legal_basis": {"domestic_reference": "W000001"},
                            "kind": "production"})"));
  // With what the example does not say (the legal instrument and article,
  // the offence, the provider), it is a request Liaison takes.
  json body = m.mapped->draft;
  body["legal_basis"]["instrument"] = "Regulation (EU) 2023/1543";
  body["legal_basis"]["article"] = "Art. 4(1)";
  body["offence_description"] = "Fraud";
  body["provider_id"] = "01890a5d-ac96-774b-bcce-000000000001";
  auto decoded = decode_request_draft(body, Timestamp::from_seconds(1'600'000'000));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message << ": "
                            << (decoded.ok() || decoded.error().issues.empty()
                                    ? ""
                                    : decoded.error().issues[0].field + " " +
                                          decoded.error().issues[0].reason + "; " +
                                          decoded.error().issues.back().field + " " +
                                          decoded.error().issues.back().reason);
  EXPECT_EQ(decoded->draft.targets[0].value, "+442079460223");
}

TEST(Mapping, AnLpTaskIsAPreservationRequest) {
  auto objects = created("request8_LPTaskObject.xml");
  const XmlElement* task = nullptr;
  const XmlElement* auth = nullptr;
  for (const auto& o : objects) {
    if (o.type && o.type->local == "LPTaskObject") task = &o;
    if (o.type && o.type->local == "AuthorisationObject") auth = &o;
  }
  ASSERT_NE(task, nullptr);
  MappingOutcome m = map_task(*task, auth);
  ASSERT_FALSE(m.error) << m.error->description;
  EXPECT_EQ(m.mapped->draft["kind"], "preservation");
  EXPECT_EQ(m.mapped->desired_preservation_expiration, "2023-06-30T12:00:00Z");
  EXPECT_EQ(m.mapped->draft["targets"][0]["value"], "+442079460223");
  EXPECT_TRUE(m.mapped->reference.empty());
}

// A task of our own making, with `values` as its RequestValues.
XmlElement ld_task(const std::string& values, const std::string& extra = "",
                   const std::string& type = "SubscriberData") {
  std::string xml =
      R"(<HI1Object xmlns="http://uri.etsi.org/03120/common/2019/10/Core" )"
      R"(xmlns:task="http://uri.etsi.org/03120/common/2020/09/Task" )"
      R"(xmlns:common="http://uri.etsi.org/03120/common/2016/02/Common" )"
      R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="task:LDTaskObject">)"
      R"(<ObjectIdentifier>2b36a78b-b628-416d-bd22-404e68a0cd36</ObjectIdentifier>)"
      R"(<task:Reference>NL-NPCU-2026-000001</task:Reference><task:RequestDetails>)" +
      (type.empty() ? std::string()
                    : "<task:Type><common:Owner>ETSI</common:Owner><common:Name>RequestType"
                      "</common:Name><common:Value>" +
                          type + "</common:Value></task:Type>") +
      "<task:ObservedTime>2026-11-02T09:15:00Z</task:ObservedTime>" + values +
      "</task:RequestDetails>" + extra + "</HI1Object>";
  auto tree = parse_xml(xml);
  EXPECT_TRUE(tree.ok()) << (tree.ok() ? "" : tree.error().message);
  return tree.ok() ? *tree : XmlElement{};
}

std::string value(const std::string& owner, const std::string& name, const std::string& v) {
  return "<task:RequestValues><task:RequestValue><task:FormatType><task:FormatOwner>" + owner +
         "</task:FormatOwner><task:FormatName>" + name +
         "</task:FormatName></task:FormatType><task:Value>" + v +
         "</task:Value></task:RequestValue></task:RequestValues>";
}

TEST(Mapping, LiaisonsOwnFormatsCarryWhatTs103280CannotAndEmergenciesAreFlagged) {
  MappingOutcome ip = map_task(ld_task(value("LIAISON", "IPAddressPort", "[2001:db8::7]:443"),
                                       "<task:Flags><task:LDTaskFlag><common:Owner>ETSI"
                                       "</common:Owner><common:Name>LDTaskFlag</common:Name>"
                                       "<common:Value>IsEmergency</common:Value></task:LDTaskFlag>"
                                       "</task:Flags>"),
                               nullptr);
  ASSERT_FALSE(ip.error) << ip.error->description;
  EXPECT_EQ(ip.mapped->draft["targets"][0], json({{"kind", "ip"},
                                                  {"value", "2001:db8::7"},
                                                  {"port", 443},
                                                  {"observed_at", "2026-11-02T09:15:00Z"}}));
  EXPECT_EQ(ip.mapped->draft["kind"], "emergency_disclosure");

  MappingOutcome crypto =
      map_task(ld_task(value("LIAISON", "CryptoAddress", "bitcoin:bc1qexampleaddress")), nullptr);
  ASSERT_FALSE(crypto.error);
  EXPECT_EQ(crypto.mapped->draft["targets"][0],
            json({{"kind", "crypto"}, {"network", "bitcoin"}, {"value", "bc1qexampleaddress"}}));

  MappingOutcome both = map_task(ld_task(value("ETSI", "EmailAddress", "suspect@example.org"), "",
                                         "TrafficDataAndStoredContentData"),
                                 nullptr);
  ASSERT_FALSE(both.error);
  EXPECT_EQ(both.mapped->draft["categories"], json({"TrafficData", "StoredContentData"}));
}

// The patterns GETCSPCONFIG advertises for Liaison's formats take what the
// mapping takes, and refuse what it refuses.
TEST(Mapping, TheAdvertisedPatternsMatchWhatTheMappingTakes) {
  std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> samples = {
      {"IPAddressPort", {{"192.0.2.1:443", "[2001:db8::7]:443"}, {"192.0.2.1", "host:443"}}},
      {"DomainName", {{"mail.example.org"}, {"no spaces.example.org", "single"}}},
      {"Account", {{"https://social.example.org/u/someone"}, {"two words"}}},
      {"Username", {{"someone"}, {""}}},
      {"CryptoAddress", {{"bitcoin:bc1qexampleaddress"}, {"bc1qexampleaddress"}}},
  };
  int checked = 0;
  for (const auto& f : target_formats()) {
    if (f.regex == nullptr) continue;
    std::regex pattern(f.regex);
    ASSERT_TRUE(samples.count(f.name)) << f.name;
    for (const auto& good : samples[f.name].first)
      EXPECT_TRUE(std::regex_match(good, pattern)) << f.name << " " << good;
    for (const auto& bad : samples[f.name].second)
      EXPECT_FALSE(std::regex_match(bad, pattern)) << f.name << " " << bad;
    ++checked;
  }
  EXPECT_EQ(checked, 5);
}

TEST(Mapping, WhatLiaisonCannotTakeIsAnsweredWithItsCode) {
  auto code = [](const MappingOutcome& m) { return m.error ? static_cast<int>(m.error->code) : 0; };
  MappingOutcome imsi = map_task(ld_task(value("ETSI", "IMSI", "234150999999999")), nullptr);
  EXPECT_EQ(code(imsi), 3001);
  EXPECT_THAT(imsi.error->description, HasSubstr("ETSI/IMSI"));
  EXPECT_EQ(code(map_task(ld_task(""), nullptr)), 3005);
  EXPECT_EQ(
      code(map_task(ld_task(value("ETSI", "EmailAddress", "a@example.org"), "", ""), nullptr)),
      3005);
  EXPECT_EQ(
      code(map_task(ld_task(value("ETSI", "EmailAddress", "a@example.org"), "", "Other"), nullptr)),
      3001);
  EXPECT_EQ(code(map_task(ld_task(value("LIAISON", "IPAddressPort", "192.0.2.1")), nullptr)), 3007);
  auto objects = created("request1.xml");  // an LI task: interception is not Liaison's business
  EXPECT_EQ(code(map_task(objects[1], &objects[0])), 3001);
}

}  // namespace
}  // namespace liaison::etsi
