// Entry into force, computed from party tables the way the treaties say, and
// the rules shipped in data/law/ passing their own check.
#include "law/entry_into_force.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "law/checker.h"
#include "law/loader.h"

namespace liaison::law {
namespace {

TEST(LawDates, FirstOfTheMonthAfterThreeMonths) {
  // The Budapest Convention's dates in FACTS.md: deposit -> in force.
  EXPECT_EQ(first_of_month_after(Date{2024, 7, 29}, 3), (Date{2024, 11, 1}));  // Côte d'Ivoire
  EXPECT_EQ(first_of_month_after(Date{2025, 8, 28}, 3), (Date{2025, 12, 1}));  // New Zealand
  EXPECT_EQ(first_of_month_after(Date{2023, 12, 15}, 3), (Date{2024, 4, 1}));  // Cameroon
  EXPECT_EQ(first_of_month_after(Date{2022, 7, 6}, 3), (Date{2022, 11, 1}));   // Nigeria
  EXPECT_EQ(first_of_month_after(Date{2024, 7, 1}, 3), (Date{2024, 11, 1}));
  EXPECT_EQ(first_of_month_after(Date{2025, 10, 31}, 3), (Date{2026, 2, 1}));  // across a year
}

TEST(LawDates, ParsesAndFormatsCalendarDates) {
  auto d = parse_date("2026-08-18", "date");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, (Date{2026, 8, 18}));
  EXPECT_EQ(format_date(*d), "2026-08-18");
  EXPECT_FALSE(parse_date("2026-02-29", "date").ok());
  EXPECT_TRUE(parse_date("2028-02-29", "date").ok());
  EXPECT_FALSE(parse_date("2026-8-18", "date").ok());
  EXPECT_EQ(date_of(Timestamp::from_seconds(1787011200)), (Date{2026, 8, 18}));  // 00:00 UTC
  EXPECT_EQ(date_of(Timestamp::from_seconds(1787011199)), (Date{2026, 8, 17}));
}

class ShippedLaw : public ::testing::Test {
 protected:
  static const LawBook& book() {
    static const LawBook kBook = [] {
      auto b = load_law(LIAISON_SOURCE_DIR "/data/law");
      if (!b.ok()) throw std::runtime_error(b.error().message);
      return std::move(b).value();
    }();
    return kBook;
  }
};

TEST_F(ShippedLaw, PassesTheCheck) {
  auto files = read_law_files(LIAISON_SOURCE_DIR "/data/law");
  ASSERT_TRUE(files.ok()) << files.error().message;
  CheckReport r = check_law(*files, Date{2026, 6, 1});
  std::string lines;
  for (const auto& p : r.problems) lines += p.line() + "\n";
  EXPECT_TRUE(r.ok()) << lines;
  EXPECT_EQ(r.instruments, 6);
  EXPECT_GT(r.unverified_facts, 0);
}

TEST_F(ShippedLaw, SecondProtocolIsNotInForceWithThreeConsents) {
  const Instrument* sap = book().instrument("sap");
  ASSERT_NE(sap, nullptr);
  const PartyTable* t = book().party_table("sap");
  EXPECT_EQ(consents_by(*t, Date{2026, 6, 1}), 3);
  EXPECT_EQ(instrument_in_force_from(*sap, t), std::nullopt);
  Binding b = instrument_binding(book(), *sap, Date{2026, 6, 1});
  EXPECT_FALSE(b.binds);
  EXPECT_EQ(b.reason,
            "the Second Additional Protocol is not in force: 3 of the 5 ratifications it needs "
            "(Art. 16)");
}

TEST_F(ShippedLaw, SecondProtocolComesIntoForceAfterTheFifthConsent) {
  LawBook b = book();
  PartyTable& t = const_cast<PartyTable&>(*b.party_table("sap"));
  for (auto& p : t.parties) {
    if (p.country == "NL") p.consent = Date{2026, 3, 10};
    if (p.country == "ES") p.consent = Date{2026, 4, 20};
    if (p.country == "NO") p.consent = Date{2026, 9, 15};
    if (p.consent) p.status = PartyStatus::kParty;
  }
  const Instrument& sap = *b.instrument("sap");
  EXPECT_EQ(instrument_in_force_from(sap, &t), (Date{2026, 8, 1}));
  // Consents before entry into force: bound from it; a later one: its own date.
  EXPECT_EQ(party_in_force_from(sap, t, *t.find("RS")), (Date{2026, 8, 1}));
  EXPECT_EQ(party_in_force_from(sap, t, *t.find("ES")), (Date{2026, 8, 1}));
  EXPECT_EQ(party_in_force_from(sap, t, *t.find("NO")), (Date{2027, 1, 1}));
  EXPECT_EQ(party_in_force_from(sap, t, *t.find("FR")), std::nullopt);  // signatory only
  EXPECT_TRUE(country_binding(b, sap, "JP", Date{2026, 8, 1}).binds);
  EXPECT_FALSE(country_binding(b, sap, "JP", Date{2026, 7, 31}).binds);
  EXPECT_EQ(country_binding(b, sap, "NO", Date{2026, 12, 31}).reason,
            "the Second Additional Protocol is in force for Norway only from 2027-01-01");
}

TEST_F(ShippedLaw, BudapestDatesAreComputedFromDeposits) {
  const Instrument& bud = *book().instrument("budapest");
  const PartyTable& t = *book().party_table("budapest");
  EXPECT_EQ(party_in_force_from(bud, t, *t.find("BJ")), (Date{2024, 10, 1}));  // computed
  EXPECT_EQ(party_in_force_from(bud, t, *t.find("NZ")), (Date{2025, 12, 1}));  // as stated
  EXPECT_EQ(party_in_force_from(bud, t, *t.find("FR")), (Date{2004, 7, 1}));   // no date recorded
  EXPECT_EQ(party_in_force_from(bud, t, *t.find("IE")), std::nullopt);         // signatory
}

TEST_F(ShippedLaw, EuRegulationBindsTwentySixMemberStates) {
  const PartyTable& t = *book().party_table("eu-2023-1543");
  EXPECT_EQ(t.parties.size(), 26u);
  EXPECT_EQ(t.find("DK"), nullptr);
  const Instrument& eu = *book().instrument("eu-2023-1543");
  EXPECT_EQ(country_binding(book(), eu, "DK", Date{2026, 9, 1}).reason,
            "Denmark is not bound by EU 2023/1543");
  EXPECT_EQ(country_binding(book(), eu, "IE", Date{2026, 8, 17}).reason,
            "EU 2023/1543 applies from 2026-08-18");
  EXPECT_TRUE(country_binding(book(), eu, "IE", Date{2026, 8, 18}).binds);
}

TEST_F(ShippedLaw, EveryRouteCitesItsSources) {
  for (const auto& r : book().routes) {
    EXPECT_FALSE(r.citations.empty()) << r.id;
    EXPECT_FALSE(r.clock.note.empty()) << r.id;
  }
}

TEST(LawVocabulary, EmergencyDisclosureIsAnUrgentProduction) {
  EXPECT_EQ(kind_and_urgency(RequestKind::kEmergencyDisclosure),
            std::make_pair(Kind::kProduction, Urgency::kEmergency));
  EXPECT_EQ(kind_and_urgency(RequestKind::kPreservation),
            std::make_pair(Kind::kPreservation, Urgency::kNormal));
  EXPECT_EQ(kind_and_urgency(RequestKind::kDomainRegistration),
            std::make_pair(Kind::kDomainRegistration, Urgency::kNormal));
  EXPECT_EQ(period_text(Period{8, PeriodUnit::kHours, false}), "8 hours");
  EXPECT_EQ(period_text(Period{1, PeriodUnit::kDays, true}), "1 day");
}

}  // namespace
}  // namespace liaison::law
