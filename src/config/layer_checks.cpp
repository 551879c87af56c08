#include "config/layer_checks.h"

#include <array>
#include <fmt/format.h>

namespace hivesec::config {

namespace {

using analyze::FileInfo;
using analyze::FileType;

constexpr std::array<std::string_view, 6> kPathDirs = {"usr/local/sbin", "usr/local/bin", "usr/sbin",
                                                       "usr/bin",        "sbin",          "bin"};

std::string_view parent(std::string_view p) {
  size_t slash = p.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : p.substr(0, slash);
}

bool in_path_dirs(std::string_view dir) {
  for (auto d : kPathDirs) {
    if (dir == d) return true;
  }
  return false;
}

bool setid_matches(const FileInfo& f) {
  return f.type == FileType::kRegular && (f.mode & 06000) != 0;
}
void setid_describe(const FileInfo& f, model::Finding& out) {
  out.title = fmt::format("{} file {}", (f.mode & 04000) ? "setuid" : "setgid", f.path);
  out.evidence.extra["mode"] = fmt::format("{:04o}", f.mode & 07777);
  out.evidence.extra["uid"] = std::to_string(f.uid);
  out.evidence.extra["per-file"] = "1";
}

bool writable_matches(const FileInfo& f) {
  if ((f.mode & 02) == 0) return false;
  if (f.type == FileType::kRegular) return in_path_dirs(parent(f.path));
  if (f.type == FileType::kDirectory) return (f.mode & 01000) == 0 && in_path_dirs(f.path);
  return false;
}
void writable_describe(const FileInfo& f, model::Finding& out) {
  out.title = fmt::format("World-writable {} {} in a PATH directory",
                          f.type == FileType::kDirectory ? "directory" : "file", f.path);
  out.evidence.extra["mode"] = fmt::format("{:04o}", f.mode & 07777);
}

bool cache_matches(const FileInfo& f) {
  return f.type == FileType::kRegular && !cache_dir_of(f.path).empty();
}
void cache_describe(const FileInfo& f, model::Finding& out) {
  out.evidence.extra["cache"] = std::string(cache_dir_of(f.path));
  out.evidence.extra["size"] = std::to_string(f.size);
  out.evidence.extra["per-file"] = "1";
}

// "home/<user>/<rest>" or "root/<rest>": the home-relative part, else "".
std::string_view home_rel(std::string_view p, std::string_view& home) {
  if (p.starts_with("root/")) {
    home = p.substr(0, 4);
    return p.substr(5);
  }
  if (p.starts_with("home/")) {
    size_t slash = p.find('/', 5);
    if (slash == std::string_view::npos) return {};
    home = p.substr(0, slash);
    return p.substr(slash + 1);
  }
  return {};
}

}  // namespace

std::string_view cache_dir_of(std::string_view p) {
  if (p.starts_with("var/cache/apt/archives/")) {
    return p.ends_with(".deb") ? p.substr(0, 22) : std::string_view{};
  }
  if (p.starts_with("var/lib/apt/lists/")) {
    std::string_view rest = p.substr(18);
    if (rest.find('/') != std::string_view::npos || rest == "lock") return {};
    return p.substr(0, 17);
  }
  for (std::string_view d : {"var/cache/apk/", "var/cache/yum/", "var/cache/dnf/"}) {
    if (p.starts_with(d)) return p.substr(0, d.size() - 1);
  }
  std::string_view home;
  std::string_view rel = home_rel(p, home);
  for (std::string_view d : {".cache/pip/", ".npm/_cacache/"}) {
    if (rel.starts_with(d)) return p.substr(0, home.size() + 1 + d.size() - 1);
  }
  return {};
}

const std::map<std::string_view, LayerCheck>& layer_checks() {
  static const std::map<std::string_view, LayerCheck> kChecks = {
      {"HS-IMG-008", {setid_matches, setid_describe}},
      {"HS-IMG-009", {writable_matches, writable_describe}},
      {"HS-IMG-010", {cache_matches, cache_describe}},
  };
  return kChecks;
}

}  // namespace hivesec::config
