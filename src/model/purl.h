// Package URLs (https://github.com/package-url/purl-spec): a builder and a parser.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hivesec::model {

// make_purl("deb", "debian", "libc6", "2.36-9", {{"arch","amd64"},{"distro","debian-12"}})
//   -> "pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12"
// The namespace may contain '/' (golang module paths); each segment is percent-encoded.
// Qualifiers with empty values are dropped; keys are emitted sorted.
std::string make_purl(std::string_view type, std::string_view ns, std::string_view name,
                      std::string_view version,
                      const std::map<std::string, std::string>& qualifiers = {},
                      std::string_view subpath = {});

// Percent-encodes everything but unreserved characters (and ':' which purl allows).
std::string purl_escape(std::string_view s);

// The parts of a parsed purl, percent-decoded. Only the spec's generic rules are applied (type
// and qualifier keys lowercased, empty qualifier values dropped, empty / "." / ".." subpath
// segments removed); type-specific name normalization (npm, pypi lowercase, ...) is left to
// the comparer, so the parts are what the author wrote.
struct Purl {
  std::string type;        // lowercase, never empty
  std::string namespace_;  // decoded segments joined with '/', "" when absent
  std::string name;        // never empty
  std::string version;     // "" when absent
  std::map<std::string, std::string> qualifiers;  // keys lowercase, values non-empty
  std::string subpath;                            // decoded segments joined with '/'

  // Canonical text (make_purl encoding, qualifiers sorted).
  std::string to_string() const;
};

// Parses "pkg:type/namespace/name@version?qualifiers#subpath". Errors (kInvalidArgument, one
// line): not starting with "pkg:", an invalid type or qualifier key, a missing name, a bad
// percent escape, a repeated qualifier key. Tolerates "pkg://type/..." (slashes after the
// scheme) and an unescaped '@' in the namespace (npm scopes); the version is the text after the
// last '@' of the last path segment. Never throws; linear in the input.
[[nodiscard]] Result<Purl> parse_purl(std::string_view text);

}  // namespace hivesec::model
