// `liaison witness`: a second party (an oversight body, say) that checks each
// new checkpoint of a hub's ledger is consistent with the last one it signed,
// and cosigns it. A hub that rewrote its history would then need the witness
// to sign a fork, which it never does.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/cli.h"
#include "cli/key_files.h"
#include "cli/ledger_remote.h"
#include "cli/output.h"
#include "cli/remote.h"
#include "ledger/checkpoint.h"

namespace liaison::cli {

namespace {

using nlohmann::json;

struct WitnessOptions {
  Remote remote;
  std::string key_file;
  std::string name;
  std::string state;     // the last checkpoint this witness cosigned
  std::string hub_vkey;  // the hub's checkpoint key, pinned
};

ledger::NoteVerifier parse_verifier(const std::string& vkey, const std::string& what) {
  auto v = ledger::NoteVerifier::parse_vkey(vkey);
  if (!v.ok()) throw CliError(kExitUsage, what + ": " + v.error().message);
  return std::move(v).value();
}

void check_name(const std::string& name) {
  if (!ledger::valid_key_name(name))
    throw CliError(kExitUsage,
                   "--name must be a key name without spaces or '+', such as "
                   "oversight.example.org/witness");
}

void cosign(const WitnessOptions& o) {
  check_name(o.name);
  ledger::NoteVerifier hub = parse_verifier(o.hub_vkey, "--hub-vkey");
  trust::SecretKey key = load_key(o.key_file);
  HubClient c = client(o.remote);
  json cp = call(c, "GET", "/api/v1/ledger/checkpoint");
  std::string note = cp.value("note", "");
  auto opened = ledger::open_checkpoint(note, hub);
  if (!opened.ok()) {
    throw CliError(kExitInvalid, "the hub's checkpoint does not verify with --hub-vkey: " +
                                     opened.error().message);
  }
  const ledger::Checkpoint& latest = opened->checkpoint;

  std::optional<ledger::Checkpoint> last;
  if (std::filesystem::exists(o.state)) {
    std::ifstream in(o.state, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto before = ledger::open_checkpoint(ss.str(), hub);
    if (!before.ok()) throw CliError(kExitInvalid, o.state + ": " + before.error().message);
    last = before->checkpoint;
  }
  if (last) {
    if (latest.size < last->size) {
      throw CliError(kExitInvalid, "refusing to cosign: the hub's checkpoint has " +
                                       std::to_string(latest.size) + " entries, fewer than the " +
                                       std::to_string(last->size) + " this witness signed");
    }
    if (latest.size == last->size && latest.root != last->root) {
      throw CliError(kExitInvalid, "refusing to cosign a fork: two roots for " +
                                       std::to_string(latest.size) + " entries, " +
                                       ledger::to_hex(last->root) + " signed before and " +
                                       ledger::to_hex(latest.root) + " now");
    }
    if (latest.size > last->size && last->size > 0) {
      std::vector<ledger::Hash> path = fetch_consistency_proof(c, last->size, latest.size);
      Status ok =
          ledger::verify_consistency(last->size, latest.size, last->root, latest.root, path);
      if (!ok.ok()) {
        throw CliError(kExitInvalid, "refusing to cosign: the checkpoint of " +
                                         std::to_string(latest.size) +
                                         " entries is not consistent with the one of " +
                                         std::to_string(last->size) +
                                         " this witness signed: " + ok.error().message);
      }
    }
  }

  // Cosign the hub's note as signed by the hub alone.
  auto hub_lines = ledger::signature_lines(note, hub.name);
  if (!hub_lines.ok()) throw CliError(kExitInvalid, hub_lines.error().message);
  std::string hub_only = opened->text + "\n";
  for (const auto& line : *hub_lines) hub_only += line + "\n";
  auto cosigned = ledger::add_cosignature(hub_only, o.name, key);
  if (!cosigned.ok()) throw CliError(kExitInvalid, cosigned.error().message);
  json answer = call(c, "POST", "/api/v1/ledger/cosignatures", json{{"note", *cosigned}}.dump());

  std::string tmp = o.state + ".tmp";
  std::filesystem::remove(tmp);
  write_new_file(tmp, hub_only, true);
  std::filesystem::rename(tmp, o.state);
  if (o.remote.json_out) {
    std::cout << json{{"origin", latest.origin},
                      {"tree_size", latest.size},
                      {"root_hash", ledger::to_hex(latest.root)},
                      {"cosigned_by", answer.value("cosigned_by", json::array())}}
                     .dump(2)
              << "\n";
    return;
  }
  std::cout << "Cosigned the checkpoint of " << latest.size << " entries of " << latest.origin
            << " as " << o.name;
  if (last) std::cout << ", consistent with the one of " << last->size << " signed before";
  std::cout << "\n";
}

}  // namespace

void add_witness_commands(CLI::App& app) {
  auto* witness = app.add_subcommand(
      "witness", "Cosign a hub's ledger checkpoints after checking each extends the last");
  witness->require_subcommand(1);

  static std::string vkey_key, vkey_name;
  auto* vkey = witness->add_subcommand(
      "vkey", "Print the verifier key of a witness key, for the hub's --witness");
  vkey->add_option("--key", vkey_key, "The witness's key file (liaison trust keygen)")->required();
  vkey->add_option("--name", vkey_name,
                   "The witness's key name, e.g. oversight.example.org/witness")
      ->required();
  vkey->callback([] {
    check_name(vkey_name);
    trust::SecretKey key = load_key(vkey_key);
    std::cout << ledger::NoteVerifier{vkey_name, key.public_key()}.vkey() << "\n";
  });

  static WitnessOptions o;
  auto* cosign_cmd = witness->add_subcommand(
      "cosign", "Check the hub's latest checkpoint against the last one cosigned, and cosign it");
  add_remote(cosign_cmd, o.remote);
  cosign_cmd->add_option("--key", o.key_file, "The witness's key file")->required();
  cosign_cmd->add_option("--name", o.name, "The witness's key name")->required();
  cosign_cmd
      ->add_option("--state", o.state,
                   "The last checkpoint this witness cosigned; created on the first run")
      ->required();
  cosign_cmd
      ->add_option("--hub-vkey", o.hub_vkey,
                   "The hub's checkpoint key, pinned (GET /api/v1/ledger/checkpoint gives it)")
      ->required();
  cosign_cmd->callback([] { cosign(o); });
}

}  // namespace liaison::cli
