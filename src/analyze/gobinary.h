// Go build information read from a compiled Go binary without a Go toolchain.
//
// The Go linker stores a 32-byte header starting with "\xff Go buildinf:" in the .go.buildinfo
// section (at the start of the writable data segment when section headers are stripped):
//   bytes 0..13  magic, byte 14 pointer size, byte 15 flags
//   flags & 1    big-endian pointers (pre-1.18 layout)
//   flags & 2    go1.18+: the Go version and the module info follow the header inline, each as
//                a uvarint length and the bytes
//   otherwise    two pointers at bytes 16 and 16+ptrsize, each to a Go string header
//                {data pointer, length} for the version and the module info
// The module info is framed by two 16-byte sentinels and holds tab-separated lines:
//   path <p> | mod <p> <v> <sum> | dep <p> <v> <sum> | => <p> <v> <sum> | build <k>=<v>
// where "=>" replaces the module of the line before it.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace hivesec::analyze {

struct GoModule {
  std::string path;
  std::string version;
  std::string sum;
  // Set when a "=>" line replaced this module. A replacement by a local directory has a path
  // and no version.
  std::string replace_path;
  std::string replace_version;
  std::string replace_sum;
};

struct GoBuildInfo {
  std::string go_version;  // as stored: "go1.19.8", "go1.21.0 X:boringcrypto", "devel ..."
  std::string path;        // main package path ("path" line); empty outside module mode
  GoModule main;           // "mod" line; empty outside module mode
  std::vector<GoModule> deps;
  std::vector<std::pair<std::string, std::string>> settings;  // "build" lines, unquoted
};

// Limits on hostile input.
inline constexpr size_t kMaxGoModinfoSize = 16u << 20;
inline constexpr size_t kMaxGoDeps = 100000;

// Reads the build info of an ELF Go binary. Errors: kNotFound when the file is an ELF file
// without Go build info, kCorrupt for a non-ELF file or malformed build info, kLimit when the
// module info exceeds the limits above.
Result<GoBuildInfo> read_go_buildinfo(std::string_view file);

// Parses module info text (sentinels already removed) into `info`. Unknown lines are ignored.
// Errors: kCorrupt for "=>" without a module to replace, kLimit above kMaxGoDeps.
Status parse_go_modinfo(std::string_view text, GoBuildInfo& info);

// The stdlib version of a Go toolchain version: "go1.19.8" -> "1.19.8",
// "go1.21.0 X:boringcrypto" -> "1.21.0", "go1.19" -> "1.19.0", "devel +abc" -> "".
std::string go_stdlib_version(std::string_view go_version);

}  // namespace hivesec::analyze
