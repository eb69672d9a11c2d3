#include "core/request.h"

#include <algorithm>
#include <array>

#include "core/name_table.h"

namespace liaison {

namespace {
constexpr std::array<std::pair<RequestKind, const char*>, 4> kKinds = {{
    {RequestKind::kPreservation, "preservation"},
    {RequestKind::kProduction, "production"},
    {RequestKind::kEmergencyDisclosure, "emergency_disclosure"},
    {RequestKind::kDomainRegistration, "domain_registration"},
}};
constexpr std::array<std::pair<DataCategory, const char*>, 4> kCategories = {{
    {DataCategory::kSubscriberData, "SubscriberData"},
    {DataCategory::kUserIdentifyingData, "UserIdentifyingData"},
    {DataCategory::kTrafficData, "TrafficData"},
    {DataCategory::kStoredContentData, "StoredContentData"},
}};
constexpr std::array<std::pair<RequestStatus, const char*>, 14> kStatuses = {{
    {RequestStatus::kDraft, "draft"},
    {RequestStatus::kSubmitted, "submitted"},
    {RequestStatus::kAcknowledged, "acknowledged"},
    {RequestStatus::kClarificationRequested, "clarification_requested"},
    {RequestStatus::kClarified, "clarified"},
    {RequestStatus::kAccepted, "accepted"},
    {RequestStatus::kPreserved, "preserved"},
    {RequestStatus::kProduced, "produced"},
    {RequestStatus::kNotAvailable, "not_available"},
    {RequestStatus::kRejected, "rejected"},
    {RequestStatus::kCancelled, "cancelled"},
    {RequestStatus::kExpired, "expired"},
    {RequestStatus::kReleased, "released"},
    {RequestStatus::kQuarantined, "quarantined"},
}};
}  // namespace

const char* request_kind_name(RequestKind k) { return name_of(kKinds, k); }
std::optional<RequestKind> request_kind_from_name(std::string_view s) {
  return from_name(kKinds, s);
}
const char* data_category_name(DataCategory c) { return name_of(kCategories, c); }
std::optional<DataCategory> data_category_from_name(std::string_view s) {
  return from_name(kCategories, s);
}
const char* request_status_name(RequestStatus s) { return name_of(kStatuses, s); }
std::optional<RequestStatus> request_status_from_name(std::string_view s) {
  return from_name(kStatuses, s);
}

const std::vector<std::string_view>& etsi_case_types() {
  static const std::vector<std::string_view> kTypes = {"ChildExploitationOrChildSexualAbuse",
                                                       "Corruption",
                                                       "Cybercrime",
                                                       "Defamation",
                                                       "DrugsOrDrugTrafficking",
                                                       "HarassmentOrThreatToPersonalSafety",
                                                       "HateSpeech",
                                                       "HumanTrafficking",
                                                       "MissingPerson",
                                                       "MoneyLaundering",
                                                       "OtherFinancialCrimeOrFraud",
                                                       "SexualAbuseOrExploitation",
                                                       "Theft",
                                                       "TerrorismOrThreatToPublicSafety",
                                                       "ViolenceOrCrimeAgainstAPerson",
                                                       "Other",
                                                       "NotSpecified"};
  return kTypes;
}

bool is_etsi_case_type(std::string_view s) {
  const auto& t = etsi_case_types();
  return std::find(t.begin(), t.end(), s) != t.end();
}

}  // namespace liaison
