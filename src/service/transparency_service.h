// Transparency statistics as the hub publishes them: tallied from the
// ledger's entries up to its latest checkpoint, so that every figure can be
// traced to a signed tree head that auditors hold too (core/transparency.h
// says what is counted and how small counts are hidden).
//
// The tally is kept in memory and extended as checkpoints grow, so a report
// reads only the entries added since the previous one. Anyone signed in may
// read the figures: they are aggregates, with small counts banded.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/transparency.h"
#include "store/store.h"

namespace liaison {

struct TransparencyReport {
  std::optional<LedgerCheckpointRecord> checkpoint;  // none before the first one
  std::optional<std::string> provider_org_id;        // the scope, when narrowed to one provider
  std::vector<TransparencyRow> rows;
};

class TransparencyService {
 public:
  explicit TransparencyService(Store& store) : store_(store) {}

  // The figures as of the latest checkpoint, for all requests on the hub or
  // for those addressed to one provider.
  Result<TransparencyReport> report(const std::optional<std::string>& provider_org_id);

 private:
  // Adds the entries [tallied_to_, size) to the tally.
  Status advance_to(std::int64_t size);
  Result<std::string> country_of(ReadTx& tx, const std::string& org_id);

  Store& store_;
  std::mutex mu_;
  TransparencyTally tally_;
  std::int64_t tallied_to_ = 0;
  std::unordered_map<std::string, std::string> countries_;  // organisation id -> country
};

}  // namespace liaison
