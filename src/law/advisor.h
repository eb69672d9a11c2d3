// The route advisor: given who asks whom for what, which legal routes are open
// on a date, best first, and why every other route is not.
//
// It decides nothing a lawyer would not read in the rule files: availability
// is the instrument being in force and applicable, both States being bound
// where the route needs it, no reservation taking the article away, the
// provider being where the route reaches, the request's kind, urgency and
// categories being covered, the penalty threshold, and who may issue. Every
// "no" is a sentence computed from the data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/request.h"
#include "law/date.h"
#include "law/model.h"

namespace liaison::law {

// What the hub's provider directory knows about the provider.
struct ProviderFacts {
  std::string establishment;                           // ISO 3166-1 alpha-2
  std::optional<std::string> eu_legal_representative;  // its legal representative in the EU, if any
  // The provider's stated policies; empty when the directory does not say.
  std::optional<bool> accepts_foreign_non_content;  // voluntary disclosure of non-content data
  std::optional<bool> accepts_foreign_emergency;    // emergency requests from foreign authorities
  // Whether the provider offers its services in the requesting State
  // (Budapest Art. 18(1)(b)). The directory cannot know this; the officer may
  // state it. Empty or false: a domestic order reaches only a provider
  // established in the requesting State.
  std::optional<bool> offers_services_in_requesting_country;
};

struct Situation {
  std::string requesting_country;  // ISO 3166-1 alpha-2
  AuthorityType authority = AuthorityType::kPolice;
  ProviderFacts provider;
  std::vector<DataCategory> categories;  // a route must cover all of them
  Kind kind = Kind::kProduction;
  Urgency urgency = Urgency::kNormal;
  OffenceCategory offence = OffenceCategory::kOther;
  std::optional<std::int64_t> max_penalty_months;  // in the requesting State
  Date date;                                       // of the request
};

// What the requesting authority's type means on a route.
struct IssuerOutcome {
  bool may_issue_alone = false;                // no validation needed before sending
  std::vector<AuthorityType> validator_types;  // one of these must co-sign, when not alone
  // An emergency order issued without prior validation: one of
  // validator_types must validate within this period afterwards.
  std::optional<Period> validation_follow_up;
  bool possible() const { return may_issue_alone || !validator_types.empty(); }
};

// The issuer rule applied to one authority type and urgency.
IssuerOutcome issuer_outcome(const Route& route, AuthorityType authority, Urgency urgency);

struct AvailableRoute {
  Route route;              // the rule as loaded: issuers, deadlines, forms, citations ...
  std::string legal_basis;  // "Regulation (EU) 2023/1543 (EU 2023/1543), Art. 4(1), 5(3), 10"
  IssuerOutcome issuer;     // for the requesting authority
  // The provider's deadline for this request: the emergency period when
  // urgent and the route has one, else the response period; empty when the
  // law sets no numeric deadline (route.deadlines.note says what it says).
  std::optional<Period> deadline;
  std::vector<std::string> notes;  // conditions computed for this request, then the route's notes
  Verification verification = Verification::kVerified;  // weakest of the rule and the Parties used
};

struct UnavailableRoute {
  std::string id;
  std::string name;
  std::vector<std::string> reasons;  // sentences, each a reason on its own
  Verification verification = Verification::kVerified;
};

struct Advice {
  std::vector<AvailableRoute> available;  // best first (rank, then id)
  std::vector<UnavailableRoute> unavailable;
};

Advice advise(const LawBook& book, const Situation& situation);

}  // namespace liaison::law
