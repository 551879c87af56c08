#include "dockerfile/parser.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>

namespace hivesec::dockerfile {

namespace {

constexpr int kMaxExpansionDepth = 16;

constexpr std::array<std::string_view, 18> kKeywords = {
    "ADD",  "ARG",     "CMD",   "COPY", "ENTRYPOINT", "ENV",   "EXPOSE",     "FROM",  "HEALTHCHECK",
    "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"};

// The instructions whose arguments the builder expands with ARG/ENV values.
constexpr std::array<std::string_view, 11> kExpanding = {
    "ADD", "ARG", "COPY", "ENV", "EXPOSE", "FROM", "LABEL", "STOPSIGNAL", "USER", "VOLUME",
    "WORKDIR"};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string upper(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return o;
}
std::string lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// The builder's word processing: quote removal, escapes, variable expansion.
class Lexer {
 public:
  Lexer(std::string_view s, char escape, const Vars* vars) : s_(s), esc_(escape), vars_(vars) {}

  Result<std::vector<std::string>> words() {
    std::vector<std::string> out;
    while (true) {
      while (i_ < s_.size() && is_space(s_[i_])) ++i_;
      if (i_ >= s_.size()) break;
      std::string w;
      bool quoted = false;  // "" is a word; an unquoted expansion to nothing is not
      while (i_ < s_.size() && !is_space(s_[i_])) {
        char c = s_[i_];
        if (c == esc_) {
          ++i_;
          if (i_ < s_.size()) w.push_back(s_[i_++]);
        } else if (c == '\'') {
          quoted = true;
          size_t end = s_.find('\'', i_ + 1);
          if (end == std::string_view::npos) return error("unterminated single quote");
          w.append(s_.substr(i_ + 1, end - i_ - 1));
          i_ = end + 1;
        } else if (c == '"') {
          quoted = true;
          ++i_;
          bool closed = false;
          while (i_ < s_.size()) {
            char d = s_[i_];
            if (d == '"') {
              closed = true;
              ++i_;
              break;
            }
            if (d == esc_ && i_ + 1 < s_.size() &&
                (s_[i_ + 1] == '"' || s_[i_ + 1] == esc_ || s_[i_ + 1] == '$')) {
              w.push_back(s_[i_ + 1]);
              i_ += 2;
            } else if (d == '$' && vars_) {
              HIVESEC_TRY_STATUS(expand(w, 0));
            } else {
              w.push_back(d);
              ++i_;
            }
          }
          if (!closed) return error("unterminated double quote");
        } else if (c == '$' && vars_) {
          HIVESEC_TRY_STATUS(expand(w, 0));
        } else {
          w.push_back(c);
          ++i_;
        }
      }
      if (!w.empty() || quoted) out.push_back(std::move(w));
    }
    return out;
  }

 private:
  Error error(std::string_view what) const {
    return make_error(Errc::kInvalidArgument, "{} in '{}'", what,
                      s_.substr(0, std::min<size_t>(s_.size(), 60)));
  }

  // At '$': appends the expansion to `out`.
  Status expand(std::string& out, int depth) {
    if (depth > kMaxExpansionDepth) return error("variable expansion nested too deeply");
    ++i_;  // '$'
    if (i_ >= s_.size()) {
      out.push_back('$');
      return ok_status();
    }
    if (s_[i_] != '{') {
      if (!is_name_start(s_[i_])) {
        out.push_back('$');
        return ok_status();
      }
      size_t start = i_;
      while (i_ < s_.size() && is_name_char(s_[i_])) ++i_;
      if (auto it = vars_->find(std::string(s_.substr(start, i_ - start))); it != vars_->end()) {
        out += it->second;
      }
      return ok_status();
    }
    ++i_;  // '{'
    size_t start = i_;
    while (i_ < s_.size() && is_name_char(s_[i_])) ++i_;
    if (i_ == start || i_ >= s_.size()) return error("bad substitution");
    std::string name(s_.substr(start, i_ - start));
    auto it = vars_->find(name);
    bool set = it != vars_->end();
    std::string value = set ? it->second : "";
    if (s_[i_] == '}') {
      ++i_;
      out += value;
      return ok_status();
    }
    bool colon = false;
    if (s_[i_] == ':') {
      colon = true;
      ++i_;
    }
    if (i_ >= s_.size() || (s_[i_] != '-' && s_[i_] != '+' && s_[i_] != '?')) {
      return error("bad substitution");
    }
    char op = s_[i_++];
    std::string word;
    HIVESEC_TRY_STATUS(until_brace(word, depth + 1));
    bool present = colon ? (set && !value.empty()) : set;
    switch (op) {
      case '-': out += present ? value : word; break;
      case '+': out += present ? word : ""; break;
      default:  // '?': an error in the builder when unset; the scanner keeps going
        out += value;
        break;
    }
    return ok_status();
  }

  // The word of ${VAR:-word}: up to the matching '}', with escapes and nested expansions.
  Status until_brace(std::string& out, int depth) {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '}') {
        ++i_;
        return ok_status();
      }
      if (c == esc_ && i_ + 1 < s_.size()) {
        out.push_back(s_[i_ + 1]);
        i_ += 2;
      } else if (c == '$') {
        HIVESEC_TRY_STATUS(expand(out, depth));
      } else {
        out.push_back(c);
        ++i_;
      }
    }
    return error("missing '}'");
  }

  std::string_view s_;
  size_t i_ = 0;
  char esc_;
  const Vars* vars_;
};

// NUL bytes and invalid UTF-8 mean this is not a text file; reports the line.
Status check_text(std::string_view text) {
  int line = 1;
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') ++line;
    if (c == 0) {
      return make_error(Errc::kInvalidArgument, "line {}: binary content (NUL byte), not a Dockerfile",
                        line);
    }
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len != 0 && i + len <= text.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(text[i + k]) >> 6) == 2;
    if (!ok) {
      return make_error(Errc::kInvalidArgument, "line {}: binary content (not UTF-8 text), not a Dockerfile",
                        line);
    }
    i += len;
  }
  return ok_status();
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view l = text.substr(start, end - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    lines.push_back(l);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

// "# name=value" at the top of the file.
bool parse_directive(std::string_view line, std::string& name, std::string& value) {
  std::string_view s = trim(line);
  if (s.empty() || s.front() != '#') return false;
  s = trim(s.substr(1));
  size_t eq = s.find('=');
  if (eq == std::string_view::npos || eq == 0) return false;
  std::string_view n = trim(s.substr(0, eq));
  if (!is_name_start(n.front())) return false;
  for (char c : n) {
    if (!is_name_char(c) && c != '-') return false;
  }
  name = lower(n);
  value = std::string(trim(s.substr(eq + 1)));
  return true;
}

struct Marker {
  std::string word;
  bool strip_tabs = false;
  bool quoted = false;
};

// Heredoc markers "<<EOF", "<<-EOF", "<<'EOF'", "<<\"EOF\"" outside quotes ("<<<" is a
// here-string, not a heredoc).
std::vector<Marker> heredoc_markers(std::string_view s) {
  std::vector<Marker> out;
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      continue;
    }
    if (c != '<' || i + 1 >= s.size() || s[i + 1] != '<') continue;
    if (i + 2 < s.size() && s[i + 2] == '<') {
      i += 2;
      continue;
    }
    size_t j = i + 2;
    Marker m;
    if (j < s.size() && s[j] == '-') {
      m.strip_tabs = true;
      ++j;
    }
    char q = 0;
    if (j < s.size() && (s[j] == '\'' || s[j] == '"')) {
      q = s[j++];
      m.quoted = true;
    }
    size_t start = j;
    if (j >= s.size() || !is_name_start(s[j])) continue;
    while (j < s.size() && (is_name_char(s[j]) || s[j] == '-' || s[j] == '.')) ++j;
    m.word = std::string(s.substr(start, j - start));
    if (q) {
      if (j >= s.size() || s[j] != q) continue;
      ++j;
    }
    out.push_back(std::move(m));
    i = j - 1;
  }
  return out;
}

bool one_of(std::string_view kw, const auto& list) {
  return std::find(list.begin(), list.end(), kw) != list.end();
}

Error line_error(int line, const Error& e) {
  return make_error(e.code, "line {}: {}", line, e.message);
}

// ENV/ARG/LABEL words "k=v"; the legacy "ENV k v w" form becomes one word "k=v w".
std::vector<std::string> key_values(std::vector<std::string> words, bool legacy_allowed) {
  if (legacy_allowed && !words.empty() && words[0].find('=') == std::string::npos &&
      words.size() > 1) {
    std::string v;
    for (size_t i = 1; i < words.size(); ++i) v += (i > 1 ? " " : "") + words[i];
    return {words[0] + "=" + v};
  }
  return words;
}

}  // namespace

std::string Instruction::flag(std::string_view name) const {
  for (const auto& f : flags) {
    std::string_view v = f;
    if (!v.starts_with("--")) continue;
    v.remove_prefix(2);
    if (v == name) return "true";
    if (v.size() > name.size() && v.starts_with(name) && v[name.size()] == '=') {
      return std::string(v.substr(name.size() + 1));
    }
  }
  return "";
}

Result<std::vector<std::string>> split_words(std::string_view text, char escape,
                                             const Vars* vars) {
  return Lexer(text, escape, vars).words();
}

Result<Dockerfile> parse(std::string_view text) {
  if (text.size() > kMaxDockerfileSize) {
    return make_error(Errc::kLimit, "{} bytes exceeds the {} byte limit for a Dockerfile",
                      text.size(), kMaxDockerfileSize);
  }
  HIVESEC_TRY_STATUS(check_text(text));
  Dockerfile df;
  std::vector<std::string_view> lines = split_lines(text);
  size_t idx = 0;

  // Parser directives: only at the very top, before any blank line, comment or instruction.
  for (; idx < lines.size(); ++idx) {
    std::string name, value;
    if (!parse_directive(lines[idx], name, value)) break;
    if (df.directives.count(name)) {
      return make_error(Errc::kInvalidArgument, "line {}: repeated '{}' directive", idx + 1, name);
    }
    if (name == "escape") {
      if (value != "\\" && value != "`") {
        return make_error(Errc::kInvalidArgument,
                          "line {}: invalid escape directive '{}' (only \\ or `)", idx + 1, value);
      }
      df.escape = value[0];
    }
    df.directives[name] = value;
  }

  auto is_skippable = [](std::string_view l) {
    std::string_view t = trim(l);
    return t.empty() || t.front() == '#';
  };

  while (idx < lines.size()) {
    if (is_skippable(lines[idx])) {
      ++idx;
      continue;
    }
    Instruction ins;
    ins.line = static_cast<int>(idx) + 1;
    std::string logical;
    std::string_view cur = lines[idx];
    while (cur.size() && (cur.front() == ' ' || cur.front() == '\t')) cur.remove_prefix(1);
    while (true) {
      std::string_view t = cur;
      while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
      bool continues = !t.empty() && t.back() == df.escape;
      if (!continues) {
        logical.append(cur);
        ++idx;
        break;
      }
      t.remove_suffix(1);
      logical.append(t);
      ++idx;
      while (idx < lines.size() && is_skippable(lines[idx])) ++idx;
      if (idx >= lines.size()) break;
      cur = lines[idx];
    }
    ins.end_line = static_cast<int>(idx);

    std::string_view l = trim(logical);
    size_t sp = 0;
    while (sp < l.size() && !is_space(l[sp])) ++sp;
    ins.keyword = upper(l.substr(0, sp));
    if (!one_of(ins.keyword, kKeywords)) {
      return make_error(Errc::kInvalidArgument, "line {}: unknown instruction '{}'", ins.line,
                        std::string(l.substr(0, std::min<size_t>(sp, 40))));
    }
    ins.args = std::string(trim(l.substr(sp)));

    std::string_view rest = ins.args;
    if (ins.keyword == "FROM" || ins.keyword == "RUN" || ins.keyword == "COPY" ||
        ins.keyword == "ADD" || ins.keyword == "HEALTHCHECK") {
      while (rest.starts_with("--")) {
        size_t e = 0;
        while (e < rest.size() && !is_space(rest[e])) ++e;
        ins.flags.emplace_back(rest.substr(0, e));
        rest = trim(rest.substr(e));
      }
    }
    ins.rest = std::string(rest);
    if (!rest.empty() && rest.front() == '[') {
      auto j = nlohmann::json::parse(rest, nullptr, /*allow_exceptions=*/false);
      if (j.is_array() && std::all_of(j.begin(), j.end(), [](const auto& e) { return e.is_string(); })) {
        ins.exec_form = true;
        for (const auto& e : j) ins.exec_args.push_back(e.get<std::string>());
      }
    }

    if (!ins.exec_form && (ins.keyword == "RUN" || ins.keyword == "COPY" || ins.keyword == "ADD")) {
      for (Marker& m : heredoc_markers(ins.rest)) {
        Heredoc h;
        h.word = m.word;
        h.strip_tabs = m.strip_tabs;
        h.quoted = m.quoted;
        h.line = static_cast<int>(idx) + 1;
        bool closed = false;
        for (; idx < lines.size(); ++idx) {
          std::string_view b = lines[idx];
          std::string_view cmp = b;
          if (h.strip_tabs) {
            while (!cmp.empty() && cmp.front() == '\t') cmp.remove_prefix(1);
          }
          if (cmp == h.word) {
            closed = true;
            ++idx;
            break;
          }
          h.body.append(h.strip_tabs ? cmp : b);
          h.body.push_back('\n');
        }
        if (!closed) {
          return make_error(Errc::kInvalidArgument,
                            "line {}: unterminated heredoc <<{} (no line '{}' before the end)",
                            ins.line, h.word, h.word);
        }
        ins.heredocs.push_back(std::move(h));
      }
      ins.end_line = static_cast<int>(idx);
    }
    df.instructions.push_back(std::move(ins));
  }

  // Stages and expansion.
  Vars global;  // ARGs before the first FROM
  Vars args, env;
  for (size_t k = 0; k < df.instructions.size(); ++k) {
    Instruction& ins = df.instructions[k];
    if (ins.keyword == "FROM") {
      auto split = split_words(ins.rest, df.escape, &global);
      if (!split.ok()) return line_error(ins.line, split.error());
      std::vector<std::string> words = std::move(split).value();
      ins.words = words;
      if (words.empty()) return make_error(Errc::kInvalidArgument, "line {}: FROM without an image", ins.line);
      Stage st;
      st.index = static_cast<int>(df.stages.size());
      st.line = ins.line;
      st.base = words[0];
      if (words.size() >= 3 && lower(words[1]) == "as") st.name = lower(words[2]);
      std::string base_lower = lower(st.base);
      for (const Stage& prev : df.stages) {
        if (!prev.name.empty() && prev.name == base_lower) st.base_stage = prev.index;
      }
      env = st.base_stage >= 0 ? df.stages[st.base_stage].env : Vars{};
      st.env = env;
      args.clear();
      df.stages.push_back(std::move(st));
    } else if (df.stages.empty() && ins.keyword != "ARG") {
      return make_error(Errc::kInvalidArgument, "line {}: {} before the first FROM", ins.line,
                        ins.keyword);
    }
    ins.stage = static_cast<int>(df.stages.size()) - 1;
    if (ins.stage >= 0) df.stages.back().instructions.push_back(k);
    if (ins.keyword == "FROM" || !one_of(ins.keyword, kExpanding)) continue;

    Vars visible = ins.stage < 0 ? global : args;
    for (const auto& [n, v] : env) visible[n] = v;
    auto words = split_words(ins.rest, df.escape, &visible);
    if (!words.ok()) return line_error(ins.line, words.error());
    ins.words = ins.keyword == "ENV" ? key_values(std::move(words).value(), true)
                                     : std::move(words).value();
    if (ins.keyword == "ARG") {
      for (const std::string& w : ins.words) {
        size_t eq = w.find('=');
        std::string name = w.substr(0, eq);
        Vars& target = ins.stage < 0 ? global : args;
        if (eq != std::string::npos) {
          target[name] = w.substr(eq + 1);
        } else if (ins.stage >= 0 && global.count(name)) {
          target[name] = global[name];
        }
      }
    } else if (ins.keyword == "ENV") {
      for (const std::string& w : ins.words) {
        size_t eq = w.find('=');
        if (eq == std::string::npos) continue;
        env[w.substr(0, eq)] = w.substr(eq + 1);
      }
      df.stages.back().env = env;
    }
  }
  if (df.stages.empty()) return make_error(Errc::kInvalidArgument, "no FROM instruction");
  return df;
}

}  // namespace hivesec::dockerfile
