#include "service/route_cosignature_rule.h"

#include <algorithm>
#include <map>
#include <utility>

namespace liaison {

namespace {

// The hub's register of what kind of authority each organisation is, keyed
// as certificates name organisations.
using AuthorityRegister = std::map<std::pair<std::string, std::string>, AuthorityType>;

Result<AuthorityRegister> authority_register(ReadTx& tx) {
  LIAISON_ASSIGN_OR_RETURN(auto orgs, tx.list_orgs());
  AuthorityRegister out;
  for (const auto& o : orgs) {
    if (o.kind == OrgKind::kProvider) continue;
    std::optional<AuthorityType> type = o.authority_type;
    if (o.kind == OrgKind::kCentralAuthority) type = AuthorityType::kCentralAuthority;
    if (type) out.emplace(std::make_pair(o.country, o.endpoint_uid), *type);
  }
  return out;
}

std::string basis_of(const law::Route& route) {
  std::string out = "route " + route.id;
  if (!route.citations.empty()) out += " (" + route.citations.front().text + ")";
  return out;
}

}  // namespace

Result<trust::SignaturePolicy> RouteCoSignatureRule::required(ReadTx& tx,
                                                              const Request& request) const {
  LIAISON_ASSIGN_OR_RETURN(trust::SignaturePolicy out, organisation_policy_.required(tx, request));
  LIAISON_ASSIGN_OR_RETURN(std::optional<FiledRoute> filed, routes_.filed_route(tx, request));
  if (!filed) return out;
  const law::RequiredCosignatures& law = filed->validation.required_cosignatures;
  if (law.validators == 0) return out;
  // The organisation may ask for more validators than the law; the law says of whom.
  out.validators = std::max(out.validators, law.validators);
  out.validator_types = law.validator_types;
  out.basis = basis_of(*filed->route);
  LIAISON_ASSIGN_OR_RETURN(AuthorityRegister known, authority_register(tx));
  out.authority_type_of = [known = std::move(known)](const trust::OrgRef& org) {
    auto it = known.find({org.country, org.endpoint_uid});
    return it == known.end() ? std::nullopt : std::optional<AuthorityType>(it->second);
  };
  return out;
}

}  // namespace liaison
