// Writes COUNT distinct signed requests, one JSON envelope per line, for the
// `signed` phase of bench/run: the same request as VIEW (a GET representation)
// with a fresh request id and nonce each, signed with KEYFILE's key, whose
// certificate is found in TRUST (GET /api/v1/trust). Each line is accepted once
// by the hub; a second use would be a replay, and quarantined.
//
// Usage: make_signed_requests VIEW.json TRUST.json KEYFILE COUNT OUT
// (the key file's passphrase from LIAISON_KEY_PASSPHRASE).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "cli/key_files.h"
#include "cli/output.h"
#include "cli/request_signer.h"
#include "service/environment.h"
#include "trust/request_payload.h"
#include "trust/signed_request.h"
#include "trust/trust_store.h"

int main(int argc, char** argv) {
  using namespace liaison;  // NOLINT
  if (argc != 6) {
    std::cerr << "usage: make_signed_requests VIEW.json TRUST.json KEYFILE COUNT OUT\n";
    return 2;
  }
  try {
    nlohmann::json view = cli::read_json_file(argv[1]);
    auto store = trust::TrustStore::from_json(cli::read_json_file(argv[2]));
    if (!store.ok()) throw cli::CliError(cli::kExitInvalid, store.error().message);
    Timestamp now = SystemClock().now();
    auto signer = cli::signer_from_store(cli::load_key(argv[3]), *store, now);
    if (!signer.ok()) throw cli::CliError(cli::kExitInvalid, signer.error().message);
    long count = std::strtol(argv[4], nullptr, 10);
    std::ofstream out(argv[5], std::ios::trunc);
    for (long i = 0; i < count; ++i) {
      view["id"] = random_uuid();
      auto payload = cli::payload_from_view(view, trust::new_request_nonce(), now.floor_seconds(),
                                            std::nullopt);
      if (!payload.ok()) throw cli::CliError(cli::kExitInvalid, payload.error().message);
      trust::SignedRequest env;
      env.payload = std::move(payload).value();
      env.signatures.push_back(trust::sign_request(env.payload, "officer", signer->key,
                                                   signer->certificate, signer->chain,
                                                   now.floor_seconds()));
      out << trust::to_json(env).dump() << "\n";
    }
    if (!out) throw cli::CliError(cli::kExitFailure, std::string("cannot write ") + argv[5]);
  } catch (const cli::CliError& e) {
    std::cerr << "make_signed_requests: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
