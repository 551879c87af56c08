#include <gtest/gtest.h>

#include <set>

#include "analyze/builtins.h"
#include "analyze/testing/run_analyzer.h"

namespace hivesec::analyze {
namespace {

using testing::Run;

Run run(std::string_view path, std::string_view content) {
  return testing::run_analyzer(*make_composer_analyzer(), path, content);
}

std::set<std::string> nv(const AnalysisOutput& out) { return testing::name_versions(out); }

TEST(ComposerAnalyzer, Required) {
  auto a = make_composer_analyzer();
  struct Case {
    const char* path;
    bool want;
  } cases[] = {
      {"var/www/composer.lock", true},
      {"composer.lock", true},
      {"var/www/vendor/composer/installed.json", true},
      {"vendor/composer/installed.json", true},
      {"var/www/composer.json", false},
      {"var/www/xvendor/composer/installed.json", false},
      {"var/www/vendor/composer/installed.php", false},
  };
  for (const auto& c : cases) {
    FileInfo f;
    f.path = c.path;
    EXPECT_EQ(a->required(f), c.want) << c.path;
  }
}

TEST(ComposerAnalyzer, ComposerLock) {
  auto r = run("app/composer.lock", R"({
    "packages": [
      {"name": "monolog/monolog", "version": "2.9.1", "license": ["MIT"],
       "homepage": "https://github.com/Seldaek/monolog"},
      {"name": "psr/log", "version": "v1.1.4", "license": "MIT"},
      {"name": "noslash", "version": "1.0.0"},
      {"name": "a/b", "version": 3},
      "junk"
    ],
    "packages-dev": [{"name": "phpunit/phpunit", "version": "9.6.0",
                      "license": ["BSD-3-Clause"]}]})");
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  EXPECT_EQ(nv(r.out), (std::set<std::string>{"monolog/monolog@2.9.1", "psr/log@v1.1.4",
                                              "phpunit/phpunit@9.6.0 dev"}));
  const auto& m = r.out.packages[0];
  EXPECT_EQ(m.type, "composer");
  EXPECT_EQ(m.purl, "pkg:composer/monolog/monolog@2.9.1");
  EXPECT_EQ(m.licenses, std::vector<std::string>{"MIT"});
  EXPECT_EQ(m.metadata.at("homepage"), "https://github.com/Seldaek/monolog");
  EXPECT_EQ(r.out.packages[1].licenses, std::vector<std::string>{"MIT"});
}

TEST(ComposerAnalyzer, InstalledJsonV1AndV2) {
  auto r = run("vendor/composer/installed.json", R"([{"name": "psr/log", "version": "1.1.4"}])");
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(nv(r.out), std::set<std::string>{"psr/log@1.1.4"});
  r = run("vendor/composer/installed.json", R"({
    "packages": [{"name": "psr/log", "version": "1.1.4"},
                 {"name": "phpunit/phpunit", "version": "9.6.0"}],
    "dev": true, "dev-package-names": ["phpunit/phpunit"]})");
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(nv(r.out), (std::set<std::string>{"psr/log@1.1.4", "phpunit/phpunit@9.6.0 dev"}));
}

TEST(ComposerAnalyzer, Malformed) {
  struct Case {
    const char* path;
    std::string text;
  } cases[] = {
      {"composer.lock", R"({"packages": [{"name": "a/b", "vers)"},
      {"composer.lock", "[]"},
      {"composer.lock", R"({"packages": {"a/b": 1}})"},
      {"vendor/composer/installed.json", R"({"nothing": 1})"},
      {"vendor/composer/installed.json", "42"},
      {"vendor/composer/installed.json", std::string(1000, '[') + std::string(1000, ']')},
  };
  for (const auto& c : cases) {
    auto r = run(c.path, c.text);
    EXPECT_FALSE(r.status.ok()) << c.text.substr(0, 50);
  }
}

}  // namespace
}  // namespace hivesec::analyze
