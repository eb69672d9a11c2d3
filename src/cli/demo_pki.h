// The demo hub's trust: a made-up national point of contact per country as
// the roots, which certify the demo's authorities and its provider, whose keys certify the people
// who sign and each authority's recipient key, the one evidence packages for it are sealed to.
// Private keys go into passphrase-protected files under <data>/keys/, as they would on each
// holder's own machine; the hub gets only the certificates.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/hub_runtime.h"
#include "trust/certificate.h"

namespace liaison::cli {

struct DemoSigner {
  std::string user_key;  // the demo's name for the user ("officer")
  std::string name;
  std::string email;
  Roles roles;  // the signing roles they are certified for
};

struct DemoAuthority {
  std::string key;  // "police"
  trust::OrgRef org;
  std::vector<trust::Contact> emergency_contacts;
  std::vector<DemoSigner> signers;
  // Who holds its recipient key ("Evidence unit, …"); none for a provider,
  // which receives no evidence.
  std::string recipient_name;
};

// Creates the keys and certificates, adds the certificates to the hub's trust
// store, and returns what the demo prints: the passphrase and every key file
// ("keys": {"root", "<authority>_organisation", "<authority>_recipient", and
// each signer's user key}) and, under "recipients", each authority's recipient
// certificate file.
nlohmann::json create_demo_pki(HubRuntime& hub, const std::vector<DemoAuthority>& authorities);

}  // namespace liaison::cli
