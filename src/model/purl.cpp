#include "model/purl.h"

namespace hivesec::model {

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
