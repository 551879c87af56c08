#include <algorithm>
#include <nlohmann/json.hpp>

#include "analyze/analyzer.h"

namespace hivesec::analyze {

void AnalysisOutput::merge(AnalysisOutput&& other) {
  auto move_all = [](auto& dst, auto& src) {
    dst.insert(dst.end(), std::make_move_iterator(src.begin()), std::make_move_iterator(src.end()));
  };
  move_all(packages, other.packages);
  move_all(os, other.os);
  move_all(package_files, other.package_files);
  move_all(package_licenses, other.package_licenses);
  move_all(notes, other.notes);
  move_all(findings, other.findings);
}

void to_json(nlohmann::json& j, const AnalysisOutput& o) {
  j = nlohmann::json::object();
  j["packages"] = o.packages;
  auto& os = j["os"] = nlohmann::json::array();
  for (const auto& c : o.os) os.push_back({{"os", c.os}, {"priority", c.priority}});
  auto& pf = j["package_files"] = nlohmann::json::array();
  for (const auto& f : o.package_files) {
    // One newline-joined string instead of an array: owned-file lists run to tens of
    // thousands of paths, and one string is much cheaper to (de)serialize than many.
    std::string joined;
    for (const auto& file : f.files) {
      joined.append(file);
      joined.push_back('\n');
    }
    pf.push_back({{"type", f.type},
                  {"package", f.package},
                  {"location", f.location},
                  {"files", std::move(joined)}});
  }
  auto& pl = j["package_licenses"] = nlohmann::json::array();
  for (const auto& l : o.package_licenses) {
    pl.push_back({{"type", l.type}, {"package", l.package}, {"licenses", l.licenses}});
  }
  j["notes"] = o.notes;
  if (!o.findings.empty()) j["findings"] = o.findings;
}

void from_json(const nlohmann::json& j, AnalysisOutput& o) {
  j.at("packages").get_to(o.packages);
  for (const auto& c : j.at("os")) {
    o.os.push_back(OsCandidate{c.at("os").get<model::OsInfo>(), c.at("priority").get<int>()});
  }
  for (const auto& f : j.at("package_files")) {
    PackageFiles pf{f.at("type"), f.at("package"), f.at("location"), {}};
    const auto& joined = f.at("files").get_ref<const std::string&>();
    size_t start = 0;
    while (start < joined.size()) {
      size_t end = joined.find('\n', start);
      if (end == std::string::npos) end = joined.size();
      pf.files.emplace_back(joined, start, end - start);
      start = end + 1;
    }
    o.package_files.push_back(std::move(pf));
  }
  for (const auto& l : j.at("package_licenses")) {
    o.package_licenses.push_back(PackageLicenses{l.at("type"), l.at("package"),
                                                 l.at("licenses").get<std::vector<std::string>>()});
  }
  j.at("notes").get_to(o.notes);
  if (auto it = j.find("findings"); it != j.end()) it->get_to(o.findings);
}

Status Registry::add(std::unique_ptr<Analyzer> analyzer) {
  if (!analyzer) return make_error(Errc::kInternal, "null analyzer registered");
  if (find(analyzer->name())) {
    return make_error(Errc::kInternal, "analyzer '{}' registered twice", analyzer->name());
  }
  analyzers_.push_back(std::move(analyzer));
  return ok_status();
}

const Analyzer* Registry::find(std::string_view name) const {
  for (const auto& a : analyzers_) {
    if (a->name() == name) return a.get();
  }
  return nullptr;
}

std::string Registry::fingerprint() const {
  std::string out;
  for (const auto& a : analyzers_) {
    if (!out.empty()) out.push_back(',');
    out += fmt::format("{}:{}", a->name(), a->version());
    if (std::string c = a->config_fingerprint(); !c.empty()) out += "[" + c + "]";
  }
  return out;
}

Status Registry::retain(const std::vector<std::string>& names) {
  for (const auto& n : names) {
    if (!find(n)) return make_error(Errc::kInvalidArgument, "unknown analyzer '{}'", n);
  }
  std::erase_if(analyzers_, [&](const auto& a) {
    return std::find(names.begin(), names.end(), a->name()) == names.end();
  });
  return ok_status();
}

bool AnalyzerOptions::wants(std::string_view scanner) const {
  return all_scanners || std::find(scanners.begin(), scanners.end(), scanner) != scanners.end();
}

void Registry::retain_scanners(const std::vector<std::string>& scanners) {
  std::erase_if(analyzers_, [&](const auto& a) {
    std::string_view s = a->scanner();
    return !s.empty() && std::find(scanners.begin(), scanners.end(), s) == scanners.end();
  });
}

}  // namespace hivesec::analyze
