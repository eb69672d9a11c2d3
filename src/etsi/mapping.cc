#include "etsi/mapping.h"

#include <algorithm>

#include "etsi/namespaces.h"

namespace liaison::etsi {

namespace {

using nlohmann::json;

const std::string kCore(kCoreNamespace);
const std::string kTask(kTaskNamespace);
const std::string kAuth(kAuthorisationNamespace);
const std::string kCommon(kCommonNamespace);

// A DictionaryEntry's Value, or "".
std::string entry_value(const XmlElement* e) {
  return e == nullptr ? "" : value_of(e->child(kCommon, "Value"));
}

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
    draft["issuer_reference"] = m.reference;
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
    // manual information), so the instrument does not come from it.
    json legal = json::object();
    std::string warrant = value_of(authorisation->child(kAuth, "AuthorisationReference"));
    if (!warrant.empty()) legal["domestic_reference"] = warrant;
    if (!legal.empty()) draft["legal_basis"] = std::move(legal);
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
