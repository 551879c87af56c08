// Reading SBOMs as input: a CycloneDX or SPDX document becomes the same ScanResult an image scan
// produces (asset kind kSbom, OS, packages), so everything downstream of the inventory (reports,
// vulnerability matching) works on an SBOM without the image.
//
// Formats (detected from the content, never from the file name):
//   CycloneDX JSON 1.2 to 1.6 (newer versions are read as 1.6, with a note)
//   SPDX 2.2 / 2.3 JSON, SPDX 2.x tag-value
// CycloneDX XML is recognized and refused with kUnsupported (convert it to JSON first).
//
// What is taken from the document:
//   - asset: kind kSbom, id "sha256:<hex of the bytes>", name = the described subject
//     (CycloneDX metadata.component, SPDX DESCRIBES target) or else `name`/the path; labels
//     "sbom_format" ("cyclonedx-1.6", "spdx-2.3", "spdx-2.3-tag-value") and "sbom_file".
//   - os: a CycloneDX "operating-system" component / an SPDX package whose purpose is
//     OPERATING-SYSTEM; else the distro qualifier of deb/rpm/apk purls ("debian-12",
//     "alpine-3.19.1", trivy's bare "3.19.1" with the family from the purl namespace).
//   - packages: every component (nested ones flattened) / SPDX package with a purl. type,
//     namespace, name, version and arch come from the purl and follow the conventions of
//     hivesec's own analyzers (npm "@scope/name" and composer "vendor/name" as one name, golang
//     module path split at the last '/', rpm epoch qualifier folded back into "E:V-R").
//     OS packages get their source package from hivesec:source_* properties, the purl
//     `upstream` qualifier, syft/trivy properties or the SPDX sourceInfo, else themselves.
//     What hivesec's own writers put in hivesec:* CycloneDX properties, or in the SPDX comment,
//     sourceInfo and "hivesec:<key>: <value>" annotations, restores found_by, location, layer,
//     owner, dev and metadata (go_version, main_module, ...), so hivesec's own SBOMs
//     round-trip. Components without a purl are kept when type, name and version
//     are enough to build one; the rest are skipped and counted in one note.
//   - Go: the "stdlib" pseudo-package of each Go binary carries metadata go_version; one is
//     added when the SBOM names a binary's toolchain (go_version) but has no stdlib entry.
// Package files (the list of owned files) are not carried by SBOMs and come back empty.
//
// Errors are one line and start with `name`: kInvalidArgument (not JSON, not UTF-8 text, bad
// structure), kUnsupported (no known format, CycloneDX XML, CycloneDX < 1.2, SPDX 1.x/3.x),
// kLimit (larger than kMaxSbomBytes, nested deeper than kMaxComponentDepth, more than
// kMaxSbomPackages), kNotFound / kIo for the file. Never throws.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"
#include "model/scan_result.h"

namespace hivesec::sbom {

inline constexpr std::size_t kMaxSbomBytes = 256u << 20;
inline constexpr int kMaxComponentDepth = 32;  // CycloneDX nested components
inline constexpr std::size_t kMaxSbomPackages = 2'000'000;

// Reads the SBOM file at `path` (a regular file; "-" is not special).
Result<model::ScanResult> read_sbom(const std::string& path);

// Reads an SBOM held in memory; `name` names it in errors and is the asset name fallback.
Result<model::ScanResult> read_sbom_bytes(std::string_view bytes, std::string_view name);

}  // namespace hivesec::sbom
