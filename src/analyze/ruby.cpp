// Ruby analyzer: installed gems (specifications/*.gemspec and specifications/default/*.gemspec,
// the Ruby stubs RubyGems writes at install time) and Gemfile.lock / gems.locked (GEM, GIT and
// PATH sections: the "    name (version)" spec lines, not the deeper dependency lines).
//
// Gemspecs are Ruby; they are never evaluated, only the plain `s.name = "x"` assignments that
// RubyGems generates are read.
#include <cctype>
#include <optional>

#include "analyze/builtins.h"
#include "analyze/lang_util.h"
#include "common/paths.h"
#include "model/purl.h"

namespace hivesec::analyze {
namespace {

constexpr size_t kMaxPackages = 100000;
constexpr size_t kMaxLicenses = 16;

bool valid_gem_token(std::string_view s) {
  if (s.empty() || s.size() > 200) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

model::Package make_gem(std::string_view name, std::string_view version,
                        std::string_view platform) {
  model::Package p;
  p.type = "gem";
  p.name = std::string(name);
  p.version = std::string(version);
  p.purl = model::make_purl("gem", "", name, version, {{"platform", std::string(platform)}});
  if (!platform.empty()) p.arch = std::string(platform);
  return p;
}

// Ruby string literals ("x" or 'x', no interpolation) in `s`, in order.
std::vector<std::string> string_literals(std::string_view s, size_t max) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size() && out.size() < max) {
    char q = s[i];
    if (q != '"' && q != '\'') {
      ++i;
      continue;
    }
    size_t j = i + 1;
    std::string lit;
    while (j < s.size() && s[j] != q) {
      if (s[j] == '\\' && j + 1 < s.size()) ++j;
      lit.push_back(s[j++]);
    }
    if (j >= s.size()) break;  // unterminated
    out.push_back(std::move(lit));
    i = j + 1;
  }
  return out;
}

// For "  s.name = "rake".freeze" and var "s", attribute "name": the right-hand side.
std::optional<std::string_view> assignment(std::string_view line, std::string_view var,
                                           std::string_view attr) {
  line = lang::trim(line);
  if (!line.starts_with(var)) return std::nullopt;
  line.remove_prefix(var.size());
  if (!line.starts_with('.')) return std::nullopt;
  line.remove_prefix(1);
  if (!line.starts_with(attr)) return std::nullopt;
  line.remove_prefix(attr.size());
  line = lang::trim(line);
  if (!line.starts_with('=') || line.starts_with("==")) return std::nullopt;
  return lang::trim(line.substr(1));
}

Status analyze_gemspec(std::string_view content, AnalysisOutput& out) {
  constexpr std::string_view kNew = "Gem::Specification.new";
  size_t at = content.find(kNew);
  if (at == std::string_view::npos) return make_error(Errc::kCorrupt, "no Gem::Specification.new");
  std::string_view rest = content.substr(at + kNew.size());
  size_t bar = rest.find('|');
  size_t nl = rest.find('\n');
  if (bar == std::string_view::npos || bar > nl) {
    return make_error(Errc::kCorrupt, "Gem::Specification.new without a block variable");
  }
  size_t bar2 = rest.find('|', bar + 1);
  if (bar2 == std::string_view::npos || bar2 > nl) {
    return make_error(Errc::kCorrupt, "unterminated block variable");
  }
  std::string_view var = lang::trim(rest.substr(bar + 1, bar2 - bar - 1));
  if (!valid_gem_token(var)) return make_error(Errc::kCorrupt, "odd block variable");

  std::string name, version;
  std::vector<std::string> licenses;
  for (std::string_view line : lang::split_lines(rest.substr(bar2 + 1))) {
    if (auto rhs = assignment(line, var, "name"); rhs && name.empty()) {
      auto lits = string_literals(*rhs, 1);
      if (!lits.empty()) name = lits[0];
    } else if (auto rhs = assignment(line, var, "version"); rhs && version.empty()) {
      auto lits = string_literals(*rhs, 1);
      if (!lits.empty()) version = lits[0];
    } else if (auto rhs = assignment(line, var, "licenses"); rhs && licenses.empty()) {
      licenses = string_literals(*rhs, kMaxLicenses);
    } else if (auto rhs = assignment(line, var, "license"); rhs && licenses.empty()) {
      licenses = string_literals(*rhs, 1);
    }
  }
  if (name.empty() || version.empty()) {
    return make_error(Errc::kCorrupt, "gemspec without a literal name and version");
  }
  if (!valid_gem_token(name) || !valid_gem_token(version)) {
    return make_error(Errc::kCorrupt, "invalid gem name or version");
  }
  model::Package p = make_gem(name, version, "");
  p.licenses = std::move(licenses);
  out.packages.push_back(std::move(p));
  return ok_status();
}

Status analyze_gemfile_lock(std::string_view content, AnalysisOutput& out) {
  std::string_view section;
  bool in_specs = false;
  size_t count = 0;
  for (std::string_view line : lang::split_lines(content)) {
    if (line.empty()) continue;
    if (line.front() != ' ') {
      section = lang::trim(line);
      in_specs = false;
      continue;
    }
    if (section != "GEM" && section != "GIT" && section != "PATH") continue;
    if (line.starts_with("  ") && !line.starts_with("   ")) {
      in_specs = lang::trim(line) == "specs:";
      continue;
    }
    // Spec lines are indented by exactly four spaces; six are their dependencies.
    if (!in_specs || !line.starts_with("    ") || line.starts_with("     ")) continue;
    std::string_view spec = lang::trim(line);
    size_t open = spec.find(" (");
    if (open == std::string_view::npos || !spec.ends_with(')')) continue;
    std::string_view name = spec.substr(0, open);
    std::string_view version = spec.substr(open + 2, spec.size() - open - 3);
    std::string_view platform;
    // "1.13.1-x86_64-linux": gem versions have no '-', so the rest is the platform.
    if (size_t dash = version.find('-'); dash != std::string_view::npos) {
      platform = version.substr(dash + 1);
      version = version.substr(0, dash);
    }
    if (!valid_gem_token(name) || !valid_gem_token(version)) continue;
    if (++count > kMaxPackages) {
      return make_error(Errc::kLimit, "more than {} gems", kMaxPackages);
    }
    model::Package p = make_gem(name, version, platform);
    if (section != "GEM") p.metadata["source"] = section == "GIT" ? "git" : "path";
    out.packages.push_back(std::move(p));
  }
  return ok_status();
}

bool is_gemspec_path(std::string_view path) {
  if (!path.ends_with(".gemspec")) return false;
  std::string_view dir = parent_path(path);
  if (base_name(dir) == "default") dir = parent_path(dir);
  return base_name(dir) == "specifications";
}

class GemAnalyzer final : public Analyzer {
 public:
  std::string_view name() const override { return "gem"; }
  int version() const override { return 1; }

  bool required(const FileInfo& file) const override {
    if (file.type != FileType::kRegular && file.type != FileType::kHardlink) return false;
    std::string_view base = base_name(file.path);
    return base == "Gemfile.lock" || base == "gems.locked" || is_gemspec_path(file.path);
  }

  Status analyze(const FileInfo& file, std::string_view content,
                 AnalysisOutput& out) const override {
    if (file.path.ends_with(".gemspec")) return analyze_gemspec(content, out);
    return analyze_gemfile_lock(content, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> make_gem_analyzer() { return std::make_unique<GemAnalyzer>(); }

}  // namespace hivesec::analyze
