// The `liaison` command line: serving a hub, administering it locally,
// working with requests over the HTTP API, and the keys and certificates
// behind their signatures.
#pragma once

namespace CLI {
class App;
}

namespace liaison::cli {

// Runs the CLI; returns the process exit code (see output.h).
int run_cli(int argc, char** argv);

// Registration of each command family, one file each.
void add_serve_command(CLI::App& app);
void add_admin_commands(CLI::App& app);
void add_request_commands(CLI::App& app);
void add_trust_commands(CLI::App& app);
void add_ledger_commands(CLI::App& app);
void add_witness_commands(CLI::App& app);
void add_evidence_commands(CLI::App& app);
void add_law_commands(CLI::App& app);
void add_route_commands(CLI::App& app);
void add_directory_commands(CLI::App& app);
void add_hold_commands(CLI::App& app);
void add_hi1_commands(CLI::App& app);

}  // namespace liaison::cli
