// Private text helpers shared by the OS and OS-package analyzers (os, dpkg, apk, rpm).
// Pure functions on views; no allocation beyond the returned values. Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hivesec::analyze::ospkg {

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

inline std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Iterates lines of `text`: each call returns the next line without its "\n" or "\r\n".
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    line = text_.substr(pos_, end - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ = end + 1;
    return true;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// True when the bytes look like text (no NUL in the first 4 KiB).
inline bool looks_textual(std::string_view s) {
  return s.substr(0, 4096).find('\0') == std::string_view::npos;
}

}  // namespace hivesec::analyze::ospkg
