// Which co-signatures a request needs before a provider may act on it.
//
// This is a seam. Whether a production order needs a prosecutor's or a
// judge's co-signature depends on the legal route (EU 2023/1543 Art. 4: traffic
// and content data need a judge; subscriber data a prosecutor), which the law
// engine will decide. Until it exists, each issuing organisation states its
// own policy (OrganisationPolicyRule), and the hub applies it at receipt. The
// law engine will implement this same interface; nothing else changes.
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

// The issuing organisation's signing policy (PUT /organisations/{id}/signing-policy).
class OrganisationPolicyRule final : public CoSignatureRule {
 public:
  Result<trust::SignaturePolicy> required(ReadTx& tx, const Request& request) const override {
    LIAISON_ASSIGN_OR_RETURN(auto policy, tx.get_signing_policy(request.issuer_org_id));
    trust::SignaturePolicy out;
    if (policy) {
      out.validators = static_cast<int>(policy->validators);
      out.supervisors = static_cast<int>(policy->supervisors);
    }
    return out;
  }
};

}  // namespace liaison
