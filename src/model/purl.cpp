#include "model/purl.h"

#include <vector>

namespace hivesec::model {
namespace {

constexpr size_t kMaxShown = 80;

// The offending purl, shortened and with control characters replaced, for one-line errors.
std::string shown(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, kMaxShown)) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
  }
  if (s.size() > kMaxShown) out += "...";
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower(c);
  return out;
}

Result<std::string> decode(std::string_view s, std::string_view whole) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    int hi = i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
    int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      return make_error(Errc::kInvalidArgument, "invalid percent-encoding in purl '{}'",
                        shown(whole));
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

// Splits on '/', drops empty, "." and ".." segments, decodes each; a decoded segment must not
// contain '/'. Returns them joined with '/'.
Result<std::string> decode_segments(std::string_view s, bool drop_dots, std::string_view whole) {
  std::string out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find('/', i);
    if (j == std::string_view::npos) j = s.size();
    std::string_view seg = s.substr(i, j - i);
    i = j + 1;
    if (seg.empty() || (drop_dots && (seg == "." || seg == ".."))) continue;
    HIVESEC_TRY(std::string d, decode(seg, whole));
    if (d.find('/') != std::string::npos) {
      return make_error(Errc::kInvalidArgument, "encoded '/' inside a segment of purl '{}'",
                        shown(whole));
    }
    if (!out.empty()) out.push_back('/');
    out += d;
  }
  return out;
}

bool valid_type(std::string_view t) {
  if (t.empty() || is_digit(t.front())) return false;
  for (char c : t) {
    if (!is_alpha(c) && !is_digit(c) && c != '.' && c != '+' && c != '-') return false;
  }
  return true;
}

bool valid_qualifier_key(std::string_view k) {
  if (k.empty() || is_digit(k.front())) return false;
  for (char c : k) {
    if (!is_alpha(c) && !is_digit(c) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

}  // namespace

std::string purl_escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == ':';
    if (keep) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string make_purl(std::string_view type, std::string_view ns, std::string_view name,
                      std::string_view version,
                      const std::map<std::string, std::string>& qualifiers,
                      std::string_view subpath) {
  std::string out = "pkg:";
  out.append(type);
  out.push_back('/');
  size_t i = 0;
  while (i < ns.size()) {
    size_t j = ns.find('/', i);
    if (j == std::string_view::npos) j = ns.size();
    if (j > i) {
      out.append(purl_escape(ns.substr(i, j - i)));
      out.push_back('/');
    }
    i = j + 1;
  }
  out.append(purl_escape(name));
  if (!version.empty()) {
    out.push_back('@');
    out.append(purl_escape(version));
  }
  char sep = '?';
  for (const auto& [k, v] : qualifiers) {
    if (v.empty()) continue;
    out.push_back(sep);
    sep = '&';
    out.append(k);
    out.push_back('=');
    out.append(purl_escape(v));
  }
  if (!subpath.empty()) {
    out.push_back('#');
    out.append(subpath);
  }
  return out;
}

std::string Purl::to_string() const {
  std::string sub;
  size_t i = 0;
  while (i < subpath.size()) {
    size_t j = subpath.find('/', i);
    if (j == std::string::npos) j = subpath.size();
    if (!sub.empty()) sub.push_back('/');
    sub += purl_escape(std::string_view(subpath).substr(i, j - i));
    i = j + 1;
  }
  return make_purl(type, namespace_, name, version, qualifiers, sub);
}

Result<Purl> parse_purl(std::string_view text) {
  const std::string_view whole = text;
  Purl p;
  std::string_view rest = text;

  if (size_t hash = rest.rfind('#'); hash != std::string_view::npos) {
    HIVESEC_TRY(p.subpath, decode_segments(rest.substr(hash + 1), true, whole));
    rest = rest.substr(0, hash);
  }
  if (size_t q = rest.rfind('?'); q != std::string_view::npos) {
    std::string_view qs = rest.substr(q + 1);
    rest = rest.substr(0, q);
    size_t i = 0;
    while (i <= qs.size()) {
      size_t j = qs.find('&', i);
      if (j == std::string_view::npos) j = qs.size();
      std::string_view pair = qs.substr(i, j - i);
      i = j + 1;
      if (pair.empty()) continue;
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos) {
        return make_error(Errc::kInvalidArgument, "qualifier without '=' in purl '{}'",
                          shown(whole));
      }
      std::string key = lower(pair.substr(0, eq));
      if (!valid_qualifier_key(key)) {
        return make_error(Errc::kInvalidArgument, "invalid qualifier key '{}' in purl '{}'",
                          shown(key), shown(whole));
      }
      HIVESEC_TRY(std::string value, decode(pair.substr(eq + 1), whole));
      if (p.qualifiers.count(key) != 0) {
        return make_error(Errc::kInvalidArgument, "qualifier '{}' repeated in purl '{}'", key,
                          shown(whole));
      }
      if (!value.empty()) p.qualifiers.emplace(std::move(key), std::move(value));
    }
  }

  size_t colon = rest.find(':');
  if (colon == std::string_view::npos || lower(rest.substr(0, colon)) != "pkg") {
    return make_error(Errc::kInvalidArgument, "not a purl (no 'pkg:' scheme): '{}'", shown(whole));
  }
  rest = rest.substr(colon + 1);
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);

  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) {
    return make_error(Errc::kInvalidArgument, "purl '{}' has no name", shown(whole));
  }
  std::string_view type = rest.substr(0, slash);
  if (!valid_type(type)) {
    return make_error(Errc::kInvalidArgument, "invalid type '{}' in purl '{}'", shown(type),
                      shown(whole));
  }
  p.type = lower(type);
  rest = rest.substr(slash + 1);

  // The version separator is the last '@' of the last segment: "@scope/name@1.0" and an
  // unescaped "@scope/name" both work. Trailing slashes are not part of anything.
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  size_t last_slash = rest.rfind('/');
  size_t seg_start = last_slash == std::string_view::npos ? 0 : last_slash + 1;
  if (size_t at = rest.rfind('@'); at != std::string_view::npos && at >= seg_start) {
    HIVESEC_TRY(p.version, decode(rest.substr(at + 1), whole));
    rest = rest.substr(0, at);
  }
  last_slash = rest.rfind('/');
  std::string_view name_raw =
      last_slash == std::string_view::npos ? rest : rest.substr(last_slash + 1);
  HIVESEC_TRY(p.name, decode(name_raw, whole));
  if (p.name.empty()) {
    return make_error(Errc::kInvalidArgument, "purl '{}' has no name", shown(whole));
  }
  if (p.name.find('/') != std::string::npos) {
    return make_error(Errc::kInvalidArgument, "encoded '/' inside the name of purl '{}'",
                      shown(whole));
  }
  if (last_slash != std::string_view::npos) {
    HIVESEC_TRY(p.namespace_, decode_segments(rest.substr(0, last_slash), false, whole));
  }
  return p;
}

}  // namespace hivesec::model
