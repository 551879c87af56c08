// OS detection: os-release (priority 100), distribution release files (50; 40 for an
// etc/debian_version that names no release, as Ubuntu's "trixie/sid"), and a distroless hint
// (10) for a dpkg status.d directory. The pipeline picks the best candidate of the image.
#include <array>
#include <map>
#include <string>
#include <string_view>

#include "analyze/analyzer.h"
#include "analyze/builtins.h"
#include "analyze/ospkg_text.h"

namespace hivesec::analyze {
namespace {

using ospkg::LineReader;
using ospkg::to_lower;
using ospkg::trim;

constexpr int kPriorityOsRelease = 100;
constexpr int kPriorityDistroFile = 50;
constexpr int kPriorityWeakDistroFile = 40;
constexpr int kPriorityHint = 10;
constexpr size_t kMaxValue = 1024;
constexpr std::string_view kStatusDir = "var/lib/dpkg/status.d";

enum class Kind {
  kOsRelease,
  kRedhatLike,  // "<Name> release <version> (<codename>)"
  kDebianVersion,
  kAlpineRelease,
  kSuseRelease,
  kLsbRelease,
  kDistrolessHint,
  kNone,
};

Kind classify(std::string_view path) {
  struct Entry {
    std::string_view path;
    Kind kind;
  };
  static constexpr std::array<Entry, 14> kFiles{{
      {"etc/os-release", Kind::kOsRelease},
      {"usr/lib/os-release", Kind::kOsRelease},
      {"etc/debian_version", Kind::kDebianVersion},
      {"etc/alpine-release", Kind::kAlpineRelease},
      {"etc/redhat-release", Kind::kRedhatLike},
      {"etc/centos-release", Kind::kRedhatLike},
      {"etc/rocky-release", Kind::kRedhatLike},
      {"etc/almalinux-release", Kind::kRedhatLike},
      {"etc/fedora-release", Kind::kRedhatLike},
      {"etc/oracle-release", Kind::kRedhatLike},
      {"etc/system-release", Kind::kRedhatLike},
      {"etc/SuSE-release", Kind::kSuseRelease},
      {"etc/lsb-release", Kind::kLsbRelease},
      {kStatusDir, Kind::kDistrolessHint},
  }};
  for (const auto& e : kFiles) {
    if (e.path == path) return e.kind;
  }
  // Files directly inside var/lib/dpkg/status.d (in case directories are not dispatched).
  if (path.size() > kStatusDir.size() + 1 && path.substr(0, kStatusDir.size()) == kStatusDir &&
      path[kStatusDir.size()] == '/' &&
      path.find('/', kStatusDir.size() + 1) == std::string_view::npos) {
    return Kind::kDistrolessHint;
  }
  return Kind::kNone;
}

// Maps an os-release ID (or a lower-cased distribution name) to the normalized family.
std::string normalize_family(std::string_view id) {
  std::string l = to_lower(trim(id));
  static const std::map<std::string, std::string, std::less<>> kMap{
      {"debian", "debian"},
      {"ubuntu", "ubuntu"},
      {"alpine", "alpine"},
      {"rhel", "rhel"},
      {"redhat", "rhel"},
      {"centos", "centos"},
      {"rocky", "rocky"},
      {"almalinux", "almalinux"},
      {"fedora", "fedora"},
      {"amzn", "amazon"},
      {"amazon", "amazon"},
      {"ol", "ol"},
      {"oracle", "ol"},
      {"sles", "sles"},
      {"sles_sap", "sles"},
      {"sled", "sles"},
      {"opensuse-leap", "opensuse-leap"},
      {"opensuse", "opensuse-leap"},
      {"opensuse-tumbleweed", "opensuse-tumbleweed"},
      {"wolfi", "wolfi"},
      {"chainguard", "chainguard"},
  };
  auto it = kMap.find(l);
  return it != kMap.end() ? it->second : l;
}

// Unquotes an os-release value (a shell-like assignment value: "...", '...', or bare with
// backslash escapes).
std::string unquote(std::string_view v) {
  v = trim(v);
  std::string out;
  char quote = 0;
  for (size_t i = 0; i < v.size() && out.size() < kMaxValue; ++i) {
    char c = v[i];
    if (quote == 0 && (c == '"' || c == '\'')) {
      quote = c;
    } else if (quote != 0 && c == quote) {
      quote = 0;
    } else if (c == '\\' && quote != '\'' && i + 1 < v.size()) {
      out.push_back(v[++i]);
    } else if (quote == 0 && c == '#') {
      break;  // trailing comment on an unquoted value
    } else {
      out.push_back(c);
    }
  }
  return std::string(trim(out));
}

// KEY=value lines (os-release, lsb-release) and "KEY = value" (SuSE-release).
std::map<std::string, std::string, std::less<>> parse_assignments(std::string_view content) {
  std::map<std::string, std::string, std::less<>> kv;
  LineReader lines(content);
  std::string_view line;
  size_t count = 0;
  while (lines.next(line) && count < 256) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string key(trim(line.substr(0, eq)));
    if (key.size() > 64) continue;
    kv[key] = unquote(line.substr(eq + 1));
    ++count;
  }
  return kv;
}

std::string first_line(std::string_view content) {
  LineReader lines(content);
  std::string_view line;
  while (lines.next(line)) {
    line = trim(line);
    if (!line.empty()) return std::string(line.substr(0, kMaxValue));
  }
  return {};
}

std::string lookup(const std::map<std::string, std::string, std::less<>>& kv,
                   std::string_view key) {
  auto it = kv.find(key);
  return it == kv.end() ? std::string() : it->second;
}

Status parse_os_release(std::string_view path, std::string_view content, AnalysisOutput& out) {
  auto kv = parse_assignments(content);
  std::string id = lookup(kv, "ID");
  if (id.empty()) return make_error(Errc::kCorrupt, "os-release has no ID");
  OsCandidate c;
  c.priority = kPriorityOsRelease;
  c.os.family = normalize_family(id);
  c.os.name = lookup(kv, "PRETTY_NAME");
  if (c.os.name.empty()) c.os.name = lookup(kv, "NAME");
  c.os.version = lookup(kv, "VERSION_ID");
  c.os.codename = lookup(kv, "VERSION_CODENAME");
  if (c.os.codename.empty()) c.os.codename = lookup(kv, "UBUNTU_CODENAME");
  if (c.os.codename.empty() && c.os.family == "debian") {
    // Old Debian os-release: VERSION="9 (stretch)".
    std::string v = lookup(kv, "VERSION");
    size_t open = v.find('(');
    size_t close = v.find(')', open == std::string::npos ? 0 : open);
    if (open != std::string::npos && close != std::string::npos) {
      c.os.codename = v.substr(open + 1, close - open - 1);
    }
  }
  c.os.source = std::string(path);
  out.os.push_back(std::move(c));
  return ok_status();
}

// Family from a release-file line such as "Rocky Linux release 9.3 (Blue Onyx)".
std::string family_from_name(std::string_view line) {
  std::string l = to_lower(line);
  struct Entry {
    std::string_view prefix;
    std::string_view family;
  };
  static constexpr std::array<Entry, 11> kNames{{
      {"red hat enterprise linux", "rhel"},
      {"centos", "centos"},
      {"rocky", "rocky"},
      {"almalinux", "almalinux"},
      {"fedora", "fedora"},
      {"amazon linux", "amazon"},
      {"oracle linux", "ol"},
      {"enterprise linux", "ol"},  // "Enterprise Linux Enterprise Linux Server release 5.x"
      {"cloudlinux", "cloudlinux"},
      {"opensuse", "opensuse-leap"},
      {"suse linux enterprise", "sles"},
  }};
  for (const auto& e : kNames) {
    if (l.rfind(e.prefix, 0) == 0) return std::string(e.family);
  }
  return {};
}

Status parse_redhat_like(std::string_view path, std::string_view content, AnalysisOutput& out) {
  std::string line = first_line(content);
  std::string family = family_from_name(line);
  if (family.empty()) {
    return make_error(Errc::kUnsupported, "unrecognised release line '{}'", line.substr(0, 80));
  }
  OsCandidate c;
  c.priority = kPriorityDistroFile;
  c.os.family = family;
  c.os.name = line;
  c.os.source = std::string(path);
  size_t rel = line.find(" release ");
  if (rel != std::string::npos) {
    std::string_view rest = std::string_view(line).substr(rel + 9);
    size_t sp = rest.find(' ');
    c.os.version = std::string(trim(rest.substr(0, sp)));
    size_t open = line.find('(', rel);
    size_t close = line.find(')', open == std::string::npos ? line.size() : open);
    if (open != std::string::npos && close != std::string::npos) {
      c.os.codename = line.substr(open + 1, close - open - 1);
    }
  }
  out.os.push_back(std::move(c));
  return ok_status();
}

bool starts_with_digit(std::string_view s) { return !s.empty() && s[0] >= '0' && s[0] <= '9'; }

Status parse_simple_version(std::string_view path, std::string_view content,
                            std::string_view family, std::string_view name, AnalysisOutput& out) {
  std::string v = first_line(content);
  if (v.empty()) return make_error(Errc::kCorrupt, "empty release file");
  OsCandidate c;
  c.os.family = std::string(family);
  c.os.name = std::string(name);
  c.os.source = std::string(path);
  if (starts_with_digit(v)) {
    c.priority = kPriorityDistroFile;
    c.os.version = v;
  } else {
    // "bookworm/sid": a testing/derived system; the codename is all we know.
    c.priority = kPriorityWeakDistroFile;
    c.os.codename = v.substr(0, v.find('/'));
  }
  out.os.push_back(std::move(c));
  return ok_status();
}

Status parse_suse_release(std::string_view path, std::string_view content, AnalysisOutput& out) {
  std::string line = first_line(content);
  auto kv = parse_assignments(content);
  OsCandidate c;
  c.priority = kPriorityDistroFile;
  c.os.family = family_from_name(line);
  if (c.os.family.empty()) c.os.family = "sles";
  c.os.name = line;
  c.os.version = lookup(kv, "VERSION");
  std::string patch = lookup(kv, "PATCHLEVEL");
  if (!patch.empty() && patch != "0" && c.os.version.find('.') == std::string::npos) {
    c.os.version += "." + patch;
  }
  c.os.codename = lookup(kv, "CODENAME");
  c.os.source = std::string(path);
  out.os.push_back(std::move(c));
  return ok_status();
}

Status parse_lsb_release(std::string_view path, std::string_view content, AnalysisOutput& out) {
  auto kv = parse_assignments(content);
  std::string id = lookup(kv, "DISTRIB_ID");
  if (id.empty()) return make_error(Errc::kCorrupt, "lsb-release has no DISTRIB_ID");
  OsCandidate c;
  c.priority = kPriorityDistroFile;
  c.os.family = normalize_family(id);
  c.os.name = lookup(kv, "DISTRIB_DESCRIPTION");
  c.os.version = lookup(kv, "DISTRIB_RELEASE");
  c.os.codename = lookup(kv, "DISTRIB_CODENAME");
  c.os.source = std::string(path);
  out.os.push_back(std::move(c));
  return ok_status();
}

class OsReleaseAnalyzer final : public Analyzer {
 public:
  std::string_view name() const override { return "os"; }
  int version() const override { return 1; }
  bool required(const FileInfo& file) const override {
    Kind k = classify(file.path);
    if (k == Kind::kNone) return false;
    if (k == Kind::kDistrolessHint) {
      return file.type == FileType::kDirectory || file.type == FileType::kRegular;
    }
    return file.type == FileType::kRegular;
  }
  int64_t max_size() const override { return 64 << 10; }

  Status analyze(const FileInfo& file, std::string_view content,
                 AnalysisOutput& out) const override {
    Kind k = classify(file.path);
    if (k != Kind::kDistrolessHint && !ospkg::looks_textual(content)) {
      return make_error(Errc::kCorrupt, "binary content in an OS release file");
    }
    switch (k) {
      case Kind::kOsRelease:
        return parse_os_release(file.path, content, out);
      case Kind::kRedhatLike:
        return parse_redhat_like(file.path, content, out);
      case Kind::kDebianVersion:
        return parse_simple_version(file.path, content, "debian", "Debian GNU/Linux", out);
      case Kind::kAlpineRelease:
        return parse_simple_version(file.path, content, "alpine", "Alpine Linux", out);
      case Kind::kSuseRelease:
        return parse_suse_release(file.path, content, out);
      case Kind::kLsbRelease:
        return parse_lsb_release(file.path, content, out);
      case Kind::kDistrolessHint: {
        // A dpkg database split into status.d without os-release: Google's distroless. The
        // Debian release is unknown; a real os-release (priority 100) wins when present.
        OsCandidate c;
        c.priority = kPriorityHint;
        c.os.family = "distroless";
        c.os.name = "Distroless (Debian-based)";
        c.os.source = std::string(kStatusDir);
        out.os.push_back(std::move(c));
        return ok_status();
      }
      case Kind::kNone:
        break;
    }
    return ok_status();
  }
};

}  // namespace

std::unique_ptr<Analyzer> make_os_release_analyzer() {
  return std::make_unique<OsReleaseAnalyzer>();
}

}  // namespace hivesec::analyze
