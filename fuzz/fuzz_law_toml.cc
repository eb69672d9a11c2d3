// A rule file as arbitrary bytes: the loader must never crash, hang or accept
// something it cannot use. The bytes are tried as an instrument next to a
// small sound party table, and as a party table next to a small sound
// instrument; whatever loads must advise and validate without failing.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "law/advisor.h"
#include "law/checker.h"
#include "law/loader.h"
#include "law/validator.h"

namespace {

const char* kInstrument = R"(
id = "fuzz"
name = "A treaty"
short_name = "the treaty"
parties = "fuzz"
verification = "verified"
[entry_into_force]
consents_needed = 2
months_after = 3
[[article]]
id = "1"
title = "Orders"
cite = "Art. 1"
verification = "unverified"
[[route]]
id = "fuzz/order"
name = "An order"
articles = ["1"]
channel = "provider"
rank = 1
kinds = ["production", "preservation"]
categories = ["SubscriberData", "TrafficData"]
urgency = ["normal", "emergency"]
verification = "verified"
[route.scope]
relation = "cross_border"
requesting_party = true
provider_party = true
[route.issuers]
may_issue = ["judge"]
validators = ["judge"]
[route.deadlines]
response = { amount = 10, unit = "days" }
[route.clock]
pauses_for_clarification = true
reading = "liaison"
note = "n"
)";

const char* kParties = R"(
id = "fuzz"
instrument = "fuzz"
title = "Parties"
as_of = 2026-01-01
source = "s"
verification = "verified"
[[party]]
country = "NL"
name = "Netherlands"
consent = 2023-01-10
[[party]]
country = "BE"
name = "Belgium"
consent = 2023-02-20
)";

void exercise(const liaison::law::LawBook& book) {
  using namespace liaison::law;  // NOLINT
  Situation s;
  s.requesting_country = "NL";
  s.provider.establishment = "BE";
  s.categories = {liaison::DataCategory::kTrafficData};
  s.date = Date{2026, 9, 1};
  for (Urgency u : {Urgency::kNormal, Urgency::kEmergency}) {
    s.urgency = u;
    Advice a = advise(book, s);
    if (a.available.size() + a.unavailable.size() != book.routes.size()) std::abort();
    for (const auto& r : book.routes) {
      RequestFacts f;
      f.urgency = u;
      f.categories = s.categories;
      (void)validate(r, f);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace liaison::law;  // NOLINT
  std::string text(reinterpret_cast<const char*>(data), size);
  for (int as_parties = 0; as_parties < 2; ++as_parties) {
    std::vector<LawFile> files = as_parties
                                     ? std::vector<LawFile>{{"instruments/fuzz.toml", kInstrument},
                                                            {"parties/fuzz.toml", text}}
                                     : std::vector<LawFile>{{"instruments/fuzz.toml", text},
                                                            {"parties/fuzz.toml", kParties}};
    auto book = parse_law(files);
    CheckReport report = check_law(files, Date{2026, 6, 1});
    // The checker finds at least what the loader refused.
    if (!book.ok() && report.problems.empty()) std::abort();
    if (book.ok()) exercise(*book);
  }
  return 0;
}
