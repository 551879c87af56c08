// .hivesecignore: findings the user has accepted, optionally until a date and only for some
// packages or paths. The format is documented for users in docs/commands/ignore-and-vex.md.
//
//   file    = { line }
//   line    = blank | comment | entry [ comment ]
//   comment = '#' { any }             (at the start of a line or after whitespace)
//   entry   = ID { ws field }
//   field   = "exp:" YYYY-MM-DD       last day the entry applies (UTC)
//           | "pkg:" PURL | "pkg:" NAME
//           | "path:" GLOB            on the finding's evidence path (see glob.h)
//
// ID is compared, ASCII case-insensitively, with the finding's rule id, its aliases and the
// advisories merged into it. Each field may appear once per entry; every field given must
// match. "pkg:" takes a purl when the text after it starts with a known purl type and '/'
// ("pkg:npm/lodash", "pkg:deb/debian/openssl@3.0.11-1"; a version-less purl matches every
// version, qualifiers are ignored) or when it is itself a purl ("pkg:pkg:npm/lodash");
// anything else is a package name ("pkg:openssl", "pkg:@babel/core",
// "pkg:github.com/spf13/cobra") compared with the installed package, the source package it was
// matched by, and the purl's name with and without namespace.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/finding.h"
#include "model/purl.h"
#include "suppress/glob.h"

namespace hivesec::suppress {

inline constexpr size_t kMaxIgnoreLineLength = 64 * 1024;

struct IgnoreEntry {
  std::string id;
  std::string expires;                 // "YYYY-MM-DD" or "" for never
  int64_t expires_day = 0;             // days since 1970-01-01 when `expires` is set
  std::optional<model::Purl> package;  // "pkg:" given as a purl
  std::string package_name;            // "pkg:" given as a name
  std::optional<Glob> path;            // "path:"
  std::string comment;                 // text after '#', trimmed
  std::string source;                  // the file it came from
  int line = 0;                        // 1-based

  // True once `today` (days since the epoch) is after the expiry day.
  bool expired(int64_t today) const { return !expires.empty() && today > expires_day; }
  // True when id and every scope match `f`. Expiry is not looked at. Pure.
  bool matches(const model::Finding& f) const;
  // "source:line".
  std::string where() const;
};

struct IgnoreFile {
  std::string source;
  std::vector<IgnoreEntry> entries;  // in file order
};

// Parses ignore-file text; `source` names it in errors and entries. A malformed line fails
// the whole file with kInvalidArgument "SOURCE:LINE: reason" (one line): a typo must not
// silently stop an entry from applying. Accepts a UTF-8 BOM and CRLF line ends. Never throws.
[[nodiscard]] Result<IgnoreFile> parse_ignore_file(std::string_view content,
                                                   std::string_view source);

// Reads (at most kMaxInputBytes) and parses the file at `path`.
[[nodiscard]] Result<IgnoreFile> load_ignore_file(const std::string& path);

}  // namespace hivesec::suppress
