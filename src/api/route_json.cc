#include "api/route_json.h"

#include "law/date.h"
#include "law/vocabulary.h"

namespace liaison::api {

using nlohmann::json;

namespace {

json types(const std::vector<AuthorityType>& list) {
  json out = json::array();
  for (auto t : list) out.push_back(authority_type_name(t));
  return out;
}

json citations(const std::vector<law::Citation>& list) {
  json out = json::array();
  for (const auto& c : list) {
    out.push_back({{"text", c.text},
                   {"url", c.url.empty() ? json(nullptr) : json(c.url)},
                   {"verification", law::verification_name(c.verification)}});
  }
  return out;
}

json strings(const std::vector<std::string>& list) { return list; }

json preservation(const std::optional<law::PreservationRule>& p) {
  if (!p) return nullptr;
  return {{"period", to_json(p->period)},
          {"period_is_minimum", p->period_is_minimum},
          {"extension", to_json(p->extension)},
          {"max_extensions", p->max_extensions ? json(*p->max_extensions) : json(nullptr)},
          {"note", p->note}};
}

json notification(const law::NotificationDuty& n) {
  return {{"required", n.required},
          {"to", n.to},
          {"suspensive", n.suspensive},
          {"suspensive_in_emergency", n.suspensive_in_emergency},
          {"objection_window", to_json(n.objection_window)},
          {"exception", n.exception},
          {"note", n.note}};
}

}  // namespace

json to_json(const law::Period& p) {
  return {{"amount", p.amount},
          {"unit", p.unit == law::PeriodUnit::kHours ? "hours" : "days"},
          {"calendar", p.calendar},
          {"text", law::period_text(p)}};
}

json to_json(const std::optional<law::Period>& p) { return p ? to_json(*p) : json(nullptr); }

json route_summary(const law::Route& r) {
  return {{"id", r.id},
          {"name", r.name},
          {"instrument", r.instrument},
          {"channel", law::channel_name(r.channel)},
          {"verification", law::verification_name(r.verification)}};
}

json to_json(const law::RequiredCosignatures& c) {
  return {{"validators", c.validators}, {"validator_types", types(c.validator_types)}};
}

json to_json(const law::AvailableRoute& a) {
  const law::Route& r = a.route;
  json out = route_summary(r);
  out["legal_basis"] = a.legal_basis;
  out["rank"] = r.rank;
  out["issuer"] = {{"may_issue_alone", a.issuer.may_issue_alone},
                   {"validator_types", types(a.issuer.validator_types)},
                   {"validation_follow_up", to_json(a.issuer.validation_follow_up)},
                   {"issuers", types(r.issuers.issuers)},
                   {"validators", types(r.issuers.validators)},
                   {"note", r.issuers.note}};
  out["deadline"] = to_json(a.deadline);
  out["deadlines"] = {{"response", to_json(r.deadlines.response)},
                      {"emergency", to_json(r.deadlines.emergency)},
                      {"note", r.deadlines.note}};
  out["clock_pauses_for_clarification"] = r.clock.pauses_for_clarification;
  out["preservation"] = preservation(r.preservation);
  out["notification"] = notification(r.notification);
  out["required_fields"] = strings(r.required_fields);
  out["forms"] = strings(r.forms);
  out["notes"] = strings(a.notes);
  out["citations"] = citations(r.citations);
  out["verification"] = law::verification_name(a.verification);
  return out;
}

json to_json(const RouteAdvice& advice) {
  const law::Situation& s = advice.situation;
  json categories = json::array();
  for (auto c : s.categories) categories.push_back(data_category_name(c));
  json situation = {
      {"requesting_country", s.requesting_country},
      {"authority_type", authority_type_name(s.authority)},
      {"provider",
       {{"establishment", s.provider.establishment},
        {"eu_legal_representative", s.provider.eu_legal_representative
                                        ? json(*s.provider.eu_legal_representative)
                                        : json(nullptr)}}},
      {"categories", categories},
      {"kind", law::kind_name(s.kind)},
      {"urgency", law::urgency_name(s.urgency)},
      {"offence_category", law::offence_category_name(s.offence)},
      {"max_penalty_months", s.max_penalty_months ? json(*s.max_penalty_months) : json(nullptr)},
      {"date", law::format_date(s.date)},
  };
  if (advice.provider) {
    situation["provider"]["time_zone"] = advice.provider->time_zone;
    situation["provider"]["source"] = advice.provider->source;
  }
  json available = json::array();
  for (const auto& a : advice.advice.available) available.push_back(to_json(a));
  json unavailable = json::array();
  for (const auto& u : advice.advice.unavailable) {
    unavailable.push_back({{"id", u.id},
                           {"name", u.name},
                           {"reasons", strings(u.reasons)},
                           {"verification", law::verification_name(u.verification)}});
  }
  return {{"situation", situation},
          {"available", available},
          {"unavailable", unavailable},
          {"disclaimer",
           "Liaison encodes published rules with their sources; it does not give legal advice "
           "and does not decide questions of domestic law (docs/law.md)."}};
}

}  // namespace liaison::api
