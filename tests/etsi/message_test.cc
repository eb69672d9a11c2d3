// Reading an HI1Message request and building its synchronous response, with
// ETSI's examples and the message-level errors of Annex D.
#include "etsi/message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/test_support.h"

namespace liaison::etsi {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kExamples = fs::path(LIAISON_SOURCE_DIR) / "data/etsi/ts103120/examples/xml";
const std::string kCore(kCoreNamespace);

std::string read(const fs::path& p) { return testing::slurp(p); }

RequestReading reading(const std::string& xml) {
  auto tree = parse_xml(xml);
  EXPECT_TRUE(tree.ok()) << (tree.ok() ? "" : tree.error().message);
  return tree.ok() ? read_request(*tree) : RequestReading{};
}

std::vector<std::string> verbs(const RequestReading& r) {
  std::vector<std::string> out;
  for (const auto& a : r.actions) out.emplace_back(verb_name(a.verb));
  return out;
}

TEST(Hi1Message, EtsisRequestExamplesRead) {
  RequestReading r1 = reading(read(kExamples / "request1.xml"));
  ASSERT_FALSE(r1.error) << r1.error->description;
  EXPECT_EQ(r1.header->sender, (EndpointId{"XX", "ACTOR01"}));
  EXPECT_EQ(r1.header->receiver, (EndpointId{"XX", "ACTOR02"}));
  EXPECT_EQ(r1.header->transaction_id, "c02358b2-76cf-4ba4-a8eb-f6436ccaea2e");
  EXPECT_EQ(r1.header->etsi_version, "V1.13.1");
  EXPECT_EQ(verbs(r1), (std::vector<std::string>{"CREATE", "CREATE"}));
  EXPECT_EQ(r1.actions[1].id, 1u);
  ASSERT_NE(r1.actions[1].body.child(kCore, "HI1Object"), nullptr);

  EXPECT_EQ(verbs(reading(read(kExamples / "request2.xml"))),
            (std::vector<std::string>{"GET", "GET"}));
  EXPECT_EQ(verbs(reading(read(kExamples / "request5-XML-Delivery.xml"))),
            (std::vector<std::string>{"DELIVER"}));
  EXPECT_EQ(verbs(reading(read(kExamples / "request_config.xml"))),
            (std::vector<std::string>{"GETCSPCONFIG"}));
  for (const auto& e : fs::directory_iterator(kExamples)) {
    std::string name = e.path().filename().string();
    if (name.rfind("request", 0) != 0 || e.path().extension() != ".xml") continue;
    RequestReading r = reading(read(e.path()));
    EXPECT_FALSE(r.error) << name << ": " << r.error->description;
    EXPECT_FALSE(r.actions.empty()) << name;
  }
}

std::string message(const std::string& header, const std::string& actions) {
  return R"(<HI1Message xmlns="http://uri.etsi.org/03120/common/2019/10/Core">)" + header +
         "<Payload><RequestPayload><ActionRequests>" + actions +
         "</ActionRequests></RequestPayload></Payload></HI1Message>";
}

std::string header(const std::string& version = "V1.23.1",
                   const std::string& tid = "c02358b2-76cf-4ba4-a8eb-f6436ccaea2e") {
  return "<Header><SenderIdentifier><CountryCode>NL</CountryCode><UniqueIdentifier>NPCU"
         "</UniqueIdentifier></SenderIdentifier><ReceiverIdentifier><CountryCode>IE</CountryCode>"
         "<UniqueIdentifier>EXMAIL</UniqueIdentifier></ReceiverIdentifier><TransactionIdentifier>" +
         tid +
         "</TransactionIdentifier><Timestamp>2026-12-02T10:00:00.000000Z</Timestamp><Version>"
         "<ETSIVersion>" +
         version +
         "</ETSIVersion><NationalProfileOwner>EU</NationalProfileOwner><NationalProfileVersion>"
         "v1.0</NationalProfileVersion></Version></Header>";
}

const char* kGet0 =
    "<ActionRequest><ActionIdentifier>0</ActionIdentifier><GET><Identifier>"
    "2b36a78b-b628-416d-bd22-404e68a0cd36</Identifier></GET></ActionRequest>";

TEST(Hi1Message, MessageLevelErrorsCarryTheirAnnexDCode) {
  auto code_of = [](const RequestReading& r) {
    return r.error ? static_cast<int>(r.error->code) : 0;
  };
  EXPECT_EQ(code_of(reading(message(header(), kGet0))), 0);

  RequestReading dup = reading(message(header(), std::string(kGet0) + kGet0));
  EXPECT_EQ(code_of(dup), 3002);
  EXPECT_THAT(dup.error->description, HasSubstr("ActionIdentifier 0 is used twice"));
  ASSERT_TRUE(dup.header) << "the header is still known, to answer";

  RequestReading old = reading(message(header("V1.2.1"), kGet0));
  EXPECT_EQ(code_of(old), 3021);
  EXPECT_THAT(old.error->description, HasSubstr("supported: V1.13.1"));
  EXPECT_THAT(old.error->description, HasSubstr("V1.23.1"));
  ASSERT_TRUE(old.header);

  RequestReading no_header = reading(message("", kGet0));
  EXPECT_EQ(code_of(no_header), 3005);
  EXPECT_FALSE(no_header.header);

  RequestReading bad_tid = reading(message(header("V1.23.1", "NOT-A-UUID"), kGet0));
  EXPECT_EQ(code_of(bad_tid), 3007);
  EXPECT_FALSE(bad_tid.header);

  EXPECT_EQ(code_of(reading(message(header(), ""))), 3005);
  EXPECT_EQ(code_of(reading(message(header(),
                                    "<ActionRequest><ActionIdentifier>0</ActionIdentifier>"
                                    "</ActionRequest>"))),
            3005);
  EXPECT_EQ(code_of(reading(message(header(),
                                    "<ActionRequest><ActionIdentifier>-1</ActionIdentifier><GET/>"
                                    "</ActionRequest>"))),
            3007);
  EXPECT_EQ(code_of(reading(R"(<HI1Message xmlns="urn:example:wrong"/>)")), 3020);
  // A response is not a request.
  EXPECT_EQ(code_of(reading(read(kExamples / "response1.xml"))), 3005);
}

TEST(Hi1Message, TheResponseEchoesTheTransactionAndSwapsTheParties) {
  RequestReading r = reading(message(header(), kGet0));
  ASSERT_FALSE(r.error);
  ActionResponse ok{0, core_element("GETResponse", {}), std::nullopt};
  ActionResponse failed{1, std::nullopt,
                        Hi1Error{Hi1ErrorCode::kGetObjectNotFound, "no such object"}};
  XmlElement response = response_message(r.header, {"IE", "EXMAIL"}, {"NL", "NPCU"},
                                         "9d1b3b8e-8a5e-4c37-9d0b-3f1b1a2c4d5e",
                                         "2026-12-02T10:00:01.000000Z", {ok, failed}, std::nullopt);
  auto back = parse_xml(write_xml(response));
  ASSERT_TRUE(back.ok()) << back.error().message;
  const XmlElement* h = back->child(kCore, "Header");
  EXPECT_EQ(h->child(kCore, "SenderIdentifier")->child(kCore, "UniqueIdentifier")->text, "EXMAIL");
  EXPECT_EQ(h->child(kCore, "ReceiverIdentifier")->child(kCore, "UniqueIdentifier")->text, "NPCU");
  EXPECT_EQ(h->child(kCore, "TransactionIdentifier")->text, "c02358b2-76cf-4ba4-a8eb-f6436ccaea2e");
  auto answers = back->child(kCore, "Payload")
                     ->child(kCore, "ResponsePayload")
                     ->child(kCore, "ActionResponses")
                     ->children_named(kCore, "ActionResponse");
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_NE(answers[0]->child(kCore, "GETResponse"), nullptr);
  EXPECT_EQ(answers[1]->child(kCore, "ErrorInformation")->child(kCore, "ErrorCode")->text, "3014");

  // A header that could not be read: a new transaction, from this hub.
  XmlElement rejected =
      response_message(std::nullopt, {"IE", "EXMAIL"}, {"NL", "NPCU"},
                       "9d1b3b8e-8a5e-4c37-9d0b-3f1b1a2c4d5e", "2026-12-02T10:00:01.000000Z", {},
                       Hi1Error{Hi1ErrorCode::kRequiredElementMissing, "Header is missing"});
  const XmlElement* rh = rejected.child(kCore, "Header");
  EXPECT_EQ(rh->child(kCore, "TransactionIdentifier")->text,
            "9d1b3b8e-8a5e-4c37-9d0b-3f1b1a2c4d5e");
  EXPECT_EQ(rh->child(kCore, "SenderIdentifier")->child(kCore, "UniqueIdentifier")->text, "EXMAIL");
  EXPECT_EQ(rh->child(kCore, "ReceiverIdentifier")->child(kCore, "UniqueIdentifier")->text, "NPCU");
  EXPECT_EQ(rejected.child(kCore, "Payload")
                ->child(kCore, "ResponsePayload")
                ->child(kCore, "ErrorInformation")
                ->child(kCore, "ErrorCode")
                ->text,
            "3005");
}

}  // namespace
}  // namespace liaison::etsi
