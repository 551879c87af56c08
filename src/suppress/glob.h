// Glob patterns over image-relative paths ("usr/lib/x.so"), for the path scope of ignore
// entries.
//
// Syntax: '*' any run of characters but '/'; '?' one character but '/'; '[abc]', '[a-z]',
// '[!a-z]' (or '[^a-z]') one character but '/'; '**' any run including '/'; '**/' zero or more
// whole directories; '\x' the character x. A leading "/" or "./" is ignored in both the pattern
// and the path, and so is a trailing '/' in the pattern.
// A pattern without '/' matches when any one path component matches it ("*.jar",
// "node_modules"); a pattern with '/' is anchored at the root and matches the path or any
// directory above it ("usr/lib/python3*" matches "usr/lib/python3.11/site-packages/x.py").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hivesec::suppress {

inline constexpr size_t kMaxGlobLength = 4096;

class Glob {
 public:
  // kInvalidArgument for an unclosed '[', a trailing '\', an empty pattern or one longer than
  // kMaxGlobLength.
  [[nodiscard]] static Result<Glob> compile(std::string_view pattern);

  // Work is O(pattern length x path length); no recursion. Thread-safe (const).
  bool matches(std::string_view path) const;

  const std::string& pattern() const { return pattern_; }

 private:
  enum class Op { kChar, kAny, kStar, kDeep, kDeepDir, kClass };
  struct Token {
    Op op;
    char c = 0;
    bool negate = false;
    std::vector<std::pair<char, char>> ranges;  // kClass
  };

  bool matches_whole(std::string_view text, bool allow_dir_prefix) const;

  std::string pattern_;
  std::vector<Token> tokens_;
  bool anchored_ = false;
};

}  // namespace hivesec::suppress
