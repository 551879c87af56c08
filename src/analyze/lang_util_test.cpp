#include "analyze/lang_util.h"

#include <gtest/gtest.h>

#include "analyze/builtins.h"

namespace hivesec::analyze {
namespace {

TEST(LangUtil, NormalizePypiName) {
  struct Case {
    const char* in;
    const char* want;
  } cases[] = {{"Django", "django"},
               {"zope.interface", "zope-interface"},
               {"Foo__Bar-.baz", "foo-bar-baz"},
               {"typing_extensions", "typing-extensions"},
               {"", ""}};
  for (const auto& c : cases) EXPECT_EQ(lang::normalize_pypi_name(c.in), c.want) << c.in;
}

TEST(LangUtil, JsonDepthAndParse) {
  EXPECT_EQ(json_nesting_depth(R"({"a":[1,{"b":"[[[[\"]]"}]})"), 3);
  EXPECT_TRUE(lang::parse_json(R"({"a": 1})").ok());
  auto r = lang::parse_json(std::string(65, '[') + std::string(65, ']'));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kLimit);
  r = lang::parse_json("{\"a\":");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kCorrupt);
  EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
}

TEST(LangUtil, SplitScopeAndPath) {
  EXPECT_EQ(lang::split_scope("@babel/core"),
            (std::pair<std::string_view, std::string_view>{"@babel", "core"}));
  EXPECT_EQ(lang::split_scope("lodash"),
            (std::pair<std::string_view, std::string_view>{"", "lodash"}));
  EXPECT_EQ(lang::split_path("a//b/c/"), (std::vector<std::string_view>{"a", "b", "c"}));
  EXPECT_EQ(lang::split_lines("a\r\nb\n\nc"), (std::vector<std::string_view>{"a", "b", "", "c"}));
}

TEST(LangBuiltins, Registered) {
  Registry r;
  ASSERT_TRUE(register_builtins(r).ok());
  for (const char* name : {"npm", "python", "cargo-lock", "gem", "composer", "dotnet"}) {
    const Analyzer* a = r.find(name);
    ASSERT_NE(a, nullptr) << name;
    EXPECT_EQ(a->name(), name);
    EXPECT_GE(a->version(), 1);
  }
}

}  // namespace
}  // namespace hivesec::analyze
