#include "law/model.h"

namespace liaison::law {

const PartyEntry* PartyTable::find(const std::string& country) const {
  for (const auto& p : parties) {
    if (p.country == country) return &p;
  }
  return nullptr;
}

const Article* Instrument::article(const std::string& article_id) const {
  for (const auto& a : articles) {
    if (a.id == article_id) return &a;
  }
  return nullptr;
}

const Instrument* LawBook::instrument(const std::string& id) const {
  for (const auto& i : instruments) {
    if (i.id == id) return &i;
  }
  return nullptr;
}

const PartyTable* LawBook::party_table(const std::string& id) const {
  for (const auto& t : party_tables) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

const Route* LawBook::route(const std::string& id) const {
  for (const auto& r : routes) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::string LawBook::country_name(const std::string& code) const {
  for (const auto& t : party_tables) {
    if (const auto* p = t.find(code); p && !p->name.empty()) return p->name;
    for (const auto& n : t.not_bound) {
      if (n.country == code && !n.name.empty()) return n.name;
    }
  }
  return code;
}

const std::vector<std::string>& request_field_names() {
  static const std::vector<std::string> kFields = {
      "categories",
      "targets",
      "period",
      "legal_basis.instrument",
      "legal_basis.article",
      "legal_basis.domestic_reference",
      "case_type",
      "offence_description",
      "max_penalty_months",
      "non_disclosure_until",
      "emergency_justification",
      "deadline",
      "issuer_reference",
  };
  return kFields;
}

}  // namespace liaison::law
