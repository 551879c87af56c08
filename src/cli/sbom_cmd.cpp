// `hivesec sbom <ref>`: a CycloneDX or SPDX SBOM of an image or a root filesystem.
// `hivesec sbom inventory FILE`: the inventory an existing SBOM describes, in any report format.
// `hivesec sbom scan FILE`: that inventory's vulnerabilities, with no image needed.
#include <memory>

#include "cli/command.h"
#include "cli/scan_flags.h"
#include "cli/scan_pipeline.h"
#include "sbom/reader.h"

namespace hivesec::cli {

namespace {

CLI::App* register_sbom_inventory(CLI::App* sbom, Action& action) {
  auto flags = std::make_shared<ScanFlags>();
  auto file = std::make_shared<std::string>();
  auto* inv = sbom->add_subcommand(
      "inventory", "Read an SBOM (CycloneDX or SPDX JSON, SPDX tag-value) and report its packages");
  inv->add_option("file", *file, "The SBOM file")->required();
  inv->add_option("-f,--format", flags->format,
                  "Output format: table, json, cyclonedx, cyclonedx-1.5, spdx")
      ->capture_default_str();
  inv->add_option("-o,--output", flags->output, "Write the report to this file instead of stdout");
  inv->callback([&action, flags, file] {
    action = [flags, file] { return report_or_error(sbom::read_sbom(*file), *flags); };
  });
  return inv;
}

CLI::App* register_sbom_scan(CLI::App* sbom, Action& action) {
  auto flags = std::make_shared<ScanFlags>();
  auto options = std::make_shared<ScanOptions>();
  auto file = std::make_shared<std::string>();
  auto* scan = sbom->add_subcommand(
      "scan", "Scan the packages an SBOM lists (CycloneDX or SPDX) for known vulnerabilities");
  scan->add_option("file", *file, "The SBOM file")->required();
  scan->add_option("-f,--format", flags->format,
                   "Output format: table, json, sarif, html, cyclonedx, cyclonedx-1.5, spdx")
      ->capture_default_str();
  scan->add_option("-o,--output", flags->output, "Write the report to this file instead of stdout");
  add_scan_options(scan, *options);
  scan->callback([&action, flags, options, file] {
    action = [flags, options, file] {
      return run_scan([&](const ScanFlags&) { return sbom::read_sbom(*file); }, *flags, *options);
    };
  });
  return scan;
}

}  // namespace

void register_sbom_command(CLI::App& app, Action& action) {
  auto flags = std::make_shared<ScanFlags>();
  flags->format = "cyclonedx";
  auto ref = std::make_shared<std::string>();
  auto* sbom = app.add_subcommand("sbom", "Write a software bill of materials (CycloneDX or SPDX)");
  // Not required() at the CLI11 level: `sbom inventory FILE` has no ref.
  sbom->add_option("ref", *ref, "Image reference (as for `image inventory`) or a directory");
  add_scan_flags(sbom, *flags, true);
  CLI::App* inv = register_sbom_inventory(sbom, action);
  CLI::App* scan = register_sbom_scan(sbom, action);
  sbom->callback([&action, flags, ref, inv, scan] {
    if (inv->parsed() || scan->parsed()) return;
    if (ref->empty()) throw CLI::RequiredError("ref");
    action = [flags, ref] { return report_or_error(run_inventory(*ref, *flags, true), *flags); };
  });
}

}  // namespace hivesec::cli
