// Test helpers for analyzer unit tests: run one analyzer on one in-memory file.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "analyze/analyzer.h"

namespace hivesec::analyze::testing {

struct Run {
  Status status;
  AnalysisOutput out;
};

// Analyzes `content` as the regular file `path` (size set from the content).
inline Run run_analyzer(const Analyzer& analyzer, std::string_view path, std::string_view content) {
  FileInfo f;
  f.path = path;
  f.size = static_cast<int64_t>(content.size());
  Run r;
  r.status = analyzer.analyze(f, content, r.out);
  return r;
}

// "name@version", with " dev" for development-only packages.
inline std::set<std::string> name_versions(const AnalysisOutput& out) {
  std::set<std::string> s;
  for (const auto& p : out.packages) s.insert(p.name + "@" + p.version + (p.dev ? " dev" : ""));
  return s;
}

}  // namespace hivesec::analyze::testing
