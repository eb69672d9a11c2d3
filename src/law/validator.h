// The route validator: checks a request against the route it relies on before
// it is signed and sent. Errors block submission; warnings are shown to the
// officer and kept with the request for both sides to see.
//
// It says what co-signatures the route requires; whether one is planned, and
// collecting it, is the hub's business (signing policy, trust/).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/identifier.h"
#include "core/request.h"
#include "law/advisor.h"
#include "law/model.h"

namespace liaison::law {

// The request as the hub has it.
struct RequestFacts {
  AuthorityType issuer = AuthorityType::kPolice;
  Kind kind = Kind::kProduction;
  Urgency urgency = Urgency::kNormal;
  std::vector<DataCategory> categories;
  std::vector<Identifier> targets;
  std::optional<std::int64_t> max_penalty_months;
  OffenceCategory offence = OffenceCategory::kOther;
  std::optional<std::string> emergency_justification;
  // The optional request fields that are filled, spelt as in a route's
  // required_fields ("offence_description", "legal_basis.domestic_reference").
  // targets, max_penalty_months and emergency_justification count as filled
  // when the members above are set.
  std::set<std::string> filled;
};

// The facts of a draft, for an issuer of `issuer` type prosecuting an offence
// of category `offence`.
RequestFacts facts_from_draft(const RequestDraft& draft, AuthorityType issuer,
                              OffenceCategory offence);

// One finding, on a request field: "targets/0/port", "max_penalty_months".
struct Finding {
  std::string field;
  std::string message;
};

struct RequiredCosignatures {
  int validators = 0;                          // how many validator co-signatures (0 or 1)
  std::vector<AuthorityType> validator_types;  // of whom, any one
};

struct Validation {
  std::vector<Finding> errors;    // block submission
  std::vector<Finding> warnings;  // shown and recorded
  RequiredCosignatures required_cosignatures;
  // An emergency order sent without prior validation: one of
  // required_cosignatures.validator_types validates it within this period
  // (EU 2023/1543 Art. 4(5): 48 hours). Counted from the order's issue.
  std::optional<Period> validation_follow_up;
  std::vector<AuthorityType> follow_up_validator_types;
  bool ok() const { return errors.empty(); }
};

Validation validate(const Route& route, const RequestFacts& facts);

}  // namespace liaison::law
