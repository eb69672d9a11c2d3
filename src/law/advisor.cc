#include "law/advisor.h"

#include <algorithm>

#include "core/name_list.h"
#include "law/entry_into_force.h"

namespace liaison::law {

namespace {

template <typename T>
bool contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

const char* category_words(DataCategory c) {
  switch (c) {
    case DataCategory::kSubscriberData:
      return "subscriber";
    case DataCategory::kUserIdentifyingData:
      return "user-identifying";
    case DataCategory::kTrafficData:
      return "traffic";
    case DataCategory::kStoredContentData:
      return "content";
  }
  return "other";
}

// "traffic and content data"
std::string categories_text(const std::vector<DataCategory>& cats) {
  return words_list(cats, category_words, " and ") + " data";
}

std::string kinds_text(const std::vector<Kind>& kinds) { return words_list(kinds, kind_name); }

std::string names_text(const LawBook& book, const std::vector<std::string>& countries) {
  return words_list(countries, [&](const std::string& c) { return book.country_name(c); });
}

std::string article_words(const std::string& id) {
  bool numeric = !id.empty() && id[0] >= '0' && id[0] <= '9';
  return numeric ? "Article " + id : id;
}

// Works out one route for one situation.
class RouteCheck {
 public:
  RouteCheck(const LawBook& book, const Route& route, const Situation& s)
      : book_(book), route_(route), s_(s), ins_(*book.instrument(route.instrument)) {
    verification_ = route.verification;
  }

  void run() {
    coverage();
    in_force();
    place();
    parties();
    reservations();
    flags();
    threshold();
    issuer();
  }

  bool available() const { return reasons_.empty(); }

  AvailableRoute available_route() const {
    AvailableRoute a;
    a.route = route_;
    for (std::size_t i = 0; i < route_.articles.size(); ++i) {
      if (i > 0) a.legal_basis += "; ";
      a.legal_basis += ins_.article(route_.articles[i])->citation.text;
    }
    a.issuer = issuer_;
    a.deadline = route_.deadlines.response;
    if (s_.urgency == Urgency::kEmergency && route_.deadlines.emergency) {
      a.deadline = route_.deadlines.emergency;
    }
    a.notes = notes_;
    a.notes.insert(a.notes.end(), route_.notes.begin(), route_.notes.end());
    a.verification = verification_;
    return a;
  }

  UnavailableRoute unavailable_route() const {
    return UnavailableRoute{route_.id, route_.name, reasons_, verification_};
  }

 private:
  void coverage() {
    if (!contains(route_.kinds, s_.kind)) {
      reasons_.push_back("this route is for " + kinds_text(route_.kinds) + " requests, not " +
                         kind_name(s_.kind));
    }
    if (!contains(route_.urgency, s_.urgency)) {
      reasons_.push_back(s_.urgency == Urgency::kEmergency ? "this route is not for emergencies"
                                                           : "this route is for emergencies only");
    }
    std::vector<DataCategory> missing;
    for (auto c : s_.categories) {
      if (!contains(route_.categories, c)) missing.push_back(c);
    }
    if (!missing.empty()) {
      if (!route_.not_covered_reason.empty()) {
        reasons_.push_back(route_.not_covered_reason);
      } else {
        reasons_.push_back("this route does not cover " + categories_text(missing) +
                           " (it covers " + categories_text(route_.categories) + ")");
      }
    }
  }

  void in_force() {
    Binding b = instrument_binding(book_, ins_, s_.date);
    verification_ = weakest(verification_, b.verification);
    if (!b.binds) reasons_.push_back(b.reason);
  }

  // Decides the provider's country for this route and checks the relation.
  void place() {
    const ProviderFacts& p = s_.provider;
    provider_country_ = p.establishment;
    if (route_.scope.provider_place == ProviderPlace::kEuAddressee) {
      bool established_in_union = membership(book_, ins_, p.establishment, s_.date).binds;
      if (!established_in_union) {
        if (p.eu_legal_representative) {
          provider_country_ = *p.eu_legal_representative;
          notes_.push_back("addressed to the provider's legal representative in " +
                           book_.country_name(provider_country_) + " (Directive (EU) 2023/1544)");
        } else {
          reasons_.push_back(
              "the provider has neither an establishment nor a legal "
              "representative in a Member State bound by " +
              ins_.short_name);
          provider_known_ = false;
          return;
        }
      }
    }
    const std::string& here = s_.requesting_country;
    std::string there = book_.country_name(provider_country_);
    bool domestic = provider_country_ == here;
    if (route_.scope.relation == Relation::kDomestic && !domestic) {
      reasons_.push_back("the provider is established in " + there + ", not in " +
                         book_.country_name(here) + "; a domestic order reaches a provider in " +
                         "the requesting State");
    }
    if (route_.scope.relation == Relation::kCrossBorder && domestic) {
      if (route_.scope.offering_services) {
        reasons_.push_back("the provider is established in " + there + ": use the domestic route");
      } else {
        reasons_.push_back("the provider is in " + there +
                           ", the requesting State: this route is for a provider in another "
                           "State");
      }
    }
    if (route_.scope.offering_services && !domestic) {
      if (p.offers_services_in_requesting_country.value_or(false)) {
        notes_.push_back("stated, not checked by Liaison: the provider offers its services in " +
                         book_.country_name(here));
      } else {
        reasons_.push_back(
            "a provider established in " + there +
            " is reached only if it offers its services in " + book_.country_name(here) +
            "; the directory cannot tell, so the officer must state it (offers_services)");
      }
    }
  }

  void parties() {
    const Scope& sc = route_.scope;
    const std::string& here = s_.requesting_country;
    if (!sc.requesting_countries.empty() && !contains(sc.requesting_countries, here)) {
      reasons_.push_back(!sc.reason.empty() ? sc.reason
                                            : "this route is only for requests from " +
                                                  names_text(book_, sc.requesting_countries));
    }
    if (contains(sc.requesting_excluded, here)) {
      reasons_.push_back(!sc.reason.empty()
                             ? sc.reason
                             : "this route is not for requests from " + book_.country_name(here));
    }
    if (provider_known_ && !sc.provider_countries.empty() &&
        !contains(sc.provider_countries, provider_country_)) {
      reasons_.push_back("this route is only for providers in " +
                         names_text(book_, sc.provider_countries));
    }
    if (sc.requesting_party) {
      Binding b = membership(book_, ins_, here, s_.date);
      verification_ = weakest(verification_, b.verification);
      if (!b.binds) reasons_.push_back(b.reason);
    }
    if (sc.provider_party && provider_known_ && provider_country_ != here) {
      Binding b = membership(book_, ins_, provider_country_, s_.date);
      verification_ = weakest(verification_, b.verification);
      if (!b.binds) reasons_.push_back(b.reason);
    }
  }

  void reservations() {
    const PartyTable* t = book_.party_table(ins_.parties);
    if (t == nullptr) return;
    std::vector<std::string> countries = {s_.requesting_country};
    if (provider_known_ && provider_country_ != s_.requesting_country) {
      countries.push_back(provider_country_);
    }
    for (const auto& c : countries) {
      const PartyEntry* p = t->find(c);
      if (p == nullptr) continue;
      for (const auto& r : p->reservations) {
        if (contains(route_.articles, r.article)) {
          reasons_.push_back(p->name + " has reserved the right not to apply " +
                             article_words(r.article) + " (" + r.reference + ")");
        }
      }
    }
  }

  void flags() {
    std::optional<bool> flag;
    std::string what;
    switch (route_.scope.provider_flag) {
      case ProviderFlag::kNone:
        return;
      case ProviderFlag::kAcceptsForeignNonContent:
        flag = s_.provider.accepts_foreign_non_content;
        what = "direct requests from foreign authorities for non-content data";
        break;
      case ProviderFlag::kAcceptsForeignEmergency:
        flag = s_.provider.accepts_foreign_emergency;
        what = "emergency requests from foreign authorities";
        break;
    }
    if (!flag) {
      notes_.push_back("the provider directory does not say whether the provider accepts " + what +
                       "; disclosure is at the provider's discretion");
    } else if (!*flag) {
      reasons_.push_back("the provider directory says the provider does not accept " + what);
    }
  }

  void threshold() {
    const Threshold& t = route_.threshold;
    if (!t.applies()) return;
    std::string cite = ins_.short_name + " Art. " + t.article;
    std::string months = std::to_string(t.min_max_penalty_months);
    if (contains(t.listed_offences, s_.offence)) {
      if (contains(t.unverified_offences, s_.offence)) {
        verification_ = Verification::kUnverified;
      }
      notes_.push_back(std::string("the offence is listed (") + offence_category_name(s_.offence) +
                       "): the " + months + "-month threshold does not apply (" + cite + ")");
      return;
    }
    if (!s_.max_penalty_months) {
      notes_.push_back("only for an offence with a maximum custodial sentence of at least " +
                       months + " months, or a listed offence (" + cite +
                       "): give max_penalty_months");
      return;
    }
    if (*s_.max_penalty_months < t.min_max_penalty_months) {
      reasons_.push_back("the offence's maximum penalty of " +
                         std::to_string(*s_.max_penalty_months) + " months is below the " + months +
                         "-month threshold for " + categories_text(route_.categories) + " (" +
                         cite + ")");
    }
  }

  void issuer() {
    issuer_ = issuer_outcome(route_, s_.authority, s_.urgency);
    std::string who = authority_type_name(s_.authority);
    if (!issuer_.possible()) {
      reasons_.push_back("a " + who + " may not issue on this route (it needs " +
                         authority_list_text(route_.issuers.issuers) +
                         "), and no validation by another authority is provided for");
      return;
    }
    if (issuer_.validation_follow_up) {
      notes_.push_back("in an emergency a " + who + " may issue without prior validation; a " +
                       authority_list_text(issuer_.validator_types) + " must validate it within " +
                       period_text(*issuer_.validation_follow_up));
    } else if (!issuer_.may_issue_alone) {
      notes_.push_back("a " + authority_list_text(issuer_.validator_types) +
                       " must validate (co-sign) an order issued by a " + who);
    }
  }

  const LawBook& book_;
  const Route& route_;
  const Situation& s_;
  const Instrument& ins_;
  std::string provider_country_;
  bool provider_known_ = true;
  IssuerOutcome issuer_;
  std::vector<std::string> reasons_;
  std::vector<std::string> notes_;
  Verification verification_ = Verification::kVerified;
};

}  // namespace

IssuerOutcome issuer_outcome(const Route& route, AuthorityType authority, Urgency urgency) {
  IssuerOutcome out;
  const IssuerRule& rule = route.issuers;
  if (contains(rule.issuers, authority)) {
    out.may_issue_alone = true;
    return out;
  }
  if (urgency == Urgency::kEmergency && contains(rule.emergency_issuers, authority)) {
    out.may_issue_alone = true;
    if (rule.emergency_follow_up) {
      out.validator_types = rule.validators;
      out.validation_follow_up = rule.emergency_follow_up;
    }
    return out;
  }
  out.validator_types = rule.validators;
  return out;
}

Advice advise(const LawBook& book, const Situation& situation) {
  Advice out;
  for (const auto& route : book.routes) {  // already in rank order
    RouteCheck check(book, route, situation);
    check.run();
    if (check.available()) {
      out.available.push_back(check.available_route());
    } else {
      out.unavailable.push_back(check.unavailable_route());
    }
  }
  return out;
}

}  // namespace liaison::law
