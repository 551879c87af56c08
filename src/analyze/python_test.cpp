#include <gtest/gtest.h>

#include <set>

#include "analyze/builtins.h"
#include "analyze/testing/run_analyzer.h"

namespace hivesec::analyze {
namespace {

using testing::Run;

Run run(std::string_view path, std::string_view content) {
  return testing::run_analyzer(*make_python_analyzer(), path, content);
}

std::set<std::string> nv(const AnalysisOutput& out) { return testing::name_versions(out); }

TEST(PythonAnalyzer, Required) {
  struct Case {
    const char* path;
    FileType type;
    bool want;
  } cases[] = {
      {"usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA", FileType::kRegular,
       true},
      {"usr/lib/python3/dist-packages/foo.egg-info/PKG-INFO", FileType::kRegular, true},
      {"usr/lib/python3/dist-packages/foo-1.0.egg-info", FileType::kRegular, true},
      {"usr/lib/python3/dist-packages/foo-1.0.egg-info", FileType::kDirectory, false},
      {"app/poetry.lock", FileType::kRegular, true},
      {"app/Pipfile.lock", FileType::kRegular, true},
      {"app/requirements.txt", FileType::kRegular, true},
      {"app/requirements-dev.txt", FileType::kRegular, true},
      {"app/requirements.in", FileType::kRegular, false},
      {"x/METADATA", FileType::kRegular, false},
      {"x.dist-info/RECORD", FileType::kRegular, false},
      {"x/PKG-INFO", FileType::kRegular, false},
      {"x.dist-info/METADATA", FileType::kSymlink, false},
  };
  auto a = make_python_analyzer();
  for (const auto& c : cases) {
    FileInfo f;
    f.path = c.path;
    f.type = c.type;
    EXPECT_EQ(a->required(f), c.want) << c.path;
  }
}

TEST(PythonAnalyzer, DistInfoMetadata) {
  auto r = run("site-packages/Foo_Bar-1.0.dist-info/METADATA",
               "Metadata-Version: 2.1\r\n"
               "Name: Foo_Bar.baz\r\n"
               "Version: 1.0.post1\r\n"
               "Home-page: https://example.org\r\n"
               "License: BSD-3-Clause\r\n"
               "Classifier: License :: OSI Approved :: MIT License\r\n"
               "\r\n"
               "Name: not-this\r\n");
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  ASSERT_EQ(r.out.packages.size(), 1u);
  const auto& p = r.out.packages[0];
  EXPECT_EQ(p.type, "pypi");
  EXPECT_EQ(p.name, "Foo_Bar.baz");
  EXPECT_EQ(p.version, "1.0.post1");
  EXPECT_EQ(p.purl, "pkg:pypi/foo-bar-baz@1.0.post1");
  EXPECT_EQ(p.licenses, std::vector<std::string>{"BSD-3-Clause"});
  EXPECT_EQ(p.metadata.at("homepage"), "https://example.org");
}

TEST(PythonAnalyzer, LicensePrecedence) {
  struct Case {
    const char* headers;
    std::vector<std::string> want;
  } cases[] = {
      {"License-Expression: MIT OR Apache-2.0\nLicense: Foo\n", {"MIT OR Apache-2.0"}},
      {"License: UNKNOWN\nClassifier: License :: OSI Approved :: MIT License\n"
       "Classifier: License :: OSI Approved\nClassifier: Topic :: Utilities\n",
       {"MIT License"}},
      // A pasted license text is not a license name: fall back to the classifiers.
      {"License: Copyright (c) 2020\n        Permission is hereby granted\n"
       "Classifier: License :: OSI Approved :: BSD License\n",
       {"BSD License"}},
      {"", {}},
  };
  for (const auto& c : cases) {
    std::string text = std::string("Name: x\nVersion: 1\n") + c.headers + "\nbody";
    auto r = run("x-1.dist-info/METADATA", text);
    ASSERT_TRUE(r.status.ok()) << c.headers;
    ASSERT_EQ(r.out.packages.size(), 1u);
    EXPECT_EQ(r.out.packages[0].licenses, c.want) << c.headers;
  }
}

TEST(PythonAnalyzer, MalformedMetadata) {
  const char* cases[] = {
      "",
      "Version: 1.0\n",
      "Name: x\n",
      " continuation first\n",
      "Name x\nVersion: 1\n",
      "Name: bad name!\nVersion: 1\n",
      "Name: x\nVersion: \x01\n",
  };
  for (const char* c : cases) {
    auto r = run("x.egg-info/PKG-INFO", c);
    EXPECT_FALSE(r.status.ok()) << c;
    EXPECT_TRUE(r.out.packages.empty()) << c;
  }
  std::string many;
  for (int i = 0; i < 20000; ++i) many += "Classifier: x\n";
  auto r = run("x.egg-info", many);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.error().code, Errc::kLimit);
}

TEST(PythonAnalyzer, PoetryLock) {
  auto r = run("app/poetry.lock", R"([[package]]
name = "requests"
version = "2.31.0"
category = "main"
optional = false

[package.dependencies]
idna = ">=2.5,<4"

[[package]]
name = "pytest"
version = "7.4.0"
category = "dev"

[[package]]
name = "Black"
version = "23.1.0"
groups = ["dev", "lint"]

[[package]]
name = "click"
version = "8.1.3"
groups = ["main", "dev"]

[[package]]
name = "noversion"

[metadata]
lock-version = "2.1"

[metadata.files]
requests = [
    {file = "requests-2.31.0.tar.gz", hash = "sha256:abc"},
]
)");
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  EXPECT_EQ(nv(r.out), (std::set<std::string>{"requests@2.31.0", "pytest@7.4.0 dev",
                                              "Black@23.1.0 dev", "click@8.1.3"}));
  for (const auto& p : r.out.packages) {
    if (p.name == "Black") {
      EXPECT_EQ(p.purl, "pkg:pypi/black@23.1.0");
    }
  }
}

TEST(PythonAnalyzer, PipfileLock) {
  auto r = run("Pipfile.lock", R"({
    "_meta": {"hash": {"sha256": "x"}},
    "default": {"requests": {"hashes": [], "version": "==2.31.0"},
                "local": {"editable": true, "path": "."},
                "weird": {"version": 3},
                "arb": {"version": "===1.0"}},
    "develop": {"pytest": {"version": "==7.4.0"}}})");
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  EXPECT_EQ(nv(r.out), (std::set<std::string>{"requests@2.31.0", "arb@1.0", "pytest@7.4.0 dev"}));
  for (const char* bad : {"{\"default\": {", "[]", "\"x\""}) {
    EXPECT_FALSE(run("Pipfile.lock", bad).status.ok()) << bad;
  }
}

TEST(PythonAnalyzer, Requirements) {
  auto r = run("requirements-dev.txt", R"(# comment
-r base.txt
--index-url https://pypi.org/simple
-e git+https://github.com/x/y.git#egg=y
requests==2.31.0  # pinned
Django [bcrypt] == 4.2.1 ; python_version >= "3.8"
flask>=2.0
numpy==1.*
six==1.16.0 \
    --hash=sha256:abc
typing_extensions===4.7.1
foo==1.0,!=1.0.1
pkg @ https://example.org/pkg.whl
url==  # empty
)");
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(nv(r.out), (std::set<std::string>{"requests@2.31.0", "Django@4.2.1", "six@1.16.0",
                                              "typing_extensions@4.7.1"}));
  r = run("requirements.txt", std::string(100000, '=') + "\n\xff\xfe==\x01\n");
  EXPECT_TRUE(r.status.ok());
  EXPECT_TRUE(r.out.packages.empty());
}

TEST(PythonAnalyzer, MalformedPoetry) {
  for (const char* bad : {"[[package]\nname = \"x\"", "package = 3", "[[package]]\nname = "}) {
    EXPECT_FALSE(run("poetry.lock", bad).status.ok()) << bad;
  }
}

}  // namespace
}  // namespace hivesec::analyze
