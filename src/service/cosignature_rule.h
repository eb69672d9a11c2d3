// Which co-signatures a request needs before a provider may act on it.
//
// Two rules implement the one interface. The issuing organisation's own
// signing policy (OrganisationPolicyRule, PUT /organisations/{id}/signing-policy)
// applies everywhere. Where a request was filed under a legal route, the
// route adds what the law requires (RouteCoSignatureRule, route_cosignature_rule.h):
// a police EPOC for subscriber data needs a prosecutor's or a judge's
// validation (EU 2023/1543 Art. 4(1)(b)), traffic and content data a judge's
// or a prosecutor's as the route says. The hub reads the rule at receipt and
// when it shows a draft what it still needs.
//
// Emergency requests need a supervisor's co-signature whatever the rule says:
// that requirement is part of signature verification itself.
#pragma once

#include "core/request.h"
#include "core/result.h"
#include "store/store.h"
#include "trust/signed_request.h"

namespace liaison {

class CoSignatureRule {
 public:
  virtual ~CoSignatureRule() = default;
  // Read in a read transaction of its own just before the receipt's write:
  // the rule in force when the request arrived.
  virtual Result<trust::SignaturePolicy> required(ReadTx& tx, const Request& request) const = 0;
};

// The issuing organisation's signing policy.
class OrganisationPolicyRule final : public CoSignatureRule {
 public:
  Result<trust::SignaturePolicy> required(ReadTx& tx, const Request& request) const override {
    LIAISON_ASSIGN_OR_RETURN(auto policy, tx.get_signing_policy(request.issuer_org_id));
    trust::SignaturePolicy out;
    if (policy) {
      out.validators = static_cast<int>(policy->validators);
      out.supervisors = static_cast<int>(policy->supervisors);
      if (out.validators > 0 || out.supervisors > 0) {
        out.basis = "the issuing organisation's signing policy";
      }
    }
    return out;
  }
};

}  // namespace liaison
