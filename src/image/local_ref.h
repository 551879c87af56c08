// Private: splitting local image references "path" / "path:selector" (a tag, "repo:tag").
#pragma once

#include <string>
#include <string_view>

namespace hivesec::image::detail {

struct LocalRef {
  std::string path;
  std::string selector;  // "" when none
};

enum class LocalKind { kFile, kDirectory };

// Splits `ref` at the first ':' whose prefix names an existing file (or directory) of `kind`,
// trying the whole ref first. Returns {ref, ""} when nothing on disk matches.
LocalRef split_local_ref(const std::string& ref, LocalKind kind);

// Compression of a blob from its first bytes: "gzip", "zstd", "xz", "bzip2" or "" (none).
std::string_view sniff_compression(std::string_view head);

}  // namespace hivesec::image::detail
