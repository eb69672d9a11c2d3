#include "law/entry_into_force.h"

#include <algorithm>
#include <vector>

namespace liaison::law {

namespace {

std::vector<Date> consent_dates(const PartyTable& table) {
  std::vector<Date> out;
  for (const auto& p : table.parties) {
    if (p.status == PartyStatus::kParty && p.consent) out.push_back(*p.consent);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string replace_country(std::string text, const std::string& name) {
  const std::string marker = "{country}";
  for (auto at = text.find(marker); at != std::string::npos; at = text.find(marker)) {
    text.replace(at, marker.size(), name);
  }
  return text;
}

}  // namespace

int consents_by(const PartyTable& table, Date date) {
  int n = 0;
  for (const auto& d : consent_dates(table)) {
    if (d <= date) ++n;
  }
  return n;
}

std::optional<Date> instrument_in_force_from(const Instrument& instrument,
                                             const PartyTable* table) {
  const EntryIntoForce& rule = instrument.entry_into_force;
  if (rule.date) return rule.date;
  if (rule.consents_needed <= 0 || table == nullptr) return std::nullopt;
  auto dates = consent_dates(*table);
  if (static_cast<int>(dates.size()) < rule.consents_needed) return std::nullopt;
  return first_of_month_after(dates[static_cast<std::size_t>(rule.consents_needed) - 1],
                              rule.months_after);
}

std::optional<Date> party_in_force_from(const Instrument& instrument, const PartyTable& table,
                                        const PartyEntry& party) {
  if (party.status != PartyStatus::kParty) return std::nullopt;
  if (party.in_force_from) return party.in_force_from;
  auto general = instrument_in_force_from(instrument, &table);
  if (!party.consent) return general;
  const EntryIntoForce& rule = instrument.entry_into_force;
  if (!general) {
    if (rule.consents_needed > 0) return std::nullopt;  // not in force for anyone yet
    return rule.months_after > 0 ? first_of_month_after(*party.consent, rule.months_after)
                                 : *party.consent;
  }
  if (instrument.entry_into_force.months_after <= 0) return std::max(*general, *party.consent);
  return std::max(*general,
                  first_of_month_after(*party.consent, instrument.entry_into_force.months_after));
}

Binding instrument_binding(const LawBook& book, const Instrument& instrument, Date date) {
  Binding out;
  const EntryIntoForce& rule = instrument.entry_into_force;
  const PartyTable* table = book.party_table(instrument.parties);
  std::string article = rule.article.empty() ? "" : " (Art. " + rule.article + ")";
  auto from = instrument_in_force_from(instrument, table);
  if (table) out.verification = table->verification;
  if (!from && rule.consents_needed > 0) {
    int have = table ? consents_by(*table, date) : 0;
    out.reason = instrument.short_name + " is not in force: " + std::to_string(have) + " of the " +
                 std::to_string(rule.consents_needed) + " ratifications it needs" + article;
    return out;
  }
  if (from && *from > date) {
    if (rule.consents_needed > 0 && table && consents_by(*table, date) < rule.consents_needed) {
      out.reason = instrument.short_name + " is not in force on " + format_date(date) + ": " +
                   std::to_string(consents_by(*table, date)) + " of the " +
                   std::to_string(rule.consents_needed) + " ratifications it needs" + article;
    } else {
      out.reason = instrument.short_name + " enters into force on " + format_date(*from) + article;
    }
    return out;
  }
  if (rule.applicable_from && *rule.applicable_from > date) {
    out.reason = instrument.short_name + " applies from " + format_date(*rule.applicable_from);
    return out;
  }
  out.binds = true;
  out.from = rule.applicable_from ? rule.applicable_from : from;
  return out;
}

Binding country_binding(const LawBook& book, const Instrument& instrument,
                        const std::string& country, Date date) {
  Binding general = instrument_binding(book, instrument, date);
  if (!general.binds) return general;
  Binding out = membership(book, instrument, country, date);
  out.verification = weakest(out.verification, general.verification);
  if (out.binds && !out.from) out.from = general.from;
  if (out.binds && out.from && general.from) out.from = std::max(*out.from, *general.from);
  return out;
}

Binding membership(const LawBook& book, const Instrument& instrument, const std::string& country,
                   Date date) {
  Binding out;
  out.binds = true;
  const PartyTable* table = book.party_table(instrument.parties);
  if (table == nullptr) return out;  // national law: binds whoever the scope says
  // Only a reason names the country, and most calls find a party: named on demand.
  auto name = [&] { return book.country_name(country); };
  for (const auto& nb : table->not_bound) {
    if (nb.country == country) {
      out.binds = false;
      out.reason =
          nb.reason.empty() ? name() + " is not bound by " + instrument.short_name : nb.reason;
      return out;
    }
  }
  const PartyEntry* p = table->find(country);
  if (p == nullptr) {
    out.binds = false;
    out.reason = table->not_listed_reason.empty()
                     ? name() + " is not bound by " + instrument.short_name
                     : replace_country(table->not_listed_reason, name());
    return out;
  }
  out.verification = weakest(out.verification, p->verification);
  if (p->status == PartyStatus::kSignatory) {
    out.binds = false;
    out.reason = p->name + " has signed " + instrument.short_name + " but is not bound by it";
    return out;
  }
  auto from = party_in_force_from(instrument, *table, *p);
  if (from && *from > date) {
    out.binds = false;
    out.reason =
        instrument.short_name + " is in force for " + p->name + " only from " + format_date(*from);
    return out;
  }
  out.from = from;
  return out;
}

}  // namespace liaison::law
