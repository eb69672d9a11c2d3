// From TS 103 120 objects to Liaison requests: ETSI's examples map to the
// requests they describe, the result is a request body Liaison accepts, and
// what Liaison cannot take is answered with its Annex D code.
#include "etsi/mapping.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
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
  // The LDID starts with the task's own country and owner; the rest is the
  // issuer's reference.
  EXPECT_EQ(m.mapped->draft, json::parse(R"({"issuer_reference": "1234",
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

namespace liaison::etsi {
namespace {

// A signed payload as trust/request_payload.h writes one (its fields only:
// the mapping does not verify).
json example_payload() {
  return json::parse(R"js({
    "liaison_request": 1, "request_id": "01900000-0000-7000-8000-000000000001",
    "kind": "production",
    "issuer": {"country": "NL", "endpoint_uid": "POLICE-AMS"},
    "provider": {"country": "IE", "endpoint_uid": "MAIL"},
    "categories": ["SubscriberData", "UserIdentifyingData"],
    "targets": [{"kind": "email", "value": "suspect@example.org"},
                {"kind": "ip", "value": "2001:db8::44", "port": 51234,
                 "observed_at": "2026-11-02T09:15:00Z"},
                {"kind": "ip", "value": "2001:db8::45", "observed_at": "2026-11-02T09:15:00Z"},
                {"kind": "phone", "value": "+31201234567"}],
    "legal_basis": {"instrument": "Regulation (EU) 2023/1543", "article": "Art. 4(1), 5(3)",
                    "domestic_reference": "W-2026-118"},
    "period": {"start": "2026-10-01T00:00:00Z", "end": "2026-11-01T00:00:00Z"},
    "case_type": "OtherFinancialCrimeOrFraud",
    "offence_description": "Invoice fraud from a mailbox at example.org.",
    "max_penalty_months": 72, "non_disclosure_until": null,
    "deadline": "2026-12-20T00:00:00Z", "emergency": null,
    "issuer_reference": "CASE-4711", "nonce": "bm9uY2U", "issued_at": "2026-12-01T10:00:00Z"})js");
}

const ObjectIds kIds = {"7dbbc880-8750-4d3c-abe7-ea4a17646045",
                        "1fd7a4a2-8c2c-4bd2-9f49-0a3b3a8a7c11",
                        "2b36a78b-b628-416d-bd22-404e68a0cd36"};

TEST(MappingOut, ASignedRequestTravelsAsThreeObjectsThatMapBackToWhatWasSigned) {
  json payload = example_payload();
  auto objects = objects_for_signed_request(payload, R"({"signed":"request"})", kIds);
  ASSERT_TRUE(objects.ok()) << objects.error().message;
  ASSERT_EQ(objects->size(), 3u);
  const XmlElement& auth = (*objects)[0];
  const XmlElement& doc = (*objects)[1];
  const XmlElement& task = (*objects)[2];
  EXPECT_EQ(auth.type, (QName{std::string(kAuthorisationNamespace), "AuthorisationObject"}));
  EXPECT_EQ(task.type, (QName{std::string(kTaskNamespace), "LDTaskObject"}));
  EXPECT_EQ(value_of(task.child(std::string(kTaskNamespace), "Reference")),
            "NL-POLICE-AMS-CASE-4711");

  // The document holds the signed request, byte for byte.
  auto carried = signed_request_document(doc);
  ASSERT_TRUE(carried);
  ASSERT_TRUE(carried->envelope_text);
  EXPECT_EQ(*carried->envelope_text, R"({"signed":"request"})");

  // And the task with its Authorisation maps back to the payload's fields.
  MappingOutcome m = map_task(task, &auth);
  ASSERT_FALSE(m.error) << m.error->description;
  const json& d = m.mapped->draft;
  EXPECT_EQ(d["kind"], "production");
  EXPECT_EQ(d["issuer_reference"], "CASE-4711");
  EXPECT_EQ(d["categories"], payload["categories"]);
  EXPECT_EQ(d["period"], payload["period"]);
  EXPECT_EQ(d["deadline"], "2026-12-20T00:00:00Z");
  EXPECT_EQ(d["legal_basis"], payload["legal_basis"]);
  EXPECT_EQ(d["case_type"], "OtherFinancialCrimeOrFraud");
  EXPECT_EQ(d["offence_description"], payload["offence_description"]);
  ASSERT_EQ(d["targets"].size(), 4u);
  EXPECT_EQ(d["targets"][0], json({{"kind", "email"}, {"value", "suspect@example.org"}}));
  EXPECT_EQ(d["targets"][1]["port"], 51234);
  // An IPv6 address goes out in TS 103 280's full form; Liaison reads it back
  // as the same address.
  EXPECT_EQ(d["targets"][2]["value"], "2001:0db8:0000:0000:0000:0000:0000:0045");
  EXPECT_EQ(d["targets"][3]["value"], "+31201234567");
  json body = d;
  body["provider_id"] = "00000000-0000-4000-8000-000000000001";
  body["legal_basis"] = payload["legal_basis"];
  body["max_penalty_months"] = 72;
  auto decoded = decode_request_draft(body, Timestamp::from_seconds(1'780'000'000));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->draft.targets[2].value, "2001:db8::45");
}

TEST(MappingOut, APreservationIsAnLpTaskAndAnEmergencyIsFlaggedTwice) {
  json lp = example_payload();
  lp["kind"] = "preservation";
  // An LPTask has no ObservedTime: a preservation of addresses keeps them
  // for its period.
  for (auto& t : lp["targets"]) t.erase("observed_at");
  auto p = objects_for_signed_request(lp, "{}", kIds);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*p)[2].type->local, "LPTaskObject");
  EXPECT_EQ(entry_value((*p)[2].child(std::string(kTaskNamespace), "DesiredStatus")), "Preserved");

  json em = example_payload();
  em["kind"] = "emergency_disclosure";
  auto e = objects_for_signed_request(em, "{}", kIds);
  ASSERT_TRUE(e.ok());
  MappingOutcome m = map_task((*e)[2], &(*e)[0]);
  ASSERT_FALSE(m.error);
  EXPECT_EQ(m.mapped->draft["kind"], "emergency_disclosure");
}

TEST(MappingOut, WhatHi1CannotCarryIsRefusedNamingTheField) {
  auto refused = [](json payload, const std::string& field) {
    auto r = objects_for_signed_request(payload, "{}", kIds);
    ASSERT_FALSE(r.ok()) << field;
    ASSERT_FALSE(r.error().issues.empty());
    EXPECT_EQ(r.error().issues[0].field, field);
  };
  json registration = example_payload();
  registration["kind"] = "domain_registration";
  refused(registration, "payload/kind");
  json three = example_payload();
  three["categories"] = {"SubscriberData", "TrafficData", "StoredContentData"};
  refused(three, "payload/categories");
  json times = example_payload();
  times["targets"][2]["observed_at"] = "2026-11-02T09:16:00Z";
  refused(times, "payload/targets/2/observed_at");
  json observed = example_payload();
  observed["kind"] = "preservation";
  refused(observed, "payload/targets/1/observed_at");
  json bar = example_payload();
  bar["legal_basis"]["instrument"] = "A | B";
  refused(bar, "payload/legal_basis/instrument");
}

TEST(MappingOut, AMalformedLegalBasisOrSignedRequestDocumentIsAnsweredWithItsCode) {
  auto objects = objects_for_signed_request(example_payload(), "{}", kIds);
  ASSERT_TRUE(objects.ok());
  XmlElement auth = (*objects)[0];
  for (auto& c : auth.children) {
    if (c.name.local == "AuthorisationLegalType") c.children[2].text = "no separator";
  }
  MappingOutcome m = map_task((*objects)[2], &auth);
  ASSERT_TRUE(m.error);
  EXPECT_EQ(m.error->code, Hi1ErrorCode::kImproperValue);

  XmlElement doc = (*objects)[1];
  for (auto& c : doc.children) {
    if (c.name.local == "DocumentBody") c.children[0].text = "not base64!";
  }
  auto carried = signed_request_document(doc);
  ASSERT_TRUE(carried);
  ASSERT_TRUE(carried->error);
  EXPECT_EQ(carried->error->code, Hi1ErrorCode::kImproperValue);
}

}  // namespace
}  // namespace liaison::etsi

namespace liaison::etsi {
namespace {

DeliveryPart a_part() {
  DeliveryPart p;
  p.object_id = "71ff52ca-bcea-4fa3-b34e-1b89dcfb0d9e";
  p.country = "IE";
  p.owner = "EXMAIL";
  p.task_id = "2b36a78b-b628-416d-bd22-404e68a0cd36";
  p.delivery_id = "d1079830-8e9a-4731-8fb7-36b9b961eb72";
  p.sequence = 3;
  p.last = true;
  p.data = std::string("sealed\0bytes\xff", 13);
  p.package_id = "0b0e4a4e-6f0e-4b59-9d1c-2f7a0e5f3a11";
  return p;
}

TEST(MappingDelivery, APackagePartAndNoDataReadBackAsTheyWereWritten) {
  DeliveryPart p = a_part();
  DeliveryReading back = read_delivery(delivery_object(p));
  ASSERT_FALSE(back.error) << back.error->description;
  EXPECT_EQ(back.part->data, p.data);
  EXPECT_EQ(back.part->sequence, 3);
  EXPECT_TRUE(back.part->last);
  EXPECT_EQ(back.part->task_id, p.task_id);
  EXPECT_EQ(back.part->delivery_id, p.delivery_id);
  EXPECT_EQ(back.part->country, "IE");

  p.data.reset();
  p.sequence = 1;
  back = read_delivery(delivery_object(p));
  ASSERT_FALSE(back.error) << back.error->description;
  EXPECT_FALSE(back.part->data);
}

// The element `local` of the delivery namespace somewhere below `e`.
XmlElement* find(XmlElement& e, const std::string& local) {
  for (auto& c : e.children) {
    if (c.name.local == local) return &c;
    if (XmlElement* below = find(c, local)) return below;
  }
  return nullptr;
}

TEST(MappingDelivery, AMalformedDeliveryIsAnsweredWithItsCodeAndField) {
  struct Case {
    const char* what;
    std::function<void(XmlElement&)> change;
    Hi1ErrorCode code;
    const char* says;
  };
  const std::vector<Case> cases = {
      {"data that is not base64", [](XmlElement& o) { find(o, "Data")->text = "not base64!"; },
       Hi1ErrorCode::kImproperValue, "Data"},
      {"a checksum of other bytes",
       [](XmlElement& o) { find(o, "Checksum")->text = std::string(64, '0'); },
       Hi1ErrorCode::kImproperValue, "Checksum"},
      {"a length of other bytes", [](XmlElement& o) { find(o, "ContentLength")->text = "99"; },
       Hi1ErrorCode::kImproperValue, "ContentLength"},
      {"another content type", [](XmlElement& o) { find(o, "ContentType")->text = "image/jpeg"; },
       Hi1ErrorCode::kImproperValue, "ContentType"},
      {"no sequence number",
       [](XmlElement& o) {
         auto& c = o.children;
         c.erase(
             std::remove_if(c.begin(), c.end(),
                            [](const XmlElement& e) { return e.name.local == "SequenceNumber"; }),
             c.end());
       },
       Hi1ErrorCode::kRequiredElementMissing, "SequenceNumber"},
      {"sequence number zero", [](XmlElement& o) { find(o, "SequenceNumber")->text = "0"; },
       Hi1ErrorCode::kImproperValue, "SequenceNumber"},
      {"no associated task",
       [](XmlElement& o) {
         auto& c = o.children;
         c.erase(std::remove_if(
                     c.begin(), c.end(),
                     [](const XmlElement& e) { return e.name.local == "AssociatedObjects"; }),
                 c.end());
       },
       Hi1ErrorCode::kRequiredElementMissing, "AssociatedObjects"},
      {"another object type", [](XmlElement& o) { o.type->local = "DocumentObject"; },
       Hi1ErrorCode::kFeatureNotSupported, "DeliveryObject"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    XmlElement o = delivery_object(a_part());
    c.change(o);
    DeliveryReading r = read_delivery(o);
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->code, c.code);
    EXPECT_THAT(r.error->description, HasSubstr(c.says));
  }
  // "No data" in a delivery of several parts, or DataExistence true.
  DeliveryPart none = a_part();
  none.data.reset();
  DeliveryReading r = read_delivery(delivery_object(none));
  ASSERT_TRUE(r.error);
  EXPECT_THAT(r.error->description, HasSubstr("one part"));
  none.sequence = 1;
  XmlElement o = delivery_object(none);
  find(o, "DataExistence")->text = "true";
  r = read_delivery(o);
  ASSERT_TRUE(r.error);
  EXPECT_THAT(r.error->description, HasSubstr("DataExistence true"));
}

}  // namespace
}  // namespace liaison::etsi
