#include <gtest/gtest.h>

#include "analyze/builtins.h"

namespace hivesec::analyze {
namespace {

Status run(std::string_view content, AnalysisOutput& out) {
  auto a = make_dotnet_analyzer();
  FileInfo f;
  f.path = "app/MyApp.deps.json";
  return a->analyze(f, content, out);
}

TEST(DotnetAnalyzer, Required) {
  auto a = make_dotnet_analyzer();
  for (auto [path, want] : {std::pair{"app/MyApp.deps.json", true},
                            {"MyApp.deps.json", true},
                            {"app/.deps.json", false},
                            {"app/MyApp.runtimeconfig.json", false},
                            {"app/deps.json", false}}) {
    FileInfo f;
    f.path = path;
    EXPECT_EQ(a->required(f), want) << path;
  }
}

TEST(DotnetAnalyzer, Libraries) {
  AnalysisOutput out;
  auto st = run(R"({
    "runtimeTarget": {"name": ".NETCoreApp,Version=v6.0"},
    "libraries": {
      "MyApp/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
      "Newtonsoft.Json/13.0.1": {"type": "package", "serviceable": true,
                                 "sha512": "sha512-x", "path": "newtonsoft.json/13.0.1"},
      "System.Text.Json/6.0.0": {"type": "package"},
      "NoVersion": {"type": "package"},
      "Weird/1.0": {"type": 7},
      "Ref/2.0": {"type": "reference"}
    }})",
                out);
  ASSERT_TRUE(st.ok()) << st.error().message;
  ASSERT_EQ(out.packages.size(), 2u);
  EXPECT_EQ(out.packages[0].type, "nuget");
  EXPECT_EQ(out.packages[0].name, "Newtonsoft.Json");
  EXPECT_EQ(out.packages[0].version, "13.0.1");
  EXPECT_EQ(out.packages[0].purl, "pkg:nuget/Newtonsoft.Json@13.0.1");
  EXPECT_EQ(out.packages[1].name, "System.Text.Json");
}

TEST(DotnetAnalyzer, Malformed) {
  for (std::string bad : {std::string(R"({"libraries": {"A/1": {"type": "pack)"), std::string("[]"),
                          std::string(R"({"targets": {}})"), std::string(R"({"libraries": []})"),
                          std::string(5000, '{')}) {
    AnalysisOutput out;
    EXPECT_FALSE(run(bad, out).ok()) << bad.substr(0, 40);
    EXPECT_TRUE(out.packages.empty());
  }
}

}  // namespace
}  // namespace hivesec::analyze
