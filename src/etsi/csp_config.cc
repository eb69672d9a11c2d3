#include "etsi/csp_config.h"

#include "etsi/mapping.h"
#include "etsi/message.h"
#include "etsi/namespaces.h"

namespace liaison::etsi {

namespace {

const std::string kConfig(kConfigNamespace);
const std::string kCommon(kCommonNamespace);

XmlElement in(const std::string& ns, const std::string& local, std::string text) {
  return make_element({ns, local}, std::move(text));
}

XmlElement in(const std::string& ns, const std::string& local, std::vector<XmlElement> children) {
  return make_element({ns, local}, std::move(children));
}

XmlElement entry(const std::string& local, const std::string& owner, const std::string& name,
                 const std::string& value) {
  return in(kCommon, local,
            std::vector<XmlElement>{in(kCommon, "Owner", owner), in(kCommon, "Name", name),
                                    in(kCommon, "Value", value)});
}

// The request types each kind of target serves: every e-Evidence category for
// every kind, since Liaison leaves to the route what may be asked of whom.
XmlElement request_types(const std::string& local) {
  std::vector<XmlElement> entries;
  for (const char* t :
       {"SubscriberData", "UserIdentifyingData", "TrafficData", "StoredContentData",
        "SubscriberDataAndUserIdentifyingData", "TrafficDataAndStoredContentData"}) {
    entries.push_back(entry("DictionaryEntry", "ETSI", "RequestType", t));
  }
  return in(kConfig, local, std::move(entries));
}

XmlElement endpoint(const std::string& local, const std::string& endpoint_name,
                    const std::string& owner, const std::string& dictionary,
                    const std::string& value, const std::string& url) {
  XmlElement e = in(kConfig, local, std::vector<XmlElement>{});
  XmlElement which = entry("", owner, dictionary, value);
  which.name = {kConfig, endpoint_name};
  e.children.push_back(std::move(which));
  e.children.push_back(in(kConfig, "URL", url));
  return e;
}

}  // namespace

XmlElement csp_config_response(const CspConfig& config) {
  std::vector<XmlElement> definitions;
  std::vector<XmlElement> targeting;
  for (const auto& f : target_formats()) {
    if (f.regex != nullptr) {
      definitions.push_back(in(kConfig, "TargetFormatTypeDefinitionEntry",
                               std::vector<XmlElement>{in(kConfig, "FormatName", f.name),
                                                       in(kConfig, "Description", f.description),
                                                       in(kConfig, "FormatRegex", f.regex)}));
    }
    targeting.push_back(in(kConfig, "TargetingConfiguration",
                           std::vector<XmlElement>{in(kConfig, "FormatName", f.name),
                                                   in(kConfig, "FormatOwner", f.owner),
                                                   request_types("AssociatedLDRequestTypes")}));
  }
  std::vector<XmlElement> lp;
  for (const char* value :
       {"NewPreservation", "PreservationExtension", "PreservationCancellation"}) {
    lp.push_back(endpoint("SupportedLPWorkflowEndpoint", "LPWorkflowEndpoint", "ETSI",
                          "LPWorkflowEndpoint", value, config.endpoint_url));
  }
  // The ETSI dictionaries have no LD workflow endpoints yet: these are Liaison's.
  std::vector<XmlElement> ld;
  for (const char* value : {"NewDisclosure", "DisclosureCancellation"}) {
    ld.push_back(endpoint("SupportedLDWorkflowEndpoint", "LDWorkflowEndpoint", kLiaisonFormatOwner,
                          "LDWorkflowEndpoint", value, config.endpoint_url));
  }
  return core_element(
      "GETCSPCONFIGResponse",
      {core_text("LastChanged", config.last_changed),
       core_element("TargetFormatTypeDefinitions",
                    {in(kConfig, "FormatOwner", kLiaisonFormatOwner),
                     in(kConfig, "TargetFormatTypeDefinitionEntries", std::move(definitions))}),
       core_element("TargetingConfigurations", std::move(targeting)),
       core_element("SupportedLPWorkflowEndpoints", std::move(lp)),
       core_element("SupportedLDWorkflowEndpoints", std::move(ld))});
}

}  // namespace liaison::etsi
