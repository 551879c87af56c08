// The checks of the "config" scanner, all targets together: the catalogue (metadata from
// rules/config/image-checks.yaml) verified against the code registries of each target, and
// the entry points that run them.
#pragma once

#include <string_view>

#include "common/result.h"
#include "config/catalogue.h"
#include "dockerfile/parser.h"
#include "model/scan_result.h"

namespace hivesec::config {

// Every id in the catalogue has a function in the registry of each of its targets, and every
// registered function has a catalogue entry naming that target. kInternal naming the first
// mismatch ("HS-IMG-002: target dockerfile has no code").
Status verify_registries(const Catalogue& catalogue);

// The bundled catalogue, parsed and verified once (thread-safe). An error is a bug in the
// bundled data or code (kInternal).
Result<const Catalogue*> builtin_catalogue();

// Image target: applies the image checks to a merged scan result (image or filesystem): adds
// their findings and replaces the per-file findings of the layer checks by their aggregates.
// Checks that need the image config or history do nothing for filesystems.
Status run_image_checks(model::ScanResult& result);

// Dockerfile target: the findings for one parsed Dockerfile; evidence.path = `path`,
// evidence.line = the instruction's first line.
Result<std::vector<model::Finding>> check_dockerfile(const dockerfile::Dockerfile& df,
                                                     std::string_view path);

}  // namespace hivesec::config
