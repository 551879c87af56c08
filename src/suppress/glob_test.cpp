#include "suppress/glob.h"

#include <gtest/gtest.h>

#include <chrono>

namespace hivesec::suppress {
namespace {

TEST(SuppressGlob, Table) {
  struct Case {
    const char* pattern;
    const char* path;
    bool match;
  };
  for (auto c : {
           Case{"*.jar", "app/lib/x.jar", true},
           Case{"*.jar", "x.jar", true},
           Case{"*.jar", "app/x.jar.bak", false},
           Case{"node_modules", "app/node_modules/lodash/package.json", true},
           Case{"node_modules", "app/node_modules2/x", false},
           Case{"usr/lib/python3*", "usr/lib/python3.11/site-packages/x.py", true},
           Case{"usr/lib/python3*", "usr/lib64/python3.11/x.py", false},
           Case{"/usr/lib/*.so", "usr/lib/a.so", true},
           Case{"./usr/lib/*.so", "/usr/lib/a.so", true},
           Case{"usr/lib/*.so", "usr/lib/x/a.so", false},
           Case{"usr/lib/", "usr/lib/x/a.so", true},
           Case{"usr/lib", "usr/lib64/a.so", false},
           Case{"**/package.json", "package.json", true},
           Case{"**/package.json", "a/b/package.json", true},
           Case{"**/package.json", "a/b/package.json5", false},
           Case{"app/**/*.js", "app/x.js", true},
           Case{"app/**/*.js", "app/a/b/x.js", true},
           Case{"app/**/*.js", "lib/app/x.js", false},
           Case{"a/**", "a/b/c", true},
           Case{"a**z", "a/b/z", false},  // no '/' in the pattern: per component
           Case{"a/b**z", "a/b/c/z", true},
           Case{"[abc].txt", "b.txt", true},
           Case{"[abc].txt", "d.txt", false},
           Case{"[!abc].txt", "d.txt", true},
           Case{"[^abc].txt", "a.txt", false},
           Case{"x[a-c]", "xb", true},
           Case{"x[a-c]", "xd", false},
           Case{"[]]", "]", true},
           Case{"?.txt", "ab.txt", false},
           Case{"?.txt", "a.txt", true},
           Case{"a?b/c", "a/b/c", false},
           Case{"\\*.txt", "*.txt", true},
           Case{"\\*.txt", "a.txt", false},
       }) {
    auto g = Glob::compile(c.pattern);
    ASSERT_TRUE(g.ok()) << c.pattern << ": " << g.error().message;
    EXPECT_EQ(g->matches(c.path), c.match) << c.pattern << " vs " << c.path;
  }
}

TEST(SuppressGlob, RejectsMalformed) {
  for (const char* bad : {"", "/", "./", "[abc", "abc\\", "[!"}) {
    auto g = Glob::compile(bad);
    EXPECT_FALSE(g.ok()) << bad;
  }
  EXPECT_FALSE(Glob::compile(std::string(kMaxGlobLength + 1, 'a')).ok());
}

TEST(SuppressGlob, PathologicalPatternStaysLinearish) {
  // Backtracking matchers take exponential time on this; the row-by-row matcher does not.
  std::string pattern;
  for (int i = 0; i < 40; ++i) pattern += "*a";
  pattern += "b";
  auto g = Glob::compile(pattern);
  ASSERT_TRUE(g.ok());
  std::string path(4000, 'a');
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(g->matches(path));
  auto deep = Glob::compile("**a**a**a**a**a**a**a**a/b");
  ASSERT_TRUE(deep.ok());
  std::string long_path;
  for (int i = 0; i < 500; ++i) long_path += "aa/";
  EXPECT_FALSE(deep->matches(long_path + "c"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

}  // namespace
}  // namespace hivesec::suppress
