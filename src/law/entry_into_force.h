// When an instrument binds a State: the instrument's own entry into force
// (a fixed date, or computed from the consents in its party table), the date
// it applies from, and each Party's own date. Every "no" comes with the
// sentence the advisor shows.
#pragma once

#include <optional>
#include <string>

#include "law/date.h"
#include "law/model.h"

namespace liaison::law {

// The number of consents (ratifications, acceptances, approvals, accessions)
// dated on or before `date`.
int consents_by(const PartyTable& table, Date date);

// The date the instrument entered or enters into force, as far as the table
// shows: its fixed date, or for a computed rule the first day of the month
// after `months_after` months following the `consents_needed`-th consent.
// Empty while too few consents are recorded.
std::optional<Date> instrument_in_force_from(const Instrument& instrument, const PartyTable* table);

// The date a Party is bound from: the table's date, else the later of the
// instrument's entry into force and the rule applied to its own consent.
// Empty when it is not bound at all, or the date is not recorded (a Party
// listed without dates is taken to be bound).
std::optional<Date> party_in_force_from(const Instrument& instrument, const PartyTable& table,
                                        const PartyEntry& party);

struct Binding {
  bool binds = false;
  std::optional<Date> from;  // when known
  Verification verification = Verification::kVerified;
  std::string reason;  // why not, as a sentence
};

// Whether `instrument` is in force (and applies) at all on `date`.
Binding instrument_binding(const LawBook& book, const Instrument& instrument, Date date);

// Whether the party table makes `country` a Party bound on `date`, leaving
// aside whether the instrument itself is in force yet (instrument_binding).
Binding membership(const LawBook& book, const Instrument& instrument, const std::string& country,
                   Date date);

// Whether `instrument` binds `country` on `date`: the instrument is in force
// and applies, and the State is a Party for which it is in force.
Binding country_binding(const LawBook& book, const Instrument& instrument,
                        const std::string& country, Date date);

}  // namespace liaison::law
