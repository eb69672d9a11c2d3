#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/output.h"

namespace liaison::cli {

int run_cli(int argc, char** argv) {
  CLI::App app{
      "Liaison: a hub for lawful requests for electronic evidence between authorities and "
      "providers"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "liaison 0.1.0");
  add_serve_command(app);
  add_admin_commands(app);
  add_request_commands(app);
  add_hold_commands(app);
  add_hi1_commands(app);
  add_trust_commands(app);
  add_evidence_commands(app);
  add_directory_commands(app);
  add_ledger_commands(app);
  add_witness_commands(app);
  add_law_commands(app);
  add_route_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "liaison: " << e.what() << " (see --help)\n";
    return kExitUsage;
  } catch (const CliError& e) {
    std::cerr << "liaison: " << e.what() << "\n";
    return e.code();
  } catch (const std::exception& e) {
    std::cerr << "liaison: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace liaison::cli
