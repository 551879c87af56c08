// libFuzzer target for the language-ecosystem analyzers (npm, python, cargo-lock, gem, composer,
// dotnet) and the toml_lite reader. The first input byte picks the file kind; the rest is the
// file content.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "analyze/builtins.h"
#include "analyze/toml_lite.h"

namespace {

struct Target {
  std::unique_ptr<hivesec::analyze::Analyzer> (*make)();
  const char* path;
};

const Target kTargets[] = {
    {hivesec::analyze::make_npm_analyzer, "app/node_modules/@s/a/package.json"},
    {hivesec::analyze::make_npm_analyzer, "app/package-lock.json"},
    {hivesec::analyze::make_npm_analyzer, "app/yarn.lock"},
    {hivesec::analyze::make_python_analyzer, "x-1.dist-info/METADATA"},
    {hivesec::analyze::make_python_analyzer, "app/poetry.lock"},
    {hivesec::analyze::make_python_analyzer, "app/Pipfile.lock"},
    {hivesec::analyze::make_python_analyzer, "app/requirements.txt"},
    {hivesec::analyze::make_cargo_lock_analyzer, "app/Cargo.lock"},
    {hivesec::analyze::make_gem_analyzer, "specifications/x-1.gemspec"},
    {hivesec::analyze::make_gem_analyzer, "app/Gemfile.lock"},
    {hivesec::analyze::make_composer_analyzer, "app/composer.lock"},
    {hivesec::analyze::make_composer_analyzer, "app/vendor/composer/installed.json"},
    {hivesec::analyze::make_dotnet_analyzer, "app/App.deps.json"},
};
constexpr size_t kCount = sizeof(kTargets) / sizeof(kTargets[0]);

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto analyzers = [] {
    std::vector<std::unique_ptr<hivesec::analyze::Analyzer>> v;
    for (const auto& t : kTargets) v.push_back(t.make());
    return v;
  }();
  if (size == 0) return 0;
  size_t pick = data[0] % (kCount + 1);
  std::string_view content(reinterpret_cast<const char*>(data + 1), size - 1);
  if (pick == kCount) {
    (void)hivesec::analyze::toml::parse(content);
    return 0;
  }
  hivesec::analyze::FileInfo f;
  f.path = kTargets[pick].path;
  f.size = static_cast<int64_t>(content.size());
  hivesec::analyze::AnalysisOutput out;
  if (analyzers[pick]->required(f)) (void)analyzers[pick]->analyze(f, content, out);
  return 0;
}
