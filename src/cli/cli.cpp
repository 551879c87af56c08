#include "cli/cli.h"

#include <CLI/CLI.hpp>

namespace hivesec::cli {

int run(int argc, char** argv) {
  CLI::App app{"hivesec: container security platform"};
  app.set_version_flag("--version", std::string("hivesec ") + HIVESEC_VERSION);
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return 0;
}

}  // namespace hivesec::cli
