#include "model/purl.h"

#include <algorithm>
#include <cctype>

namespace hivesec::model {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) {
      return make_error(Errc::kInvalidArgument, "purl: truncated percent-encoding");
    }
    int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) return make_error(Errc::kInvalidArgument, "purl: bad percent-encoding");
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string Purl::base() const { return make_purl(type, ns, name, ""); }

Result<Purl> parse_purl(std::string_view text) {
  if (text.size() > 4096) return make_error(Errc::kInvalidArgument, "purl: longer than 4 KiB");
  if (text.size() < 4 || lower(text.substr(0, 4)) != "pkg:") {
    return make_error(Errc::kInvalidArgument, "purl: does not start with \"pkg:\"");
  }
  std::string_view rest = text.substr(4);
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  Purl p;
  if (size_t h = rest.find('#'); h != std::string_view::npos) {
    std::string_view sub = rest.substr(h + 1);
    rest = rest.substr(0, h);
    while (!sub.empty() && sub.front() == '/') sub.remove_prefix(1);
    while (!sub.empty() && sub.back() == '/') sub.remove_suffix(1);
    HIVESEC_TRY(p.subpath, percent_decode(sub));
  }
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    std::string_view qs = rest.substr(q + 1);
    rest = rest.substr(0, q);
    while (!qs.empty()) {
      size_t amp = qs.find('&');
      std::string_view kv = qs.substr(0, amp);
      qs = amp == std::string_view::npos ? std::string_view{} : qs.substr(amp + 1);
      if (kv.empty()) continue;
      size_t eq = kv.find('=');
      if (eq == std::string_view::npos || eq == 0) {
        return make_error(Errc::kInvalidArgument, "purl: qualifier without key=value");
      }
      HIVESEC_TRY(std::string value, percent_decode(kv.substr(eq + 1)));
      if (!value.empty()) p.qualifiers[lower(kv.substr(0, eq))] = std::move(value);
    }
  }
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  // The version is after the last '@' of the name segment (a leading '@' in a scope is encoded).
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) {
    return make_error(Errc::kInvalidArgument, "purl: missing type or name");
  }
  p.type = lower(rest.substr(0, slash));
  rest = rest.substr(slash + 1);
  size_t last_slash = rest.rfind('/');
  std::string_view name_part =
      last_slash == std::string_view::npos ? rest : rest.substr(last_slash + 1);
  if (size_t at = name_part.rfind('@'); at != std::string_view::npos) {
    HIVESEC_TRY(p.version, percent_decode(name_part.substr(at + 1)));
    name_part = name_part.substr(0, at);
  }
  if (name_part.empty()) return make_error(Errc::kInvalidArgument, "purl: missing name");
  HIVESEC_TRY(p.name, percent_decode(name_part));
  if (last_slash != std::string_view::npos) {
    std::string_view ns = rest.substr(0, last_slash);
    while (!ns.empty()) {
      size_t j = ns.find('/');
      std::string_view seg = ns.substr(0, j);
      ns = j == std::string_view::npos ? std::string_view{} : ns.substr(j + 1);
      if (seg.empty()) continue;
      HIVESEC_TRY(std::string dec, percent_decode(seg));
      if (!p.ns.empty()) p.ns.push_back('/');
      p.ns.append(dec);
    }
  }
  return p;
}

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

}  // namespace hivesec::model
