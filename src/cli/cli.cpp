#include "cli/cli.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace hivesec::cli {

int run(int argc, char** argv) {
  CLI::App app{"hivesec: container security platform"};
  app.set_version_flag("--version", std::string("hivesec ") + HIVESEC_VERSION);
  app.require_subcommand(1);
  bool debug = false;
  app.add_flag("--debug", debug, "Verbose logs on stderr");

  Action action;
  // Every subcommand, in the order `--help` shows them.
  register_image_command(app, action);
  register_fs_command(app, action);
  register_sbom_command(app, action);
  register_config_command(app, action);
  register_bench_command(app, action);
  register_rules_command(app, action);
  register_version_command(app, action);
  register_db_command(app, action);
  register_vuln_command(app, action);
  register_sensor_command(app, action);
  register_agent_command(app, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  // Logs go to stderr: stdout carries the report.
  spdlog::set_default_logger(spdlog::stderr_color_mt("hivesec"));
  spdlog::set_level(debug ? spdlog::level::debug : spdlog::level::warn);
  if (!action) return 2;
  try {
    return action();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hivesec: internal error: %s\n", e.what());
    return 3;
  }
}

}  // namespace hivesec::cli
