// `liaison law check`: everything parse_law checks, plus what depends on the
// day it is run: a party table may not claim to be as of a date in the future.
#pragma once

#include <vector>

#include "law/date.h"
#include "law/loader.h"
#include "law/model.h"

namespace liaison::law {

struct CheckReport {
  std::vector<Problem> problems;  // empty when the rules are sound
  // Counts for the summary line (of what loaded, even when there are problems).
  int instruments = 0;
  int routes = 0;
  int party_tables = 0;
  int parties = 0;           // entries over all tables
  int unverified_facts = 0;  // articles, citations, routes and entries tagged unverified
  bool ok() const { return problems.empty(); }
};

CheckReport check_law(const std::vector<LawFile>& files, Date today);

}  // namespace liaison::law
