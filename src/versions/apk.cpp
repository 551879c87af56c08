// Alpine apk version ordering: {digits}{.digits}...[letter]{_suffix[digits]}...[-rN].
//
// The comparison follows apk-tools token by token, including its treatment of a dotted component
// with leading zeros ("1.05" < "1.5", "1.0" > "1.00"), with two deliberate differences from
// apk-tools 2.x: digit runs are compared as strings, so long numbers never overflow, and a
// component that is only zeros is not followed by an empty number token, so "1.0_rc1" < "1.0"
// as documented (apk 2.x orders it after "1.0"). Validation is stricter than apk's: the version
// starts with a digit and every digit run is non-empty.
#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "versions/builtins.h"

namespace hivesec::versions {
namespace {

constexpr std::size_t kMaxVersionLength = 1024;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

// Token kinds in apk's order; a larger kind next means "less" when the prefixes are equal.
enum class Kind { kDigitOrZero = 0, kDigit, kLetter, kSuffix, kSuffixNo, kRevisionNo, kEnd };

struct Value {
  // Leading-zero runs in a dotted component compare below every number, fewer zeros higher.
  std::size_t zeros = 0;    // > 0: a run of this many leading zeros
  std::string_view digits;  // numeric value (leading zeros kept out), when zeros == 0
  int small = 0;            // letter or suffix rank
};

int compare_values(const Value& a, const Value& b) {
  if (a.zeros != 0 || b.zeros != 0) {
    if (a.zeros == 0) return 1;
    if (b.zeros == 0) return -1;
    return a.zeros == b.zeros ? 0 : a.zeros > b.zeros ? -1 : 1;
  }
  if (a.small != b.small) return a.small < b.small ? -1 : 1;
  std::string_view x = a.digits;
  std::string_view y = b.digits;
  while (!x.empty() && x.front() == '0') x.remove_prefix(1);
  while (!y.empty() && y.front() == '0') y.remove_prefix(1);
  if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
  int c = x.compare(y);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

constexpr std::array<std::string_view, 4> kPreSuffixes = {"alpha", "beta", "pre", "rc"};
constexpr std::array<std::string_view, 5> kPostSuffixes = {"cvs", "svn", "git", "hg", "p"};

struct Token {
  Kind kind;
  Value value;
};

// Splits `s` into apk's tokens; the last one is kEnd on success. Returns the error, or nullptr.
const char* tokenize(std::string_view s, std::vector<Token>& out) {
  out.clear();
  if (s.empty()) return "version string is empty";
  if (s.size() > kMaxVersionLength) return "version string is too long";
  if (!is_digit(s.front())) return "version does not start with a digit";
  Kind kind = Kind::kDigit;
  std::size_t i = 0;
  auto digit_run = [&]() {
    std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return s.substr(start, i - start);
  };
  while (true) {
    Token t{kind, {}};
    bool forced = false;
    switch (kind) {
      case Kind::kDigitOrZero:
        if (i < s.size() && s[i] == '0') {
          std::size_t start = i;
          while (i < s.size() && s[i] == '0') ++i;
          t.value.zeros = i - start;
          forced = true;
          break;
        }
        [[fallthrough]];
      case Kind::kDigit:
      case Kind::kSuffixNo:
      case Kind::kRevisionNo:
        t.value.digits = digit_run();
        if (t.value.digits.empty()) return "expected digits";
        break;
      case Kind::kLetter:
        t.value.small = static_cast<unsigned char>(s[i++]);
        break;
      case Kind::kSuffix: {
        std::string_view rest = s.substr(i);
        bool found = false;
        for (std::size_t k = 0; k < kPreSuffixes.size() && !found; ++k) {
          if (rest.starts_with(kPreSuffixes[k])) {
            t.value.small = static_cast<int>(k) - static_cast<int>(kPreSuffixes.size());
            i += kPreSuffixes[k].size();
            found = true;
          }
        }
        for (std::size_t k = 0; k < kPostSuffixes.size() && !found; ++k) {
          if (rest.starts_with(kPostSuffixes[k])) {
            t.value.small = static_cast<int>(k);
            i += kPostSuffixes[k].size();
            found = true;
          }
        }
        if (!found) return "unknown suffix (expected _alpha _beta _pre _rc _cvs _svn _git _hg _p)";
        break;
      }
      case Kind::kEnd:
        return "internal tokenizer error";
    }
    out.push_back(t);
    if (i >= s.size()) {
      out.push_back(Token{Kind::kEnd, {}});
      return nullptr;
    }
    // Digits after a leading-zero run ("05") form their own number token.
    if (forced && is_digit(s[i])) {
      kind = Kind::kDigit;
      continue;
    }
    // Which token comes next, as apk decides it from the current kind and the next byte.
    char c = s[i];
    Kind next;
    if ((kind == Kind::kDigit || kind == Kind::kDigitOrZero) && is_lower(c)) {
      next = Kind::kLetter;
    } else if (kind == Kind::kLetter && is_digit(c)) {
      next = Kind::kDigit;
    } else if (kind == Kind::kSuffix && is_digit(c)) {
      next = Kind::kSuffixNo;
    } else if (c == '.') {
      next = Kind::kDigitOrZero;
      ++i;
    } else if (c == '_') {
      next = Kind::kSuffix;
      ++i;
    } else if (c == '-' && i + 1 < s.size() && s[i + 1] == 'r') {
      next = Kind::kRevisionNo;
      i += 2;
    } else {
      return "invalid character in version";
    }
    if (next < kind && !((next == Kind::kDigitOrZero && kind == Kind::kDigit) ||
                         (next == Kind::kSuffix && kind == Kind::kSuffixNo) ||
                         (next == Kind::kDigit && kind == Kind::kLetter))) {
      return "version parts out of order (digits, letter, suffixes, -rN)";
    }
    kind = next;
  }
}

class ApkScheme final : public Scheme {
 public:
  std::string_view name() const override { return "apk"; }

  Status validate(std::string_view v) const override {
    std::vector<Token> tokens;
    if (const char* err = tokenize(v, tokens)) {
      return make_error(Errc::kInvalidArgument, "{}", err);
    }
    return ok_status();
  }

  int compare(std::string_view a, std::string_view b) const override {
    std::vector<Token> ta;
    std::vector<Token> tb;
    // Invalid input: the tokens read before the error still order (never crashes).
    if (tokenize(a, ta) != nullptr) ta.push_back(Token{Kind::kEnd, {}});
    if (tokenize(b, tb) != nullptr) tb.push_back(Token{Kind::kEnd, {}});
    std::size_t k = 0;
    while (ta[k].kind == tb[k].kind && ta[k].kind != Kind::kEnd) {
      if (int c = compare_values(ta[k].value, tb[k].value); c != 0) return c;
      ++k;
    }
    const Token& x = ta[k];
    const Token& y = tb[k];
    if (x.kind == y.kind) return 0;
    // Equal prefixes: the longer one is greater unless it goes on with a pre-release suffix.
    if (x.kind == Kind::kSuffix && x.value.small < 0) return -1;
    if (y.kind == Kind::kSuffix && y.value.small < 0) return 1;
    return x.kind > y.kind ? -1 : 1;
  }
};

}  // namespace

std::unique_ptr<Scheme> make_apk_scheme() { return std::make_unique<ApkScheme>(); }

}  // namespace hivesec::versions
