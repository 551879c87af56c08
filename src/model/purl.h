// Builds package URLs (https://github.com/package-url/purl-spec).
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

// A parsed package URL; every component is percent-decoded.
struct Purl {
  std::string type;  // lower-cased
  std::string ns;    // segments joined with '/', "" when absent
  std::string name;
  std::string version;
  std::map<std::string, std::string> qualifiers;  // keys lower-cased
  std::string subpath;

  // The purl without version, qualifiers and subpath ("pkg:npm/%40babel/core"), for matching
  // "any version of this package".
  std::string base() const;
};

// Parses "pkg:type/ns/name@version?k=v#subpath". kInvalidArgument with a one-line reason on a
// missing "pkg:" scheme, type or name, bad percent-encoding, or input over 4 KiB.
Result<Purl> parse_purl(std::string_view text);

// Percent-encodes everything but unreserved characters (and ':' which purl allows).
std::string purl_escape(std::string_view s);

}  // namespace hivesec::model
