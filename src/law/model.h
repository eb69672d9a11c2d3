// The law as data: instruments, their articles, who is bound by them, and the
// routes they open for a request to a provider. Everything here is loaded
// from data/law/ (loader.h) and read by the advisor and the validator; none of
// it is decided in code. docs/law.md explains each field for the lawyers who
// edit the files.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/request.h"
#include "law/date.h"
#include "law/deadline.h"
#include "law/vocabulary.h"

namespace liaison::law {

// Where a rule comes from: a citation a lawyer can check, and how well it was.
struct Citation {
  std::string text;  // "Regulation (EU) 2023/1543, Art. 10(4)"
  std::string url;   // may be empty
  Verification verification = Verification::kVerified;
};

struct Article {
  std::string id;     // as routes name it: "16", "29", "4(1)", "2702(c)(6)"
  std::string title;  // "Expedited preservation of stored computer data"
  Citation citation;
};

// A reservation or declaration of one Party that takes an article away.
struct Reservation {
  std::string article;    // the article it disapplies, as in Article::id
  std::string reference;  // the clause that allows it: "Art. 7.9.a"
  std::string text;       // what the Party declared
};

enum class PartyStatus { kParty, kSignatory };

struct PartyEntry {
  std::string country;  // ISO 3166-1 alpha-2
  std::string name;     // "Japan"
  PartyStatus status = PartyStatus::kParty;
  std::optional<Date> signed_on;
  std::optional<Date> consent;  // ratification, acceptance, approval or accession
  // As stated in the table; when empty, computed from the instrument's
  // entry-into-force rule (entry_into_force.h). A Party with neither a date
  // nor a consent is taken to be bound (its date is not recorded).
  std::optional<Date> in_force_from;
  std::vector<Reservation> reservations;
  Verification verification = Verification::kVerified;
  std::string note;
};

// A State the table names as not bound, with the reason (Denmark and EU
// 2023/1543), so that the advisor can say why rather than "not listed".
struct NotBound {
  std::string country;
  std::string name;
  std::string reason;  // a sentence: "Denmark is not bound by Regulation (EU) 2023/1543"
};

// Who is bound by one instrument, as of a date, from one source.
struct PartyTable {
  std::string id;          // the file's stem: "sap"
  std::string instrument;  // the instrument it belongs to
  std::string title;
  Date as_of;
  std::string source;
  std::string url;
  Verification verification = Verification::kVerified;  // the default for entries
  // The sentence for a State that is not listed; "{country}" stands for its
  // name. Default: "{country} is not bound by <instrument short name>".
  std::string not_listed_reason;
  std::vector<PartyEntry> parties;
  std::vector<NotBound> not_bound;

  const PartyEntry* find(const std::string& country) const;
};

// When an instrument binds anyone at all. Empty for national law whose date
// does not matter here: it is taken to be in force.
struct EntryIntoForce {
  std::optional<Date> date;             // fixed, as published (Budapest: 2004-07-01)
  int consents_needed = 0;              // or computed: after this many consents (SAP: 5) ...
  int months_after = 0;                 // ... on the first day of the month after this many months;
                                        // also the rule for each later consent
  std::string article;                  // the clause that says so ("36", "16")
  std::optional<Date> applicable_from;  // a regulation that applies later than it binds
};

struct Instrument {
  std::string id;          // the file's stem: "eu-2023-1543"
  std::string name;        // the full title
  std::string short_name;  // for sentences: "EU 2023/1543"
  std::string parties;     // the party table's id; empty for national law
  EntryIntoForce entry_into_force;
  Verification verification = Verification::kVerified;
  std::vector<Article> articles;
  std::vector<Citation> citations;

  const Article* article(const std::string& id) const;
};

// Who may send a request on the route and for whom the request must go.
enum class Relation {
  kDomestic,     // the provider is in the requesting country
  kCrossBorder,  // the provider is in another country
  kAny,
};

// Which of the provider's places counts as "the provider's country".
enum class ProviderPlace {
  kEstablishment,
  // EU 2023/1543: the establishment when it is in a bound Member State, else
  // the legal representative in the Union.
  kEuAddressee,
};

// Facts from the provider directory a route may need.
enum class ProviderFlag { kNone, kAcceptsForeignNonContent, kAcceptsForeignEmergency };

struct Scope {
  Relation relation = Relation::kAny;
  ProviderPlace provider_place = ProviderPlace::kEstablishment;
  bool requesting_party = false;  // the requesting State must be bound (party table)
  bool provider_party = false;    // the provider's State must be bound
  std::vector<std::string> requesting_countries;  // when not empty, only these
  std::vector<std::string> requesting_excluded;   // never these
  std::vector<std::string> provider_countries;    // when not empty, only these
  ProviderFlag provider_flag = ProviderFlag::kNone;
  // Budapest Art. 18(1)(b): a provider established elsewhere that offers its
  // services in the requesting State. The directory cannot know that; the
  // officer states it (ProviderFacts::offers_services_in_requesting_country).
  bool offering_services = false;
  // The sentence shown when the requesting State or the provider's State is
  // not among those the route names ("2703(f) is for US governmental
  // entities only"); a generic one otherwise.
  std::string reason;
  std::string note;  // shown with the route when it is available
};

struct IssuerRule {
  std::vector<AuthorityType> issuers;     // may issue on their own
  std::vector<AuthorityType> validators;  // one of whom validates an order by anyone else
  // In an emergency: who may issue without prior validation, and by when one
  // of the validators must confirm it afterwards (EU Art. 4(5): 48 hours).
  std::vector<AuthorityType> emergency_issuers;
  std::optional<Period> emergency_follow_up;
  std::string note;
};

// EU Art. 5(4): traffic and content data only for serious or listed offences.
struct Threshold {
  std::int64_t min_max_penalty_months = 0;  // 0: no penalty threshold
  std::vector<OffenceCategory> listed_offences;
  // Those of listed_offences whose listing is unverified: advice that relies
  // on one is shown as unverified.
  std::vector<OffenceCategory> unverified_offences;
  std::string article;  // "5(4)"
  std::string note;
  bool applies() const { return min_max_penalty_months > 0; }
};

struct Deadlines {
  std::optional<Period> response;   // the provider's time to answer; none if the law sets none
  std::optional<Period> emergency;  // in an emergency
  std::string note;                 // "without undue delay", "expeditiously", ...
};

struct PreservationRule {
  std::optional<Period> period;
  bool period_is_minimum = false;  // Budapest Art. 29(7): "not less than sixty days"
  std::optional<Period> extension;
  std::optional<int> max_extensions;  // empty: as often as the law allows
  std::string note;
};

struct ClockRule {
  bool pauses_for_clarification = false;
  bool liaisons_reading = false;  // true where the text is silent and this is Liaison's reading
  std::string note;
};

struct NotificationDuty {
  bool required = false;
  std::string to;  // "the enforcing authority of the provider's Member State"
  bool suspensive = false;
  bool suspensive_in_emergency = false;
  std::optional<Period> objection_window;  // EU Art. 10(4): 96 hours
  std::string exception;                   // when none is due
  std::string note;
};

// One way to obtain data: an instrument, its articles, and everything the hub
// needs to offer, check and time a request on it.
struct Route {
  std::string id;  // "<instrument>/<name>": "eu-2023-1543/epoc-subscriber"
  std::string name;
  std::string instrument;             // Instrument::id
  std::vector<std::string> articles;  // Article::id in that instrument
  Channel channel = Channel::kProvider;
  int rank = 100;  // lower is preferred
  std::vector<Kind> kinds;
  std::vector<DataCategory> categories;
  std::vector<Urgency> urgency;
  std::string not_covered_reason;  // said when a category is not covered
  Scope scope;
  IssuerRule issuers;
  Threshold threshold;
  Deadlines deadlines;
  std::optional<PreservationRule> preservation;
  ClockRule clock;
  NotificationDuty notification;
  std::vector<std::string>
      required_fields;  // request JSON fields: "legal_basis.domestic_reference"
  std::vector<std::string> forms;
  std::vector<std::string> notes;
  std::vector<Citation> citations;                      // the articles' and the route's own
  Verification verification = Verification::kVerified;  // the weakest of all of them
};

// Everything loaded from data/law/.
struct LawBook {
  std::vector<Instrument> instruments;
  std::vector<PartyTable> party_tables;
  std::vector<Route> routes;  // in rank order, then by id

  const Instrument* instrument(const std::string& id) const;
  const PartyTable* party_table(const std::string& id) const;
  const Route* route(const std::string& id) const;
  // A country's name from any party table, or the code itself.
  std::string country_name(const std::string& code) const;
};

// The request fields a route may require (RequestDraft, as JSON names).
const std::vector<std::string>& request_field_names();

}  // namespace liaison::law
