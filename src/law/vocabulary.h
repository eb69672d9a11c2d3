// The law engine's fixed vocabulary: the words the rule files use and the hub
// relies on. Every list here is closed; the checker refuses anything else.
//
//   authority types  police, prosecutor, judge, central_authority
//   request kinds    preservation, production, domain_registration
//   urgency          normal, emergency
//   offences         attack_on_information_systems, child_sexual_abuse,
//                    non_cash_payment_fraud, terrorism, other
//   verification     verified, secondary, unverified (FACTS.md §0: V, S, U)
//   channels         provider, 247_network, central_authority
//
// Data categories are the hub's own (liaison::DataCategory, ETSI spelling).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/organisation.h"
#include "core/request.h"
#include "law/deadline.h"

namespace liaison::law {

// Who acts on the requesting side: the hub's own AuthorityType, with its names
// (core/organisation.h). A judge includes a court and an investigating judge;
// a central authority includes the 24/7 point of contact.
using liaison::authority_type_from_name;
using liaison::authority_type_name;
using liaison::AuthorityType;

// What is asked of the provider. The hub's emergency disclosure is a
// production with emergency urgency (see kind_and_urgency).
enum class Kind { kPreservation, kProduction, kDomainRegistration };
enum class Urgency { kNormal, kEmergency };

// Offence categories that matter for penalty thresholds. The first four are
// the offences EU 2023/1543 Art. 5(4)(b)-(c) lists for traffic and content
// data whatever their penalty; everything else is `other`.
enum class OffenceCategory {
  kAttackOnInformationSystems,  // Directive 2013/40/EU Arts 3-8
  kChildSexualAbuse,            // Directive 2011/93/EU Arts 3-7
  kNonCashPaymentFraud,         // Directive (EU) 2019/713 Arts 3-8
  kTerrorism,                   // Directive (EU) 2017/541 (unverified in the sources)
  kOther,
};

// How well a fact was checked (FACTS.md §0). Ordered from strongest to
// weakest, so the weakest of several is their maximum.
enum class Verification { kVerified, kSecondary, kUnverified };

// Where the request goes: straight to the provider, through the 24/7 network
// of points of contact, or to a central authority (mutual legal assistance).
enum class Channel { kProvider, kNetwork247, kCentralAuthority };

const char* kind_name(Kind k);
std::optional<Kind> kind_from_name(std::string_view s);
const char* urgency_name(Urgency u);
std::optional<Urgency> urgency_from_name(std::string_view s);
const char* offence_category_name(OffenceCategory o);
std::optional<OffenceCategory> offence_category_from_name(std::string_view s);
const char* verification_name(Verification v);
std::optional<Verification> verification_from_name(std::string_view s);
const char* channel_name(Channel c);
std::optional<Channel> channel_from_name(std::string_view s);

// The hub's request kind as the law sees it: an emergency disclosure is a
// production in an emergency; every other kind is itself, normal.
std::pair<Kind, Urgency> kind_and_urgency(RequestKind k);

Verification weakest(Verification a, Verification b);

// "10 days", "8 hours", "1 day", "24 hours (elapsed)" for days counted as
// elapsed time. The same words as law::describe(), without needing it.
std::string period_text(const Period& p);

// "police", "prosecutor or judge", "police, prosecutor or judge".

}  // namespace liaison::law
