// Subcommand plumbing: each cli/<name>_cmd.cpp defines one register function that adds its
// subcommand to the app and sets `action` when it is chosen. cli.cpp lists them.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace hivesec::cli {

using Action = std::function<int()>;

void register_image_command(CLI::App& app, Action& action);
void register_fs_command(CLI::App& app, Action& action);
void register_sbom_command(CLI::App& app, Action& action);
void register_version_command(CLI::App& app, Action& action);
void register_db_command(CLI::App& app, Action& action);
void register_vuln_command(CLI::App& app, Action& action);
void register_config_command(CLI::App& app, Action& action);
void register_bench_command(CLI::App& app, Action& action);
void register_sensor_command(CLI::App& app, Action& action);
void register_rules_command(CLI::App& app, Action& action);
void register_agent_command(CLI::App& app, Action& action);

}  // namespace hivesec::cli
