// Path handling for paths that come from untrusted images (tar entries, symlink targets).
// All image paths inside hivesec are relative to the image root, use '/', and have no leading
// '/', no '.' or '..' components and no empty components ("usr/lib/os-release").
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hivesec {

// Normalizes a tar entry name. Leading "./" and "/" are dropped, "." and empty components are
// removed. A ".." component that would climb above the root is an error (kCorrupt): archives
// that try it are hostile. Returns "" for the root itself.
Result<std::string> normalize_entry_path(std::string_view raw);

// Joins a symlink target onto the directory holding the link and normalizes it *inside* the
// root: an absolute target starts at the root, and ".." never climbs above the root (as in a
// chroot). Never fails.
std::string resolve_link_target(std::string_view link_path, std::string_view target);

// Looks a path up through symlinks (any component may be a link) inside the image root.
// `readlink` returns the target of a path if that exact path is a symlink. Fails with kLimit
// after 40 link hops (loops) and never leaves the root.
Result<std::string> resolve_in_root(
    std::string_view path,
    const std::function<std::optional<std::string>(const std::string&)>& readlink);

// Returns the parent directory ("a/b/c" -> "a/b", "a" -> "").
std::string_view parent_path(std::string_view path);
// Returns the last component ("a/b/c" -> "c").
std::string_view base_name(std::string_view path);
// True when `path` equals `dir` or lies below it.
bool path_within(std::string_view path, std::string_view dir);

}  // namespace hivesec
