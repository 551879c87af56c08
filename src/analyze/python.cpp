// Python analyzer: installed distributions (*.dist-info/METADATA, *.egg-info/PKG-INFO and
// *.egg-info files) and application lock files (poetry.lock, Pipfile.lock, requirements*.txt).
#include <cctype>
#include <optional>
#include <set>
#include <tuple>

#include "analyze/builtins.h"
#include "analyze/lang_util.h"
#include "analyze/toml_lite.h"
#include "common/paths.h"
#include "model/purl.h"

namespace hivesec::analyze {
namespace {

constexpr size_t kMaxHeaders = 10000;
constexpr size_t kMaxPackages = 200000;

model::Package make_pypi_package(std::string_view name, std::string_view version) {
  model::Package p;
  p.type = "pypi";
  p.name = std::string(name);
  p.version = std::string(version);
  p.purl = model::make_purl("pypi", "", lang::normalize_pypi_name(name), version);
  return p;
}

bool valid_dist_name(std::string_view n) {
  if (n.empty() || n.size() > 200) return false;
  for (char c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

bool valid_version(std::string_view v) {
  return !v.empty() && v.size() <= 128 && lang::plausible_name(v);
}

// RFC 822-style headers of core metadata, up to the first blank line (the body is the
// description). Continuation lines (leading whitespace) extend the previous header.
Result<std::vector<std::pair<std::string, std::string>>> parse_headers(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (std::string_view line : lang::split_lines(text)) {
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      if (headers.empty()) return make_error(Errc::kCorrupt, "metadata starts with a continuation");
      headers.back().second.push_back('\n');
      headers.back().second.append(lang::trim(line));
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return make_error(Errc::kCorrupt, "metadata line without 'Key: value'");
    }
    if (headers.size() >= kMaxHeaders) {
      return make_error(Errc::kLimit, "more than {} metadata headers", kMaxHeaders);
    }
    headers.emplace_back(std::string(lang::trim(line.substr(0, colon))),
                         std::string(lang::trim(line.substr(colon + 1))));
  }
  return headers;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

Status analyze_metadata(std::string_view content, AnalysisOutput& out) {
  HIVESEC_TRY(auto headers, parse_headers(content));
  std::string name, version, license, expression, homepage;
  std::vector<std::string> classifier_licenses;
  for (const auto& [k, v] : headers) {
    if (iequals(k, "Name") && name.empty())
      name = v;
    else if (iequals(k, "Version") && version.empty())
      version = v;
    else if (iequals(k, "License") && license.empty())
      license = v;
    else if (iequals(k, "License-Expression") && expression.empty())
      expression = v;
    else if (iequals(k, "Home-page") && homepage.empty())
      homepage = v;
    else if (iequals(k, "Classifier") && v.starts_with("License ::")) {
      std::string_view last = v;
      if (size_t sep = last.rfind("::"); sep != std::string_view::npos) {
        last = lang::trim(last.substr(sep + 2));
      }
      if (!last.empty() && last != "OSI Approved" && classifier_licenses.size() < 16) {
        classifier_licenses.emplace_back(last);
      }
    }
  }
  if (name.empty()) return make_error(Errc::kCorrupt, "metadata has no Name");
  if (version.empty()) return make_error(Errc::kCorrupt, "metadata of '{}' has no Version", name);
  if (!valid_dist_name(name)) return make_error(Errc::kCorrupt, "invalid distribution name");
  if (!valid_version(version)) return make_error(Errc::kCorrupt, "invalid version");
  model::Package p = make_pypi_package(name, version);
  // Some projects paste the whole license text into License:; only a short one-liner is a name.
  bool license_is_name = !license.empty() && license != "UNKNOWN" && license.size() <= 100 &&
                         license.find('\n') == std::string::npos;
  if (!expression.empty()) {
    p.licenses.push_back(expression);
  } else if (license_is_name) {
    p.licenses.push_back(license);
  } else {
    p.licenses = std::move(classifier_licenses);
  }
  if (!homepage.empty() && homepage != "UNKNOWN") p.metadata["homepage"] = homepage;
  out.packages.push_back(std::move(p));
  return ok_status();
}

class Collector {
 public:
  explicit Collector(AnalysisOutput& out) : out_(out) {}
  Status add(std::string_view name, std::string_view version, bool dev) {
    if (!valid_dist_name(name) || !valid_version(version)) return ok_status();
    if (seen_.size() >= kMaxPackages) {
      return make_error(Errc::kLimit, "more than {} packages", kMaxPackages);
    }
    if (!seen_.insert({lang::normalize_pypi_name(name), std::string(version), dev}).second) {
      return ok_status();
    }
    model::Package p = make_pypi_package(name, version);
    p.dev = dev;
    out_.packages.push_back(std::move(p));
    return ok_status();
  }

 private:
  AnalysisOutput& out_;
  std::set<std::tuple<std::string, std::string, bool>> seen_;
};

Status analyze_poetry_lock(std::string_view content, AnalysisOutput& out) {
  HIVESEC_TRY(toml::Value doc, toml::parse(content));
  const toml::Value* pkgs = doc.find("package");
  if (!pkgs) return ok_status();  // a lock file without dependencies
  if (!pkgs->is_array())
    return make_error(Errc::kCorrupt, "poetry.lock: 'package' is not [[package]]");
  Collector c(out);
  for (const auto& pkg : pkgs->items) {
    bool dev = pkg.string_or_empty("category") == "dev";
    if (const toml::Value* groups = pkg.find("groups"); groups && groups->is_array()) {
      bool main = false;
      for (const auto& g : groups->items) main |= g.is_string() && g.text == "main";
      dev = !main && !groups->items.empty();
    }
    HIVESEC_TRY_STATUS(c.add(pkg.string_or_empty("name"), pkg.string_or_empty("version"), dev));
  }
  return ok_status();
}

Status analyze_pipfile_lock(std::string_view content, AnalysisOutput& out) {
  HIVESEC_TRY(nlohmann::json doc, lang::parse_json(content));
  if (!doc.is_object()) return make_error(Errc::kCorrupt, "Pipfile.lock is not a JSON object");
  Collector c(out);
  for (auto [section, dev] : {std::pair{"default", false}, std::pair{"develop", true}}) {
    auto it = doc.find(section);
    if (it == doc.end() || !it->is_object()) continue;
    for (const auto& [name, entry] : it->items()) {
      std::string version = lang::json_string(entry, "version");
      std::string_view v = version;
      if (!v.starts_with("==")) continue;  // git/path/editable entries have no pinned version
      v.remove_prefix(v.starts_with("===") ? 3 : 2);
      HIVESEC_TRY_STATUS(c.add(name, lang::trim(v), dev));
    }
  }
  return ok_status();
}

// One pinned requirement "name[extras] == version ; marker" or nothing.
std::optional<std::pair<std::string_view, std::string_view>> parse_requirement(
    std::string_view line) {
  // A comment starts at '#' at the beginning or after whitespace.
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      line = line.substr(0, i);
      break;
    }
  }
  line = lang::trim(line);
  if (line.ends_with('\\')) line = lang::trim(line.substr(0, line.size() - 1));
  if (line.empty() || line.front() == '-') return std::nullopt;  // options, -r, -e, -c
  line = lang::trim(line.substr(0, line.find(';')));             // environment markers
  size_t eq = line.find("==");
  if (eq == std::string_view::npos) return std::nullopt;
  std::string_view name = lang::trim(line.substr(0, eq));
  if (size_t br = name.find('['); br != std::string_view::npos) {
    if (!name.ends_with(']')) return std::nullopt;
    name = lang::trim(name.substr(0, br));
  }
  std::string_view version = line.substr(eq + 2);
  if (version.starts_with('=')) version.remove_prefix(1);  // "===" arbitrary equality
  version = lang::trim(version);
  version = version.substr(0, version.find_first_of(" \t"));  // trailing --hash options
  if (version.find_first_of(",*<>!~") != std::string_view::npos) return std::nullopt;
  if (!valid_dist_name(name) || !valid_version(version)) return std::nullopt;
  return std::pair{name, version};
}

Status analyze_requirements(std::string_view content, AnalysisOutput& out) {
  Collector c(out);
  for (std::string_view line : lang::split_lines(content)) {
    if (auto req = parse_requirement(line)) {
      HIVESEC_TRY_STATUS(c.add(req->first, req->second, false));
    }
  }
  return ok_status();
}

bool is_requirements(std::string_view base) {
  return base.starts_with("requirements") && base.ends_with(".txt");
}

class PythonAnalyzer final : public Analyzer {
 public:
  std::string_view name() const override { return "python"; }
  int version() const override { return 1; }

  bool required(const FileInfo& file) const override {
    if (file.type != FileType::kRegular && file.type != FileType::kHardlink) return false;
    std::string_view base = base_name(file.path);
    if (base == "METADATA") return base_name(parent_path(file.path)).ends_with(".dist-info");
    if (base == "PKG-INFO") return base_name(parent_path(file.path)).ends_with(".egg-info");
    return base.ends_with(".egg-info") || base == "poetry.lock" || base == "Pipfile.lock" ||
           is_requirements(base);
  }

  Status analyze(const FileInfo& file, std::string_view content,
                 AnalysisOutput& out) const override {
    std::string_view base = base_name(file.path);
    if (base == "poetry.lock") return analyze_poetry_lock(content, out);
    if (base == "Pipfile.lock") return analyze_pipfile_lock(content, out);
    if (is_requirements(base)) return analyze_requirements(content, out);
    return analyze_metadata(content, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> make_python_analyzer() { return std::make_unique<PythonAnalyzer>(); }

}  // namespace hivesec::analyze
