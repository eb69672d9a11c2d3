#include "law/vocabulary.h"

#include <array>

#include "core/name_table.h"

namespace liaison::law {

namespace {

constexpr std::array<std::pair<Kind, const char*>, 3> kKinds = {{
    {Kind::kPreservation, "preservation"},
    {Kind::kProduction, "production"},
    {Kind::kDomainRegistration, "domain_registration"},
}};
constexpr std::array<std::pair<Urgency, const char*>, 2> kUrgencies = {{
    {Urgency::kNormal, "normal"},
    {Urgency::kEmergency, "emergency"},
}};
constexpr std::array<std::pair<OffenceCategory, const char*>, 5> kOffences = {{
    {OffenceCategory::kAttackOnInformationSystems, "attack_on_information_systems"},
    {OffenceCategory::kChildSexualAbuse, "child_sexual_abuse"},
    {OffenceCategory::kNonCashPaymentFraud, "non_cash_payment_fraud"},
    {OffenceCategory::kTerrorism, "terrorism"},
    {OffenceCategory::kOther, "other"},
}};
constexpr std::array<std::pair<Verification, const char*>, 3> kVerifications = {{
    {Verification::kVerified, "verified"},
    {Verification::kSecondary, "secondary"},
    {Verification::kUnverified, "unverified"},
}};
constexpr std::array<std::pair<Channel, const char*>, 3> kChannels = {{
    {Channel::kProvider, "provider"},
    {Channel::kNetwork247, "247_network"},
    {Channel::kCentralAuthority, "central_authority"},
}};

}  // namespace

const char* kind_name(Kind k) { return name_of(kKinds, k); }
std::optional<Kind> kind_from_name(std::string_view s) { return from_name(kKinds, s); }
const char* urgency_name(Urgency u) { return name_of(kUrgencies, u); }
std::optional<Urgency> urgency_from_name(std::string_view s) { return from_name(kUrgencies, s); }
const char* offence_category_name(OffenceCategory o) { return name_of(kOffences, o); }
std::optional<OffenceCategory> offence_category_from_name(std::string_view s) {
  return from_name(kOffences, s);
}
const char* verification_name(Verification v) { return name_of(kVerifications, v); }
std::optional<Verification> verification_from_name(std::string_view s) {
  return from_name(kVerifications, s);
}
const char* channel_name(Channel c) { return name_of(kChannels, c); }
std::optional<Channel> channel_from_name(std::string_view s) { return from_name(kChannels, s); }

std::pair<Kind, Urgency> kind_and_urgency(RequestKind k) {
  switch (k) {
    case RequestKind::kPreservation:
      return {Kind::kPreservation, Urgency::kNormal};
    case RequestKind::kProduction:
      return {Kind::kProduction, Urgency::kNormal};
    case RequestKind::kEmergencyDisclosure:
      return {Kind::kProduction, Urgency::kEmergency};
    case RequestKind::kDomainRegistration:
      return {Kind::kDomainRegistration, Urgency::kNormal};
  }
  return {Kind::kProduction, Urgency::kNormal};
}

Verification weakest(Verification a, Verification b) { return a > b ? a : b; }

std::string period_text(const Period& p) {
  std::string unit = p.unit == PeriodUnit::kHours ? "hour" : "day";
  std::string out = std::to_string(p.amount) + " " + unit + (p.amount == 1 ? "" : "s");
  if (p.unit == PeriodUnit::kDays && !p.calendar) out += " (elapsed)";
  return out;
}

}  // namespace liaison::law
