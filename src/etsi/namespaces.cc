#include "etsi/namespaces.h"

#include <map>
#include <utility>
#include <vector>

namespace liaison::etsi {

namespace {

const std::vector<std::pair<std::string, std::string>>& table() {
  static const std::vector<std::pair<std::string, std::string>> kTable = {
      {std::string(kCoreNamespace), "core"},
      {std::string(kCommonNamespace), "common"},
      {std::string(kTaskNamespace), "task"},
      {std::string(kAuthorisationNamespace), "auth"},
      {std::string(kDocumentNamespace), "doc"},
      {std::string(kNotificationNamespace), "notification"},
      {std::string(kDeliveryNamespace), "delivery"},
      {std::string(kConfigNamespace), "config"},
      {"http://uri.etsi.org/03120/common/2022/07/TrafficPolicy", "TrafficPolicy"},
      {"http://uri.etsi.org/03120/common/2026/01/IRIPolicy", "IRIPolicy"},
      {"http://uri.etsi.org/03120/common/2026/01/Encryption", "Encryption"},
      {"http://uri.etsi.org/03120/common/2026/07/Destination", "Destination"},
      {"http://uri.etsi.org/03280/common/2017/07", "etsi"},
      {"http://uri.etsi.org/03280/common/2019/10/Dictionaries", "dictionaries"},
      {"http://www.w3.org/2000/09/xmldsig#", "ds"},
      {std::string(kXsiNamespace), "xsi"},
      {std::string(kXmlNamespace), "xml"},
  };
  return kTable;
}

}  // namespace

const std::string* standard_prefix(std::string_view ns) {
  static const std::map<std::string, std::string, std::less<>> kByNs(table().begin(),
                                                                     table().end());
  auto it = kByNs.find(ns);
  return it == kByNs.end() ? nullptr : &it->second;
}

const std::string* standard_namespace(std::string_view prefix) {
  static const std::map<std::string, std::string, std::less<>> kByPrefix = [] {
    std::map<std::string, std::string, std::less<>> m;
    for (const auto& [ns, p] : table()) m.emplace(p, ns);
    m.emplace("", std::string(kCoreNamespace));
    return m;
  }();
  auto it = kByPrefix.find(prefix);
  return it == kByPrefix.end() ? nullptr : &it->second;
}

}  // namespace liaison::etsi
