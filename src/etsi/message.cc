#include "etsi/message.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "etsi/namespaces.h"

namespace liaison::etsi {

namespace {

const std::string kCore(kCoreNamespace);
constexpr const char* kSpokenVersion = "V1.23.1";

const XmlElement* core_child(const XmlElement& e, const char* local) {
  return e.child(kCore, local);
}

bool lower_uuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    char c = s[i];
    if (dash ? c != '-' : !(std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f')))
      return false;
  }
  return true;
}

bool country_code(const std::string& s) {
  return s.size() == 2 && std::isupper(static_cast<unsigned char>(s[0])) &&
         std::isupper(static_cast<unsigned char>(s[1]));
}

Hi1Error missing(const std::string& what) {
  return {Hi1ErrorCode::kRequiredElementMissing, what + " is missing"};
}

std::optional<Hi1Error> read_endpoint(const XmlElement& header, const char* local,
                                      EndpointId& out) {
  const XmlElement* e = core_child(header, local);
  if (e == nullptr) return missing(std::string("Header/") + local);
  const XmlElement* country = core_child(*e, "CountryCode");
  const XmlElement* unique = core_child(*e, "UniqueIdentifier");
  if (country == nullptr) return missing(std::string("Header/") + local + "/CountryCode");
  if (unique == nullptr) return missing(std::string("Header/") + local + "/UniqueIdentifier");
  out.country = country->value();
  out.unique_id = unique->value();
  if (!country_code(out.country)) {
    return Hi1Error{Hi1ErrorCode::kImproperValue, std::string("Header/") + local +
                                                      "/CountryCode \"" + out.country +
                                                      "\" is not an ISO 3166-1 alpha-2 code"};
  }
  if (out.unique_id.empty()) {
    return Hi1Error{Hi1ErrorCode::kImproperValue,
                    std::string("Header/") + local + "/UniqueIdentifier is empty"};
  }
  return std::nullopt;
}

std::optional<Hi1Error> read_header(const XmlElement& message, Header& h) {
  const XmlElement* header = core_child(message, "Header");
  if (header == nullptr) return missing("Header");
  if (auto e = read_endpoint(*header, "SenderIdentifier", h.sender)) return e;
  if (auto e = read_endpoint(*header, "ReceiverIdentifier", h.receiver)) return e;
  const XmlElement* tid = core_child(*header, "TransactionIdentifier");
  if (tid == nullptr) return missing("Header/TransactionIdentifier");
  h.transaction_id = tid->value();
  if (!lower_uuid(h.transaction_id)) {
    return Hi1Error{
        Hi1ErrorCode::kImproperValue,
        "Header/TransactionIdentifier \"" + h.transaction_id + "\" is not a lower-case UUID"};
  }
  const XmlElement* ts = core_child(*header, "Timestamp");
  if (ts == nullptr) return missing("Header/Timestamp");
  h.timestamp = ts->value();
  const XmlElement* version = core_child(*header, "Version");
  if (version == nullptr) return missing("Header/Version");
  const XmlElement* etsi = core_child(*version, "ETSIVersion");
  if (etsi == nullptr) return missing("Header/Version/ETSIVersion");
  h.etsi_version = etsi->value();
  if (const XmlElement* o = core_child(*version, "NationalProfileOwner")) {
    h.national_profile_owner = o->value();
  }
  if (const XmlElement* v = core_child(*version, "NationalProfileVersion")) {
    h.national_profile_version = v->value();
  }
  if (const XmlElement* w = core_child(*header, "WorkflowIdentifier")) {
    h.workflow_id = w->value();
  }
  const auto& versions = supported_versions();
  if (std::find(versions.begin(), versions.end(), h.etsi_version) == versions.end()) {
    std::string list;
    for (const auto& v : versions) list += (list.empty() ? "" : ", ") + v;
    return Hi1Error{Hi1ErrorCode::kVersionNotSupported,
                    "ETSIVersion " + h.etsi_version + " is not supported; supported: " + list};
  }
  return std::nullopt;
}

struct VerbName {
  Verb verb;
  const char* name;
};
constexpr VerbName kVerbs[] = {{Verb::kGet, "GET"},         {Verb::kCreate, "CREATE"},
                               {Verb::kUpdate, "UPDATE"},   {Verb::kList, "LIST"},
                               {Verb::kDeliver, "DELIVER"}, {Verb::kGetCspConfig, "GETCSPCONFIG"}};

XmlElement endpoint_element(const char* local, const EndpointId& id) {
  return core_element(
      local, {core_text("CountryCode", id.country), core_text("UniqueIdentifier", id.unique_id)});
}

XmlElement error_element(const Hi1Error& e) {
  return core_element("ErrorInformation",
                      {core_text("ErrorCode", std::to_string(static_cast<int>(e.code))),
                       core_text("ErrorDescription", e.description)});
}

}  // namespace

const char* verb_name(Verb verb) {
  for (const auto& v : kVerbs) {
    if (v.verb == verb) return v.name;
  }
  return "GET";
}

const std::vector<std::string>& supported_versions() {
  static const std::vector<std::string> kVersions = [] {
    std::vector<std::string> out;
    for (int minor = 13; minor <= 23; ++minor) out.push_back("V1." + std::to_string(minor) + ".1");
    return out;
  }();
  return kVersions;
}

XmlElement core_text(const std::string& local, std::string text) {
  return make_element({kCore, local}, std::move(text));
}

XmlElement core_element(const std::string& local, std::vector<XmlElement> children) {
  return make_element({kCore, local}, std::move(children));
}

namespace {

// `take`: the caller owns `message` and gives it up, so each action's body is
// moved out of it rather than copied (a task's signed request is most of a
// message's bytes).
RequestReading read_request_from(const XmlElement& message, bool take) {
  RequestReading out;
  if (message.name != QName{kCore, "HI1Message"}) {
    out.error = Hi1Error{Hi1ErrorCode::kValidationError, "the root element is {" + message.name.ns +
                                                             "}" + message.name.local +
                                                             ", not an HI1Message of " + kCore};
    return out;
  }
  Header header;
  if (auto e = read_header(message, header)) {
    // A header that names its transaction and parties is echoed even when the
    // rest of it is refused.
    if (!header.transaction_id.empty() && lower_uuid(header.transaction_id)) out.header = header;
    out.error = e;
    return out;
  }
  out.header = header;
  const XmlElement* payload = core_child(message, "Payload");
  if (payload == nullptr) {
    out.error = missing("Payload");
    return out;
  }
  const XmlElement* request = core_child(*payload, "RequestPayload");
  if (request == nullptr) {
    out.error = Hi1Error{Hi1ErrorCode::kRequiredElementMissing,
                         "Payload/RequestPayload is missing: the endpoint takes requests"};
    return out;
  }
  const XmlElement* list = core_child(*request, "ActionRequests");
  if (list == nullptr) {
    out.error = missing("Payload/RequestPayload/ActionRequests");
    return out;
  }
  std::set<std::uint64_t> seen;
  for (const XmlElement* a : list->children_named(kCore, "ActionRequest")) {
    const XmlElement* id = core_child(*a, "ActionIdentifier");
    if (id == nullptr) {
      out.error = missing("ActionRequest/ActionIdentifier");
      return out;
    }
    std::string digits = id->value();
    if (digits.empty() || digits.size() > 18 ||
        !std::all_of(digits.begin(), digits.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      out.error = Hi1Error{Hi1ErrorCode::kImproperValue,
                           "ActionIdentifier \"" + digits + "\" is not a non-negative integer"};
      return out;
    }
    ActionRequest action;
    action.id = std::stoull(digits);
    if (!seen.insert(action.id).second) {
      out.error = Hi1Error{Hi1ErrorCode::kDuplicateActionId,
                           "ActionIdentifier " + digits + " is used twice in this message"};
      return out;
    }
    const XmlElement* body = nullptr;
    for (const auto& v : kVerbs) {
      if (const XmlElement* b = core_child(*a, v.name)) {
        if (body != nullptr) {
          out.error = Hi1Error{Hi1ErrorCode::kValidationError,
                               "ActionRequest " + digits + " carries more than one action"};
          return out;
        }
        body = b;
        action.verb = v.verb;
      }
    }
    if (body == nullptr) {
      out.error = Hi1Error{Hi1ErrorCode::kRequiredElementMissing,
                           "ActionRequest " + digits +
                               " carries no action (GET, CREATE, UPDATE, LIST, DELIVER or "
                               "GETCSPCONFIG)"};
      return out;
    }
    if (take) {
      // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast): `message` is the caller's to give up
      action.body = std::move(const_cast<XmlElement&>(*body));
    } else {
      action.body = *body;
    }
    out.actions.push_back(std::move(action));
  }
  if (out.actions.empty())
    out.error = missing("Payload/RequestPayload/ActionRequests/ActionRequest");
  return out;
}

}  // namespace

RequestReading read_request(const XmlElement& message) { return read_request_from(message, false); }

RequestReading read_request(XmlElement&& message) { return read_request_from(message, true); }

namespace {

XmlElement header_element(const EndpointId& from, const EndpointId& to,
                          const std::string& transaction, const std::string& timestamp,
                          const std::string& profile_owner, const std::string& profile_version,
                          const std::optional<std::string>& workflow = std::nullopt) {
  std::vector<XmlElement> parts = {
      endpoint_element("SenderIdentifier", from), endpoint_element("ReceiverIdentifier", to),
      core_text("TransactionIdentifier", transaction), core_text("Timestamp", timestamp),
      core_element("Version", {core_text("ETSIVersion", kSpokenVersion),
                               core_text("NationalProfileOwner", profile_owner),
                               core_text("NationalProfileVersion", profile_version)})};
  if (workflow) parts.push_back(core_text("WorkflowIdentifier", *workflow));
  return core_element("Header", std::move(parts));
}

}  // namespace

XmlElement request_message(const Header& header, const std::vector<ActionRequest>& actions) {
  std::vector<XmlElement> list;
  list.reserve(actions.size());
  for (const auto& a : actions) {
    list.push_back(core_element("ActionRequest",
                                {core_text("ActionIdentifier", std::to_string(a.id)), a.body}));
  }
  return core_element(
      "HI1Message",
      {header_element(header.sender, header.receiver, header.transaction_id, header.timestamp,
                      header.national_profile_owner, header.national_profile_version,
                      header.workflow_id),
       core_element("Payload", {core_element("RequestPayload",
                                             {core_element("ActionRequests", std::move(list))})})});
}

XmlElement action_element(Verb verb, std::vector<XmlElement> children) {
  return core_element(verb_name(verb), std::move(children));
}

namespace {

Hi1Error error_of(const XmlElement& info) {
  std::string code = value_of(core_child(info, "ErrorCode"));
  int n = 0;
  if (!code.empty() && code.size() < 10 &&
      std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    n = std::stoi(code);
  }
  return {static_cast<Hi1ErrorCode>(n), value_of(core_child(info, "ErrorDescription"))};
}

}  // namespace

ResponseReading read_response(const XmlElement& message) {
  ResponseReading out;
  const XmlElement* payload = core_child(message, "Payload");
  const XmlElement* response = payload ? core_child(*payload, "ResponsePayload") : nullptr;
  if (message.name != QName{kCore, "HI1Message"} || response == nullptr) {
    out.malformed = true;
    return out;
  }
  if (const XmlElement* e = core_child(*response, "ErrorInformation")) {
    out.error = error_of(*e);
    return out;
  }
  const XmlElement* list = core_child(*response, "ActionResponses");
  if (list == nullptr) return out;
  for (const XmlElement* a : list->children_named(kCore, "ActionResponse")) {
    ActionResponse one;
    std::string id = value_of(core_child(*a, "ActionIdentifier"));
    if (!id.empty() && id.size() < 19 &&
        std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      one.id = std::stoull(id);
    }
    for (const auto& c : a->children) {
      if (c.name == QName{kCore, "ActionIdentifier"}) continue;
      if (c.name == QName{kCore, "ErrorInformation"}) {
        one.error = error_of(c);
      } else {
        one.body = c;
      }
    }
    out.actions.push_back(std::move(one));
  }
  return out;
}

XmlElement response_message(const std::optional<Header>& request, const EndpointId& self,
                            const EndpointId& peer, const std::string& new_transaction_id,
                            const std::string& timestamp,
                            const std::vector<ActionResponse>& actions,
                            const std::optional<Hi1Error>& error) {
  EndpointId to = request ? request->sender : peer;
  EndpointId from = request ? request->receiver : self;
  std::string transaction = request ? request->transaction_id : new_transaction_id;
  // Unknown, the national profile is the answering hub's country's, version 1.
  std::string profile_owner = request ? request->national_profile_owner : self.country;
  std::string profile_version = request ? request->national_profile_version : "v1.0";
  XmlElement header =
      header_element(from, to, transaction, timestamp, profile_owner, profile_version);
  XmlElement response;
  if (error) {
    response = core_element("ResponsePayload", {error_element(*error)});
  } else {
    std::vector<XmlElement> list;
    for (const auto& a : actions) {
      std::vector<XmlElement> parts = {core_text("ActionIdentifier", std::to_string(a.id))};
      if (a.error) {
        parts.push_back(error_element(*a.error));
      } else if (a.body) {
        parts.push_back(*a.body);
      }
      list.push_back(core_element("ActionResponse", std::move(parts)));
    }
    response = core_element("ResponsePayload", {core_element("ActionResponses", std::move(list))});
  }
  return core_element("HI1Message",
                      {std::move(header), core_element("Payload", {std::move(response)})});
}

}  // namespace liaison::etsi
