#include "etsi/mapping.h"

#include <arpa/inet.h>
#include <openssl/evp.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>

#include "core/attachment_name.h"
#include "core/base64.h"
#include "etsi/namespaces.h"

namespace liaison::etsi {

namespace {

using nlohmann::json;

const std::string kCore(kCoreNamespace);
const std::string kTask(kTaskNamespace);
const std::string kAuth(kAuthorisationNamespace);
const std::string kCommon(kCommonNamespace);
const std::string kDoc(kDocumentNamespace);
const std::string kDelivery(kDeliveryNamespace);

bool flagged_emergency(const XmlElement* flags, const std::string& ns, const char* flag) {
  if (flags == nullptr) return false;
  for (const XmlElement* f : flags->children_named(ns, flag)) {
    if (entry_value(f) == "IsEmergency") return true;
  }
  return false;
}

Hi1Error improper(const std::string& what) { return {Hi1ErrorCode::kImproperValue, what}; }

// TS 103 120 RequestType (the e-Evidence data categories) to Liaison's.
std::optional<std::vector<std::string>> categories_for(const std::string& type) {
  if (type == "SubscriberData" || type == "UserIdentifyingData" || type == "TrafficData" ||
      type == "StoredContentData") {
    return std::vector<std::string>{type};
  }
  if (type == "SubscriberDataAndUserIdentifyingData") {
    return std::vector<std::string>{"SubscriberData", "UserIdentifyingData"};
  }
  if (type == "TrafficDataAndStoredContentData") {
    return std::vector<std::string>{"TrafficData", "StoredContentData"};
  }
  return std::nullopt;
}

// One RequestValue as a Liaison target.
std::optional<Hi1Error> target_of(const XmlElement& value, const std::string& observed_at,
                                  json& out) {
  const XmlElement* format = value.child(kTask, "FormatType");
  std::string owner = value_of(format == nullptr ? nullptr : format->child(kTask, "FormatOwner"));
  std::string name = value_of(format == nullptr ? nullptr : format->child(kTask, "FormatName"));
  std::string v = value_of(value.child(kTask, "Value"));
  if (format == nullptr || name.empty()) {
    return Hi1Error{Hi1ErrorCode::kRequiredElementMissing,
                    "task:RequestValue/task:FormatType/task:FormatName is missing"};
  }
  if (v.empty()) {
    return Hi1Error{Hi1ErrorCode::kRequiredElementMissing,
                    "task:RequestValue/task:Value is missing"};
  }
  const char* kind = identifier_kind_for(owner, name);
  if (kind == nullptr) {
    return Hi1Error{Hi1ErrorCode::kFeatureNotSupported,
                    "targets of format " + owner + "/" + name +
                        " are not taken here (GETCSPCONFIG lists the formats that are)"};
  }
  out = {{"kind", kind}};
  std::string k = kind;
  if (k == "phone") {
    out["value"] = v[0] == '+' ? v : "+" + v;  // TS 103 280 writes E.164 without the "+"
  } else if (k == "ip" && name == "IPAddressPort") {
    // "192.0.2.1:443" or "[2001:db8::1]:443"
    auto colon = v.rfind(':');
    if (colon == std::string::npos || colon + 1 == v.size()) {
      return improper("task:Value \"" + v + "\" of format LIAISON/IPAddressPort has no port");
    }
    std::string address = v.substr(0, colon);
    if (address.size() > 2 && address.front() == '[' && address.back() == ']') {
      address = address.substr(1, address.size() - 2);
    }
    std::string port = v.substr(colon + 1);
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        })) {
      return improper("task:Value \"" + v + "\" of format LIAISON/IPAddressPort has no port");
    }
    out["value"] = address;
    out["port"] = std::stoi(port);
  } else if (k == "crypto") {
    // "network:address"
    auto colon = v.find(':');
    if (colon == std::string::npos) {
      return improper("task:Value \"" + v + "\" of format LIAISON/CryptoAddress names no network");
    }
    out["network"] = v.substr(0, colon);
    out["value"] = v.substr(colon + 1);
  } else {
    out["value"] = v;
  }
  if (k == "ip" && !observed_at.empty()) out["observed_at"] = observed_at;
  return std::nullopt;
}

}  // namespace

const std::vector<TargetFormat>& target_formats() {
  static const std::vector<TargetFormat> kFormats = {
      {"ETSI", "EmailAddress", "email"},
      {"ETSI", "InternationalizedEmailAddress", "email"},
      {"ETSI", "InternationalE164", "phone"},
      {"ETSI", "IPv4Address", "ip"},
      {"ETSI", "IPv6Address", "ip"},
      {"ETSI", "IPAddress", "ip"},
      {kLiaisonFormatOwner, "IPAddressPort", "ip",
       "An IPv4 address, or an IPv6 address in brackets, with the TCP or UDP port, as RFC 6302 "
       "asks "
       "of a shared address: 192.0.2.1:443, [2001:db8::1]:443. Give the time in ObservedTime.",
       R"(^([0-9]{1,3}(\.[0-9]{1,3}){3}|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}$)"},
      {kLiaisonFormatOwner, "DomainName", "domain", "A domain name: mail.example.org.",
       R"(^([A-Za-z0-9-]{1,63}\.)+[A-Za-z0-9-]{1,63}\.?$)"},
      {kLiaisonFormatOwner, "Account", "account",
       "An account at the provider: its identifier or the URL of its profile.", R"(^\S{1,512}$)"},
      {kLiaisonFormatOwner, "Username", "username", "A user name at the provider.",
       R"(^\S{1,512}$)"},
      {kLiaisonFormatOwner, "CryptoAddress", "crypto",
       "A crypto-asset address with its network: bitcoin:bc1q…, ethereum:0x….",
       R"(^[a-z0-9-]{1,32}:\S{1,256}$)"},
  };
  return kFormats;
}

const char* identifier_kind_for(const std::string& owner, const std::string& name) {
  for (const auto& f : target_formats()) {
    if (owner == f.owner && name == f.name) return f.kind;
  }
  return nullptr;
}

MappingOutcome map_task(const XmlElement& task, const XmlElement* authorisation) {
  MappingOutcome out;
  auto fail = [&](Hi1Error e) {
    out.error = std::move(e);
    return out;
  };
  bool ld = task.type == QName{kTask, "LDTaskObject"};
  bool lp = task.type == QName{kTask, "LPTaskObject"};
  if (!ld && !lp) {
    return fail({Hi1ErrorCode::kFeatureNotSupported,
                 "only LDTaskObject and LPTaskObject become requests here"});
  }
  TaskMapping m;
  m.task_id = value_of(task.child(kCore, "ObjectIdentifier"));
  if (m.task_id.empty()) {
    return fail({Hi1ErrorCode::kRequiredElementMissing, "ObjectIdentifier is missing"});
  }
  json draft = json::object();
  bool emergency = false;

  if (ld) {
    m.reference = value_of(task.child(kTask, "Reference"));
    if (m.reference.empty()) {
      return fail({Hi1ErrorCode::kRequiredElementMissing, "task:Reference (the LDID) is missing"});
    }
    std::string prefix = value_of(task.child(kCore, "CountryCode")) + "-" +
                         value_of(task.child(kCore, "OwnerIdentifier")) + "-";
    bool owned = prefix.size() > 2 && m.reference.size() > prefix.size() &&
                 m.reference.compare(0, prefix.size(), prefix) == 0;
    draft["issuer_reference"] = owned ? m.reference.substr(prefix.size()) : m.reference;
    emergency = flagged_emergency(task.child(kTask, "Flags"), kTask, "LDTaskFlag");
    if (const XmlElement* deadlines = task.child(kTask, "Deadlines")) {
      if (const XmlElement* d = deadlines->child(kTask, "LDDeadline")) {
        std::string when = value_of(d->child(kTask, "DateTime"));
        if (!when.empty()) draft["deadline"] = when;
      }
    }
    if (const XmlElement* alt = task.child(kTask, "AlternativePreservationReferences")) {
      for (const XmlElement* r : alt->children_named(kTask, "AlternativePreservationReference")) {
        std::string v = value_of(r->child(kTask, "ReferenceValue"));
        if (!v.empty()) m.preservation_references.push_back(v);
      }
    }
    std::string manual = value_of(task.child(kTask, "ManualInformation"));
    if (!manual.empty()) draft["offence_description"] = manual;
  } else {
    std::string until = value_of(task.child(kTask, "DesiredPreservationExpiration"));
    if (!until.empty()) m.desired_preservation_expiration = until;
  }

  const XmlElement* details = task.child(kTask, "RequestDetails");
  if (details == nullptr) {
    return fail({Hi1ErrorCode::kRequiredElementMissing, "task:RequestDetails is missing"});
  }
  // A disclosure says what data it wants; a preservation may leave it to its
  // targets, and the request's own checks then ask for categories if its
  // route needs them.
  std::string type = entry_value(details->child(kTask, "Type"));
  if (type.empty() && ld) {
    return fail({Hi1ErrorCode::kRequiredElementMissing,
                 "task:RequestDetails/task:Type (the RequestType) is missing"});
  }
  if (!type.empty()) {
    auto categories = categories_for(type);
    if (!categories) {
      return fail({Hi1ErrorCode::kFeatureNotSupported,
                   "RequestType " + type +
                       " is not one Liaison handles (SubscriberData, UserIdentifyingData, "
                       "TrafficData, StoredContentData or their combinations)"});
    }
    draft["categories"] = *categories;
  }
  std::string start = value_of(details->child(kTask, "StartTime"));
  std::string end = value_of(details->child(kTask, "EndTime"));
  if (!start.empty() || !end.empty()) draft["period"] = {{"start", start}, {"end", end}};
  std::string observed = value_of(details->child(kTask, "ObservedTime"));
  const XmlElement* values = details->child(kTask, "RequestValues");
  if (values == nullptr || values->children_named(kTask, "RequestValue").empty()) {
    return fail({Hi1ErrorCode::kRequiredElementMissing,
                 "task:RequestDetails/task:RequestValues (the targets) is missing"});
  }
  json targets = json::array();
  for (const XmlElement* v : values->children_named(kTask, "RequestValue")) {
    json target;
    if (auto e = target_of(*v, observed, target)) return fail(*e);
    targets.push_back(std::move(target));
  }
  draft["targets"] = std::move(targets);

  if (authorisation != nullptr) {
    m.authorisation_id = value_of(authorisation->child(kCore, "ObjectIdentifier"));
    // The ETSI dictionary's only AuthorisationLegalType is "Manual" (see the
    // manual information); Liaison's profile names instrument and article.
    json legal = json::object();
    std::string warrant = value_of(authorisation->child(kAuth, "AuthorisationReference"));
    if (!warrant.empty()) legal["domestic_reference"] = warrant;
    std::string basis =
        entry_value(authorisation->child(kAuth, "AuthorisationLegalType"), kLiaisonProfileOwner);
    if (!basis.empty()) {
      auto bar = basis.find(" | ");
      if (bar == std::string::npos || bar == 0 || bar + 3 >= basis.size()) {
        return fail(improper("auth:AuthorisationLegalType LIAISON/LegalBasis \"" + basis +
                             "\" is not \"<instrument> | <article>\""));
      }
      legal["instrument"] = basis.substr(0, bar);
      legal["article"] = basis.substr(bar + 3);
    }
    if (!legal.empty()) draft["legal_basis"] = std::move(legal);
    std::string manual = value_of(authorisation->child(kAuth, "AuthorisationManualInformation"));
    if (!manual.empty() && !draft.contains("offence_description"))
      draft["offence_description"] = manual;
    std::string type_of_case = entry_value(authorisation->child(kAuth, "AuthorisationTypeOfCase"));
    if (!type_of_case.empty()) draft["case_type"] = type_of_case;
    emergency = emergency || flagged_emergency(authorisation->child(kAuth, "AuthorisationFlags"),
                                               kAuth, "AuthorisationFlag");
  }
  draft["kind"] = lp ? "preservation" : emergency ? "emergency_disclosure" : "production";
  m.draft = std::move(draft);
  out.mapped = std::move(m);
  return out;
}

}  // namespace liaison::etsi

namespace liaison::etsi {

namespace {

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

XmlElement core_object(const std::string& type_ns, const char* type, const std::string& id,
                       const std::string& country, const std::string& owner,
                       const std::vector<std::string>& associated) {
  XmlElement o = core_element("HI1Object",
                              {core_text("ObjectIdentifier", id), core_text("CountryCode", country),
                               core_text("OwnerIdentifier", owner)});
  o.type = QName{type_ns, type};
  if (!associated.empty()) {
    std::vector<XmlElement> links;
    links.reserve(associated.size());
    for (const auto& a : associated) links.push_back(core_text("AssociatedObject", a));
    o.children.push_back(core_element("AssociatedObjects", std::move(links)));
  }
  return o;
}

XmlElement in(const std::string& ns, const std::string& local, std::string text) {
  return make_element({ns, local}, std::move(text));
}
XmlElement in(const std::string& ns, const std::string& local, std::vector<XmlElement> children) {
  return make_element({ns, local}, std::move(children));
}

std::string text_at(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The RequestType for a set of categories, or "" when one task cannot ask for them.
std::string request_type_for(const json& categories) {
  std::vector<std::string> names;
  for (const auto& c : categories)
    if (c.is_string()) names.push_back(c.get<std::string>());
  std::sort(names.begin(), names.end());
  if (names.size() == 1) return names[0];
  if (names == std::vector<std::string>{"SubscriberData", "UserIdentifyingData"})
    return "SubscriberDataAndUserIdentifyingData";
  if (names == std::vector<std::string>{"StoredContentData", "TrafficData"})
    return "TrafficDataAndStoredContentData";
  return "";
}

// xs:base64Binary, which may be wrapped over lines, with OpenSSL's decoder
// (libsodium's, constant-time, is several times slower, and nothing here is
// secret).
std::optional<std::string> decode_base64_binary(const std::string& text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::unique_ptr<EVP_ENCODE_CTX, decltype(&EVP_ENCODE_CTX_free)> ctx(EVP_ENCODE_CTX_new(),
                                                                      &EVP_ENCODE_CTX_free);
  if (!ctx || text.size() > static_cast<std::size_t>(INT32_MAX)) return std::nullopt;
  EVP_DecodeInit(ctx.get());
  int written = 0;
  int last = 0;
  auto* to = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_DecodeUpdate(ctx.get(), to, &written, reinterpret_cast<const unsigned char*>(text.data()),
                       static_cast<int>(text.size())) < 0 ||
      EVP_DecodeFinal(ctx.get(), to + written, &last) != 1) {
    return std::nullopt;
  }
  out.resize(static_cast<std::size_t>(written) + static_cast<std::size_t>(last));
  return out;
}

// An IPv6 address in the eight four-digit groups TS 103 280 writes.
std::string full_ipv6(const std::string& address) {
  unsigned char raw[16];
  if (inet_pton(AF_INET6, address.c_str(), raw) != 1) return address;
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i > 0 && i % 2 == 0) out += ':';
    out += kHex[raw[i] >> 4];
    out += kHex[raw[i] & 0xf];
  }
  return out;
}

Result<XmlElement> request_value_for(const json& target, std::size_t index) {
  std::string kind = text_at(target, "kind");
  std::string value = text_at(target, "value");
  std::string owner = "ETSI";
  std::string name;
  bool port = target.contains("port") && target["port"].is_number_integer();
  if (kind == "email") {
    bool ascii = std::all_of(value.begin(), value.end(),
                             [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    name = ascii ? "EmailAddress" : "InternationalizedEmailAddress";
  } else if (kind == "phone") {
    name = "InternationalE164";
    if (!value.empty() && value[0] == '+') value.erase(0, 1);
  } else if (kind == "ip") {
    bool v6 = value.find(':') != std::string::npos;
    if (port) {
      owner = kLiaisonFormatOwner;
      name = "IPAddressPort";
      value = (v6 ? "[" + value + "]" : value) + ":" + std::to_string(target["port"].get<int>());
    } else {
      name = v6 ? "IPv6Address" : "IPv4Address";
      if (v6) value = full_ipv6(value);
    }
  } else if (kind == "domain" || kind == "account" || kind == "username" || kind == "crypto") {
    owner = kLiaisonFormatOwner;
    name = kind == "domain"     ? "DomainName"
           : kind == "account"  ? "Account"
           : kind == "username" ? "Username"
                                : "CryptoAddress";
    if (kind == "crypto") value = text_at(target, "network") + ":" + value;
  } else {
    return Error::invalid("payload/targets/" + std::to_string(index),
                          "is of kind " + kind + ", which no HI-1 format carries");
  }
  return in(kTask, "RequestValue",
            std::vector<XmlElement>{in(kTask, "FormatType",
                                       std::vector<XmlElement>{in(kTask, "FormatOwner", owner),
                                                               in(kTask, "FormatName", name)}),
                                    in(kTask, "Value", value)});
}

// Where `name` goes among an object's children, by the schema's order.
void set_child(XmlElement& object, XmlElement child, const std::vector<QName>& order) {
  auto rank = [&](const QName& n) {
    auto it = std::find(order.begin(), order.end(), n);
    return it == order.end() ? order.size() : static_cast<std::size_t>(it - order.begin());
  };
  std::size_t mine = rank(child.name);
  auto& kids = object.children;
  for (auto it = kids.begin(); it != kids.end(); ++it) {
    if (it->name == child.name) {
      *it = std::move(child);
      return;
    }
    if (rank(it->name) > mine) {
      kids.insert(it, std::move(child));
      return;
    }
  }
  kids.push_back(std::move(child));
}

void remove_child(XmlElement& object, const QName& name) {
  auto& kids = object.children;
  kids.erase(
      std::remove_if(kids.begin(), kids.end(), [&](const XmlElement& k) { return k.name == name; }),
      kids.end());
}

std::vector<QName> object_order(const std::string& ns, const std::vector<const char*>& own) {
  std::vector<QName> out;
  for (const char* c :
       {"ObjectIdentifier", "CountryCode", "OwnerIdentifier", "Generation", "ExternalIdentifier",
        "AssociatedObjects", "LastChanged", "NationalHandlingParameters"})
    out.push_back({kCore, c});
  for (const char* o : own) out.push_back({ns, o});
  return out;
}

}  // namespace

XmlElement dictionary_entry(QName name, const std::string& owner, const std::string& dictionary,
                            const std::string& value) {
  return make_element(std::move(name), std::vector<XmlElement>{in(kCommon, "Owner", owner),
                                                               in(kCommon, "Name", dictionary),
                                                               in(kCommon, "Value", value)});
}

std::string entry_value(const XmlElement* entry, const char* owner) {
  if (entry == nullptr) return "";
  if (owner != nullptr && value_of(entry->child(kCommon, "Owner")) != owner) return "";
  return value_of(entry->child(kCommon, "Value"));
}

std::string ldid_for(const std::string& country, const std::string& owner,
                     const std::string& reference) {
  return country + "-" + owner + "-" + reference;
}

std::optional<SignedRequestDocument> signed_request_document(const XmlElement& document) {
  if (document.type != QName{kDoc, "DocumentObject"}) return std::nullopt;
  if (entry_value(document.child(kDoc, "DocumentType"), kLiaisonProfileOwner) !=
      kSignedRequestDocumentType)
    return std::nullopt;
  SignedRequestDocument out;
  const XmlElement* body = document.child(kDoc, "DocumentBody");
  std::string contents = value_of(body == nullptr ? nullptr : body->child(kDoc, "Contents"));
  if (contents.empty()) {
    out.error = Hi1Error{Hi1ErrorCode::kRequiredElementMissing,
                         "doc:DocumentBody/doc:Contents of the signed request is missing"};
    return out;
  }
  auto decoded = decode_base64_binary(contents);
  if (!decoded) {
    out.error = Hi1Error{Hi1ErrorCode::kImproperValue,
                         "doc:DocumentBody/doc:Contents of the signed request is not base64"};
    return out;
  }
  out.envelope_text = std::move(*decoded);
  return out;
}

std::optional<AttachedDocument> attached_document(const XmlElement& document) {
  if (document.type != QName{kDoc, "DocumentObject"} || signed_request_document(document))
    return std::nullopt;
  const XmlElement* body = document.child(kDoc, "DocumentBody");
  const XmlElement* contents = body == nullptr ? nullptr : body->child(kDoc, "Contents");
  if (contents == nullptr) return std::nullopt;
  AttachedDocument out;
  out.object_id = value_of(document.child(kCore, "ObjectIdentifier"));
  auto decoded = decode_base64_binary(value_of(contents));
  if (!decoded || decoded->empty()) {
    out.error = Hi1Error{Hi1ErrorCode::kImproperValue,
                         "doc:DocumentBody/doc:Contents of document " + out.object_id +
                             (decoded ? " is empty" : " is not base64")};
    return out;
  }
  out.bytes = std::move(*decoded);
  // Named and typed as any attachment must be, so that attaching it cannot
  // fail on what the sender wrote there.
  std::string name = value_of(document.child(kDoc, "DocumentName"));
  out.name = is_attachment_file_name(name) ? name : "document-" + out.object_id;
  std::string type = value_of(body->child(kDoc, "ContentType"));
  out.media_type = is_media_type(type) ? type : "application/octet-stream";
  return out;
}

XmlElement document_for_attachment(const std::string& id, const std::string& country,
                                   const std::string& owner, const std::string& authorisation_id,
                                   const std::string& name, const std::string& media_type,
                                   const std::string& bytes) {
  XmlElement doc = core_object(kDoc, "DocumentObject", id, country, owner, {authorisation_id});
  doc.children.push_back(in(kDoc, "DocumentName", name));
  doc.children.push_back(
      dictionary_entry({kDoc, "DocumentType"}, kLiaisonProfileOwner, "DocumentType", "Attachment"));
  doc.children.push_back(in(kDoc, "DocumentBody",
                            std::vector<XmlElement>{in(kDoc, "Contents", base64_encode(bytes)),
                                                    in(kDoc, "ContentType", media_type)}));
  return doc;
}

void associate(XmlElement& task, const std::string& document_id) {
  for (auto& c : task.children) {
    if (c.name == QName{kCore, "AssociatedObjects"}) {
      c.children.push_back(core_text("AssociatedObject", document_id));
      return;
    }
  }
}

Result<std::vector<XmlElement>> objects_for_signed_request(const json& payload,
                                                           const std::string& envelope_text,
                                                           const ObjectIds& ids) {
  const json& issuer = payload.value("issuer", json::object());
  const json& provider = payload.value("provider", json::object());
  std::string country = text_at(issuer, "country");
  std::string owner = text_at(issuer, "endpoint_uid");
  std::string kind = text_at(payload, "kind");
  if (kind != "production" && kind != "emergency_disclosure" && kind != "preservation") {
    return Error::invalid("payload/kind", "is " + kind + ", which no HI-1 task carries");
  }
  bool emergency = kind == "emergency_disclosure";
  // The provider's EndpointID, under an element of the Task's or the
  // Authorisation's namespace.
  auto provider_endpoint = [&](const std::string& ns) {
    return make_element(
        {ns, "CSPID"},
        std::vector<XmlElement>{core_text("CountryCode", text_at(provider, "country")),
                                core_text("UniqueIdentifier", text_at(provider, "endpoint_uid"))});
  };

  // The Authorisation: the legal basis, the warrant's number, the offence.
  XmlElement auth =
      core_object(kAuth, "AuthorisationObject", ids.authorisation, country, owner, {});
  const json& legal = payload.value("legal_basis", json::object());
  std::string warrant = text_at(legal, "domestic_reference");
  if (!warrant.empty()) auth.children.push_back(in(kAuth, "AuthorisationReference", warrant));
  std::string instrument = text_at(legal, "instrument");
  if (instrument.find(" | ") != std::string::npos) {
    return Error::invalid("payload/legal_basis/instrument",
                          "contains \" | \", which separates instrument and article in HI-1");
  }
  auth.children.push_back(dictionary_entry({kAuth, "AuthorisationLegalType"}, kLiaisonProfileOwner,
                                           "LegalBasis",
                                           instrument + " | " + text_at(legal, "article")));
  auth.children.push_back(
      in(kAuth, "AuthorisationCSPID", std::vector<XmlElement>{provider_endpoint(kAuth)}));
  if (emergency) {
    auth.children.push_back(
        in(kAuth, "AuthorisationFlags",
           std::vector<XmlElement>{dictionary_entry({kAuth, "AuthorisationFlag"}, "ETSI",
                                                    "AuthorisationFlag", "IsEmergency")}));
  }
  std::string offence = text_at(payload, "offence_description");
  if (!offence.empty())
    auth.children.push_back(in(kAuth, "AuthorisationManualInformation", offence));
  std::string case_type = text_at(payload, "case_type");
  if (!case_type.empty()) {
    auth.children.push_back(dictionary_entry({kAuth, "AuthorisationTypeOfCase"}, "ETSI",
                                             "AuthorisationTypeOfCase", case_type));
  }

  // The signed request itself, which the receiving hub verifies.
  XmlElement doc =
      core_object(kDoc, "DocumentObject", ids.document, country, owner, {ids.authorisation});
  doc.children.push_back(in(kDoc, "DocumentName", "Signed Liaison request"));
  doc.children.push_back(dictionary_entry({kDoc, "DocumentType"}, kLiaisonProfileOwner,
                                          "DocumentType", kSignedRequestDocumentType));
  doc.children.push_back(
      in(kDoc, "DocumentBody",
         std::vector<XmlElement>{in(kDoc, "Contents", base64_encode(envelope_text)),
                                 in(kDoc, "ContentType", "application/json")}));

  // The task: what is asked for, about whom, by when.
  bool lp = kind == "preservation";
  XmlElement task = core_object(kTask, lp ? "LPTaskObject" : "LDTaskObject", ids.task, country,
                                owner, {ids.authorisation, ids.document});
  if (!lp) {
    std::string reference = text_at(payload, "issuer_reference");
    if (reference.empty()) reference = text_at(payload, "request_id");
    task.children.push_back(in(kTask, "Reference", ldid_for(country, owner, reference)));
  } else {
    task.children.push_back(
        dictionary_entry({kTask, "DesiredStatus"}, "ETSI", "LPTaskDesiredStatus", "Preserved"));
  }
  std::vector<XmlElement> details;
  const json categories = payload.value("categories", json::array());
  if (!categories.empty()) {
    std::string type = request_type_for(categories);
    if (type.empty()) {
      return Error::invalid("payload/categories",
                            "cannot travel as one HI-1 RequestType: send a request per category, "
                            "or SubscriberData with UserIdentifyingData, or TrafficData with "
                            "StoredContentData");
    }
    details.push_back(dictionary_entry({kTask, "Type"}, "ETSI", "RequestType", type));
  }
  if (const json& period = payload.value("period", json()); period.is_object()) {
    details.push_back(in(kTask, "StartTime", text_at(period, "start")));
    details.push_back(in(kTask, "EndTime", text_at(period, "end")));
  }
  std::string observed;
  std::vector<XmlElement> values;
  const json targets = payload.value("targets", json::array());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    std::string at = text_at(targets[i], "observed_at");
    if (!at.empty() && lp) {
      // TS 103 120's LPRequestDetails has no ObservedTime (LDTask's has).
      return Error::invalid("payload/targets/" + std::to_string(i) + "/observed_at",
                            "an LPTask has no place for the time an address was observed: "
                            "preserve it for the period instead, or send a disclosure");
    }
    if (!at.empty()) {
      if (!observed.empty() && observed != at) {
        return Error::invalid("payload/targets/" + std::to_string(i) + "/observed_at",
                              "differs from an earlier target's: one HI-1 task has one "
                              "ObservedTime");
      }
      observed = at;
    }
    LIAISON_ASSIGN_OR_RETURN(XmlElement v, request_value_for(targets[i], i));
    values.push_back(std::move(v));
  }
  if (!observed.empty()) details.push_back(in(kTask, "ObservedTime", observed));
  details.push_back(in(kTask, "RequestValues", std::move(values)));
  task.children.push_back(in(kTask, "RequestDetails", std::move(details)));
  task.children.push_back(provider_endpoint(kTask));
  if (!lp) {
    if (emergency) {
      task.children.push_back(in(kTask, "Flags",
                                 std::vector<XmlElement>{dictionary_entry(
                                     {kTask, "LDTaskFlag"}, "ETSI", "LDTaskFlag", "IsEmergency")}));
    }
    std::string deadline = text_at(payload, "deadline");
    if (!deadline.empty()) {
      task.children.push_back(
          in(kTask, "Deadlines",
             std::vector<XmlElement>{in(
                 kTask, "LDDeadline", std::vector<XmlElement>{in(kTask, "DateTime", deadline)})}));
    }
    if (!offence.empty()) task.children.push_back(in(kTask, "ManualInformation", offence));
  }
  return std::vector<XmlElement>{std::move(auth), std::move(doc), std::move(task)};
}

const char* ld_task_status(RequestStatus status) {
  switch (status) {
    case RequestStatus::kDraft:
      return "AwaitingApproval";
    case RequestStatus::kSubmitted:
    case RequestStatus::kAcknowledged:
    case RequestStatus::kClarificationRequested:
    case RequestStatus::kClarified:
    case RequestStatus::kAccepted:
      return "AwaitingDisclosure";
    case RequestStatus::kProduced:
      return "Disclosed";
    case RequestStatus::kNotAvailable:
      return "DisclosureNotAvailable";
    case RequestStatus::kRejected:
      return "Rejected";
    case RequestStatus::kCancelled:
      return "Cancelled";
    case RequestStatus::kQuarantined:
      return "Invalid";
    default:
      return "Error";
  }
}

const char* lp_task_status(RequestStatus status) {
  switch (status) {
    case RequestStatus::kSubmitted:
    case RequestStatus::kAcknowledged:
    case RequestStatus::kClarificationRequested:
    case RequestStatus::kClarified:
    case RequestStatus::kAccepted:
      return "AwaitingPreservation";
    case RequestStatus::kPreserved:
      return "Preserved";
    case RequestStatus::kNotAvailable:
      return "PreservationNotAvailable";
    case RequestStatus::kRejected:
      return "Rejected";
    case RequestStatus::kCancelled:
    case RequestStatus::kReleased:
      return "Cancelled";
    case RequestStatus::kExpired:
      return "Expired";
    case RequestStatus::kQuarantined:
      return "Invalid";
    default:
      return "Error";
  }
}

namespace {

std::vector<QName> order_of(const XmlElement& o) {
  if (o.type == QName{kTask, "LDTaskObject"})
    return object_order(kTask, {"Reference", "Status", "StatusReason", "DesiredStatus"});
  if (o.type == QName{kTask, "LPTaskObject"})
    return object_order(kTask, {"Status", "StatusReason", "DesiredStatus", "RequestDetails",
                                "DesiredPreservationExpiration", "PreservationExpiration"});
  if (o.type == QName{kAuth, "AuthorisationObject"})
    return object_order(
        kAuth, {"AuthorisationReference", "AuthorisationLegalType", "AuthorisationPriority",
                "AuthorisationStatus", "AuthorisationDesiredStatus"});
  return object_order("", {});
}

}  // namespace

void set_object_field(XmlElement& object, XmlElement field) {
  set_child(object, std::move(field), order_of(object));
}

XmlElement object_as_held(const XmlElement& stored, std::int64_t generation,
                          const std::string& last_changed, const std::optional<TaskState>& task) {
  XmlElement o = stored;
  bool ld = o.type == QName{kTask, "LDTaskObject"};
  bool lp = o.type == QName{kTask, "LPTaskObject"};
  std::vector<QName> order = order_of(o);
  set_child(o, core_text("Generation", std::to_string(generation)), order);
  set_child(o, core_text("LastChanged", last_changed), order);
  if (task && (ld || lp)) {
    set_child(o,
              dictionary_entry({kTask, "Status"}, "ETSI", ld ? "LDTaskStatus" : "LPTaskStatus",
                               ld ? ld_task_status(task->status) : lp_task_status(task->status)),
              order);
    remove_child(o, {kTask, "StatusReason"});
    if (task->reason) {
      set_child(
          o,
          make_element({kTask, "StatusReason"},
                       std::vector<XmlElement>{
                           core_text("ErrorCode", std::to_string(static_cast<int>(
                                                      Hi1ErrorCode::kGeneralBusinessLogicError))),
                           core_text("ErrorDescription", *task->reason)}),
          order);
    }
    if (lp && task->preserved_until) {
      set_child(o, in(kTask, "PreservationExpiration", *task->preserved_until), order);
    }
  }
  return o;
}

XmlElement task_cancellation(const std::string& task_id, bool preservation,
                             const std::string& country, const std::string& owner) {
  XmlElement o = core_object(kTask, preservation ? "LPTaskObject" : "LDTaskObject", task_id,
                             country, owner, {});
  o.children.push_back(
      dictionary_entry({kTask, "DesiredStatus"}, "ETSI",
                       preservation ? "LPTaskDesiredStatus" : "LDTaskDesiredStatus", "Cancelled"));
  return o;
}

XmlElement delivery_object(const DeliveryPart& part) {
  XmlElement o = core_object(kDelivery, "DeliveryObject", part.object_id, part.country, part.owner,
                             {part.task_id});
  if (!part.ldid.empty()) {
    o.children.push_back(
        in(kDelivery, "Reference", std::vector<XmlElement>{in(kDelivery, "LDID", part.ldid)}));
  }
  o.children.push_back(in(kDelivery, "DeliveryID", part.delivery_id));
  o.children.push_back(in(kDelivery, "SequenceNumber", std::to_string(part.sequence)));
  o.children.push_back(in(kDelivery, "LastSequence", part.last ? "true" : "false"));
  XmlElement body;
  if (part.data) {
    o.children.push_back(in(kDelivery, "Manifest",
                            std::vector<XmlElement>{dictionary_entry(
                                {kDelivery, "Specification"}, kLiaisonProfileOwner,
                                "ManifestSpecification", kEvidencePackageSpecification)}));
    std::vector<XmlElement> binary{in(kDelivery, "Data", base64_encode(*part.data)),
                                   in(kDelivery, "ContentType", kEvidencePackageContentType),
                                   in(kDelivery, "Checksum", sha256_hex(*part.data)),
                                   in(kDelivery, "ChecksumType", "SHA-256")};
    if (!part.package_id.empty()) {
      binary.push_back(
          in(kDelivery, "OriginalFilename", "evidence-" + part.package_id + ".liaison"));
    }
    binary.push_back(in(kDelivery, "ContentLength", std::to_string(part.data->size())));
    body = in(kDelivery, "BinaryData", std::move(binary));
  } else {
    body = in(kDelivery, "DataExistence", "false");
  }
  o.children.push_back(in(kDelivery, "Delivery", std::vector<XmlElement>{std::move(body)}));
  return o;
}

DeliveryReading read_delivery(const XmlElement& object) {
  auto refuse = [](Hi1ErrorCode code, std::string why) {
    return DeliveryReading{std::nullopt, Hi1Error{code, std::move(why)}};
  };
  if (object.type != QName{kDelivery, "DeliveryObject"}) {
    return refuse(Hi1ErrorCode::kFeatureNotSupported,
                  "DELIVER here takes DeliveryObjects; this object is " +
                      (object.type ? object.type->local : std::string("untyped")));
  }
  DeliveryPart part;
  part.object_id = value_of(object.child(kCore, "ObjectIdentifier"));
  part.country = value_of(object.child(kCore, "CountryCode"));
  part.owner = value_of(object.child(kCore, "OwnerIdentifier"));
  std::vector<std::string> associated;
  if (const XmlElement* list = object.child(kCore, "AssociatedObjects")) {
    for (const XmlElement* a : list->children_named(kCore, "AssociatedObject"))
      associated.push_back(a->value());
  }
  if (associated.size() != 1) {
    return refuse(
        associated.empty() ? Hi1ErrorCode::kRequiredElementMissing : Hi1ErrorCode::kImproperValue,
        "DeliveryObject/AssociatedObjects must name the one task it answers");
  }
  part.task_id = associated[0];
  if (const XmlElement* ref = object.child(kDelivery, "Reference"))
    part.ldid = value_of(ref->child(kDelivery, "LDID"));
  part.delivery_id = value_of(object.child(kDelivery, "DeliveryID"));
  if (part.delivery_id.empty()) {
    return refuse(Hi1ErrorCode::kRequiredElementMissing, "DeliveryObject/DeliveryID is missing");
  }
  std::string sequence = value_of(object.child(kDelivery, "SequenceNumber"));
  std::string last = value_of(object.child(kDelivery, "LastSequence"));
  if (sequence.empty() || last.empty()) {
    return refuse(Hi1ErrorCode::kRequiredElementMissing,
                  "DeliveryObject needs SequenceNumber and LastSequence under this hub's profile");
  }
  if (sequence.size() > 12 ||
      !std::all_of(sequence.begin(), sequence.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      std::stoll(sequence) < 1) {
    return refuse(Hi1ErrorCode::kImproperValue,
                  "DeliveryObject/SequenceNumber \"" + sequence + "\" is not 1 or more");
  }
  part.sequence = std::stoll(sequence);
  part.last = last == "true" || last == "1";
  const XmlElement* delivery = object.child(kDelivery, "Delivery");
  if (delivery == nullptr) {
    return refuse(Hi1ErrorCode::kRequiredElementMissing, "DeliveryObject/Delivery is missing");
  }
  if (const XmlElement* exists = delivery->child(kDelivery, "DataExistence")) {
    std::string v = exists->value();
    if (v == "true" || v == "1") {
      return refuse(Hi1ErrorCode::kImproperValue,
                    "Delivery/DataExistence true carries nothing: deliver the data as BinaryData");
    }
    if (part.sequence != 1 || !part.last) {
      return refuse(Hi1ErrorCode::kImproperValue,
                    "Delivery/DataExistence false is a delivery of one part (SequenceNumber 1, "
                    "LastSequence true)");
    }
    return DeliveryReading{std::move(part), std::nullopt};
  }
  const XmlElement* binary = delivery->child(kDelivery, "BinaryData");
  if (binary == nullptr) {
    return refuse(Hi1ErrorCode::kFeatureNotSupported,
                  "this hub takes a delivery as BinaryData holding a Liaison evidence package, or "
                  "DataExistence false");
  }
  std::string type = value_of(binary->child(kDelivery, "ContentType"));
  if (type != kEvidencePackageContentType) {
    return refuse(Hi1ErrorCode::kImproperValue, "Delivery/BinaryData/ContentType must be " +
                                                    std::string(kEvidencePackageContentType) +
                                                    ", not \"" + type + "\"");
  }
  auto data = decode_base64_binary(value_of(binary->child(kDelivery, "Data")));
  if (!data) {
    return refuse(Hi1ErrorCode::kImproperValue, "Delivery/BinaryData/Data is not base64");
  }
  std::string length = value_of(binary->child(kDelivery, "ContentLength"));
  if (!length.empty() && length != std::to_string(data->size())) {
    return refuse(Hi1ErrorCode::kImproperValue, "Delivery/BinaryData/ContentLength is " + length +
                                                    ", but Data holds " +
                                                    std::to_string(data->size()) + " bytes");
  }
  std::string checksum = value_of(binary->child(kDelivery, "Checksum"));
  std::string checksum_type = value_of(binary->child(kDelivery, "ChecksumType"));
  if (!checksum.empty() && (checksum_type.empty() || checksum_type == "SHA-256") &&
      checksum != sha256_hex(*data)) {
    return refuse(Hi1ErrorCode::kImproperValue,
                  "Delivery/BinaryData/Checksum does not match the SHA-256 of Data");
  }
  part.data = std::move(*data);
  return DeliveryReading{std::move(part), std::nullopt};
}

}  // namespace liaison::etsi
