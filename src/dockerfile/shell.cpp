#include "dockerfile/shell.h"

#include <algorithm>
#include <array>

namespace hivesec::dockerfile {

namespace {

constexpr std::array<std::string_view, 14> kPrefixWords = {
    "if", "then", "else", "elif", "do", "while", "until", "!", "time", "sudo", "exec", "nohup",
    "command", "env"};

bool is_assignment(const std::string& w) {
  size_t eq = w.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  return std::all_of(w.begin(), w.begin() + static_cast<long>(eq), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void finish(std::vector<ShellCommand>& out, ShellCommand& cur, std::string& word, bool& in_word,
            bool piped) {
  if (in_word) cur.words.push_back(std::move(word));
  word.clear();
  in_word = false;
  // Drop control words, wrappers and assignments in front of the command name.
  auto first = cur.words.begin();
  while (first != cur.words.end() &&
         (std::find(kPrefixWords.begin(), kPrefixWords.end(), *first) != kPrefixWords.end() ||
          is_assignment(*first) || (first != cur.words.begin() && first->starts_with("-") &&
                                    (first - 1)->size() && *(first - 1) == "sudo"))) {
    ++first;
  }
  cur.words.erase(cur.words.begin(), first);
  if (!cur.words.empty()) {
    cur.piped = piped;
    out.push_back(std::move(cur));
  }
  cur = ShellCommand{};
}

}  // namespace

std::vector<ShellCommand> split_commands(std::string_view s) {
  std::vector<ShellCommand> out;
  ShellCommand cur;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      if (i + 1 < s.size() && s[i + 1] == '\n') {
        ++i;  // line continuation
        continue;
      }
      if (i + 1 < s.size()) word.push_back(s[++i]);
      in_word = true;
    } else if (c == '\'' || c == '"') {
      size_t end = s.find(c, i + 1);
      if (end == std::string_view::npos) end = s.size();
      word.append(s.substr(i + 1, end - i - 1));
      in_word = true;
      i = end;
    } else if (c == '$' && i + 1 < s.size() && s[i + 1] == '(') {
      int depth = 0;
      size_t j = i;
      for (; j < s.size(); ++j) {
        if (s[j] == '(') ++depth;
        if (s[j] == ')' && --depth == 0) break;
      }
      word.append(s.substr(i, std::min(j + 1, s.size()) - i));
      in_word = true;
      i = std::min(j, s.size());
    } else if (c == '#' && !in_word) {
      while (i < s.size() && s[i] != '\n') ++i;
      finish(out, cur, word, in_word, false);
    } else if (c == ' ' || c == '\t') {
      if (in_word) cur.words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else if (c == ';' || c == '\n' || c == '(' || c == ')' || c == '{' || c == '}') {
      if ((c == '{' || c == '}') && in_word) {
        word.push_back(c);
        continue;
      }
      finish(out, cur, word, in_word, false);
    } else if (c == '&' || c == '|') {
      bool dbl = i + 1 < s.size() && s[i + 1] == c;
      if (c == '&' && !dbl && i > 0 && (s[i - 1] == '>' || s[i - 1] == '<')) {
        word.push_back(c);  // 2>&1
        in_word = true;
        continue;
      }
      if (c == '&' && !dbl && i + 1 < s.size() && s[i + 1] == '>') {
        word.push_back(c);  // &>file
        in_word = true;
        continue;
      }
      finish(out, cur, word, in_word, c == '|' && !dbl);
      if (dbl) ++i;
    } else {
      word.push_back(c);
      in_word = true;
    }
  }
  finish(out, cur, word, in_word, false);
  return out;
}

}  // namespace hivesec::dockerfile
