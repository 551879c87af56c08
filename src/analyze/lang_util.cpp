#include "analyze/lang_util.h"

#include <algorithm>
#include <cctype>

namespace hivesec::analyze::lang {

Result<nlohmann::json> parse_json(std::string_view text, int max_depth) {
  return parse_json_bounded(text, max_depth);
}

std::string json_string(const nlohmann::json& obj, std::string_view key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string> json_licenses(const nlohmann::json& v) {
  constexpr size_t kMaxLicenses = 16;
  std::vector<std::string> out;
  auto add = [&](const nlohmann::json& e) {
    std::string s;
    if (e.is_string()) {
      s = e.get<std::string>();
    } else if (e.is_object()) {
      s = json_string(e, "type");
      if (s.empty()) s = json_string(e, "name");
    }
    auto t = trim(s);
    if (!t.empty() && out.size() < kMaxLicenses) out.emplace_back(t);
  };
  if (v.is_array()) {
    for (const auto& e : v) add(e);
  } else {
    add(v);
  }
  return out;
}

std::string normalize_pypi_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool in_sep = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (!in_sep) out.push_back('-');
      in_sep = true;
    } else {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      in_sep = false;
    }
  }
  return out;
}

std::pair<std::string_view, std::string_view> split_scope(std::string_view full_name) {
  if (!full_name.empty() && full_name.front() == '@') {
    if (auto slash = full_name.find('/'); slash != std::string_view::npos) {
      return {full_name.substr(0, slash), full_name.substr(slash + 1)};
    }
  }
  return {std::string_view{}, full_name};
}

bool plausible_name(std::string_view name) {
  if (name.empty() || name.size() > 214) return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f || c == ' ' || c == '\\';
  });
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = nl + 1;
  }
  return lines;
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

}  // namespace hivesec::analyze::lang
