// `hivesec sbom <ref>`: a CycloneDX or SPDX SBOM of an image or a root filesystem.
#include <memory>

#include "cli/command.h"
#include "cli/scan_flags.h"

namespace hivesec::cli {

void register_sbom_command(CLI::App& app, Action& action) {
  auto flags = std::make_shared<ScanFlags>();
  flags->format = "cyclonedx";
  auto ref = std::make_shared<std::string>();
  auto* sbom = app.add_subcommand("sbom", "Write a software bill of materials (CycloneDX or SPDX)");
  sbom->add_option("ref", *ref, "Image reference (as for `image inventory`) or a directory")
      ->required();
  add_scan_flags(sbom, *flags, true);
  sbom->callback([&action, flags, ref] {
    action = [flags, ref] { return report_or_error(run_inventory(*ref, *flags, true), *flags); };
  });
}

}  // namespace hivesec::cli
