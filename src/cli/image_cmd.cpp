// `hivesec image inventory <ref>`: what is inside an image; `hivesec image scan <ref>`: and what
// is wrong with it.
#include <memory>

#include "cli/command.h"
#include "cli/scan_flags.h"
#include "cli/scan_pipeline.h"

namespace hivesec::cli {

void register_image_command(CLI::App& app, Action& action) {
  auto* image = app.add_subcommand("image", "Analyze a container image");
  image->require_subcommand(1);
  auto flags = std::make_shared<ScanFlags>();
  auto ref = std::make_shared<std::string>();
  auto* inv = image->add_subcommand("inventory", "List the OS and every package in an image");
  inv->add_option("ref", *ref,
                  "Image: docker-archive:F.tar, oci-archive:F.tar, oci:DIR, docker:NAME, a "
                  "registry reference, or a path (detected)")
      ->required();
  add_scan_flags(inv, *flags, true);
  inv->callback([&action, flags, ref] {
    action = [flags, ref] { return report_or_error(run_inventory(*ref, *flags, false), *flags); };
  });

  auto options = std::make_shared<ScanOptions>();
  auto* scan = image->add_subcommand(
      "scan", "Scan an image: inventory, then known vulnerabilities (and the other scanners)");
  scan->add_option("ref", *ref, "Image, as for `image inventory`")->required();
  add_scan_flags(scan, *flags, true);
  add_scan_options(scan, *options);
  scan->callback([&action, flags, ref, options] {
    action = [flags, ref, options] {
      return run_scan([&](const ScanFlags& f) { return run_inventory(*ref, f, false); }, *flags,
                      *options);
    };
  });
}

}  // namespace hivesec::cli
