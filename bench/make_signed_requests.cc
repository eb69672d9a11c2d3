// Writes COUNT distinct signed requests, one JSON envelope per line, for the
// `signed` phase of bench/run: the request of SIGNED (GET /requests/{id}/signed,
// signed by everyone its route needs) under a fresh request id and nonce each,
// every signature made again over that payload with the key given for its
// role, and the same certificates. Each line is accepted once by the hub; a
// second use would be a replay, and quarantined.
//
// Usage: make_signed_requests SIGNED.json COUNT OUT ROLE=KEYFILE...
// (for example officer=keys/officer.key validator=keys/prosecutor.key; the
// key files' passphrase from LIAISON_KEY_PASSPHRASE).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "cli/key_files.h"
#include "cli/output.h"
#include "service/environment.h"
#include "trust/request_payload.h"
#include "trust/signed_request.h"

int main(int argc, char** argv) {
  using namespace liaison;  // NOLINT
  if (argc < 5) {
    std::cerr << "usage: make_signed_requests SIGNED.json COUNT OUT ROLE=KEYFILE...\n";
    return 2;
  }
  try {
    auto stored = trust::signed_request_from_json(cli::read_json_file(argv[1]));
    if (!stored.ok()) throw cli::CliError(cli::kExitInvalid, stored.error().message);
    std::map<std::string, trust::SecretKey> key_of_role;
    for (int i = 4; i < argc; ++i) {
      const std::string arg = argv[i];
      const auto eq = arg.find('=');
      if (eq == std::string::npos || eq == 0)
        throw cli::CliError(cli::kExitUsage, arg + ": give ROLE=KEYFILE");
      key_of_role.emplace(arg.substr(0, eq), cli::load_key(arg.substr(eq + 1)));
    }
    for (const auto& sig : stored->signatures) {
      if (key_of_role.count(sig.role) == 0)
        throw cli::CliError(cli::kExitUsage, "no key given for the " + sig.role + " signature");
    }
    const Timestamp now = SystemClock().now().floor_seconds();
    const long count = std::strtol(argv[2], nullptr, 10);
    std::ofstream out(argv[3], std::ios::trunc);
    for (long i = 0; i < count; ++i) {
      trust::SignedRequest env;
      env.payload = stored->payload;
      env.payload["request_id"] = random_uuid();
      env.payload["nonce"] = trust::new_request_nonce();
      for (const auto& sig : stored->signatures) {
        env.signatures.push_back(trust::sign_request(
            env.payload, sig.role, key_of_role.at(sig.role), sig.certificate, sig.chain, now));
      }
      out << trust::to_json(env).dump() << "\n";
    }
    if (!out) throw cli::CliError(cli::kExitFailure, std::string("cannot write ") + argv[3]);
  } catch (const cli::CliError& e) {
    std::cerr << "make_signed_requests: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
