// The law engine's rules applied on this hub: the routes open for a request,
// the route a request is filed under, and what that route asks of it.
//
// The rules themselves (data/law/, src/law/) know nothing of organisations or
// the store. This service supplies the facts they need: the requesting
// authority's country and type from its organisation, the provider's
// establishment, EU legal representative, policies and time zone from the
// provider directory where it has an entry (otherwise the provider
// organisation's country), and today's date.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/organisation.h"
#include "core/request.h"
#include "core/result.h"
#include "law/advisor.h"
#include "law/model.h"
#include "law/validator.h"
#include "service/environment.h"
#include "service/principal.h"
#include "store/store.h"

namespace liaison {

// What the hub knows of a provider for the law: facts for the advisor, and
// the time zone its calendar-day deadlines are counted in.
struct ProviderProfile {
  law::ProviderFacts facts;
  std::string time_zone = "UTC";
  std::string source;  // "directory entry example-mail" or "organisation country"
};

// A query as `GET /routes` takes it. Empty fields default from the caller's
// organisation (country, authority type) and today.
struct RouteQuery {
  std::optional<std::string> requesting_country;
  std::optional<std::string> authority_type;
  std::optional<std::string> provider_id;       // an organisation on this hub
  std::optional<std::string> provider_country;  // or where it is established
  std::optional<std::string> eu_representative_country;
  std::vector<std::string> categories;
  std::optional<std::string> kind;     // preservation, production, emergency_disclosure, ...
  std::optional<std::string> urgency;  // normal or emergency
  std::optional<std::string> offence_category;
  std::optional<std::int64_t> max_penalty_months;
  std::optional<std::string> date;  // YYYY-MM-DD
  std::optional<bool> offers_services_in_requesting_country;
};

struct RouteAdvice {
  law::Situation situation;
  law::Advice advice;
  std::optional<ProviderProfile> provider;
};

// The route a draft is filed under, and what validating the draft against it found.
struct RouteDecision {
  law::AvailableRoute route;
  law::Validation validation;
  ProviderProfile provider;
  bool chosen_by_hub = false;  // the draft named no route; this was the best open
};

// Looks up what the directory says of a provider organisation. The hub's
// directory implements it; until a provider has an entry, its organisation's
// country stands for its establishment.
class ProviderFactsSource {
 public:
  virtual ~ProviderFactsSource() = default;
  virtual Result<std::optional<ProviderProfile>> profile(ReadTx& tx,
                                                         const Organisation& provider) const = 0;
};

// A stored request's route, and what validating the request against it finds.
struct FiledRoute {
  const law::Route* route = nullptr;  // in the service's book
  law::Validation validation;
};

class RouteService {
 public:
  RouteService(Store& store, const Clock& clock, std::shared_ptr<const law::LawBook> book,
               const ProviderFactsSource* directory = nullptr)
      : store_(store), clock_(clock), book_(std::move(book)), directory_(directory) {}

  const law::LawBook& book() const { return *book_; }

  // Any authenticated user may ask; an authority's own country and type are
  // the defaults.
  Result<RouteAdvice> advise(const Principal& p, const RouteQuery& q);

  // Inside the caller's read: the route `draft` is filed under, validated.
  // When the draft names a route it must be open to this request; when it
  // names none, the best open route that reaches the provider directly is
  // recorded. Fails, naming "route", when no such route is open, with the
  // reasons the advisor gave.
  Result<RouteDecision> decide(ReadTx& tx, const Organisation& issuer, const Organisation& provider,
                               const RequestDraft& draft, Timestamp now) const;

  Result<ProviderProfile> provider_profile(ReadTx& tx, const Organisation& provider) const;

  // The route `request` was filed under, validated as it stands; none when it
  // names no route, or one these rules no longer hold.
  Result<std::optional<FiledRoute>> filed_route(ReadTx& tx, const Request& request) const;

 private:
  Store& store_;
  const Clock& clock_;
  std::shared_ptr<const law::LawBook> book_;
  const ProviderFactsSource* directory_;
};

// The issuing organisation's authority type as the law engine takes it; an
// organisation that has none recorded is taken as police, the type every
// route asks the most of.
AuthorityType issuer_type(const Organisation& issuer);

}  // namespace liaison
