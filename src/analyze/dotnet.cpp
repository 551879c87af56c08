// .NET analyzer: NuGet packages listed in *.deps.json ("libraries": {"Name/Version": {"type":
// "package"}}). Project references (type "project") are the application itself and skipped.
#include "analyze/builtins.h"
#include "analyze/lang_util.h"
#include "common/paths.h"
#include "model/purl.h"

namespace hivesec::analyze {
namespace {

using nlohmann::json;

constexpr size_t kMaxPackages = 100000;

class DotnetAnalyzer final : public Analyzer {
 public:
  std::string_view name() const override { return "dotnet"; }
  int version() const override { return 1; }

  bool required(const FileInfo& file) const override {
    if (file.type != FileType::kRegular && file.type != FileType::kHardlink) return false;
    std::string_view base = base_name(file.path);
    return base.size() > 10 && base.ends_with(".deps.json");
  }

  Status analyze(const FileInfo&, std::string_view content, AnalysisOutput& out) const override {
    HIVESEC_TRY(json doc, lang::parse_json(content));
    if (!doc.is_object()) return make_error(Errc::kCorrupt, "deps.json is not a JSON object");
    auto libs = doc.find("libraries");
    if (libs == doc.end()) return make_error(Errc::kCorrupt, "deps.json has no 'libraries'");
    if (!libs->is_object()) return make_error(Errc::kCorrupt, "'libraries' is not an object");
    size_t count = 0;
    for (const auto& [key, lib] : libs->items()) {
      if (lang::json_string(lib, "type") != "package") continue;
      size_t slash = key.find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == key.size()) continue;
      std::string name = key.substr(0, slash);
      std::string version = key.substr(slash + 1);
      if (!lang::plausible_name(name) || !lang::plausible_name(version)) continue;
      if (++count > kMaxPackages) {
        return make_error(Errc::kLimit, "more than {} libraries", kMaxPackages);
      }
      model::Package p;
      p.type = "nuget";
      p.purl = model::make_purl("nuget", "", name, version);
      p.name = std::move(name);
      p.version = std::move(version);
      out.packages.push_back(std::move(p));
    }
    return ok_status();
  }
};

}  // namespace

std::unique_ptr<Analyzer> make_dotnet_analyzer() { return std::make_unique<DotnetAnalyzer>(); }

}  // namespace hivesec::analyze
