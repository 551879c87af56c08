// Builds package URLs (https://github.com/package-url/purl-spec).
#pragma once

#include <map>
#include <string>
#include <string_view>

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

}  // namespace hivesec::model
