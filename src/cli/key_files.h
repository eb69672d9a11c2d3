// Files a signer keeps on their own machine: passphrase-protected private
// keys, certificates, trust-store bundles and signed requests.
//
// Private keys never leave these files unencrypted and never go to a hub.
// Files are written to a temporary name, fsync'd and renamed into place with
// mode 0600, and an existing file is never overwritten: losing a key file to a
// typo would lose the identity it holds.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "trust/key_file.h"
#include "trust/keys.h"

namespace liaison::cli {

// The passphrase for `what` (a path or a label): LIAISON_KEY_PASSPHRASE if set,
// otherwise asked for on the terminal without echo, otherwise one line of
// standard input. Never a command-line flag, which other users can read.
std::string read_passphrase(const std::string& what, bool confirm = false);

// Opens a key file; a wrong passphrase is a CliError naming the file.
trust::SecretKey load_key(const std::string& path);
// Seals `key` into a new file at `path`.
void save_key(const std::string& path, const trust::SecretKey& key, const std::string& passphrase,
              const trust::KeyFileOptions& options = {});

nlohmann::json read_json_file(const std::string& path);
// Writes `content` to a new file at `path` (0600 unless `world_readable`).
void write_new_file(const std::string& path, const std::string& content,
                    bool world_readable = false);

}  // namespace liaison::cli
