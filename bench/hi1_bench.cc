// HI-1 message handling on one thread: a typical LDTask CREATE message (the
// Authorisation, the signed-request document and the task, as a Liaison hub
// sends them) read, validated against ETSI's XSDs, mapped and answered.
//
//   BM_CreateXml     parse + XSD validation + read + map + response, XML in
//                    and out: the codec's share of POST /hi1
//   BM_CreateJson    the same in the JSON encoding (validated as the XML it
//                    stands for)
//   BM_ParseXml      parse_xml alone (libxml2 and the tree)
//   BM_LibxmlParse   xmlReadMemory and xmlFreeDoc alone: libxml2's own floor
//   BM_ValidateXml   XsdValidator::validate alone
//   BM_JsonToTree    tree_from_json alone (simdjson and the tree)
//   BM_JsonParse     nlohmann::ordered_json::parse alone: the peer parser
//   BM_TreeToXmlValidate  XsdValidator::validate of a tree alone
//
// It runs on jemalloc, as the liaison binary does.
//
// What the endpoint adds beyond this (HTTP, the signature verification of
// bench/run's `signed` phase, the SQLite transaction) is measured elsewhere.
// Run: build/bench/hi1_bench (items/s is messages per second).
#include <benchmark/benchmark.h>
#include <libxml/parser.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "api/hi1_codec.h"
#include "etsi/json_schema.h"
#include "etsi/json_tree.h"
#include "etsi/mapping.h"
#include "etsi/message.h"
#include "etsi/namespaces.h"
#include "etsi/xsd.h"

#ifndef LIAISON_SOURCE_DIR
#define LIAISON_SOURCE_DIR "."
#endif

namespace liaison {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kEtsi = fs::path(LIAISON_SOURCE_DIR) / "data/etsi";

template <typename T>
T must(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "hi1_bench: %s: %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

// A signed payload and an envelope of the size the hub receives: the
// officer's and the validator's signatures, each with its certificate chain.
json payload() {
  return json::parse(R"js({
    "liaison_request": 1, "request_id": "01900000-0000-7000-8000-000000000001",
    "kind": "production",
    "issuer": {"country": "NL", "endpoint_uid": "POLICE-AMS"},
    "provider": {"country": "IE", "endpoint_uid": "EXMAIL"},
    "categories": ["SubscriberData"],
    "targets": [{"kind": "email", "value": "suspect.mailbox@example.org"},
                {"kind": "ip", "value": "192.0.2.44", "port": 51234,
                 "observed_at": "2026-11-02T09:15:00Z"}],
    "legal_basis": {"instrument": "Regulation (EU) 2023/1543", "article": "Art. 4(1), 5(3)",
                    "domestic_reference": "Wetboek van Strafvordering art. 126na"},
    "period": {"start": "2026-10-01T00:00:00Z", "end": "2026-11-01T00:00:00Z"},
    "case_type": "OtherFinancialCrimeOrFraud",
    "offence_description": "Invoice fraud: a mailbox at Example Mail sent forged invoices.",
    "max_penalty_months": 72, "non_disclosure_until": null,
    "deadline": "2026-12-20T00:00:00Z", "emergency": null,
    "issuer_reference": "CASE-4711", "nonce": "bm9uY2Vub25jZW5vbmNl",
    "issued_at": "2026-12-01T10:00:00Z"})js");
}

std::string envelope_text(const json& p) {
  json certificate = {{"subject", "olivia.brandt@police.example.org"},
                      {"public_key", std::string(43, 'k')},
                      {"organisation", {{"country", "NL"}, {"endpoint_uid", "POLICE-AMS"}}},
                      {"roles", {"officer"}},
                      {"not_before", "2026-01-01T00:00:00Z"},
                      {"not_after", "2027-01-01T00:00:00Z"},
                      {"serial", "0123456789abcdef"},
                      {"signature", std::string(86, 's')}};
  json signature = {{"role", "officer"},
                    {"signed_at", "2026-12-01T10:00:00Z"},
                    {"value", std::string(86, 'v')},
                    {"certificate", certificate},
                    {"chain", {certificate}}};
  return json{{"liaison_signed_request", 1}, {"payload", p}, {"signatures", {signature, signature}}}
      .dump();
}

struct Fixture {
  etsi::XsdValidator xsd;
  etsi::JsonSchemas schemas;
  std::string xml;
  std::string json_text;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    json p = payload();
    auto objects = must(etsi::objects_for_signed_request(p, envelope_text(p),
                                                         {"7dbbc880-8750-4d3c-abe7-ea4a17646045",
                                                          "1fd7a4a2-8c2c-4bd2-9f49-0a3b3a8a7c11",
                                                          "2b36a78b-b628-416d-bd22-404e68a0cd36"}),
                        "objects");
    std::vector<etsi::ActionRequest> actions;
    for (const auto& o : objects) {
      actions.push_back(
          {actions.size(), etsi::Verb::kCreate, etsi::action_element(etsi::Verb::kCreate, {o})});
    }
    etsi::Header h;
    h.sender = {"NL", "POLICE-AMS"};
    h.receiver = {"IE", "EXMAIL"};
    h.transaction_id = "c02358b2-76cf-4ba4-a8eb-f6436ccaea2e";
    h.timestamp = "2026-12-02T10:00:00.000000Z";
    h.etsi_version = "V1.23.1";
    h.national_profile_owner = etsi::kLiaisonProfileOwner;
    h.national_profile_version = etsi::kLiaisonProfileVersion;
    etsi::XmlElement m = etsi::request_message(h, actions);
    Fixture out{must(etsi::XsdValidator::load(kEtsi), "xsd"),
                must(etsi::JsonSchemas::load(kEtsi / "ts103120"), "json schemas"),
                etsi::write_xml(m), ""};
    out.json_text = etsi::json_from_tree(m, out.schemas).dump();
    Status valid = out.xsd.validate(out.xml);
    if (!valid.ok()) {
      std::fprintf(stderr, "hi1_bench: the message does not validate: %s\n",
                   valid.error().message.c_str());
      std::exit(1);
    }
    return out;
  }();
  return f;
}

// What POST /hi1 does with a message but for HTTP, the signatures and the
// store: read and validate, read the actions, map each task with its
// Authorisation, unpack the signed request, answer each action, write the
// response.
std::size_t handle(std::string_view body, api::Hi1Encoding encoding) {
  const Fixture& f = fixture();
  api::Hi1Reading reading = api::read_hi1(body, encoding, &f.xsd);
  if (!reading.message || reading.error) std::abort();
  etsi::RequestReading r = etsi::read_request(std::move(*reading.message));
  if (r.error) std::abort();
  const std::string core(etsi::kCoreNamespace);
  const etsi::XmlElement* authorisation = nullptr;
  std::vector<etsi::ActionResponse> responses;
  std::size_t mapped = 0;
  for (const auto& a : r.actions) {
    const etsi::XmlElement* o = a.body.child(core, "HI1Object");
    if (o == nullptr) std::abort();
    if (o->type->local == "AuthorisationObject") authorisation = o;
    if (o->type->local == "LDTaskObject") {
      etsi::MappingOutcome m = etsi::map_task(*o, authorisation);
      if (!m.mapped) std::abort();
      mapped += m.mapped->draft.size();
    }
    if (auto doc = etsi::signed_request_document(*o)) {
      if (!doc->envelope_text) std::abort();
      mapped += doc->envelope_text->size();
    }
    std::string id = etsi::value_of(o->child(core, "ObjectIdentifier"));
    responses.push_back(
        {a.id, etsi::core_element("CREATEResponse", {etsi::core_text("Identifier", std::move(id))}),
         std::nullopt});
  }
  etsi::XmlElement answer =
      etsi::response_message(r.header, {"IE", "EXMAIL"}, {"NL", "POLICE-AMS"}, "",
                             "2026-12-02T10:00:01.000000Z", responses, std::nullopt);
  return mapped + api::write_hi1(answer, encoding, f.schemas).size();
}

void BM_CreateXml(benchmark::State& state) {
  const std::string& body = fixture().xml;
  for (auto _ : state) benchmark::DoNotOptimize(handle(body, api::Hi1Encoding::kXml));
  state.SetItemsProcessed(state.iterations());
  state.counters["message_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_CreateXml);

void BM_CreateJson(benchmark::State& state) {
  const std::string& body = fixture().json_text;
  for (auto _ : state) benchmark::DoNotOptimize(handle(body, api::Hi1Encoding::kJson));
  state.SetItemsProcessed(state.iterations());
  state.counters["message_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_CreateJson);

void BM_ParseXml(benchmark::State& state) {
  const std::string& body = fixture().xml;
  for (auto _ : state) {
    auto tree = etsi::parse_xml(body);
    benchmark::DoNotOptimize(tree.ok());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseXml);

void BM_LibxmlParse(benchmark::State& state) {
  const std::string& body = fixture().xml;
  for (auto _ : state) {
    xmlDocPtr doc = xmlReadMemory(body.data(), static_cast<int>(body.size()), nullptr, nullptr,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    benchmark::DoNotOptimize(doc);
    xmlFreeDoc(doc);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LibxmlParse);

// nlohmann's parse keeping keys in order, alone: the peer of simdjson here
// (what the JSON encoding was read with before).
void BM_JsonParse(benchmark::State& state) {
  const std::string& body = fixture().json_text;
  for (auto _ : state) benchmark::DoNotOptimize(nlohmann::ordered_json::parse(body).size());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JsonParse);

// The JSON encoding read into the tree: simdjson's parse and the walk.
void BM_JsonToTree(benchmark::State& state) {
  auto parsed = nlohmann::ordered_json::parse(fixture().json_text);
  for (auto _ : state) benchmark::DoNotOptimize(etsi::tree_from_json(fixture().json_text).ok());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JsonToTree);

// A tree validated against the XSDs on the document built from it.
void BM_TreeToXmlValidate(benchmark::State& state) {
  auto tree = etsi::tree_from_json(fixture().json_text).value();
  for (auto _ : state) benchmark::DoNotOptimize(fixture().xsd.validate(tree).ok());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TreeToXmlValidate);

void BM_ValidateXml(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(f.xsd.validate(f.xml).ok());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValidateXml);

}  // namespace
}  // namespace liaison

BENCHMARK_MAIN();
