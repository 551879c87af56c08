// `hivesec fs inventory <dir>`: what is installed in a root filesystem (or the host's "/");
// `hivesec fs scan <dir>`: and its known vulnerabilities.
#include <memory>

#include "cli/command.h"
#include "cli/scan_flags.h"
#include "cli/scan_pipeline.h"

namespace hivesec::cli {

void register_fs_command(CLI::App& app, Action& action) {
  auto* fs = app.add_subcommand("fs", "Analyze a root filesystem directory");
  fs->require_subcommand(1);
  auto flags = std::make_shared<ScanFlags>();
  auto dir = std::make_shared<std::string>();
  auto* inv = fs->add_subcommand("inventory", "List the OS and every package under a directory");
  inv->add_option("dir", *dir, "Root filesystem directory (\"/\" for this host)")->required();
  add_scan_flags(inv, *flags, false);
  inv->callback([&action, flags, dir] {
    action = [flags, dir] { return report_or_error(run_fs_inventory(*dir, *flags), *flags); };
  });

  auto options = std::make_shared<ScanOptions>();
  auto* scan = fs->add_subcommand("scan", "Scan a root filesystem: inventory, then vulnerabilities");
  scan->add_option("dir", *dir, "Root filesystem directory (\"/\" for this host)")->required();
  add_scan_flags(scan, *flags, false);
  add_scan_options(scan, *options);
  scan->callback([&action, flags, dir, options] {
    action = [flags, dir, options] {
      return run_scan([&](const ScanFlags& f) { return run_fs_inventory(*dir, f); }, *flags,
                      *options);
    };
  });
}

}  // namespace hivesec::cli
