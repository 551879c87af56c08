#include "policy/collectors/util.h"

#include <dirent.h>
#include <fnmatch.h>

#include <algorithm>

namespace hivesec::policy::collectors {

std::string param(const nlohmann::json& params, const char* key) {
  if (!params.is_object() || !params.contains(key) || !params[key].is_string()) return "";
  return params[key].get<std::string>();
}

Status require_param(const nlohmann::json& params, const char* key, bool path) {
  std::string v = param(params, key);
  if (v.empty()) return make_error(Errc::kInvalidArgument, "needs '{}'", key);
  if (path && v.front() != '/')
    return make_error(Errc::kInvalidArgument, "'{}' must be an absolute path", key);
  return ok_status();
}

Status only_params(const nlohmann::json& params, std::initializer_list<const char*> allowed) {
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (std::none_of(allowed.begin(), allowed.end(),
                     [&](const char* a) { return it.key() == a; })) {
      return make_error(Errc::kInvalidArgument, "unknown parameter '{}'", it.key());
    }
  }
  return ok_status();
}

std::vector<std::string> list_dir(Host& host, const std::string& dir, const std::string& glob) {
  std::vector<std::string> out;
  auto p = host.host_path(dir);
  if (!p) return out;
  DIR* d = ::opendir(p->c_str());
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n == "." || n == "..") continue;
    if (::fnmatch(glob.c_str(), n.c_str(), FNM_PERIOD) == 0) out.push_back(n);
    if (out.size() > 10000) break;
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t e = text.find('\n', pos);
    if (e == std::string::npos) e = text.size();
    std::string line = text.substr(pos, e - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(std::move(line));
    pos = e + 1;
  }
  return out;
}

std::string trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, e - b + 1);
}

nlohmann::json parse_flags(const std::vector<std::string>& args) {
  nlohmann::json out = nlohmann::json::object();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() < 2 || a[0] != '-' || a == "--") continue;
    std::string k = a.substr(a[1] == '-' ? 2 : 1);
    size_t eq = k.find('=');
    if (eq != std::string::npos) {
      out[k.substr(0, eq)] = k.substr(eq + 1);
    } else if (i + 1 < args.size() && (args[i + 1].empty() || args[i + 1][0] != '-')) {
      out[k] = args[++i];
    } else {
      out[k] = "true";
    }
  }
  return out;
}

bool version_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    bool da = isdigit(static_cast<unsigned char>(a[i])),
         db = isdigit(static_cast<unsigned char>(b[j]));
    if (da && db) {
      size_t ie = i, je = j;
      while (ie < a.size() && isdigit(static_cast<unsigned char>(a[ie]))) ++ie;
      while (je < b.size() && isdigit(static_cast<unsigned char>(b[je]))) ++je;
      std::string x = a.substr(i, ie - i), y = b.substr(j, je - j);
      x.erase(0, std::min(x.find_first_not_of('0'), x.size()));
      y.erase(0, std::min(y.find_first_not_of('0'), y.size()));
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      i = ie;
      j = je;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

}  // namespace hivesec::policy::collectors
