#include "policy/collectors/formats.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>

#include "policy/collectors/util.h"

namespace hivesec::policy::collectors {

using nlohmann::json;

namespace {

constexpr size_t kMaxDepth = 64;

json yaml_to_json(const YAML::Node& n, size_t depth) {
  if (depth > kMaxDepth) throw YAML::Exception(n.Mark(), "nested too deeply");
  switch (n.Type()) {
    case YAML::NodeType::Scalar:
      return n.Scalar();
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (const auto& e : n) a.push_back(yaml_to_json(e, depth + 1));
      return a;
    }
    case YAML::NodeType::Map: {
      json o = json::object();
      for (const auto& kv : n)
        o[kv.first.IsScalar() ? kv.first.Scalar() : "?"] = yaml_to_json(kv.second, depth + 1);
      return o;
    }
    default:
      return nullptr;
  }
}

Result<json> parse_json(const std::string& text) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    return make_error(Errc::kCorrupt, "malformed JSON: {}", e.what());
  }
}

Result<json> parse_yaml(const std::string& text) {
  try {
    YAML::Node n = YAML::Load(text);
    return yaml_to_json(n, 0);
  } catch (const YAML::Exception& e) {
    return make_error(Errc::kCorrupt, "malformed YAML: line {}: {}", e.mark.line + 1, e.msg);
  }
}

bool is_comment(const std::string& l) { return l.empty() || l[0] == '#' || l[0] == ';'; }

// "Key value" lines. A line with a key and no value is malformed.
Result<json> parse_keyvalue_impl(const std::string& text, bool lower_keys, bool first_wins) {
  json o = json::object();
  int n = 0;
  for (const auto& raw : split_lines(text)) {
    ++n;
    std::string l = trim(raw);
    if (is_comment(l)) continue;
    size_t sp = l.find_first_of(" \t=");
    if (sp == std::string::npos)
      return make_error(Errc::kCorrupt, "line {}: '{}' has no value", n, l.substr(0, 60));
    std::string k = l.substr(0, sp);
    std::string v = trim(l.substr(sp));
    if (!v.empty() && v[0] == '=') v = trim(v.substr(1));
    if (v.empty())
      return make_error(Errc::kCorrupt, "line {}: '{}' has no value", n, k.substr(0, 60));
    if (lower_keys)
      std::transform(k.begin(), k.end(), k.begin(),
                     [](unsigned char c) { return std::tolower(c); });
    if (first_wins && o.contains(k)) continue;
    o[k] = v;
  }
  return o;
}

Result<json> parse_keyvalue(const std::string& t) { return parse_keyvalue_impl(t, false, false); }
Result<json> parse_sshd(const std::string& t) { return parse_keyvalue_impl(t, true, true); }

// "k = v" (sysctl.conf): keys normalized to dots; "-key" (ignore errors) treated as key.
Result<json> parse_sysctl(const std::string& text) {
  json o = json::object();
  int n = 0;
  for (const auto& raw : split_lines(text)) {
    ++n;
    std::string l = trim(raw);
    if (is_comment(l)) continue;
    size_t eq = l.find('=');
    if (eq == std::string::npos)
      return make_error(Errc::kCorrupt, "line {}: no '=' in '{}'", n, l.substr(0, 60));
    std::string k = trim(l.substr(0, eq));
    if (!k.empty() && k[0] == '-') k = k.substr(1);
    std::replace(k.begin(), k.end(), '/', '.');
    if (k.empty()) return make_error(Errc::kCorrupt, "line {}: empty key", n);
    o[k] = trim(l.substr(eq + 1));
  }
  return o;
}

// [section] k=v; keys before any section at top level. systemd: repeated keys accumulate
// into a space-joined value (ExecStart= resets).
Result<json> parse_ini_impl(const std::string& text, bool systemd) {
  json o = json::object();
  json* cur = &o;
  int n = 0;
  std::string pending;
  for (const auto& raw : split_lines(text)) {
    ++n;
    std::string l = trim(raw);
    if (systemd && !l.empty() && l.back() == '\\') {
      pending += l.substr(0, l.size() - 1) + " ";
      continue;
    }
    if (!pending.empty()) {
      l = pending + l;
      pending.clear();
    }
    if (is_comment(l)) continue;
    if (l[0] == '[') {
      if (l.back() != ']')
        return make_error(Errc::kCorrupt, "line {}: unterminated section header", n);
      std::string s = trim(l.substr(1, l.size() - 2));
      if (!o.contains(s)) o[s] = json::object();
      cur = &o[s];
      continue;
    }
    size_t eq = l.find('=');
    if (eq == std::string::npos)
      return make_error(Errc::kCorrupt, "line {}: no '=' in '{}'", n, l.substr(0, 60));
    std::string k = trim(l.substr(0, eq)), v = trim(l.substr(eq + 1));
    if (k.empty()) return make_error(Errc::kCorrupt, "line {}: empty key", n);
    if (systemd && cur->contains(k) && !v.empty()) {
      (*cur)[k] = (*cur)[k].get<std::string>() + " " + v;
    } else {
      (*cur)[k] = v;
    }
  }
  return o;
}

Result<json> parse_ini(const std::string& t) { return parse_ini_impl(t, false); }
Result<json> parse_systemd(const std::string& t) { return parse_ini_impl(t, true); }

Result<json> parse_flags_text(const std::string& text) {
  std::vector<std::string> args;
  std::string cur;
  char quote = 0;
  for (char c : text) {
    if (quote) {
      if (c == quote)
        quote = 0;
      else
        cur += c;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (std::isspace(static_cast<unsigned char>(c)) || c == '\\') {
      if (!cur.empty()) args.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (quote) return make_error(Errc::kCorrupt, "unterminated quote");
  if (!cur.empty()) args.push_back(cur);
  return parse_flags(args);
}

Result<json> parse_lines(const std::string& text) {
  json a = json::array();
  for (const auto& raw : split_lines(text)) {
    std::string l = trim(raw);
    if (!l.empty() && l[0] != '#') a.push_back(l);
  }
  return a;
}

Result<json> parse_text(const std::string& text) { return json(text); }

struct Format {
  const char* name;
  Result<json> (*parse)(const std::string&);
};

constexpr Format kFormats[] = {
    {"json", parse_json},       {"yaml", parse_yaml},        {"keyvalue", parse_keyvalue},
    {"sshd", parse_sshd},       {"sysctl", parse_sysctl},    {"ini", parse_ini},
    {"systemd", parse_systemd}, {"flags", parse_flags_text}, {"lines", parse_lines},
    {"text", parse_text},
};

}  // namespace

Result<json> parse_format(const std::string& format, const std::string& text) {
  for (const auto& f : kFormats) {
    if (format == f.name) {
      if (format != "text" && text.find('\0') != std::string::npos) {
        return make_error(Errc::kCorrupt, "binary content (NUL byte)");
      }
      return f.parse(text);
    }
  }
  return make_error(Errc::kInvalidArgument, "unknown format '{}'", format);
}

std::vector<std::string> format_names() {
  std::vector<std::string> out;
  for (const auto& f : kFormats) out.emplace_back(f.name);
  return out;
}

}  // namespace hivesec::policy::collectors
