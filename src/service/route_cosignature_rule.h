// The co-signatures a request's legal route requires, on top of the issuing
// organisation's own policy.
//
// The law says who must validate (law::validate's required_cosignatures): a
// prosecutor or a judge, by type of authority. Certificates say who signed and
// for which organisation, not what kind of authority it is, so a validator
// counts only if this hub registers its organisation as one of those types
// (organisations.authority_type, set by the hub's administrators). An
// organisation of no recorded type validates nothing a route asks a
// particular authority to validate.
//
// An emergency order issued without prior validation (EU Art. 4(5)) needs
// none at submission: the route's warning says who validates it afterwards,
// and by when.
#pragma once

#include "service/cosignature_rule.h"
#include "service/route_service.h"

namespace liaison {

class RouteCoSignatureRule final : public CoSignatureRule {
 public:
  explicit RouteCoSignatureRule(const RouteService& routes) : routes_(routes) {}

  Result<trust::SignaturePolicy> required(ReadTx& tx, const Request& request) const override;

 private:
  const RouteService& routes_;
  OrganisationPolicyRule organisation_policy_;
};

}  // namespace liaison
