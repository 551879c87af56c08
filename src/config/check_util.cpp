#include "config/check_util.h"

#include <array>
#include <cctype>
#include <charconv>

namespace hivesec::config {

namespace {

std::string upper(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return o;
}

}  // namespace

bool secret_like_name(std::string_view name) {
  static constexpr std::array<std::string_view, 11> kParts = {
      "PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "ACCESS_KEY",
      "PRIVATE_KEY", "CREDENTIAL", "AUTH_KEY", "_PASS"};
  static constexpr std::array<std::string_view, 13> kPointers = {
      "_FILE", "_PATH", "_DIR", "_URL", "_URI", "_NAME", "_USER", "_USERNAME", "_HOST",
      "_PORT", "_ENDPOINT", "_LENGTH", "_TYPE"};
  std::string n = upper(name);
  bool secret = false;
  for (auto p : kParts) secret = secret || n.find(p) != std::string::npos || n == p.substr(p.front() == '_');
  if (!secret) return false;
  for (auto p : kPointers) {
    if (n.ends_with(p)) return false;
  }
  return true;
}

bool literal_value(std::string_view v) {
  if (v.empty()) return false;
  if (v.front() != '$') return true;
  // "$X" or "${X}" alone is a reference; "${X:-literal}" carries a literal default.
  if (v.size() > 1 && v[1] == '{') {
    size_t close = v.find('}');
    return v.find(":-") != std::string_view::npos || close + 1 != v.size();
  }
  size_t i = 1;
  while (i < v.size() && (std::isalnum(static_cast<unsigned char>(v[i])) || v[i] == '_')) ++i;
  return i != v.size();
}

bool secret_value(std::string_view v) {
  if (!literal_value(v) || v.size() < 3) return false;
  std::string u = upper(v);
  for (std::string_view b : {"TRUE", "FALSE", "YES", "NO", "NONE", "NULL"}) {
    if (u == b) return false;
  }
  return true;
}

std::string mask_value(std::string_view v) {
  if (v.size() <= 6) return "****";
  return std::string(v.substr(0, 2)) + "****";
}

ImageRef parse_image_ref(std::string_view ref) {
  ImageRef r;
  if (auto at = ref.find('@'); at != std::string_view::npos) {
    r.digest = std::string(ref.substr(at + 1));
    ref = ref.substr(0, at);
  }
  size_t slash = ref.rfind('/');
  size_t colon = ref.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    r.tag = std::string(ref.substr(colon + 1));
    ref = ref.substr(0, colon);
  }
  r.name = std::string(ref);
  return r;
}

bool remote_source(std::string_view s) {
  return s.starts_with("http://") || s.starts_with("https://") || s.starts_with("git@") ||
         s.starts_with("git://") || s.starts_with("url:");
}

bool archive_source(std::string_view s) {
  static constexpr std::array<std::string_view, 9> kExt = {
      ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tzst"};
  if (auto q = s.find('?'); q != std::string_view::npos) s = s.substr(0, q);
  for (auto e : kExt) {
    if (s.size() > e.size() && s.ends_with(e)) return true;
  }
  return false;
}

bool exposes_ssh(std::string_view spec) {
  if (auto slash = spec.find('/'); slash != std::string_view::npos) {
    if (spec.substr(slash + 1) == "udp") return false;
    spec = spec.substr(0, slash);
  }
  auto num = [](std::string_view s, int& out) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
  };
  int lo = 0, hi = 0;
  if (auto dash = spec.find('-'); dash != std::string_view::npos) {
    if (!num(spec.substr(0, dash), lo) || !num(spec.substr(dash + 1), hi)) return false;
  } else {
    if (!num(spec, lo)) return false;
    hi = lo;
  }
  return lo <= 22 && 22 <= hi;
}

}  // namespace hivesec::config
