#include <gtest/gtest.h>

#include <set>

#include "analyze/builtins.h"
#include "analyze/testing/run_analyzer.h"

namespace hivesec::analyze {
namespace {

using testing::Run;

Run run(std::string_view path, std::string_view content) {
  return testing::run_analyzer(*make_gem_analyzer(), path, content);
}

TEST(GemAnalyzer, Required) {
  auto a = make_gem_analyzer();
  struct Case {
    const char* path;
    bool want;
  } cases[] = {
      {"usr/local/bundle/specifications/rake-13.0.6.gemspec", true},
      {"usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec", true},
      {"app/Gemfile.lock", true},
      {"app/gems.locked", true},
      {"usr/local/bundle/gems/rake-13.0.6/rake.gemspec", false},
      {"app/Gemfile", false},
      {"specifications/x.gemspec.bak", false},
  };
  for (const auto& c : cases) {
    FileInfo f;
    f.path = c.path;
    EXPECT_EQ(a->required(f), c.want) << c.path;
  }
}

TEST(GemAnalyzer, Gemspec) {
  auto r = run("specifications/rake-13.0.6.gemspec", R"(# -*- encoding: utf-8 -*-
# stub: rake 13.0.6 ruby lib

Gem::Specification.new do |spec|
  spec.name = "rake".freeze
  spec.version = "13.0.6"

  spec.required_rubygems_version = Gem::Requirement.new(">= 1.3.2".freeze) if spec.respond_to? :required_rubygems_version=
  spec.metadata = { "bug_tracker_uri" => "https://github.com/ruby/rake/issues" } if spec.respond_to? :metadata=
  spec.licenses = ["MIT".freeze, 'Ruby'.freeze]
  spec.summary = "Rake is a Make-like program".freeze
end
)");
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  ASSERT_EQ(r.out.packages.size(), 1u);
  const auto& p = r.out.packages[0];
  EXPECT_EQ(p.type, "gem");
  EXPECT_EQ(p.name, "rake");
  EXPECT_EQ(p.version, "13.0.6");
  EXPECT_EQ(p.purl, "pkg:gem/rake@13.0.6");
  EXPECT_EQ(p.licenses, (std::vector<std::string>{"MIT", "Ruby"}));

  r = run("specifications/default/json-2.6.1.gemspec",
          "Gem::Specification.new do |s|\n  s.name = 'json'\n  s.version = "
          "Gem::Version.new(\"2.6.1\")\n  s.license = \"Ruby\"\nend\n");
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  ASSERT_EQ(r.out.packages.size(), 1u);
  EXPECT_EQ(r.out.packages[0].version, "2.6.1");
  EXPECT_EQ(r.out.packages[0].licenses, std::vector<std::string>{"Ruby"});
}

TEST(GemAnalyzer, MalformedGemspec) {
  const char* cases[] = {
      "",
      "puts 'hello'",
      "Gem::Specification.new do\n  s.name = 'x'\nend",
      "Gem::Specification.new do |s\n  s.name = 'x'\n",
      "Gem::Specification.new do |s|\n  s.name = name_from_elsewhere\n  s.version = '1'\n",
      "Gem::Specification.new do |s|\n  s.name = 'x\n  s.version = '1'\n",
      "Gem::Specification.new do |s|\n  s.name = 'bad name'\n  s.version = '1'\n",
      "Gem::Specification.new do |s|\n  other.name = 'x'\n  other.version = '1'\n",
  };
  for (const char* c : cases) {
    auto r = run("specifications/x.gemspec", c);
    EXPECT_FALSE(r.status.ok()) << c;
    EXPECT_TRUE(r.out.packages.empty()) << c;
  }
}

TEST(GemAnalyzer, GemfileLock) {
  auto r = run("app/Gemfile.lock", R"(GIT
  remote: https://github.com/rails/rails.git
  revision: 0123456789abcdef
  specs:
    rails (7.1.0.alpha)
      actioncable (= 7.1.0.alpha)

PATH
  remote: .
  specs:
    myapp (0.1.0)

GEM
  remote: https://rubygems.org/
  specs:
    actioncable (6.1.4)
      actionpack (= 6.1.4)
      nio4r (~> 2.0)
    nokogiri (1.13.1-x86_64-linux)
      racc (~> 1.4)
    racc (1.6.0)
    broken line without version
    odd (1.0

PLATFORMS
  x86_64-linux

DEPENDENCIES
  rails!
  nokogiri (>= 1.0)

BUNDLED WITH
   2.3.5
)");
  ASSERT_TRUE(r.status.ok());
  std::set<std::string> got;
  for (const auto& p : r.out.packages) {
    got.insert(p.name + "@" + p.version +
               (p.metadata.contains("source") ? " " + p.metadata.at("source") : ""));
  }
  EXPECT_EQ(got, (std::set<std::string>{"rails@7.1.0.alpha git", "myapp@0.1.0 path",
                                        "actioncable@6.1.4", "nokogiri@1.13.1", "racc@1.6.0"}));
  for (const auto& p : r.out.packages) {
    if (p.name == "nokogiri") {
      EXPECT_EQ(p.purl, "pkg:gem/nokogiri@1.13.1?platform=x86_64-linux");
    }
  }
  r = run("Gemfile.lock", std::string(50000, ' ') + "\n\t\n((((");
  EXPECT_TRUE(r.status.ok());
  EXPECT_TRUE(r.out.packages.empty());
}

}  // namespace
}  // namespace hivesec::analyze
