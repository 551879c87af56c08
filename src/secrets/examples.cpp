#include "secrets/examples.h"

#include <array>
#include <cctype>

namespace hivesec::secrets {

namespace {

struct CharClass {
  std::string_view name;
  std::string_view chars;
};

constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";

constexpr std::array<CharClass, 11> kClasses = {{
    {"alnum", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"},
    {"upper", kUpper},
    {"lower", kLower},
    {"digits", "0123456789"},
    {"hex", "0123456789abcdef"},
    {"HEX", "0123456789ABCDEF"},
    {"base64", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"},
    {"base64url", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"},
    {"upper_digits", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"},
    {"lower_digits", "abcdefghijklmnopqrstuvwxyz0123456789"},
    {"x", "x"},
}};

constexpr size_t kMaxCount = 65536;

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

Result<std::string> expand_example(std::string_view tmpl, uint64_t seed) {
  uint64_t state = seed;
  std::string out;
  out.reserve(tmpl.size());
  size_t i = 0;
  while (i < tmpl.size()) {
    char c = tmpl[i];
    if (c != '{') {
      out.push_back(c);
      ++i;
      continue;
    }
    // `{word:digits}`? Anything else is literal.
    size_t j = i + 1;
    while (j < tmpl.size() && is_word_char(tmpl[j])) ++j;
    size_t word_end = j;
    if (word_end == i + 1 || j >= tmpl.size() || tmpl[j] != ':') {
      out.push_back(c);
      ++i;
      continue;
    }
    ++j;
    size_t digits_start = j;
    while (j < tmpl.size() && std::isdigit(static_cast<unsigned char>(tmpl[j]))) ++j;
    if (j == digits_start || j >= tmpl.size() || tmpl[j] != '}') {
      out.push_back(c);
      ++i;
      continue;
    }
    std::string_view word = tmpl.substr(i + 1, word_end - i - 1);
    std::string_view digits = tmpl.substr(digits_start, j - digits_start);
    size_t n = 0;
    for (char d : digits) {
      n = n * 10 + static_cast<size_t>(d - '0');
      if (n > kMaxCount) break;
    }
    if (n == 0 || n > kMaxCount) {
      return make_error(Errc::kInvalidArgument, "example placeholder {{{}:{}}}: count must be 1..{}",
                        word, digits, kMaxCount);
    }
    std::string_view chars;
    for (const CharClass& k : kClasses) {
      if (k.name == word) chars = k.chars;
    }
    if (chars.empty()) {
      return make_error(Errc::kInvalidArgument,
                        "example placeholder {{{}:{}}}: unknown class '{}' (known: alnum, upper, "
                        "lower, digits, hex, HEX, base64, base64url, upper_digits, lower_digits, x)",
                        word, digits, word);
    }
    for (size_t k = 0; k < n; ++k) out.push_back(chars[splitmix64(state) % chars.size()]);
    i = j + 1;
  }
  return out;
}

}  // namespace hivesec::secrets
