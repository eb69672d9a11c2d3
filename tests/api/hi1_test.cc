// POST /hi1 against a real hub: an authority's system sends a signed request
// as TS 103 120 objects, in XML and in JSON, and reads it back, lists it and
// cancels it; the endpoint answers per action with Annex D codes, binds the
// sender to the caller, and refuses a task that says something other than
// what was signed. Every answer is checked against ETSI's XSDs.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "api/api_helpers.h"
#include "core/base64.h"
#include "etsi/json_schema.h"
#include "etsi/json_tree.h"
#include "etsi/mapping.h"
#include "etsi/message.h"
#include "etsi/namespaces.h"
#include "etsi/xsd.h"
#include "support/signing.h"
#include "support/x509_support.h"

namespace liaison {
namespace {

using namespace apitest;  // NOLINT
using etsi::XmlElement;

const std::filesystem::path kEtsi = std::filesystem::path(LIAISON_SOURCE_DIR) / "data/etsi";
const std::string kCore(etsi::kCoreNamespace);
const std::string kTask(etsi::kTaskNamespace);
const std::string kAuth(etsi::kAuthorisationNamespace);
const std::string kDoc(etsi::kDocumentNamespace);

// One ActionResponse as a test reads it.
struct Answer {
  std::string verb;  // CREATEResponse, GETResponse, …, or ErrorInformation
  int error = 0;
  std::string description;
  std::optional<XmlElement> body;  // a copy: answers outlive the response they came in
};

class Hi1 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = new HubProcess();
    auto v = etsi::XsdValidator::load(kEtsi);
    ASSERT_TRUE(v.ok()) << v.error().message;
    xsd_ = new etsi::XsdValidator(std::move(v).value());
    auto s = etsi::JsonSchemas::load(kEtsi / "ts103120");
    ASSERT_TRUE(s.ok()) << s.error().message;
    schemas_ = new etsi::JsonSchemas(std::move(s).value());
  }
  static void TearDownTestSuite() {
    delete hub_;
    delete xsd_;
    delete schemas_;
  }
  static HubProcess& hub() { return *hub_; }
  static HubClient as(const std::string& who) {
    return HubClient(hub_->base_url(), hub_->token(who));
  }

  static etsi::EndpointId endpoint_of(const std::string& org) {
    json o = get_json(as("officer"), "/api/v1/organisations/" + hub().org_id(org));
    return {o["country"], o["endpoint_uid"]};
  }

  static etsi::Header header(const etsi::EndpointId& from, const etsi::EndpointId& to) {
    etsi::Header h;
    h.sender = from;
    h.receiver = to;
    h.transaction_id = random_uuid();
    h.timestamp = "2026-12-02T10:00:00.000000Z";
    h.etsi_version = "V1.23.1";
    h.national_profile_owner = etsi::kLiaisonProfileOwner;
    h.national_profile_version = etsi::kLiaisonProfileVersion;
    return h;
  }

  static XmlElement message(const std::vector<std::pair<etsi::Verb, std::vector<XmlElement>>>& acts,
                            const std::string& from = "police",
                            const std::string& to = "provider") {
    std::vector<etsi::ActionRequest> list;
    for (const auto& [verb, children] : acts) {
      list.push_back({list.size(), verb, etsi::action_element(verb, children)});
    }
    return etsi::request_message(header(endpoint_of(from), endpoint_of(to)), list);
  }

  // Posts a message as `who` in XML; the response, which must validate.
  static XmlElement post(const XmlElement& m, const std::string& who = "officer") {
    std::string xml = etsi::write_xml(m);
    auto r = as(who).send("POST", "/hi1", xml, "application/xml");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.headers.get("Content-Type").value_or(""), "application/xml");
    auto s = xsd_->validate(r.body);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message) << "\n" << r.body;
    auto tree = etsi::parse_xml(r.body);
    EXPECT_TRUE(tree.ok()) << r.body;
    return tree.ok() ? *tree : XmlElement{};
  }

  static std::vector<Answer> answers(const XmlElement& response) {
    std::vector<Answer> out;
    for (auto& a : etsi::read_response(response).actions) {
      Answer one;
      if (a.error) {
        one.verb = "ErrorInformation";
        one.error = static_cast<int>(a.error->code);
        one.description = a.error->description;
      } else if (a.body) {
        one.verb = a.body->name.local;
        one.body = std::move(a.body);
      }
      out.push_back(std::move(one));
    }
    return out;
  }

  // The message-level error, or 0.
  static int whole_error(const XmlElement& response, std::string* description = nullptr) {
    etsi::ResponseReading r = etsi::read_response(response);
    EXPECT_FALSE(r.malformed);
    if (!r.error) return 0;
    if (description) *description = r.error->description;
    return static_cast<int>(r.error->code);
  }

  // A signed request ready to send (the officer's, validated by the
  // prosecutor unless told otherwise) and its three HI-1 objects.
  struct Sent {
    json envelope;
    etsi::ObjectIds ids;
    std::vector<XmlElement> objects;
  };
  static Sent signed_objects(bool validated = true, const json& patch = json::object()) {
    Sent s;
    s.envelope =
        testing::fresh_envelope(hub(), create_request(hub(), as("officer"), patch), validated);
    s.ids = {random_uuid(), random_uuid(), random_uuid()};
    auto objects =
        etsi::objects_for_signed_request(s.envelope["payload"], s.envelope.dump(), s.ids);
    EXPECT_TRUE(objects.ok()) << (objects.ok() ? "" : objects.error().message);
    if (objects.ok()) s.objects = std::move(objects).value();
    return s;
  }
  // A warrant as the police unit's system sends one: a DocumentObject of
  // ETSI DocumentType Warrant holding the PDF's bytes (base64 `contents`),
  // associated with `associated`.
  static XmlElement warrant_document(const Sent& s, const std::string& id,
                                     const std::vector<std::string>& associated,
                                     const std::string& contents,
                                     const std::string& name = "warrant-NPCU-2026-0042.pdf") {
    XmlElement doc = s.objects[1];  // the signed request's: the same owner and country
    for (auto& c : doc.children) {
      const std::string local = c.name.local;
      if (local == "ObjectIdentifier") c.text = id;
      if (local == "AssociatedObjects") {
        c.children.clear();
        for (const auto& a : associated)
          c.children.push_back(etsi::core_text("AssociatedObject", a));
      }
      if (local == "DocumentName") c.text = name;
      if (local == "DocumentType") {
        c = etsi::dictionary_entry({kDoc, "DocumentType"}, "ETSI", "DocumentType", "Warrant");
      }
      if (local == "DocumentBody") {
        for (auto& b : c.children) {
          if (b.name.local == "Contents") b.text = contents;
          if (b.name.local == "ContentType") b.text = "application/pdf";
        }
      }
    }
    return doc;
  }
  // `task`, also associated with `document_id`.
  static XmlElement naming(XmlElement task, const std::string& document_id) {
    for (auto& c : task.children) {
      if (c.name.local == "AssociatedObjects")
        c.children.push_back(etsi::core_text("AssociatedObject", document_id));
    }
    return task;
  }
  static json attachments_of(const Sent& s) {
    std::string id = s.envelope["payload"]["request_id"];
    return get_json(as("analyst"), "/api/v1/requests/" + id + "/attachments")["items"];
  }

  static XmlElement create_all(const Sent& s) {
    return message({{etsi::Verb::kCreate, {s.objects[0]}},
                    {etsi::Verb::kCreate, {s.objects[1]}},
                    {etsi::Verb::kCreate, {s.objects[2]}}});
  }

  static XmlElement get_object(const std::string& id, const std::string& who = "officer",
                               const std::string& from = "police") {
    XmlElement r =
        post(message({{etsi::Verb::kGet, {etsi::core_text("Identifier", id)}}}, from), who);
    auto a = answers(r);
    if (a.size() != 1 || a[0].verb != "GETResponse") {
      ADD_FAILURE() << "GET " << id << ": " << (a.empty() ? "no answer" : a[0].description);
      return {};
    }
    const XmlElement* o = a[0].body->child(kCore, "HI1Object");
    return o == nullptr ? XmlElement{} : *o;
  }

  static std::string status_of(const XmlElement& task) {
    return etsi::entry_value(task.child(kTask, "Status"), "ETSI");
  }

  // The provider's view of the request the signed payload became, or null.
  static json provider_view(const Sent& s) {
    std::string id = s.envelope["payload"]["request_id"];
    auto r = as("analyst").send("GET", "/api/v1/requests/" + id);
    return r.status == 200 ? body_of(r) : json();
  }

  static HubProcess* hub_;
  static etsi::XsdValidator* xsd_;
  static etsi::JsonSchemas* schemas_;
};
HubProcess* Hi1::hub_ = nullptr;
etsi::XsdValidator* Hi1::xsd_ = nullptr;
etsi::JsonSchemas* Hi1::schemas_ = nullptr;

TEST_F(Hi1, AWarrantTheTaskNamesIsAttachedToTheRequest) {
  Sent s = signed_objects();
  const std::string pdf = "%PDF-1.7\n% a warrant of the Rotterdam examining magistrate\n%%EOF\n";
  const std::string warrant_id = random_uuid();
  XmlElement warrant = warrant_document(s, warrant_id, {s.ids.authorisation}, base64_encode(pdf));
  XmlElement r = post(message({{etsi::Verb::kCreate, {s.objects[0]}},
                               {etsi::Verb::kCreate, {s.objects[1]}},
                               {etsi::Verb::kCreate, {warrant}},
                               {etsi::Verb::kCreate, {naming(s.objects[2], warrant_id)}}}));
  ASSERT_EQ(whole_error(r), 0);
  for (const auto& a : answers(r)) EXPECT_EQ(a.verb, "CREATEResponse") << a.description;

  // The provider sees it on the request, in the authority's name, byte for byte.
  json items = attachments_of(s);
  ASSERT_EQ(items.size(), 1u) << items;
  EXPECT_EQ(items[0]["name"], "warrant-NPCU-2026-0042.pdf");
  EXPECT_EQ(items[0]["media_type"], "application/pdf");
  EXPECT_EQ(items[0]["purpose"], "document");
  EXPECT_EQ(items[0]["uploader_org_id"], hub().org_id("police"));
  std::string id = s.envelope["payload"]["request_id"];
  auto content = as("analyst").send("GET", "/api/v1/requests/" + id + "/attachments/" +
                                               items[0]["id"].get<std::string>() + "/content");
  ASSERT_EQ(content.status, 200);
  EXPECT_EQ(content.body, pdf);
  // And the object itself is still the sender's to read back.
  EXPECT_EQ(etsi::value_of(get_object(warrant_id).child(kCore, "ObjectIdentifier")), warrant_id);

  // A document sent later for the task joins the request too; sent again it
  // is 3010 and attached no second time. A name that is no file name is
  // replaced by the document's identifier, a type that is no media type by
  // application/octet-stream.
  const std::string order_id = random_uuid();
  XmlElement order = warrant_document(s, order_id, {s.ids.task}, base64_encode("court order"),
                                      "../../etc/court-order.pdf");
  for (auto& c : order.children) {
    if (c.name.local != "DocumentBody") continue;
    for (auto& b : c.children) {
      if (b.name.local == "ContentType") b.text = "pdf";
    }
  }
  auto again = answers(post(message({{etsi::Verb::kCreate, {order}}})));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].verb, "CREATEResponse") << again[0].description;
  again = answers(post(message({{etsi::Verb::kCreate, {order}}})));
  EXPECT_EQ(again[0].error, 3010) << again[0].description;
  items = attachments_of(s);
  ASSERT_EQ(items.size(), 2u) << items;
  EXPECT_EQ(items[1]["name"], "document-" + order_id);
  EXPECT_EQ(items[1]["media_type"], "application/octet-stream");

  // A body that is not base64 is refused, and attaches nothing.
  XmlElement broken = warrant_document(s, random_uuid(), {s.ids.task}, "not*base64!");
  again = answers(post(message({{etsi::Verb::kCreate, {broken}}})));
  EXPECT_EQ(again[0].error, 3007) << again[0].description;
  EXPECT_EQ(attachments_of(s).size(), 2u);
}

TEST_F(Hi1, AProductionThatFollowsAPreservationSaysSoOnBoth) {
  // The preservation first, over HI-1 as an LPTask.
  // (Of an e-mail account: an LPTask has no ObservedTime for an address.)
  Sent lp = signed_objects(
      true, {{"kind", "preservation"},
             {"targets", {{{"kind", "email"}, {"value", "suspect@example.org"}}}},
             {"period", {{"start", "2026-10-01T00:00:00Z"}, {"end", "2026-10-31T00:00:00Z"}}}});
  std::string why;
  ASSERT_EQ(whole_error(post(create_all(lp)), &why), 0) << why;
  // Then the production, naming it and a preservation asked for by e-mail.
  Sent ld = signed_objects();
  XmlElement task = ld.objects[2];
  std::vector<XmlElement> refs;
  for (const std::string& r : {lp.ids.task, std::string("NL-NPCU-PRES-2026-077")}) {
    XmlElement one{{kTask, "AlternativePreservationReference"}, {}, {}, "", {}};
    one.children.push_back(XmlElement{{kTask, "ReferenceValue"}, {}, {}, r, {}});
    refs.push_back(std::move(one));
  }
  XmlElement list{{kTask, "AlternativePreservationReferences"}, {}, {}, "", std::move(refs)};
  auto at = std::find_if(task.children.begin(), task.children.end(), [](const XmlElement& c) {
    return c.name.local == "NationalLDTaskingParameters" || c.name.local == "Deadlines" ||
           c.name.local == "ManualInformation";
  });
  task.children.insert(at, std::move(list));
  XmlElement r = post(message({{etsi::Verb::kCreate, {ld.objects[0]}},
                               {etsi::Verb::kCreate, {ld.objects[1]}},
                               {etsi::Verb::kCreate, {task}}}));
  ASSERT_EQ(whole_error(r), 0);
  for (const auto& a : answers(r)) EXPECT_EQ(a.verb, "CREATEResponse") << a.description;

  auto events = [&](const Sent& s) {
    std::string id = s.envelope["payload"]["request_id"];
    return get_json(as("analyst"), "/api/v1/requests/" + id + "/events")["items"];
  };
  std::vector<json> follows;
  for (const auto& e : events(ld)) {
    if (e.value("type", "") == "hi1_follows_preservation") follows.push_back(e);
  }
  ASSERT_EQ(follows.size(), 2u) << events(ld);
  EXPECT_NE(follows[0].value("note", "").find("sent over HI-1 as task " + lp.ids.task),
            std::string::npos)
      << follows[0];
  EXPECT_NE(follows[1].value("note", "").find("NL-NPCU-PRES-2026-077, asked for outside"),
            std::string::npos)
      << follows[1];
  bool told = false;
  for (const auto& e : events(lp)) told |= e.value("type", "") == "hi1_followed_by_production";
  EXPECT_TRUE(told) << events(lp);
}

TEST_F(Hi1, ASignedProductionArrivesAsAuthorisationDocumentAndTaskAndReachesTheProvider) {
  Sent s = signed_objects();
  ASSERT_EQ(s.objects.size(), 3u);
  XmlElement m = create_all(s);
  XmlElement r = post(m);
  ASSERT_EQ(whole_error(r), 0);

  // The response echoes the transaction and swaps the parties.
  const XmlElement* h = r.child(kCore, "Header");
  ASSERT_NE(h, nullptr);
  auto endpoint = [&](const char* which) {
    const XmlElement* e = h->child(kCore, which);
    return etsi::EndpointId{etsi::value_of(e->child(kCore, "CountryCode")),
                            etsi::value_of(e->child(kCore, "UniqueIdentifier"))};
  };
  EXPECT_EQ(endpoint("SenderIdentifier"), endpoint_of("provider"));
  EXPECT_EQ(endpoint("ReceiverIdentifier"), endpoint_of("police"));
  EXPECT_EQ(etsi::value_of(h->child(kCore, "TransactionIdentifier")),
            etsi::value_of(m.child(kCore, "Header")->child(kCore, "TransactionIdentifier")));

  auto a = answers(r);
  ASSERT_EQ(a.size(), 3u);
  std::vector<std::string> ids = {s.ids.authorisation, s.ids.document, s.ids.task};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(a[i].verb, "CREATEResponse") << a[i].error << " " << a[i].description;
    if (a[i].body) {
      EXPECT_EQ(etsi::value_of(a[i].body->child(kCore, "Identifier")), ids[i]);
    }
  }

  // The signed request was received as POST /requests/signed receives one:
  // verified and submitted, in the provider's queue.
  json view = provider_view(s);
  ASSERT_FALSE(view.is_null());
  EXPECT_EQ(view["status"], "submitted");
  EXPECT_EQ(view["issuer_reference"], s.envelope["payload"]["issuer_reference"]);

  XmlElement task = get_object(s.ids.task);
  EXPECT_EQ(status_of(task), "AwaitingDisclosure");
  EXPECT_EQ(etsi::value_of(task.child(kCore, "Generation")), "1");
  EXPECT_FALSE(etsi::value_of(task.child(kCore, "LastChanged")).empty());
  XmlElement auth = get_object(s.ids.authorisation);
  EXPECT_EQ(etsi::value_of(auth.child(kAuth, "AuthorisationReference")),
            s.envelope["payload"]["legal_basis"]["domestic_reference"]);
}

TEST_F(Hi1, TheJsonEncodingCarriesTheSameMessageAndIsAnsweredInJson) {
  Sent s = signed_objects();
  // Keys in order: the order of elements is part of the message.
  nlohmann::ordered_json body = etsi::json_from_tree(create_all(s), *schemas_);
  auto r = as("officer").send("POST", "/hi1", body.dump(), "application/json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.get("Content-Type").value_or(""), "application/json");
  auto parsed = nlohmann::ordered_json::parse(r.body, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << r.body;
  auto tree = etsi::tree_from_json(r.body);
  ASSERT_TRUE(tree.ok()) << tree.error().message;
  // The JSON answer is the XML one in the other encoding: it validates as XML.
  EXPECT_TRUE(xsd_->validate(etsi::write_xml(*tree)).ok());
  std::string why;
  ASSERT_EQ(whole_error(*tree, &why), 0) << why;
  auto a = answers(*tree);
  ASSERT_EQ(a.size(), 3u);
  for (const auto& one : a) EXPECT_EQ(one.verb, "CREATEResponse") << one.description;
  EXPECT_EQ(provider_view(s)["status"], "submitted");
}

TEST_F(Hi1, ATaskThatSaysOtherThanWhatWasSignedIsRefusedAndNothingReachesTheProvider) {
  Sent s = signed_objects();
  // Another target than the signed one, slipped into the task.
  XmlElement& task = s.objects[2];
  for (auto& c : task.children) {
    if (c.name.local != "RequestDetails") continue;
    for (auto& d : c.children) {
      if (d.name.local != "RequestValues") continue;
      for (auto& v : d.children[0].children) {
        if (v.name.local == "Value") v.text = "someone.else@example.org";
      }
    }
  }
  auto a = answers(post(create_all(s)));
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].verb, "CREATEResponse");  // one failed action does not fail the others
  EXPECT_EQ(a[1].verb, "CREATEResponse");
  EXPECT_EQ(a[2].error, 3007);
  EXPECT_NE(a[2].description.find("differ in targets"), std::string::npos) << a[2].description;
  EXPECT_TRUE(provider_view(s).is_null());
}

TEST_F(Hi1, ATaskWithoutItsSignedRequestIsRefused) {
  Sent s = signed_objects();
  XmlElement task = s.objects[2];
  for (auto& c : task.children) {
    if (c.name.local == "AssociatedObjects") c.children.pop_back();  // the signed request
  }
  auto a = answers(
      post(message({{etsi::Verb::kCreate, {s.objects[0]}}, {etsi::Verb::kCreate, {task}}})));
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].verb, "CREATEResponse");
  EXPECT_EQ(a[1].error, 3005);
  EXPECT_NE(a[1].description.find("SignedRequest"), std::string::npos) << a[1].description;

  // Associated with an object the sender never created: the link has no target.
  XmlElement dangling = s.objects[2];
  dangling.children[3].children[0].text = random_uuid();
  auto b = answers(post(message({{etsi::Verb::kCreate, {dangling}}})));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].error, 3016) << b[0].description;
}

TEST_F(Hi1, ARequestThatFailsVerificationIsCreatedButInvalidAndQuarantined) {
  Sent s = signed_objects(/*validated=*/false);
  auto a = answers(post(create_all(s)));
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[2].verb, "CREATEResponse") << a[2].description;
  EXPECT_TRUE(provider_view(s).is_null());  // never in the provider's queue
  XmlElement task = get_object(s.ids.task);
  EXPECT_EQ(status_of(task), "Invalid");
  const XmlElement* reason = task.child(kTask, "StatusReason");
  ASSERT_NE(reason, nullptr);
  EXPECT_NE(etsi::value_of(reason->child(kCore, "ErrorDescription")).find("refused on receipt"),
            std::string::npos);
}

TEST_F(Hi1, ObjectsAreCreatedOnceAndSeenOnlyByTheirSender) {
  Sent s = signed_objects();
  ASSERT_EQ(answers(post(create_all(s))).size(), 3u);
  auto again = answers(post(message({{etsi::Verb::kCreate, {s.objects[0]}}})));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].error, 3010) << again[0].description;

  // The prosecutor's office is another authority: the police's objects are not its own.
  auto foreign = answers(
      post(message({{etsi::Verb::kGet, {etsi::core_text("Identifier", s.ids.task)}}}, "prosecutor"),
           "prosecutor"));
  ASSERT_EQ(foreign.size(), 1u);
  EXPECT_EQ(foreign[0].error, 3014) << foreign[0].description;
  auto unknown =
      answers(post(message({{etsi::Verb::kGet, {etsi::core_text("Identifier", random_uuid())}}})));
  EXPECT_EQ(unknown.at(0).error, 3014);
}

TEST_F(Hi1, ListNamesTheSendersObjectsByType) {
  Sent s = signed_objects();
  auto created = answers(post(create_all(s)));
  ASSERT_EQ(created.size(), 3u);
  ASSERT_EQ(created[2].verb, "CREATEResponse") << created[2].description;
  auto a = answers(post(message(
      {{etsi::Verb::kList,
        {etsi::dictionary_entry({kCore, "ObjectType"}, "ETSI", "ObjectType", "LDTask")}}})));
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(a[0].verb, "LISTResponse");
  bool listed = false;
  for (const XmlElement* rec : a[0].body->children_named(kCore, "ListResponseRecord")) {
    EXPECT_EQ(etsi::entry_value(rec->child(kCore, "ObjectType"), "ETSI"), "LDTask");
    if (etsi::value_of(rec->child(kCore, "Identifier")) == s.ids.task) listed = true;
  }
  EXPECT_TRUE(listed);
  auto unsupported = answers(post(message(
      {{etsi::Verb::kList,
        {etsi::dictionary_entry({kCore, "Status"}, "ETSI", "LDTaskStatus", "Disclosed")}}})));
  EXPECT_EQ(unsupported.at(0).error, 3001);
}

TEST_F(Hi1, AnUpdateToCancelledCancelsTheRequest) {
  Sent s = signed_objects();
  ASSERT_EQ(answers(post(create_all(s))).size(), 3u);
  XmlElement update = s.objects[2];
  etsi::set_object_field(update, etsi::dictionary_entry({kTask, "DesiredStatus"}, "ETSI",
                                                        "LDTaskDesiredStatus", "Cancelled"));
  auto a = answers(post(message({{etsi::Verb::kUpdate, {update}}})));
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].verb, "UPDATEResponse") << a[0].description;
  EXPECT_EQ(provider_view(s)["status"], "cancelled");
  XmlElement task = get_object(s.ids.task);
  EXPECT_EQ(status_of(task), "Cancelled");
  EXPECT_EQ(etsi::value_of(task.child(kCore, "Generation")), "2");

  // Anything but a cancellation is a new request, signed again.
  XmlElement other = s.objects[2];
  etsi::set_object_field(other, etsi::dictionary_entry({kTask, "DesiredStatus"}, "ETSI",
                                                       "LDTaskDesiredStatus", "Disclosed"));
  EXPECT_EQ(answers(post(message({{etsi::Verb::kUpdate, {other}}}))).at(0).error, 3001);
  XmlElement missing = s.objects[0];
  missing.children[0].text = random_uuid();
  EXPECT_EQ(answers(post(message({{etsi::Verb::kUpdate, {missing}}}))).at(0).error, 3011);
}

TEST_F(Hi1, GetCspConfigAndTheActionsNotActedOn) {
  XmlElement li =
      etsi::core_element("HI1Object", {etsi::core_text("ObjectIdentifier", random_uuid())});
  li.type = etsi::QName{kTask, "LITaskObject"};
  auto a = answers(
      post(message({{etsi::Verb::kGetCspConfig, {}},
                    {etsi::Verb::kCreate, {li}},
                    {etsi::Verb::kDeliver, {etsi::core_text("Identifier", random_uuid()), li}}})));
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].verb, "GETCSPCONFIGResponse");
  // It advertises where messages go: here, as the caller reached this hub.
  ASSERT_TRUE(a[0].body);
  EXPECT_NE(
      etsi::write_xml(*a[0].body).find("<config:URL>" + hub().base_url() + "/hi1</config:URL>"),
      std::string::npos)
      << etsi::write_xml(*a[0].body);
  EXPECT_EQ(a[1].error, 3001);
  EXPECT_NE(a[1].description.find("LITaskObject"), std::string::npos);
  EXPECT_EQ(a[2].error, 3001);
}

TEST_F(Hi1, TheSenderIsTheCallerAndTheReceiverAProviderHere) {
  std::string why;
  // The police account claiming the prosecutor's endpoint.
  XmlElement claimed = post(message({{etsi::Verb::kGetCspConfig, {}}}, "prosecutor"));
  EXPECT_EQ(whole_error(claimed, &why), 3007);
  EXPECT_NE(why.find("SenderIdentifier"), std::string::npos) << why;
  // Answered to the endpoint the caller authenticated as.
  const XmlElement* to = claimed.child(kCore, "Header")->child(kCore, "ReceiverIdentifier");
  EXPECT_EQ(etsi::value_of(to->child(kCore, "UniqueIdentifier")), endpoint_of("police").unique_id);

  XmlElement to_authority =
      post(message({{etsi::Verb::kGetCspConfig, {}}}, "police", "prosecutor"));
  EXPECT_EQ(whole_error(to_authority, &why), 3007);
  EXPECT_NE(why.find("ReceiverIdentifier"), std::string::npos) << why;

  // A provider's system delivers to an authority, and does not send requests.
  XmlElement to_provider =
      post(message({{etsi::Verb::kGetCspConfig, {}}}, "provider", "provider"), "analyst");
  EXPECT_EQ(whole_error(to_provider, &why), 3007);
  EXPECT_NE(why.find("no authority"), std::string::npos) << why;
  Sent s = signed_objects();
  auto refused = answers(
      post(message({{etsi::Verb::kCreate, {s.objects[0]}}}, "provider", "police"), "analyst"));
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].error, 3000);
  EXPECT_NE(refused[0].description.find("DELIVER"), std::string::npos) << refused[0].description;

  // No credentials: refused before HI-1, as every API route is.
  auto anonymous = HubClient(hub().base_url(), "")
                       .send("POST", "/hi1", etsi::write_xml(message({})), "application/xml");
  EXPECT_EQ(anonymous.status, 401);
}

TEST_F(Hi1, ADeliveryIsTakenOnlyForATaskThisHubForwardedToTheSender) {
  // Nothing was forwarded from this hub to the provider: a delivery for any
  // task is refused, and changes nothing.
  Sent s = signed_objects();
  ASSERT_EQ(whole_error(post(create_all(s))), 0);
  etsi::DeliveryPart part;
  part.object_id = random_uuid();
  part.country = endpoint_of("provider").country;
  part.owner = endpoint_of("provider").unique_id;
  part.task_id = s.ids.task;
  part.delivery_id = random_uuid();
  part.data = std::string("not a package");
  XmlElement delivery = etsi::delivery_object(part);
  auto a = answers(post(
      message({{etsi::Verb::kDeliver, {etsi::core_text("Identifier", part.object_id), delivery}}},
              "provider", "police"),
      "analyst"));
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].error, 3016) << a[0].description;
  EXPECT_NE(a[0].description.find(s.ids.task), std::string::npos) << a[0].description;
  EXPECT_EQ(provider_view(s).value("status", ""), "submitted");

  // A delivery that is not under the profile is refused before the task is looked for.
  part.data.reset();
  part.sequence = 2;
  a = answers(
      post(message({{etsi::Verb::kDeliver,
                     {etsi::core_text("Identifier", part.object_id), etsi::delivery_object(part)}}},
                   "provider", "police"),
           "analyst"));
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].error, 3007) << a[0].description;
}

TEST_F(Hi1, BadMessagesGetTheirCodeAndChangeNothing) {
  auto listed = [&] {
    auto a = answers(post(message({{etsi::Verb::kList, {}}})));
    return a.empty() || !a[0].body ? std::size_t{0}
                                   : a[0].body->children_named(kCore, "ListResponseRecord").size();
  };
  std::size_t before = listed();
  Sent s = signed_objects();
  auto whole = [&](XmlElement m) {
    std::string why;
    int code = whole_error(post(m), &why);
    return std::make_pair(code, why);
  };

  // An object of a type no schema knows.
  XmlElement unknown = s.objects[0];
  unknown.type = etsi::QName{kAuth, "WarrantObject"};
  EXPECT_EQ(whole(message({{etsi::Verb::kCreate, {unknown}}})).first, 3020);
  // An element in the wrong namespace, and one the schema does not have.
  XmlElement wrong_ns = s.objects[2];
  for (auto& c : wrong_ns.children) {
    if (c.name.local == "Reference") c.name.ns = kAuth;
  }
  EXPECT_EQ(whole(message({{etsi::Verb::kCreate, {wrong_ns}}})).first, 3020);
  // A required element missing: the task's ObjectIdentifier.
  XmlElement anonymous = s.objects[2];
  anonymous.children.erase(anonymous.children.begin());
  auto missing = whole(message({{etsi::Verb::kCreate, {anonymous}}}));
  EXPECT_EQ(missing.first, 3020);
  EXPECT_NE(missing.second.find("ObjectIdentifier"), std::string::npos) << missing.second;
  // A required part of the header missing is told as such.
  XmlElement headless = create_all(s);
  auto& header_parts = headless.children[0].children;
  header_parts.erase(header_parts.begin() + 2);  // TransactionIdentifier
  EXPECT_EQ(whole(headless).first, 3005);
  // Two actions with one ActionIdentifier.
  XmlElement twice = create_all(s);
  auto& list = twice.children[1].children[0].children[0].children;
  list[1].children[0].text = "0";
  EXPECT_EQ(whole(twice).first, 3002);
  // A root element of another namespace.
  XmlElement foreign = create_all(s);
  foreign.name.ns = "urn:example:not-hi1";
  EXPECT_EQ(whole(foreign).first, 3020);

  // An external entity is refused before anything is parsed.
  auto r = as("officer").send(
      "POST", "/hi1",
      "<?xml version=\"1.0\"?><!DOCTYPE HI1Message [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<HI1Message xmlns=\"http://uri.etsi.org/03120/common/2019/10/Core\">&x;</HI1Message>",
      "application/xml");
  EXPECT_EQ(r.body.find("root:"), std::string::npos);
  auto tree = etsi::parse_xml(r.body);
  ASSERT_TRUE(tree.ok());
  EXPECT_EQ(whole_error(*tree), 3020);

  // None of it left an object or a request behind.
  EXPECT_EQ(listed(), before);
  EXPECT_TRUE(provider_view(s).is_null());
}

TEST_F(Hi1, UnreadableMessagesGetTheAnnexDCode) {
  auto code = [&](const std::string& body, const std::string& type) {
    auto r = as("officer").send("POST", "/hi1", body, type);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(xsd_->validate(r.body).ok()) << r.body;
    auto tree = etsi::parse_xml(r.body);
    std::string why;
    return tree.ok() ? whole_error(*tree, &why) : -1;
  };
  EXPECT_EQ(code("<HI1Message", "application/xml"), 3020);
  EXPECT_EQ(code("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x/>", "text/xml"), 3020);
  EXPECT_EQ(code("HI1Message=1", "application/x-www-form-urlencoded"), 3019);
  EXPECT_EQ(code(std::string(9 * 1024 * 1024, ' '), "application/xml"), 3022);

  XmlElement old = message({{etsi::Verb::kGetCspConfig, {}}});
  for (auto& c : old.children[0].children) {
    if (c.name.local == "Version") c.children[0].text = "V1.2.1";
  }
  auto r = as("officer").send("POST", "/hi1", etsi::write_xml(old), "application/xml");
  auto tree = etsi::parse_xml(r.body);
  ASSERT_TRUE(tree.ok());
  std::string why;
  EXPECT_EQ(whole_error(*tree, &why), 3021);
  EXPECT_NE(why.find("V1.23.1"), std::string::npos) << why;
}

// Mutual TLS on POST /hi1: a hub serving HTTPS takes a client certificate
// trusted for an endpoint (--hi1-tls-clients) as that endpoint's system,
// acting through its organisation's federation link account; the message's
// sender must still be that endpoint.
class Hi1MutualTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto server = testing::make_signing_key("hub.example.org", false, false, "IP:127.0.0.1");
    police_ = new testing::TestSigningKey(testing::make_signing_key("NPCU HI-1 system"));
    auto rogue = testing::make_signing_key("NPCU HI-1 system");
    save("server.pem", server.certificate_pem);
    save("server.key", server.private_key_pem);
    save("police.pem", police_->certificate_pem);
    save("police.key", police_->private_key_pem);
    save("rogue.pem", rogue.certificate_pem);
    save("rogue.key", rogue.private_key_pem);
    std::filesystem::create_directory(dir_->path() / "clients");
    save("clients/NL-NPCU.pem", police_->certificate_pem);
    hub_ = new HubProcess({"--tls-cert", path("server.pem"), "--tls-key", path("server.key"),
                           "--hi1-tls-clients", path("clients")});
  }
  static void TearDownTestSuite() {
    delete hub_;
    delete police_;
    delete dir_;
  }
  static std::string path(const std::string& name) { return (dir_->path() / name).string(); }
  static void save(const std::string& name, const std::string& text) {
    std::ofstream(path(name)) << text;
    std::filesystem::permissions(
        path(name), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  // A client presenting `certificate` (none: "") and sending `token`.
  static HubClient client(const std::string& certificate, const std::string& token = "") {
    cli::TlsClientOptions tls{path("server.pem"), "", ""};
    if (!certificate.empty()) {
      tls.certificate_file = path(certificate + ".pem");
      tls.key_file = path(certificate + ".key");
    }
    return HubClient(hub_->base_url(), token, tls);
  }
  static etsi::EndpointId endpoint_of(const std::string& org) {
    json o =
        get_json(client("", hub_->token("officer")), "/api/v1/organisations/" + hub_->org_id(org));
    return {o["country"], o["endpoint_uid"]};
  }
  // GETCSPCONFIG from `from`'s endpoint to the demo provider's.
  static std::string config_request(const std::string& from) {
    etsi::Header h;
    h.sender = endpoint_of(from);
    h.receiver = endpoint_of("provider");
    h.transaction_id = random_uuid();
    h.timestamp = "2026-12-03T10:00:00.000000Z";
    h.etsi_version = "V1.23.1";
    h.national_profile_owner = etsi::kLiaisonProfileOwner;
    h.national_profile_version = etsi::kLiaisonProfileVersion;
    return etsi::write_xml(etsi::request_message(
        h, {{0, etsi::Verb::kGetCspConfig, etsi::action_element(etsi::Verb::kGetCspConfig, {})}}));
  }
  // The message-level error of an answer, or 0; its ReceiverIdentifier in `to`.
  static int whole_error(const std::string& body, std::string* to = nullptr) {
    auto tree = etsi::parse_xml(body);
    EXPECT_TRUE(tree.ok()) << body;
    if (!tree.ok()) return -1;
    if (to != nullptr) {
      *to = etsi::value_of(tree->child(kCore, "Header")
                               ->child(kCore, "ReceiverIdentifier")
                               ->child(kCore, "UniqueIdentifier"));
    }
    etsi::ResponseReading r = etsi::read_response(*tree);
    return r.error ? static_cast<int>(r.error->code) : 0;
  }

  static testing::TempDir* dir_;
  static testing::TestSigningKey* police_;
  static HubProcess* hub_;
};

testing::TempDir* Hi1MutualTls::dir_ = nullptr;
testing::TestSigningKey* Hi1MutualTls::police_ = nullptr;
HubProcess* Hi1MutualTls::hub_ = nullptr;

TEST_F(Hi1MutualTls, TheCertificateOfAnEndpointsSystemAuthenticatesIt) {
  ASSERT_EQ(hub_->base_url().rfind("https://", 0), 0u);
  auto r = client("police").send("POST", "/hi1", config_request("police"), "application/xml");
  ASSERT_EQ(r.status, 200) << r.body;
  std::string to;
  EXPECT_EQ(whole_error(r.body, &to), 0) << r.body;
  EXPECT_EQ(to, "NPCU");
  EXPECT_NE(r.body.find("GETCSPCONFIGResponse"), std::string::npos) << r.body;
  // The certificate is the police unit's system: it cannot speak for another endpoint.
  r = client("police").send("POST", "/hi1", config_request("prosecutor"), "application/xml");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(whole_error(r.body, &to), 3007) << r.body;
  EXPECT_EQ(to, "NPCU");
}

TEST_F(Hi1MutualTls, ACertificateTrustedForNoEndpointAuthenticatesNobody) {
  // The same name, another key: what counts is the certificate itself.
  auto r = client("rogue").send("POST", "/hi1", config_request("police"), "application/xml");
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_NE(r.body.find("trusted for no HI-1 endpoint"), std::string::npos) << r.body;
  EXPECT_EQ(client("").send("POST", "/hi1", config_request("police"), "application/xml").status,
            401);
  // Elsewhere than POST /hi1 a certificate is no credential.
  EXPECT_EQ(client("police").send("GET", "/api/v1/me").status, 401);
}

TEST_F(Hi1MutualTls, ATokenSentWithTheCertificateMustBeOfItsOrganisation) {
  auto r = client("police", hub_->token("officer"))
               .send("POST", "/hi1", config_request("police"), "application/xml");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(whole_error(r.body), 0) << r.body;
  r = client("police", hub_->token("analyst"))
          .send("POST", "/hi1", config_request("police"), "application/xml");
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_NE(r.body.find("not of the organisation"), std::string::npos) << r.body;
  // Without a certificate a token works over TLS as it does without.
  r = client("", hub_->token("officer"))
          .send("POST", "/hi1", config_request("police"), "application/xml");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(whole_error(r.body), 0) << r.body;
}

}  // namespace
}  // namespace liaison
