#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "analyze/builtins.h"
#include "analyze/testing/run_analyzer.h"

namespace hivesec::analyze {
namespace {

using testing::Run;

Run run(std::string_view path, std::string_view content) {
  return testing::run_analyzer(*make_npm_analyzer(), path, content);
}

std::set<std::string> nv(const AnalysisOutput& out) { return testing::name_versions(out); }

TEST(NpmAnalyzer, Required) {
  struct Case {
    const char* path;
    bool want;
  } cases[] = {
      {"app/node_modules/foo/package.json", true},
      {"node_modules/foo/package.json", true},
      {"app/node_modules/@babel/core/package.json", true},
      {"app/node_modules/a/node_modules/b/package.json", true},
      {"app/node_modules/a/node_modules/@s/b/package.json", true},
      {"usr/lib/node_modules/npm/node_modules/semver/package.json", true},
      {"app/node_modules/.pnpm/foo@1.0.0/node_modules/foo/package.json", true},
      {"app/package.json", false},
      {"package.json", false},
      {"app/node_modules/foo/test/fixtures/package.json", false},
      {"app/node_modules/foo/lib/package.json", false},
      {"app/node_modules/foo/fixtures/node_modules/bar/package.json", false},
      {"app/node_modules/@scope/package.json", false},
      {"app/node_modules/@/x/package.json", false},
      {"app/node_modules/.cache/x/package.json", false},
      {"app/node_modules/.bin/package.json", false},
      {"app/node_modules/foo/package.json/x", false},
      {"app/package-lock.json", true},
      {"app/npm-shrinkwrap.json", true},
      {"yarn.lock", true},
      {"app/node_modules/.package-lock.json", false},
      {"app/node_modules/foo/package-lock.json", false},
      {"app/node_modules/foo/yarn.lock", false},
      {"app/package.json5", false},
  };
  auto a = make_npm_analyzer();
  for (const auto& c : cases) {
    FileInfo f;
    f.path = c.path;
    EXPECT_EQ(a->required(f), c.want) << c.path;
  }
  FileInfo dir;
  dir.path = "app/node_modules/foo/package.json";
  dir.type = FileType::kSymlink;
  EXPECT_FALSE(a->required(dir));
}

TEST(NpmAnalyzer, InstalledPackage) {
  auto r = run("app/node_modules/@babel/core/package.json",
               R"({"name":"@babel/core","version":"7.24.0","license":"MIT",
                   "homepage":"https://babel.dev"})");
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  ASSERT_EQ(r.out.packages.size(), 1u);
  const auto& p = r.out.packages[0];
  EXPECT_EQ(p.type, "npm");
  EXPECT_EQ(p.name, "@babel/core");
  EXPECT_EQ(p.version, "7.24.0");
  EXPECT_EQ(p.purl, "pkg:npm/%40babel/core@7.24.0");
  EXPECT_EQ(p.licenses, std::vector<std::string>{"MIT"});
  EXPECT_EQ(p.metadata.at("homepage"), "https://babel.dev");
  EXPECT_FALSE(p.metadata.contains("alias"));
  EXPECT_TRUE(p.location.empty());
  EXPECT_FALSE(p.dev);
}

TEST(NpmAnalyzer, LicenseForms) {
  struct Case {
    const char* json;
    std::vector<std::string> want;
  } cases[] = {
      {R"j({"name":"a","version":"1.0.0","license":"(MIT OR Apache-2.0)"})j",
       {"(MIT OR Apache-2.0)"}},
      {R"({"name":"a","version":"1.0.0","license":{"type":"ISC","url":"x"}})", {"ISC"}},
      {R"({"name":"a","version":"1.0.0","licenses":[{"type":"MIT"},{"type":"GPL-2.0"}]})",
       {"MIT", "GPL-2.0"}},
      {R"({"name":"a","version":"1.0.0","licenses":["BSD"]})", {"BSD"}},
      {R"({"name":"a","version":"1.0.0","license":42})", {}},
      {R"({"name":"a","version":"1.0.0","license":"  "})", {}},
  };
  for (const auto& c : cases) {
    auto r = run("node_modules/a/package.json", c.json);
    ASSERT_TRUE(r.status.ok()) << c.json;
    ASSERT_EQ(r.out.packages.size(), 1u);
    EXPECT_EQ(r.out.packages[0].licenses, c.want) << c.json;
  }
}

TEST(NpmAnalyzer, AliasAndNameFallback) {
  auto r = run("node_modules/wrapper/package.json", R"({"name":"real","version":"4.0.0"})");
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.out.packages.size(), 1u);
  EXPECT_EQ(r.out.packages[0].name, "real");
  EXPECT_EQ(r.out.packages[0].metadata.at("alias"), "wrapper");
  // A missing or non-string name falls back to the folder name, as npm does.
  r = run("node_modules/@s/x/package.json", R"({"name":7,"version":"1.0.0"})");
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.out.packages.size(), 1u);
  EXPECT_EQ(r.out.packages[0].name, "@s/x");
  EXPECT_EQ(r.out.packages[0].purl, "pkg:npm/%40s/x@1.0.0");
}

TEST(NpmAnalyzer, MalformedInstalled) {
  std::string deep(100000, '[');
  const char* cases[] = {
      R"({"name":"a","vers)",                    // truncated
      R"(["name","a"])",                         // not an object
      R"({"name":"a"})",                         // no version
      R"({"name":"a","version":["1"]})",         // wrong type
      "",                                        // empty
      "\xff\xfe{}",                              // garbage
      R"({"name":"bad name\n","version":"1"})",  // implausible
  };
  for (const char* c : cases) {
    auto r = run("node_modules/a/package.json", c);
    EXPECT_FALSE(r.status.ok()) << c;
    EXPECT_TRUE(r.out.packages.empty()) << c;
  }
  auto r = run("node_modules/a/package.json", deep);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.error().code, Errc::kLimit);
}

TEST(NpmAnalyzer, PackageLockV1) {
  auto r = run("app/package-lock.json", R"({
    "name": "app", "version": "1.0.0", "lockfileVersion": 1,
    "dependencies": {
      "debug": {"version": "2.6.9", "dependencies": {"ms": {"version": "2.0.0"}}},
      "ms": {"version": "2.1.3"},
      "jest": {"version": "29.0.0", "dev": true},
      "aliased": {"version": "npm:@s/real@1.2.3"},
      "gitdep": {"version": "git+https://github.com/x/y.git#abc"},
      "weird": {"version": 5},
      "notobj": 3
    }})");
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  EXPECT_EQ(nv(r.out), (std::set<std::string>{"debug@2.6.9", "ms@2.0.0", "ms@2.1.3",
                                              "jest@29.0.0 dev", "@s/real@1.2.3"}));
}

TEST(NpmAnalyzer, PackageLockV2V3) {
  auto r = run("app/package-lock.json", R"({
    "name": "app", "lockfileVersion": 3,
    "packages": {
      "": {"name": "app", "version": "1.0.0"},
      "node_modules/debug": {"version": "2.6.9", "license": "MIT"},
      "node_modules/debug/node_modules/ms": {"version": "2.0.0"},
      "node_modules/ms": {"version": "2.1.3"},
      "node_modules/@types/node": {"version": "20.1.0", "dev": true},
      "node_modules/x/node_modules/@types/node": {"version": "20.1.0", "dev": true},
      "node_modules/ws-pkg": {"resolved": "packages/ws-pkg", "link": true},
      "packages/ws-pkg": {"name": "ws-pkg", "version": "0.1.0"},
      "node_modules/alias": {"name": "real", "version": "3.0.0"},
      "node_modules/bad": {"version": {"x": 1}},
      "node_modules/devstr": {"version": "1.0.0", "dev": "yes"}
    }})");
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  EXPECT_EQ(nv(r.out),
            (std::set<std::string>{"debug@2.6.9", "ms@2.0.0", "ms@2.1.3", "@types/node@20.1.0 dev",
                                   "real@3.0.0", "devstr@1.0.0"}));
  EXPECT_EQ(r.out.packages.size(), 6u);  // the duplicate @types/node is reported once
  for (const auto& p : r.out.packages) {
    if (p.name == "debug") {
      EXPECT_EQ(p.licenses, std::vector<std::string>{"MIT"});
    }
    if (p.name == "@types/node") {
      EXPECT_EQ(p.purl, "pkg:npm/%40types/node@20.1.0");
    }
  }
}

TEST(NpmAnalyzer, MalformedLock) {
  const char* cases[] = {
      R"({"lockfileVersion": 2, "packages": {"node_modules/a": {"version": "1.0)",
      R"([1,2,3])",
      R"({"lockfileVersion": 2})",
      "null",
  };
  for (const char* c : cases) {
    auto r = run("package-lock.json", c);
    EXPECT_FALSE(r.status.ok()) << c;
  }
  // Wrong types inside are skipped, not fatal.
  auto r = run("package-lock.json", R"({"packages": [1], "dependencies": {"a": [], "b": 1}})");
  EXPECT_TRUE(r.status.ok());
  EXPECT_TRUE(r.out.packages.empty());
  std::string deep = R"({"dependencies":)";
  for (int i = 0; i < 5000; ++i) deep += R"({"a":{"version":"1.0.0","dependencies":)";
  r = run("package-lock.json", deep);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.error().code, Errc::kLimit);
}

TEST(NpmAnalyzer, YarnClassic) {
  auto r = run("app/yarn.lock", R"(# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
  version "7.12.13"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz#dcfc826beef65e75c50e21d3837d7d95798dd658"
  integrity sha512-HV1Cm0Q3ZrpCR93tkWOYiuYIgLxZXZFVG2VgK+MBWjUqZTundupbfx2aXarXuw5Ko5aMcjtJgbSs4vUGBS5v6g==
  dependencies:
    "@babel/highlight" "^7.12.13"

abbrev@1, abbrev@^1.0.0:
  version "1.1.1"

my-alias@npm:real-pkg@^2.0.0:
  version "2.1.0"

local@link:../local:
  version "0.0.0"
)");
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  EXPECT_EQ(nv(r.out),
            (std::set<std::string>{"@babel/code-frame@7.12.13", "abbrev@1.1.1", "real-pkg@2.1.0"}));
}

TEST(NpmAnalyzer, YarnBerry) {
  auto r =
      run("yarn.lock", R"(# This file is generated by running "yarn install" inside your project.

__metadata:
  version: 6
  cacheKey: 8

"@babel/code-frame@npm:^7.0.0, @babel/code-frame@npm:^7.10.4":
  version: 7.12.13
  resolution: "@babel/code-frame@npm:7.12.13"
  dependencies:
    "@babel/highlight": ^7.12.13
    version: 99.0.0
  checksum: 471532bb7cf4224adb5db91a4a4d71e4eeb2a3d24c6d8f2fd8eb37a52ce48da0a5d8c2ef6b2b8f7e0a2e0d3cb22e94b9a0bcf7d5c8fd5e3f37d6e0a8f3f2a1b1
  languageName: node
  linkType: hard

"my-app@workspace:.":
  version: 0.0.0-use.local
  resolution: "my-app@workspace:."
  languageName: unknown
  linkType: soft

"resolve@patch:resolve@^1.20.0#~builtin<compat/resolve>":
  version: 1.22.1
  resolution: "resolve@patch:resolve@npm%3A1.22.1#~builtin<compat/resolve>::version=1.22.1&hash=07638b"

"resolve@npm:^1.20.0":
  version: 1.22.1
  resolution: "resolve@npm:1.22.1"
)");
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  EXPECT_EQ(nv(r.out), (std::set<std::string>{"@babel/code-frame@7.12.13", "resolve@1.22.1"}));
}

TEST(NpmAnalyzer, MalformedYarn) {
  auto r = run("yarn.lock", "this is not a lock file\n");
  EXPECT_FALSE(r.status.ok());
  r = run("yarn.lock", "foo@1:\n  version");  // truncated: no version value
  EXPECT_TRUE(r.status.ok());
  EXPECT_TRUE(r.out.packages.empty());
  r = run("yarn.lock", std::string(100000, '\n') + std::string(1000, ':'));
  EXPECT_TRUE(r.status.ok());  // a header of colons names nothing plausible
  EXPECT_TRUE(r.out.packages.empty());
}

// ---- Real check against npm itself (skipped without npm or registry access). ----

std::string capture(const std::string& cmd) {
  std::string out;
  FILE* f = popen(cmd.c_str(), "r");
  if (!f) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  if (pclose(f) != 0 && out.empty()) return {};
  return out;
}

void collect_npm_ls(const nlohmann::json& deps, std::set<std::string>& out) {
  if (!deps.is_object()) return;
  for (const auto& [name, d] : deps.items()) {
    if (d.contains("version") && d["version"].is_string()) {
      out.insert(name + "@" + d["version"].get<std::string>());
    }
    if (d.contains("dependencies")) collect_npm_ls(d["dependencies"], out);
  }
}

TEST(NpmAnalyzer, MatchesNpmLsOnRealTree) {
  if (system("command -v npm >/dev/null 2>&1") != 0) GTEST_SKIP() << "npm not installed";
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/hivesec_npm_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  fs::path root = tmpl;
  std::string install = "cd " + root.string() +
                        " && timeout 120 npm install --prefix . is-number@7.0.0 debug@2.6.9 "
                        "ms@2.1.3 --no-audit --no-fund >/dev/null 2>&1";
  if (system(install.c_str()) != 0) {
    fs::remove_all(root);
    GTEST_SKIP() << "npm install failed (offline?)";
  }
  // A test fixture inside a package and a dot folder must not count; an extraneous one must.
  fs::create_directories(root / "node_modules/ms/test/fixtures");
  std::ofstream(root / "node_modules/ms/test/fixtures/package.json")
      << R"({"name":"fixture","version":"9.9.9"})";
  fs::create_directories(root / "node_modules/extra");
  std::ofstream(root / "node_modules/extra/package.json")
      << R"({"name":"extra","version":"0.0.1"})";

  auto a = make_npm_analyzer();
  AnalysisOutput out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file() || e.is_symlink()) continue;
    std::string rel = fs::relative(e.path(), root).string();
    FileInfo f;
    f.path = rel;
    if (!a->required(f)) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string content = ss.str();
    AnalysisOutput one;
    auto st = a->analyze(f, content, one);
    ASSERT_TRUE(st.ok()) << rel << ": " << st.error().message;
    if (rel.find("node_modules") != std::string::npos) out.merge(std::move(one));
  }
  std::set<std::string> ours;
  for (const auto& p : out.packages) {
    auto alias = p.metadata.find("alias");
    ours.insert((alias != p.metadata.end() ? alias->second : p.name) + "@" + p.version);
  }
  auto ls = nlohmann::json::parse(
      capture("cd " + root.string() + " && npm ls --all --json 2>/dev/null"), nullptr, false);
  fs::remove_all(root);
  ASSERT_TRUE(ls.is_object());
  std::set<std::string> theirs;
  collect_npm_ls(ls["dependencies"], theirs);
  EXPECT_EQ(ours, theirs);
  EXPECT_TRUE(theirs.contains("ms@2.0.0"));  // nested under debug
  EXPECT_TRUE(theirs.contains("extra@0.0.1"));
}

}  // namespace
}  // namespace hivesec::analyze
