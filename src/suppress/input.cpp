#include "suppress/input.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace hivesec::suppress {

Result<std::string> read_input_file(const std::string& path, size_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    if (ec && ec != std::errc::no_such_file_or_directory) {
      return make_error(Errc::kIo, "{}: {}", path, ec.message());
    }
    return make_error(Errc::kNotFound, "{}: no such file", path);
  }
  if (!fs::is_regular_file(st)) return make_error(Errc::kIo, "{}: not a regular file", path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::kIo, "{}: cannot open: {}", path, std::strerror(errno));
  // Read through the stream rather than trusting the size from stat: the file may grow.
  std::string out;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    size_t n = static_cast<size_t>(in.gcount());
    if (out.size() + n > max_bytes) {
      return make_error(Errc::kLimit, "{}: larger than {} bytes", path, max_bytes);
    }
    out.append(buf, n);
  }
  if (in.bad()) return make_error(Errc::kIo, "{}: read failed", path);
  return out;
}

std::string shown(std::string_view s, size_t max) {
  std::string out;
  for (char c : s.substr(0, max)) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
  }
  if (s.size() > max) out += "...";
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace hivesec::suppress
