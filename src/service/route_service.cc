#include "service/route_service.h"

#include <algorithm>

#include "law/date.h"
#include "law/vocabulary.h"

namespace liaison {

namespace {

const char* kCategoryNames =
    "SubscriberData, UserIdentifyingData, TrafficData or StoredContentData";

Result<law::OffenceCategory> offence_of(const std::string& name, const std::string& field) {
  auto offence = law::offence_category_from_name(name);
  if (!offence) {
    return Error::invalid(field,
                          "must be attack_on_information_systems, child_sexual_abuse, "
                          "non_cash_payment_fraud, terrorism or other");
  }
  return *offence;
}

std::string joined(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

// Why no route reaches the provider directly, in one sentence a person can act on.
std::string no_direct_route(const law::Advice& advice) {
  std::vector<std::string> elsewhere;
  for (const auto& a : advice.available) {
    if (a.route.channel != law::Channel::kProvider) {
      elsewhere.push_back(a.route.name + " (through the " + law::channel_name(a.route.channel) +
                          ")");
    }
  }
  std::string out = "no legal route open to this request reaches the provider directly";
  if (!elsewhere.empty()) out += "; open through other channels: " + joined(elsewhere, ", ");
  return out + " (GET /api/v1/routes says why each route is closed)";
}

}  // namespace

AuthorityType issuer_type(const Organisation& issuer) {
  if (issuer.kind == OrgKind::kCentralAuthority) return AuthorityType::kCentralAuthority;
  return issuer.authority_type.value_or(AuthorityType::kPolice);
}

Result<std::optional<FiledRoute>> RouteService::filed_route(ReadTx& tx,
                                                            const Request& request) const {
  const law::Route* route =
      request.draft.route.empty() ? nullptr : book_->route(request.draft.route);
  if (route == nullptr) return std::optional<FiledRoute>();
  LIAISON_ASSIGN_OR_RETURN(Organisation issuer, tx.get_org(request.issuer_org_id));
  LIAISON_ASSIGN_OR_RETURN(law::OffenceCategory offence,
                           offence_of(request.draft.offence_category, "offence_category"));
  FiledRoute out;
  out.route = route;
  out.validation =
      law::validate(*route, law::facts_from_draft(request.draft, issuer_type(issuer), offence));
  return std::optional<FiledRoute>(std::move(out));
}

Result<ProviderProfile> RouteService::provider_profile(ReadTx& tx,
                                                       const Organisation& provider) const {
  if (directory_ != nullptr) {
    LIAISON_ASSIGN_OR_RETURN(auto found, directory_->profile(tx, provider));
    if (found) return *found;
  }
  ProviderProfile out;
  out.facts.establishment = provider.country;
  out.source = "the provider organisation's country (no directory entry)";
  return out;
}

Result<RouteDecision> RouteService::decide(ReadTx& tx, const Organisation& issuer,
                                           const Organisation& provider, const RequestDraft& draft,
                                           Timestamp now) const {
  RouteDecision out;
  LIAISON_ASSIGN_OR_RETURN(out.provider, provider_profile(tx, provider));
  LIAISON_ASSIGN_OR_RETURN(law::OffenceCategory offence,
                           offence_of(draft.offence_category, "offence_category"));
  law::Situation s;
  s.requesting_country = issuer.country;
  s.authority = issuer_type(issuer);
  s.provider = out.provider.facts;
  s.categories = draft.categories;
  std::tie(s.kind, s.urgency) = law::kind_and_urgency(draft.kind);
  s.offence = offence;
  s.max_penalty_months = draft.max_penalty_months;
  s.date = law::date_of(now);
  law::Advice advice = law::advise(*book_, s);

  const law::AvailableRoute* chosen = nullptr;
  if (!draft.route.empty()) {
    for (const auto& a : advice.available) {
      if (a.route.id == draft.route) chosen = &a;
    }
    if (chosen == nullptr) {
      if (book_->route(draft.route) == nullptr) {
        return Error::invalid(
            "route", "there is no route \"" + draft.route + "\" (liaison law show lists them)");
      }
      for (const auto& u : advice.unavailable) {
        if (u.id == draft.route) {
          return Error::invalid(
              "route", u.name + " is not open to this request: " + joined(u.reasons, "; "));
        }
      }
      return Error::invalid("route", "\"" + draft.route + "\" is not open to this request");
    }
    if (chosen->route.channel != law::Channel::kProvider) {
      return Error::invalid("route", chosen->route.name + " goes through the " +
                                         law::channel_name(chosen->route.channel) +
                                         ", not to the provider: Liaison sends requests to "
                                         "providers only on routes that reach them directly");
    }
  } else {
    auto direct = std::find_if(
        advice.available.begin(), advice.available.end(),
        [](const law::AvailableRoute& a) { return a.route.channel == law::Channel::kProvider; });
    if (direct == advice.available.end()) return Error::invalid("route", no_direct_route(advice));
    chosen = &*direct;
    out.chosen_by_hub = true;
  }
  out.route = *chosen;
  out.validation = law::validate(chosen->route, law::facts_from_draft(draft, s.authority, offence));
  return out;
}

Result<RouteAdvice> RouteService::advise(const Principal& p, const RouteQuery& q) {
  RouteAdvice out;
  law::Situation& s = out.situation;
  bool authority = p.org && p.org->kind != OrgKind::kProvider;

  if (q.requesting_country) {
    LIAISON_TRY(validate_country(*q.requesting_country, "requesting_country"));
    s.requesting_country = *q.requesting_country;
  } else if (authority) {
    s.requesting_country = p.org->country;
  } else {
    return Error::invalid("requesting_country", "is required: which State is asking");
  }
  if (q.authority_type) {
    auto type = authority_type_from_name(*q.authority_type);
    if (!type) {
      return Error::invalid("authority_type",
                            "must be police, prosecutor, judge or central_authority");
    }
    s.authority = *type;
  } else if (authority && (p.org->authority_type || p.org->kind == OrgKind::kCentralAuthority)) {
    s.authority = issuer_type(*p.org);
  } else {
    return Error::invalid("authority_type",
                          "is required: police, prosecutor, judge or central_authority");
  }

  if (q.categories.empty()) {
    return Error::invalid("category", std::string("is required: ") + kCategoryNames);
  }
  for (const auto& name : q.categories) {
    auto c = data_category_from_name(name);
    if (!c) return Error::invalid("category", "\"" + name + "\" is not " + kCategoryNames);
    s.categories.push_back(*c);
  }
  if (!q.kind) {
    return Error::invalid("kind",
                          "is required: preservation, production, emergency_disclosure or "
                          "domain_registration");
  }
  auto kind = request_kind_from_name(*q.kind);
  if (!kind) {
    return Error::invalid(
        "kind", "must be preservation, production, emergency_disclosure or domain_registration");
  }
  std::tie(s.kind, s.urgency) = law::kind_and_urgency(*kind);
  if (q.urgency) {
    auto urgency = law::urgency_from_name(*q.urgency);
    if (!urgency) return Error::invalid("urgency", "must be normal or emergency");
    if (*kind == RequestKind::kEmergencyDisclosure && *urgency != law::Urgency::kEmergency) {
      return Error::invalid("urgency", "an emergency disclosure is an emergency");
    }
    s.urgency = *urgency;
  }
  LIAISON_ASSIGN_OR_RETURN(s.offence,
                           offence_of(q.offence_category.value_or("other"), "offence_category"));
  if (q.max_penalty_months) {
    if (*q.max_penalty_months < 0 || *q.max_penalty_months > 1200) {
      return Error::invalid("max_penalty_months", "must be between 0 and 1200 months");
    }
    s.max_penalty_months = q.max_penalty_months;
  }
  if (q.date) {
    LIAISON_ASSIGN_OR_RETURN(s.date, law::parse_date(*q.date, "date"));
  } else {
    s.date = law::date_of(clock_.now());
  }

  if (q.provider_id) {
    if (q.provider_country) {
      return Error::invalid("provider_country", "give either provider_id or provider_country");
    }
    LIAISON_TRY(store_.read([&](ReadTx& tx) -> Status {
      auto org = tx.get_org(*q.provider_id);
      if (!org.ok() || org->kind != OrgKind::kProvider) {
        return Error::invalid("provider_id", "is not a provider on this hub");
      }
      LIAISON_ASSIGN_OR_RETURN(auto profile, provider_profile(tx, *org));
      out.provider = std::move(profile);
      return Ok{};
    }));
    s.provider = out.provider->facts;
  } else if (q.provider_country) {
    LIAISON_TRY(validate_country(*q.provider_country, "provider_country"));
    s.provider.establishment = *q.provider_country;
    if (q.eu_representative_country) {
      LIAISON_TRY(validate_country(*q.eu_representative_country, "eu_representative_country"));
      s.provider.eu_legal_representative = *q.eu_representative_country;
    }
  } else {
    return Error::invalid("provider_id",
                          "name the provider (provider_id) or where it is established "
                          "(provider_country)");
  }
  if (q.offers_services_in_requesting_country) {
    s.provider.offers_services_in_requesting_country = q.offers_services_in_requesting_country;
  }
  out.advice = law::advise(*book_, s);
  return out;
}

}  // namespace liaison
