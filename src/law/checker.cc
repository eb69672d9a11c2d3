#include "law/checker.h"

namespace liaison::law {

CheckReport check_law(const std::vector<LawFile>& files, Date today) {
  CheckReport report;
  LawBook book = parse_law_collecting(files, report.problems);
  for (const auto& t : book.party_tables) {
    if (t.as_of > today) {
      report.problems.push_back({"parties/" + t.id + ".toml", "as_of",
                                 format_date(t.as_of) + " is after today, " + format_date(today)});
    }
    report.parties += static_cast<int>(t.parties.size());
    for (const auto& p : t.parties) {
      if (p.verification == Verification::kUnverified) ++report.unverified_facts;
    }
  }
  for (const auto& ins : book.instruments) {
    if (ins.verification == Verification::kUnverified) ++report.unverified_facts;
    for (const auto& a : ins.articles) {
      if (a.citation.verification == Verification::kUnverified) ++report.unverified_facts;
    }
  }
  for (const auto& r : book.routes) {
    if (r.verification == Verification::kUnverified) ++report.unverified_facts;
  }
  report.instruments = static_cast<int>(book.instruments.size());
  report.routes = static_cast<int>(book.routes.size());
  report.party_tables = static_cast<int>(book.party_tables.size());
  return report;
}

}  // namespace liaison::law
