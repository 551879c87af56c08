#include "analyze/toml_lite.h"

#include <gtest/gtest.h>

namespace hivesec::analyze::toml {
namespace {

TEST(TomlLite, PoetryShapedDocument) {
  auto r = parse(R"(# comment
[[package]]
name = "certifi"
version = "2023.7.22"
description = "Python package for providing Mozilla's CA Bundle."
optional = false
python-versions = ">=3.6"
files = [
    {file = "certifi-2023.7.22.tar.gz", hash = "sha256:539cc1d1"},
    {file = "certifi-2023.7.22-py3-none-any.whl", hash = "sha256:92d60378"},  # trailing
]

[package.dependencies]
idna = ">=2.5"
foo = {version = ">=1", optional = true}

[[package]]
name = 'literal\name'
version = "1.0"
groups = ["main", "dev"]

[metadata]
lock-version = "2.0"
content-hash = """
multi \
    line"""
"quoted key" = 1_000
a.b.c = 3.5e2
when = 1979-05-27 07:32:00Z
)");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Value& root = *r;
  const Value* pkgs = root.find("package");
  ASSERT_TRUE(pkgs && pkgs->is_array());
  ASSERT_EQ(pkgs->items.size(), 2u);
  EXPECT_EQ(pkgs->items[0].string_or_empty("name"), "certifi");
  EXPECT_EQ(pkgs->items[0].find("files")->items.size(), 2u);
  EXPECT_EQ(pkgs->items[0].find("files")->items[1].string_or_empty("file"),
            "certifi-2023.7.22-py3-none-any.whl");
  EXPECT_EQ(pkgs->items[0].find("optional")->kind, Value::Kind::kBool);
  EXPECT_EQ(pkgs->items[0].find("optional")->text, "false");
  const Value* deps = pkgs->items[0].find("dependencies");
  ASSERT_TRUE(deps && deps->is_table());
  EXPECT_EQ(deps->string_or_empty("idna"), ">=2.5");
  EXPECT_EQ(deps->find("foo")->string_or_empty("version"), ">=1");
  EXPECT_EQ(pkgs->items[1].string_or_empty("name"), "literal\\name");
  EXPECT_EQ(pkgs->items[1].find("groups")->items[1].text, "dev");
  const Value* meta = root.find("metadata");
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->string_or_empty("content-hash"), "multi line");
  EXPECT_EQ(meta->find("quoted key")->kind, Value::Kind::kInteger);
  EXPECT_EQ(meta->find("a")->find("b")->find("c")->kind, Value::Kind::kFloat);
  EXPECT_EQ(meta->find("when")->kind, Value::Kind::kDatetime);
  EXPECT_EQ(meta->find("when")->text, "1979-05-27 07:32:00Z");
}

TEST(TomlLite, Escapes) {
  auto r = parse(R"(s = "tab\tq\"u\u00e9\U0001F600\\")");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->string_or_empty("s"), "tab\tq\"u\xc3\xa9\xf0\x9f\x98\x80\\");
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(TomlLite, Malformed) {
  struct Case {
    std::string text;
    Errc code;
  } cases[] = {
      {"a = \"unterminated", Errc::kCorrupt},
      {"a = [1, 2", Errc::kCorrupt},
      {"a = {x = 1", Errc::kCorrupt},
      {"[table", Errc::kCorrupt},
      {"a = 1\na = 2", Errc::kCorrupt},
      {"a = 1 b = 2", Errc::kCorrupt},
      {"= 1", Errc::kCorrupt},
      {"a =", Errc::kCorrupt},
      {"a = \"\\q\"", Errc::kCorrupt},
      {"a = \"\\uD800\"", Errc::kCorrupt},
      {"a = \"\\u12\"", Errc::kCorrupt},
      {"a = 1\n[[a]]", Errc::kCorrupt},
      {"a = 1\n[a.b]", Errc::kCorrupt},
      {"a = \"\"\"never closed", Errc::kCorrupt},
      {"a = @", Errc::kCorrupt},
      {"a = " + std::string(10000, '['), Errc::kLimit},
      {"a = " + repeat("{b = ", 10000), Errc::kLimit},
      {"[aaa...]", Errc::kCorrupt},
  };
  std::string many_parts = "[a";
  for (int i = 0; i < 100; ++i) many_parts += ".a";
  many_parts += "]";
  for (const auto& c : cases) {
    auto r = parse(c.text);
    ASSERT_FALSE(r.ok()) << c.text.substr(0, 60);
    EXPECT_EQ(r.error().code, c.code) << c.text.substr(0, 60) << ": " << r.error().message;
  }
  auto r = parse(many_parts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kLimit);
  Limits small;
  small.max_values = 10;
  r = parse("a = [1,2,3,4,5,6,7,8,9,10,11,12]", small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kLimit);
  small.max_input = 4;
  EXPECT_FALSE(parse("a = 12", small).ok());
}

TEST(TomlLite, EmptyAndCommentsOnly) {
  auto r = parse("");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->keys.empty());
  r = parse("# only\n\n   # comments\r\n");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->keys.empty());
}

}  // namespace
}  // namespace hivesec::analyze::toml
