#include "analyze/toml_lite.h"

#include <cctype>

namespace hivesec::analyze::toml {

const Value* Value::find(std::string_view key) const {
  if (kind != Kind::kTable) return nullptr;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return &items[i];
  }
  return nullptr;
}

std::string_view Value::string_or_empty(std::string_view key) const {
  const Value* v = find(key);
  return v && v->is_string() ? std::string_view(v->text) : std::string_view{};
}

namespace {

using Kind = Value::Kind;

bool is_bare_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class Parser {
 public:
  Parser(std::string_view text, const Limits& limits) : s_(text), limits_(limits) {}

  Result<Value> run() {
    Value root;
    Value* current = &root;
    while (true) {
      skip_ws_comments_newlines();
      if (eof()) break;
      if (peek() == '[') {
        bool array = at("[[");
        pos_ += array ? 2 : 1;
        skip_ws();
        HIVESEC_TRY(std::vector<std::string> path, parse_key());
        skip_ws();
        if (!consume(array ? "]]" : "]")) return fail("unterminated table header");
        HIVESEC_TRY_STATUS(end_of_line());
        HIVESEC_TRY(current, open_table(root, path, array));
        continue;
      }
      HIVESEC_TRY(std::vector<std::string> key, parse_key());
      skip_ws();
      if (!consume("=")) return fail("expected '=' after key");
      skip_ws();
      HIVESEC_TRY(Value v, parse_value(0));
      HIVESEC_TRY_STATUS(end_of_line());
      HIVESEC_TRY_STATUS(assign(*current, key, std::move(v)));
    }
    return root;
  }

 private:
  bool eof() const { return pos_ >= s_.size(); }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  bool at(std::string_view t) const { return s_.substr(pos_, t.size()) == t; }
  bool consume(std::string_view t) {
    if (!at(t)) return false;
    pos_ += t.size();
    return true;
  }

  Error fail(std::string_view what) const {
    return make_error(Errc::kCorrupt, "TOML line {}: {}", line_, what);
  }

  void skip_ws() {
    while (!eof() && (peek() == ' ' || peek() == '\t')) ++pos_;
  }
  void skip_comment() {
    if (peek() == '#') {
      while (!eof() && peek() != '\n') ++pos_;
    }
  }
  bool newline() {
    if (consume("\r\n") || consume("\n")) {
      ++line_;
      return true;
    }
    return false;
  }
  void skip_ws_comments_newlines() {
    while (true) {
      skip_ws();
      skip_comment();
      if (!newline()) return;
    }
  }
  Status end_of_line() {
    skip_ws();
    skip_comment();
    if (eof() || newline()) return ok_status();
    return fail("unexpected text after value");
  }

  Status count_value() {
    if (++values_ > limits_.max_values) {
      return make_error(Errc::kLimit, "TOML has more than {} values", limits_.max_values);
    }
    return ok_status();
  }

  // key ( '.' key )*
  Result<std::vector<std::string>> parse_key() {
    std::vector<std::string> parts;
    while (true) {
      skip_ws();
      if (static_cast<int>(parts.size()) >= limits_.max_depth) {
        return make_error(Errc::kLimit, "TOML key has more than {} parts", limits_.max_depth);
      }
      if (peek() == '"' || peek() == '\'') {
        if (at("\"\"\"") || at("'''")) return fail("multi-line string used as key");
        HIVESEC_TRY(std::string k, parse_string_simple());
        parts.push_back(std::move(k));
      } else {
        size_t start = pos_;
        while (!eof() && is_bare_key_char(peek())) ++pos_;
        if (pos_ == start) return fail("expected a key");
        parts.emplace_back(s_.substr(start, pos_ - start));
      }
      skip_ws();
      if (peek() != '.') return parts;
      ++pos_;
    }
  }

  // Navigates a header path from the root, creating tables; [[x]] appends a table to array x.
  Result<Value*> open_table(Value& root, const std::vector<std::string>& path, bool array) {
    Value* t = &root;
    for (size_t i = 0; i < path.size(); ++i) {
      bool last = i + 1 == path.size();
      Value* child = const_cast<Value*>(t->find(path[i]));
      if (!child) {
        HIVESEC_TRY_STATUS(count_value());
        t->keys.push_back(path[i]);
        t->items.push_back(Value{last && array ? Kind::kArray : Kind::kTable, {}, {}, {}});
        child = &t->items.back();
      }
      if (last && array) {
        if (!child->is_array()) return fail("[[" + path[i] + "]] redefines a non-array");
        HIVESEC_TRY_STATUS(count_value());
        child->items.push_back(Value{});
        return &child->items.back();
      }
      if (child->is_array()) {
        if (child->items.empty() || !child->items.back().is_table()) {
          return fail("header goes through an array that holds no table");
        }
        child = &child->items.back();
      } else if (!child->is_table()) {
        return fail("header redefines a value: " + path[i]);
      }
      t = child;
    }
    return t;
  }

  Status assign(Value& table, const std::vector<std::string>& key, Value v) {
    Value* t = &table;
    for (size_t i = 0; i + 1 < key.size(); ++i) {
      Value* child = const_cast<Value*>(t->find(key[i]));
      if (!child) {
        t->keys.push_back(key[i]);
        t->items.push_back(Value{});
        child = &t->items.back();
      } else if (!child->is_table()) {
        return fail("dotted key goes through a value: " + key[i]);
      }
      t = child;
    }
    if (t->find(key.back())) return fail("duplicate key: " + key.back());
    t->keys.push_back(key.back());
    t->items.push_back(std::move(v));
    return ok_status();
  }

  // A single-line basic or literal string (keys and plain values).
  Result<std::string> parse_string_simple() {
    char q = peek();
    ++pos_;
    std::string out;
    while (true) {
      if (eof() || peek() == '\n') return fail("unterminated string");
      char c = s_[pos_++];
      if (c == q) return out;
      if (c == '\\' && q == '"') {
        HIVESEC_TRY_STATUS(parse_escape(out));
      } else {
        out.push_back(c);
      }
    }
  }

  Result<std::string> parse_string_multiline() {
    bool basic = peek() == '"';
    std::string_view close = basic ? "\"\"\"" : "'''";
    pos_ += 3;
    newline();  // a newline right after the opening quotes is trimmed
    std::string out;
    while (true) {
      if (eof()) return fail("unterminated multi-line string");
      if (at(close)) {
        pos_ += 3;
        // Up to two quotes may directly precede the closing delimiter.
        for (int i = 0; i < 2 && peek() == close[0]; ++i) out.push_back(s_[pos_++]);
        return out;
      }
      if (peek() == '\n') {
        out.push_back('\n');
        newline();
        continue;
      }
      char c = s_[pos_++];
      if (basic && c == '\\') {
        // Line-ending backslash: trims the newline and following whitespace.
        size_t p = pos_;
        while (p < s_.size() && (s_[p] == ' ' || s_[p] == '\t' || s_[p] == '\r')) ++p;
        if (p < s_.size() && s_[p] == '\n') {
          pos_ = p;
          while (!eof() && (peek() == ' ' || peek() == '\t' || newline())) {
            if (peek() == ' ' || peek() == '\t') ++pos_;
          }
          continue;
        }
        HIVESEC_TRY_STATUS(parse_escape(out));
      } else {
        out.push_back(c);
      }
    }
  }

  Status parse_escape(std::string& out) {
    if (eof()) return fail("unterminated escape");
    char e = s_[pos_++];
    switch (e) {
      case 'b':
        out.push_back('\b');
        return ok_status();
      case 't':
        out.push_back('\t');
        return ok_status();
      case 'n':
        out.push_back('\n');
        return ok_status();
      case 'f':
        out.push_back('\f');
        return ok_status();
      case 'r':
        out.push_back('\r');
        return ok_status();
      case 'e':
        out.push_back('\x1b');
        return ok_status();
      case '"':
        out.push_back('"');
        return ok_status();
      case '\\':
        out.push_back('\\');
        return ok_status();
      case 'u':
      case 'U': {
        size_t n = e == 'u' ? 4 : 8;
        if (pos_ + n > s_.size()) return fail("truncated unicode escape");
        uint32_t cp = 0;
        for (size_t i = 0; i < n; ++i) {
          char h = s_[pos_ + i];
          if (!std::isxdigit(static_cast<unsigned char>(h))) return fail("bad unicode escape");
          cp = cp * 16 + static_cast<uint32_t>(std::isdigit(static_cast<unsigned char>(h))
                                                   ? h - '0'
                                                   : (std::tolower(h) - 'a' + 10));
        }
        pos_ += n;
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return fail("bad unicode scalar");
        append_utf8(out, cp);
        return ok_status();
      }
      default:
        return fail("unknown escape");
    }
  }

  Result<Value> parse_value(int depth) {
    if (depth > limits_.max_depth) {
      return make_error(Errc::kLimit, "TOML nests deeper than {}", limits_.max_depth);
    }
    HIVESEC_TRY_STATUS(count_value());
    Value v;
    if (at("\"\"\"") || at("'''")) {
      v.kind = Kind::kString;
      HIVESEC_TRY(v.text, parse_string_multiline());
      return v;
    }
    char c = peek();
    if (c == '"' || c == '\'') {
      v.kind = Kind::kString;
      HIVESEC_TRY(v.text, parse_string_simple());
      return v;
    }
    if (c == '[') {
      ++pos_;
      v.kind = Kind::kArray;
      while (true) {
        skip_ws_comments_newlines();
        if (eof()) return fail("unterminated array");
        if (consume("]")) return v;
        HIVESEC_TRY(Value item, parse_value(depth + 1));
        v.items.push_back(std::move(item));
        skip_ws_comments_newlines();
        if (consume(",")) continue;
        if (consume("]")) return v;
        return fail("expected ',' or ']' in array");
      }
    }
    if (c == '{') {
      ++pos_;
      v.kind = Kind::kTable;
      skip_ws_comments_newlines();
      if (consume("}")) return v;
      while (true) {
        skip_ws_comments_newlines();
        HIVESEC_TRY(std::vector<std::string> key, parse_key());
        if (static_cast<int>(key.size()) + depth > limits_.max_depth) {
          return make_error(Errc::kLimit, "TOML nests deeper than {}", limits_.max_depth);
        }
        skip_ws();
        if (!consume("=")) return fail("expected '=' in inline table");
        skip_ws();
        HIVESEC_TRY(Value item, parse_value(depth + 1));
        HIVESEC_TRY_STATUS(assign(v, key, std::move(item)));
        skip_ws_comments_newlines();
        if (consume(",")) continue;
        if (consume("}")) return v;
        return fail("expected ',' or '}' in inline table");
      }
    }
    if (consume("true") || consume("false")) {
      v.kind = Kind::kBool;
      v.text = s_[pos_ - 1] == 'e' && s_.substr(pos_ - 4, 4) == "true" ? "true" : "false";
      return v;
    }
    size_t start = pos_;
    auto token_char = [](char ch) {
      return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '+' || ch == '-' ||
             ch == '.' || ch == ':';
    };
    while (!eof() && token_char(peek())) ++pos_;
    // A date and a time may be separated by one space ("1979-05-27 07:32:00Z").
    if (pos_ - start == 10 && peek() == ' ' && pos_ + 1 < s_.size() &&
        std::isdigit(static_cast<unsigned char>(s_[pos_ + 1]))) {
      ++pos_;
      while (!eof() && token_char(peek())) ++pos_;
    }
    if (pos_ == start) return fail("expected a value");
    v.text = std::string(s_.substr(start, pos_ - start));
    bool has_digit = false;
    for (char ch : v.text) has_digit |= std::isdigit(static_cast<unsigned char>(ch)) != 0;
    if (v.text.size() > 4 && v.text[4] == '-' && has_digit) {
      v.kind = Kind::kDatetime;
    } else if (v.text.find(':') != std::string::npos && has_digit) {
      v.kind = Kind::kDatetime;
    } else if (v.text.find_first_of(".eE") != std::string::npos || v.text.ends_with("inf") ||
               v.text.ends_with("nan")) {
      if (v.text.starts_with("0x")) {
        v.kind = Kind::kInteger;
      } else {
        v.kind = Kind::kFloat;
      }
    } else if (has_digit) {
      v.kind = Kind::kInteger;
    } else {
      return fail("invalid value '" + v.text.substr(0, 40) + "'");
    }
    return v;
  }

  std::string_view s_;
  Limits limits_;
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t values_ = 0;
};

}  // namespace

Result<Value> parse(std::string_view text, const Limits& limits) {
  if (text.size() > limits.max_input) {
    return make_error(Errc::kLimit, "TOML input of {} bytes exceeds {}", text.size(),
                      limits.max_input);
  }
  try {
    return Parser(text, limits).run();
  } catch (const std::bad_alloc&) {
    return make_error(Errc::kLimit, "TOML document too large for memory");
  }
}

}  // namespace hivesec::analyze::toml
