// Test helpers: build layer tars in memory and a tiny analyzer reading "pkgs.txt" files.
#pragma once

#include <string>
#include <vector>

#include "analyze/analyzer.h"

namespace hivesec::scan::testing {

struct TarItem {
  enum Kind { kFile, kDir, kSymlink, kHardlink } kind = kFile;
  std::string path;
  std::string data;  // file content, or the link target
  unsigned mode = 0644;
};

// filter: "none", "gzip" or "zstd".
std::string make_tar(const std::vector<TarItem>& items, const std::string& filter = "none");

// Reads every file named "pkgs.txt": each line "name version" becomes a package of type "test".
class LinesAnalyzer final : public analyze::Analyzer {
 public:
  std::string_view name() const override { return "lines"; }
  int version() const override { return 1; }
  bool required(const analyze::FileInfo& f) const override;
  Status analyze(const analyze::FileInfo& f, std::string_view content,
                 analyze::AnalysisOutput& out) const override;
};

}  // namespace hivesec::scan::testing
