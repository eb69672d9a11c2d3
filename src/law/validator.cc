#include "law/validator.h"

#include <algorithm>

namespace liaison::law {

namespace {

template <typename T>
bool contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// "legal_basis.domestic_reference" is reported at "legal_basis/domestic_reference",
// the path the hub's JSON errors use.
std::string field_path(std::string name) {
  std::replace(name.begin(), name.end(), '.', '/');
  return name;
}

bool filled(const RequestFacts& f, const std::string& name) {
  if (name == "targets") return !f.targets.empty();
  if (name == "categories") return !f.categories.empty();
  if (name == "max_penalty_months") return f.max_penalty_months.has_value();
  if (name == "emergency_justification") {
    return f.emergency_justification && !f.emergency_justification->empty();
  }
  return f.filled.count(name) > 0;
}

void check_targets(const RequestFacts& f, Validation& v) {
  bool identifying = contains(f.categories, DataCategory::kUserIdentifyingData);
  for (std::size_t i = 0; i < f.targets.size(); ++i) {
    const Identifier& id = f.targets[i];
    if (id.kind != IdentifierKind::kIpAddress) continue;
    std::string at = "targets/" + std::to_string(i);
    if (!id.port) {
      v.warnings.push_back({at + "/port",
                            "an IP address without a source port may match many subscribers "
                            "behind a shared address (RFC 6302)"});
    }
    if (!id.observed_at) {
      std::string why =
          "an IP address without an observation time cannot be attributed: dynamic and shared "
          "addresses change hands";
      if (identifying) {
        v.errors.push_back({at + "/observed_at", why + "; UserIdentifyingData needs the time"});
      } else {
        v.warnings.push_back({at + "/observed_at", why});
      }
    }
  }
}

}  // namespace

RequestFacts facts_from_draft(const RequestDraft& d, AuthorityType issuer,
                              OffenceCategory offence) {
  RequestFacts f;
  f.issuer = issuer;
  std::tie(f.kind, f.urgency) = kind_and_urgency(d.kind);
  f.categories = d.categories;
  f.targets = d.targets;
  f.max_penalty_months = d.max_penalty_months;
  f.offence = offence;
  f.emergency_justification = d.emergency_justification;
  auto mark = [&](bool set, const char* name) {
    if (set) f.filled.insert(name);
  };
  mark(d.period.has_value(), "period");
  mark(!d.legal_basis.instrument.empty(), "legal_basis.instrument");
  mark(!d.legal_basis.article.empty(), "legal_basis.article");
  mark(!d.legal_basis.domestic_reference.empty(), "legal_basis.domestic_reference");
  mark(!d.case_type.empty() && d.case_type != "NotSpecified", "case_type");
  mark(!d.offence_description.empty(), "offence_description");
  mark(d.non_disclosure_until.has_value(), "non_disclosure_until");
  mark(d.deadline.has_value(), "deadline");
  mark(!d.issuer_reference.empty(), "issuer_reference");
  return f;
}

Validation validate(const Route& route, const RequestFacts& f) {
  Validation v;
  if (!contains(route.kinds, f.kind)) {
    v.errors.push_back({"kind", std::string("route ") + route.id + " is not for " +
                                    kind_name(f.kind) + " requests"});
  }
  if (!contains(route.urgency, f.urgency)) {
    v.errors.push_back({"kind", f.urgency == Urgency::kEmergency
                                    ? "route " + route.id + " is not for emergencies"
                                    : "route " + route.id + " is for emergencies only"});
  }
  if (f.categories.empty()) v.errors.push_back({"categories", "name at least one data category"});
  for (std::size_t i = 0; i < f.categories.size(); ++i) {
    if (!contains(route.categories, f.categories[i])) {
      std::string why = route.not_covered_reason.empty()
                            ? std::string("route ") + route.id + " does not cover " +
                                  data_category_name(f.categories[i])
                            : route.not_covered_reason;
      v.errors.push_back({"categories/" + std::to_string(i), why});
    }
  }

  const Threshold& t = route.threshold;
  if (t.applies() && !contains(t.listed_offences, f.offence)) {
    std::string months = std::to_string(t.min_max_penalty_months);
    if (!f.max_penalty_months) {
      v.errors.push_back({"max_penalty_months", "is required: route " + route.id +
                                                    " needs a maximum custodial sentence "
                                                    "of at least " +
                                                    months + " months or a listed offence (Art. " +
                                                    t.article + ")"});
    } else if (*f.max_penalty_months < t.min_max_penalty_months) {
      v.errors.push_back({"max_penalty_months",
                          "the maximum penalty of " + std::to_string(*f.max_penalty_months) +
                              " months is below the " + months + "-month threshold of route " +
                              route.id + " (Art. " + t.article + ")"});
    }
  }

  for (const auto& name : route.required_fields) {
    // The threshold check above already speaks for the penalty.
    if (name == "max_penalty_months" && t.applies()) continue;
    if (!filled(f, name)) {
      v.errors.push_back({field_path(name), "is required by route " + route.id});
    }
  }

  if (f.urgency == Urgency::kEmergency && !filled(f, "emergency_justification")) {
    v.errors.push_back({"emergency_justification",
                        "is required in an emergency: state the imminent risk to life or safety "
                        "and how the data relate to it"});
  }

  IssuerOutcome who = issuer_outcome(route, f.issuer, f.urgency);
  if (!who.possible()) {
    v.errors.push_back({"issuer", std::string("a ") + authority_type_name(f.issuer) +
                                      " may not issue on route " + route.id + " (it needs " +
                                      authority_list_text(route.issuers.issuers) +
                                      ") and cannot be validated by another authority"});
  } else if (who.validation_follow_up) {
    v.validation_follow_up = who.validation_follow_up;
    v.follow_up_validator_types = who.validator_types;
    v.warnings.push_back(
        {"issuer",
         "issued without prior validation in an emergency: a " +
             authority_list_text(who.validator_types) + " must validate it within " +
             period_text(*who.validation_follow_up) +
             (route.issuers.note.empty() ? std::string() : " (" + route.issuers.note + ")")});
  } else if (!who.may_issue_alone) {
    v.required_cosignatures.validators = 1;
    v.required_cosignatures.validator_types = who.validator_types;
  }

  check_targets(f, v);
  return v;
}

}  // namespace liaison::law
