#include "common/paths.h"

#include <vector>

namespace hivesec {
namespace {

// Splits and normalizes; `clamp` decides whether ".." above the root is clamped or an error.
bool normalize_parts(std::string_view raw, bool clamp, std::vector<std::string_view>& parts) {
  size_t i = 0;
  while (i <= raw.size()) {
    size_t j = raw.find('/', i);
    if (j == std::string_view::npos) j = raw.size();
    std::string_view c = raw.substr(i, j - i);
    if (c.empty() || c == ".") {
      // skip
    } else if (c == "..") {
      if (parts.empty()) {
        if (!clamp) return false;
      } else {
        parts.pop_back();
      }
    } else {
      parts.push_back(c);
    }
    i = j + 1;
  }
  return true;
}

std::string join(const std::vector<std::string_view>& parts) {
  std::string out;
  for (auto p : parts) {
    if (!out.empty()) out.push_back('/');
    out.append(p);
  }
  return out;
}

}  // namespace

Result<std::string> normalize_entry_path(std::string_view raw) {
  if (raw.find('\0') != std::string_view::npos) {
    return make_error(Errc::kCorrupt, "entry name contains a NUL byte");
  }
  std::vector<std::string_view> parts;
  if (!normalize_parts(raw, false, parts)) {
    return make_error(Errc::kCorrupt, "entry '{}' escapes the image root", raw);
  }
  return join(parts);
}

std::string resolve_link_target(std::string_view link_path, std::string_view target) {
  std::string combined;
  if (!target.empty() && target[0] == '/') {
    combined = std::string(target);
  } else {
    combined = std::string(parent_path(link_path));
    combined.push_back('/');
    combined.append(target);
  }
  std::vector<std::string_view> parts;
  normalize_parts(combined, true, parts);
  return join(parts);
}

Result<std::string> resolve_in_root(
    std::string_view path,
    const std::function<std::optional<std::string>(const std::string&)>& readlink) {
  constexpr int kMaxHops = 40;
  int hops = 0;
  std::string pending(path);
  std::string done;
  // Walk component by component; when a prefix is a link, splice its target in front of the rest.
  while (true) {
    std::vector<std::string_view> parts;
    normalize_parts(pending, true, parts);
    std::string resolved;
    bool restarted = false;
    for (size_t k = 0; k < parts.size(); ++k) {
      std::string candidate =
          resolved.empty() ? std::string(parts[k]) : resolved + "/" + std::string(parts[k]);
      if (auto target = readlink(candidate)) {
        if (++hops > kMaxHops) {
          return make_error(Errc::kLimit, "too many levels of symbolic links resolving '{}'", path);
        }
        std::string rest;
        for (size_t r = k + 1; r < parts.size(); ++r) {
          rest.push_back('/');
          rest.append(parts[r]);
        }
        pending = resolve_link_target(candidate, *target) + rest;
        restarted = true;
        break;
      }
      resolved = std::move(candidate);
    }
    if (!restarted) return resolved;
  }
}

std::string_view parent_path(std::string_view path) {
  auto pos = path.rfind('/');
  return pos == std::string_view::npos ? std::string_view() : path.substr(0, pos);
}

std::string_view base_name(std::string_view path) {
  auto pos = path.rfind('/');
  return pos == std::string_view::npos ? path : path.substr(pos + 1);
}

bool path_within(std::string_view path, std::string_view dir) {
  if (dir.empty()) return true;
  if (path.size() < dir.size() || path.substr(0, dir.size()) != dir) return false;
  return path.size() == dir.size() || path[dir.size()] == '/';
}

}  // namespace hivesec
