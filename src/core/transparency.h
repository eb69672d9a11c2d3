// Transparency statistics: how many requests were sent, by half-year,
// requesting country and kind, with the accounts they named and how many got
// data. The hub tallies them from its ledger (TransparencyService); this is
// the pure part: the tally, small-count suppression, and the CSV export.
//
// A request counts once, in the half-year it was sent (its submission or
// receipt), in the country of the authority that sent it. "Accounts
// specified" is the number of targets it named. It counts as "data
// produced" once the provider produced data or the hub registered an
// evidence package for it. Emergency and preservation requests are the rows
// of those kinds.
//
// Published figures from 1 to 4 are shown as the band "1-4", never as the
// number: a count that small can point at a person. Zero stays zero. A share
// is given only when both of its figures are shown exactly.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <variant>
#include <vector>

namespace liaison {

inline constexpr std::int64_t kTransparencyThreshold = 5;
inline constexpr const char* kTransparencyBand = "1-4";

// "2026-H2" for a time in July to December 2026; empty when `rfc3339` does
// not start with a year and month.
std::string half_year_of(const std::string& rfc3339);

// One sent request as the ledger records it.
struct SentRequest {
  std::string request_id;
  std::string sent_at;  // RFC 3339
  std::string requesting_country;
  std::string provider_org_id;
  std::string kind;  // request_kind_name()
  std::int64_t accounts = 0;
};

// A published figure: the exact count, or the band it falls in.
using Figure = std::variant<std::int64_t, std::string>;
Figure published(std::int64_t count);

struct TransparencyRow {
  std::string period;  // "2026-H2"
  std::string country;
  std::string kind;
  Figure requests;
  Figure accounts;
  Figure with_data_produced;
  std::optional<double> produced_share;  // 0 to 1, when both figures are exact
};

class TransparencyTally {
 public:
  // Counts a sent request. A request already counted is not counted again
  // (a request is sent once; a replayed event must not double it).
  void add(const SentRequest& r);
  // Marks a counted request as having produced data; unknown ids are ignored
  // (a production recorded for a request sent before the tally began cannot
  // be placed).
  void mark_produced(const std::string& request_id);

  // The published rows, ordered by period, country and kind; only the
  // requests addressed to `provider_org_id` when it is given.
  std::vector<TransparencyRow> rows(const std::optional<std::string>& provider_org_id) const;

  std::size_t requests() const { return sent_.size(); }

 private:
  struct Counted {
    std::string period, country, kind, provider;
    std::int64_t accounts = 0;
    bool produced = false;
  };
  std::unordered_map<std::string, Counted> sent_;
};

// The rows as CSV (RFC 4180): a header line, then one line per row, with
// CRLF line ends. Banded figures appear as their band; a share that is not
// given is empty.
std::string transparency_csv(const std::vector<TransparencyRow>& rows);

}  // namespace liaison
