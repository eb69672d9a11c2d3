// The XML namespaces of TS 103 120 and TS 103 280, and the prefixes the
// standard's own schemas and examples give them. The JSON encoding spells
// element names with these prefixes, and Liaison writes XML with them.
#pragma once

#include <string>
#include <string_view>

namespace liaison::etsi {

inline constexpr std::string_view kCoreNamespace = "http://uri.etsi.org/03120/common/2019/10/Core";
inline constexpr std::string_view kCommonNamespace =
    "http://uri.etsi.org/03120/common/2016/02/Common";
inline constexpr std::string_view kTaskNamespace = "http://uri.etsi.org/03120/common/2020/09/Task";
inline constexpr std::string_view kAuthorisationNamespace =
    "http://uri.etsi.org/03120/common/2020/09/Authorisation";
inline constexpr std::string_view kDocumentNamespace =
    "http://uri.etsi.org/03120/common/2020/09/Document";
inline constexpr std::string_view kNotificationNamespace =
    "http://uri.etsi.org/03120/common/2016/02/Notification";
inline constexpr std::string_view kDeliveryNamespace =
    "http://uri.etsi.org/03120/common/2019/10/Delivery";
inline constexpr std::string_view kConfigNamespace =
    "http://uri.etsi.org/03120/common/2024/06/Config";
inline constexpr std::string_view kXsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";
// Bound to the prefix "xml" in every document, and never declared.
inline constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";
inline constexpr std::string_view kXmlnsNamespace = "http://www.w3.org/2000/xmlns/";

// The standard's prefix for `ns` ("task"; "core" for Core, which its
// examples leave unprefixed), or null for a namespace of someone else's.
const std::string* standard_prefix(std::string_view ns);
// The namespace of a standard prefix ("" is Core), or null.
const std::string* standard_namespace(std::string_view prefix);

}  // namespace liaison::etsi
