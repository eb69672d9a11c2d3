#include "cli/cli.h"

int main(int argc, char** argv) { return liaison::cli::run_cli(argc, argv); }
