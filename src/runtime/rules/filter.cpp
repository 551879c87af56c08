// The evaluator: walks the compiled tree with short-circuiting and/or. A missing field value
// makes every comparison on it false (also `!=`), as in Falco; `not` inverts the result.
#include "runtime/rules/filter.h"

#include <arpa/inet.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace hivesec::runtime::rules {
namespace {

char lc(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Byte loops instead of memcmp calls: the constants are short paths and names that usually
// differ within the first bytes, where a libc call costs more than the comparison.
inline bool bytes_eq(const char* a, const char* b, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}
inline bool str_eq(std::string_view a, std::string_view b) {
  return a.size() == b.size() && bytes_eq(a.data(), b.data(), a.size());
}
inline bool has_prefix(std::string_view v, std::string_view p) {
  return v.size() >= p.size() && bytes_eq(v.data(), p.data(), p.size());
}
inline bool has_suffix(std::string_view v, std::string_view p) {
  return v.size() >= p.size() && bytes_eq(v.data() + v.size() - p.size(), p.data(), p.size());
}

bool icontains(std::string_view hay, std::string_view needle_lower) {
  if (needle_lower.empty()) return true;
  auto it = std::search(hay.begin(), hay.end(), needle_lower.begin(), needle_lower.end(),
                        [](char a, char b) { return lc(a) == b; });
  return it != hay.end();
}

// One `[...]` class at p[pi]; sets `end` past the closing ']'. False `valid` when malformed.
bool match_class(std::string_view p, size_t pi, char c, bool icase, size_t& end, bool& valid) {
  size_t i = pi + 1;
  bool neg = false;
  if (i < p.size() && (p[i] == '!' || p[i] == '^')) {
    neg = true;
    ++i;
  }
  bool matched = false;
  bool first = true;
  char cc = icase ? lc(c) : c;
  while (i < p.size() && (first || p[i] != ']')) {
    first = false;
    char lo = p[i];
    char hi = lo;
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      hi = p[i + 2];
      i += 3;
    } else {
      ++i;
    }
    if (icase) {
      lo = lc(lo);
      hi = lc(hi);
    }
    if (cc >= lo && cc <= hi) matched = true;
  }
  if (i >= p.size()) {
    valid = false;
    return false;
  }
  valid = true;
  end = i + 1;
  return matched != neg;
}

bool ip_bytes(std::string_view text, uint8_t family, uint8_t out[16]) {
  char buf[64];
  if (text.size() >= sizeof(buf)) return false;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  return inet_pton(family == 4 ? AF_INET : AF_INET6, buf, out) == 1;
}

bool path_prefix_literal(std::string_view pattern, std::string_view text) {
  if (!has_prefix(text, pattern)) return false;
  return text.size() == pattern.size() || text[pattern.size()] == '/' || pattern == "/";
}

bool eval_string(const Check& c, std::string_view v) {
  switch (c.op) {
    case Op::kEq:
      return str_eq(v, c.strs[0]);
    case Op::kNe:
      return !str_eq(v, c.strs[0]);
    case Op::kContains:
    case Op::kBContains:
      return v.find(c.strs[0]) != std::string_view::npos;
    case Op::kIContains:
      return icontains(v, c.strs[0]);
    case Op::kStartsWith:
    case Op::kBStartsWith:
      return has_prefix(v, c.strs[0]);
    case Op::kEndsWith:
      return has_suffix(v, c.strs[0]);
    case Op::kGlob:
      return glob_match(c.strs[0], v, false);
    case Op::kIGlob:
      return glob_match(c.strs[0], v, true);
    case Op::kRegex:
      return RE2::FullMatch(re2::StringPiece(v.data(), v.size()), *c.regexes[0]);
    case Op::kIn:
    case Op::kIntersects:
      if (!((c.len_mask >> (v.size() & 63)) & 1)) return false;
      if (!c.str_set.empty()) return c.str_set.find(v) != c.str_set.end();
      for (const auto& s : c.strs) {
        if (str_eq(v, s)) return true;
      }
      return false;
    case Op::kPmatch:
      for (size_t i = 0; i < c.strs.size(); ++i) {
        if (c.strs_glob[i] ? path_prefix_match(c.strs[i], v) : path_prefix_literal(c.strs[i], v)) {
          return true;
        }
      }
      return false;
    default:
      return false;
  }
}

bool eval_num(const Check& c, int64_t v) {
  switch (c.op) {
    case Op::kEq:
      return v == c.nums[0];
    case Op::kNe:
      return v != c.nums[0];
    case Op::kLt:
      return v < c.nums[0];
    case Op::kLe:
      return v <= c.nums[0];
    case Op::kGt:
      return v > c.nums[0];
    case Op::kGe:
      return v >= c.nums[0];
    case Op::kIn:
    case Op::kIntersects:
      return std::find(c.nums.begin(), c.nums.end(), v) != c.nums.end();
    default:
      return false;
  }
}

bool eval_ip(const Check& c, std::string_view v) {
  if (c.nets.empty()) return eval_string(c, v);  // string operators on the address text
  bool any = false;
  for (const auto& n : c.nets) {
    if (cidr_contains(n, v)) {
      any = true;
      break;
    }
  }
  return c.op == Op::kNe ? !any : any;
}

bool apply_transforms(const Check& c, FieldValue& v, EvalContext& ctx) {
  for (Transform t : c.transforms) {
    switch (t) {
      case Transform::kToLower:
      case Transform::kToUpper:
        ctx.transform_buf.assign(v.str);
        for (char& ch : ctx.transform_buf) {
          ch = static_cast<char>(t == Transform::kToLower
                                     ? std::tolower(static_cast<unsigned char>(ch))
                                     : std::toupper(static_cast<unsigned char>(ch)));
        }
        v.str = ctx.transform_buf;
        break;
      case Transform::kBasename: {
        size_t p = v.str.rfind('/');
        if (p != std::string_view::npos) v.str = v.str.substr(p + 1);
        break;
      }
      case Transform::kLen:
        v.num = static_cast<int64_t>(v.str.size());
        break;
    }
  }
  return true;
}

bool eval_check(const Check& c, const Event& ev, EvalContext& ctx) {
  if (c.type_fast) {
    bool in = ((c.type_mask >> ctx.type_id) & 1) != 0;
    return c.op == Op::kNe ? !in : in;
  }
  int n = 1;
  if (c.field.multi && c.field.def->count) n = c.field.def->count(ev, c.field.arg);
  for (int i = 0; i < n; ++i) {
    FieldValue v;
    if (!extract_field(c.field, ev, i, ctx.scratch, v)) continue;
    if (c.op == Op::kExists) return true;
    if (!c.transforms.empty()) apply_transforms(c, v, ctx);
    bool r = false;
    switch (c.value_type) {
      case FieldType::kString:
        r = eval_string(c, v.str);
        break;
      case FieldType::kInt:
      case FieldType::kBool:
        r = eval_num(c, v.num);
        break;
      case FieldType::kIp:
        r = eval_ip(c, v.str);
        break;
    }
    if (r) return true;
  }
  return false;
}

bool eval(const FilterNode& n, const Event& ev, EvalContext& ctx) {
  switch (n.kind) {
    case FilterNode::Kind::kAnd:
      for (const auto& c : n.children) {
        if (!eval(c, ev, ctx)) return false;
      }
      return true;
    case FilterNode::Kind::kOr:
      for (const auto& c : n.children) {
        if (eval(c, ev, ctx)) return true;
      }
      return false;
    case FilterNode::Kind::kNot:
      return !eval(n.children[0], ev, ctx);
    case FilterNode::Kind::kCheck:
      return eval_check(*n.check, ev, ctx);
    case FilterNode::Kind::kConst:
      return n.const_value;
  }
  return false;
}

}  // namespace

bool Filter::matches(const Event& ev, EvalContext& ctx) const { return eval(root_, ev, ctx); }

bool glob_match(std::string_view p, std::string_view t, bool icase) {
  size_t pi = 0, ti = 0;
  size_t star_p = std::string_view::npos, star_t = 0;
  while (ti < t.size()) {
    if (pi < p.size()) {
      char c = p[pi];
      if (c == '*') {
        star_p = pi++;
        star_t = ti;
        continue;
      }
      if (c == '?' && t[ti] != '/') {
        ++pi;
        ++ti;
        continue;
      }
      if (c == '[' && t[ti] != '/') {
        size_t end = 0;
        bool valid = false;
        bool m = match_class(p, pi, t[ti], icase, end, valid);
        if (valid) {
          if (m) {
            pi = end;
            ++ti;
            continue;
          }
        } else if (t[ti] == '[') {  // malformed class: a literal '['
          ++pi;
          ++ti;
          continue;
        }
      } else if (c != '?' && c != '[') {
        char lit = c;
        size_t adv = 1;
        if (c == '\\' && pi + 1 < p.size()) {
          lit = p[pi + 1];
          adv = 2;
        }
        if (icase ? lc(lit) == lc(t[ti]) : lit == t[ti]) {
          pi += adv;
          ++ti;
          continue;
        }
      }
    }
    // Backtrack: let the last '*' take one more character (never a '/').
    if (star_p != std::string_view::npos && t[star_t] != '/') {
      ++star_t;
      ti = star_t;
      pi = star_p + 1;
      continue;
    }
    return false;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool path_prefix_match(std::string_view pattern, std::string_view text) {
  bool has_glob = pattern.find_first_of("*?[") != std::string_view::npos;
  if (!has_glob) return path_prefix_literal(pattern, text);
  // Component by component; the pattern may end before the path does.
  size_t pi = 0, ti = 0;
  while (pi <= pattern.size()) {
    size_t pe = pattern.find('/', pi);
    if (pe == std::string_view::npos) pe = pattern.size();
    if (ti > text.size()) return false;
    size_t te = text.find('/', ti);
    if (te == std::string_view::npos) te = text.size();
    if (!glob_match(pattern.substr(pi, pe - pi), text.substr(ti, te - ti), false)) return false;
    if (pe == pattern.size()) return true;
    if (te == text.size()) return false;
    pi = pe + 1;
    ti = te + 1;
  }
  return true;
}

bool parse_cidr(std::string_view text, Cidr& out) {
  std::string_view addr = text;
  int prefix = -1;
  size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    std::string_view p = text.substr(slash + 1);
    if (p.empty() || p.size() > 3) return false;
    prefix = 0;
    for (char c : p) {
      if (c < '0' || c > '9') return false;
      prefix = prefix * 10 + (c - '0');
    }
  }
  out.family = addr.find(':') != std::string_view::npos ? 6 : 4;
  if (!ip_bytes(addr, out.family, out.bytes)) return false;
  int max = out.family == 4 ? 32 : 128;
  if (prefix < 0) prefix = max;
  if (prefix > max) return false;
  out.prefix = prefix;
  return true;
}

bool cidr_contains(const Cidr& net, std::string_view ip_text) {
  uint8_t fam = ip_text.find(':') != std::string_view::npos ? 6 : 4;
  if (fam != net.family) return false;
  uint8_t b[16];
  if (!ip_bytes(ip_text, fam, b)) return false;
  int full = net.prefix / 8;
  if (std::memcmp(b, net.bytes, static_cast<size_t>(full)) != 0) return false;
  int rem = net.prefix % 8;
  if (rem == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rem));
  return (b[full] & mask) == (net.bytes[full] & mask);
}

}  // namespace hivesec::runtime::rules
