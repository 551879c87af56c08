// Java archives (jar, war, ear, par, jpi, hpi) read from memory: Maven coordinates from
// META-INF/maven/<g>/<a>/pom.properties, else META-INF/MANIFEST.MF, else the file name; nested
// archives (WEB-INF/lib/*.jar, BOOT-INF/lib/*.jar, lib/*.jar in EARs, ...) recursively.
//
// Packages of nested archives carry metadata "jar_path" ("WEB-INF/lib/a.jar!/lib/b.jar"); their
// `location` is left empty so the caller sets the outer file's path.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analyze/analyzer.h"

namespace hivesec::analyze {

// Bounds on hostile archives (zip bombs, deep nesting).
struct JarLimits {
  int max_depth = 5;                      // nesting levels below the outer archive
  int64_t max_total_bytes = 512ll << 20;  // decompressed bytes read, all levels together
  int64_t max_nested_size = 64ll << 20;   // one nested archive
  int64_t max_text_size = 1ll << 20;      // one pom.properties or MANIFEST.MF
  size_t max_entries = 200000;            // entries visited, all levels together
};

// True for the file names the java analyzer reads (by extension, case-insensitive).
bool is_java_archive_name(std::string_view name);

// Reads one archive. `file_name` is its base name (for the file-name fallback). Limits hit in
// nested archives and unreadable nested archives become notes in `out`. Errors: kCorrupt when
// the outer archive is not a readable zip, kLimit when the outer archive alone exceeds a limit
// (packages found before that are kept in `out`).
Status read_java_archive(std::string_view content, std::string_view file_name,
                         const JarLimits& limits, AnalysisOutput& out);

}  // namespace hivesec::analyze
