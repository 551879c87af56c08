#include "suppress/glob.h"

#include <algorithm>

#include "suppress/input.h"

namespace hivesec::suppress {
namespace {

std::string_view strip_root(std::string_view s) {
  while (true) {
    if (s.starts_with("./")) {
      s.remove_prefix(2);
    } else if (s.starts_with('/')) {
      s.remove_prefix(1);
    } else {
      return s;
    }
  }
}

}  // namespace

Result<Glob> Glob::compile(std::string_view pattern) {
  if (pattern.size() > kMaxGlobLength) {
    return make_error(Errc::kInvalidArgument, "glob longer than {} characters", kMaxGlobLength);
  }
  Glob g;
  g.pattern_ = std::string(pattern);
  std::string_view p = strip_root(pattern);
  while (p.ends_with('/')) p.remove_suffix(1);
  if (p.empty()) return make_error(Errc::kInvalidArgument, "empty glob '{}'", shown(pattern));
  g.anchored_ = p.find('/') != std::string_view::npos;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    Token t{Op::kChar};
    if (c == '\\') {
      if (i + 1 >= p.size()) {
        return make_error(Errc::kInvalidArgument, "glob '{}' ends with '\\'", shown(pattern));
      }
      t.c = p[++i];
    } else if (c == '?') {
      t.op = Op::kAny;
    } else if (c == '*') {
      if (i + 1 < p.size() && p[i + 1] == '*') {
        ++i;
        while (i + 1 < p.size() && p[i + 1] == '*') ++i;
        if (i + 1 < p.size() && p[i + 1] == '/') {
          ++i;
          t.op = Op::kDeepDir;
        } else {
          t.op = Op::kDeep;
        }
      } else {
        t.op = Op::kStar;
      }
    } else if (c == '[') {
      t.op = Op::kClass;
      size_t j = i + 1;
      if (j < p.size() && (p[j] == '!' || p[j] == '^')) {
        t.negate = true;
        ++j;
      }
      bool closed = false;
      bool first = true;
      while (j < p.size()) {
        if (p[j] == ']' && !first) {
          closed = true;
          break;
        }
        first = false;
        char lo = p[j];
        if (lo == '\\' && j + 1 < p.size()) lo = p[++j];
        char hi = lo;
        if (j + 2 < p.size() && p[j + 1] == '-' && p[j + 2] != ']') {
          hi = p[j + 2];
          if (hi == '\\' && j + 3 < p.size()) {
            hi = p[j + 3];
            ++j;
          }
          j += 2;
        }
        t.ranges.emplace_back(lo, hi);
        ++j;
      }
      if (!closed) {
        return make_error(Errc::kInvalidArgument, "unclosed '[' in glob '{}'", shown(pattern));
      }
      i = j;
    } else {
      t.c = c;
    }
    g.tokens_.push_back(std::move(t));
  }
  return g;
}

bool Glob::matches_whole(std::string_view text, bool allow_dir_prefix) const {
  const size_t n = text.size();
  // row[j]: the tokens consumed so far match text[0, j).
  std::vector<char> row(n + 1, 0), next(n + 1, 0);
  row[0] = 1;
  for (const Token& t : tokens_) {
    std::fill(next.begin(), next.end(), 0);
    switch (t.op) {
      case Op::kChar:
        for (size_t j = 0; j < n; ++j) next[j + 1] = row[j] && text[j] == t.c;
        break;
      case Op::kAny:
        for (size_t j = 0; j < n; ++j) next[j + 1] = row[j] && text[j] != '/';
        break;
      case Op::kClass:
        for (size_t j = 0; j < n; ++j) {
          if (!row[j] || text[j] == '/') continue;
          bool in = false;
          for (auto [lo, hi] : t.ranges) in = in || (text[j] >= lo && text[j] <= hi);
          next[j + 1] = in != t.negate;
        }
        break;
      case Op::kStar:
        next[0] = row[0];
        for (size_t j = 1; j <= n; ++j) next[j] = row[j] || (next[j - 1] && text[j - 1] != '/');
        break;
      case Op::kDeep:
        next[0] = row[0];
        for (size_t j = 1; j <= n; ++j) next[j] = row[j] || next[j - 1];
        break;
      case Op::kDeepDir: {
        bool seen = false;  // some row[k] with k < j
        for (size_t j = 0; j <= n; ++j) {
          next[j] = row[j] || (j > 0 && text[j - 1] == '/' && seen);
          seen = seen || row[j];
        }
        break;
      }
    }
    row.swap(next);
  }
  if (row[n]) return true;
  if (allow_dir_prefix) {
    for (size_t j = 1; j < n; ++j) {
      if (row[j] && text[j] == '/') return true;
    }
  }
  return false;
}

bool Glob::matches(std::string_view path) const {
  path = strip_root(path);
  if (anchored_) return matches_whole(path, true);
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i && matches_whole(path.substr(i, j - i), false)) return true;
    i = j + 1;
  }
  return false;
}

}  // namespace hivesec::suppress
