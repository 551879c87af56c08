// `file_perms`: permissions and ownership of a set of files at once, for checks such as "every
// key under /etc/kubernetes/pki is 600 or stricter". The set is `paths` (absolute; the last
// component may be a glob) and/or everything under `dir` whose basename matches `match`
// (default "*", which includes `dir` itself; symlinks are not followed, 10 000 entries at
// most). Each file is compared with `mode` (no permission bit outside it) and `owner` (`user`
// or `user:group`, names from the target's passwd/group or numeric ids).
// Value: {checked, files (first 100), violations: ["PATH: mode 0644 (want 600 or stricter)"]}.
// No file at all is kMissing.
#include <dirent.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "policy/collectors/util.h"

namespace hivesec::policy::collectors {

namespace {

using nlohmann::json;

constexpr size_t kMaxEntries = 10000;
constexpr size_t kMaxListed = 100;
constexpr int kMaxDepth = 32;

std::optional<unsigned> parse_octal(const std::string& s) {
  if (s.empty() || s.size() > 4) return std::nullopt;
  unsigned m = 0;
  for (char c : s) {
    if (c < '0' || c > '7') return std::nullopt;
    m = m * 8 + static_cast<unsigned>(c - '0');
  }
  return m;
}

struct Audit {
  Host& host;
  std::optional<unsigned> mode;
  std::string user, group;  // "" = not checked
  size_t checked = 0, entries = 0;
  bool stopped = false;
  std::set<std::string> seen;  // host paths, so a file reached twice (/lib -> /usr/lib) counts once
  json files = json::array(), violations = json::array();
  std::optional<Fact> error;

  bool id_matches(const std::optional<std::string>& name, unsigned id, const std::string& want) {
    return (name && *name == want) || std::to_string(id) == want;
  }

  void check(const std::string& target, const std::string& host_path, const struct stat& st) {
    if (!seen.insert(host_path).second) return;
    ++checked;
    if (files.size() < kMaxListed) files.push_back(target);
    char oct[8];
    std::snprintf(oct, sizeof oct, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    std::vector<std::string> bad;
    if (mode && (st.st_mode & 07777 & ~*mode)) {
      char want[16];
      std::snprintf(want, sizeof want, "%o", *mode);
      bad.push_back(std::string("mode ") + oct + " (want " + want + " or stricter)");
    }
    if (!user.empty() || !group.empty()) {
      auto u = host.user_name(st.st_uid);
      auto g = host.group_name(st.st_gid);
      bool ok = (user.empty() || id_matches(u, st.st_uid, user)) &&
                (group.empty() || id_matches(g, st.st_gid, group));
      if (!ok) {
        bad.push_back("owner " + (u ? *u : std::to_string(st.st_uid)) + ":" +
                      (g ? *g : std::to_string(st.st_gid)) + " (want " + user +
                      (group.empty() ? "" : ":" + group) + ")");
      }
    }
    if (!bad.empty() && violations.size() < kMaxListed) {
      std::string line = target + ":";
      for (const auto& b : bad) line += " " + b;
      violations.push_back(line);
    }
  }

  // lstat of a target path; false when absent.
  bool stat_target(const std::string& target, std::string* hp, struct stat* st) {
    auto p = host.host_path(target);
    if (!p) {
      error = Fact::error("symlink loop", target);
      return false;
    }
    *hp = *p;
    if (::stat(p->c_str(), st) == 0) return true;
    int e = errno;
    if (e != ENOENT && e != ENOTDIR && !error) {
      error = (e == EACCES && !host.privileged())
                  ? Fact::unavailable("permission denied (run as root)", target)
                  : Fact::error(std::string("stat: ") + std::strerror(e), target);
    }
    return false;
  }

  void walk(const std::string& target, const std::string& glob, int depth) {
    if (depth > kMaxDepth || stopped) return;
    std::string hp;
    struct stat st {};
    if (!stat_target(target, &hp, &st)) return;
    std::string base = target.substr(target.rfind('/') + 1);
    if (::fnmatch(glob.c_str(), base.c_str(), 0) == 0) check(target, hp, st);
    if (!S_ISDIR(st.st_mode)) return;
    DIR* d = ::opendir(hp.c_str());
    if (!d) return;
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n == "." || n == "..") continue;
      if (++entries > kMaxEntries) {
        stopped = true;
        break;
      }
      struct stat lst {};
      if (::lstat((hp + "/" + n).c_str(), &lst) != 0 || S_ISLNK(lst.st_mode)) continue;
      names.push_back(n);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    for (const auto& n : names) walk(target + "/" + n, glob, depth + 1);
  }
};

class FilePermsCollector : public Collector {
 public:
  std::string_view name() const override { return "file_perms"; }
  std::string_view description() const override {
    return "mode/owner violations over a set of files (paths with globs, or dir + match; "
           "mode, owner)";
  }
  Status validate(const json& p) const override {
    HIVESEC_TRY_STATUS(only_params(p, {"paths", "dir", "match", "mode", "owner"}));
    bool any = false;
    if (p.contains("paths")) {
      if (!p["paths"].is_array() || p["paths"].empty())
        return make_error(Errc::kInvalidArgument, "'paths' must be a non-empty list");
      for (const auto& x : p["paths"]) {
        if (!x.is_string() || x.get<std::string>().empty() || x.get<std::string>()[0] != '/')
          return make_error(Errc::kInvalidArgument, "'paths' must be absolute paths");
      }
      any = true;
    }
    if (p.contains("dir")) {
      HIVESEC_TRY_STATUS(require_param(p, "dir", true));
      any = true;
    }
    if (!any) return make_error(Errc::kInvalidArgument, "needs 'paths' or 'dir'");
    if (p.contains("match") && param(p, "match").empty())
      return make_error(Errc::kInvalidArgument, "'match' must be a glob");
    if (!p.contains("mode") && !p.contains("owner"))
      return make_error(Errc::kInvalidArgument, "needs 'mode' and/or 'owner'");
    if (p.contains("mode") && !parse_octal(param(p, "mode")))
      return make_error(Errc::kInvalidArgument, "'mode' must be octal (600)");
    if (p.contains("owner")) {
      std::string o = param(p, "owner");
      if (o.empty() || o.front() == ':' || o.back() == ':')
        return make_error(Errc::kInvalidArgument, "'owner' must be user or user:group");
    }
    return ok_status();
  }
  Fact collect(const json& p, Host& host) const override {
    Audit a{host};
    if (p.contains("mode")) a.mode = parse_octal(param(p, "mode"));
    std::string owner = param(p, "owner");
    size_t colon = owner.find(':');
    a.user = owner.substr(0, colon);
    if (colon != std::string::npos) a.group = owner.substr(colon + 1);
    std::string src;
    if (p.contains("paths")) {
      for (const auto& x : p["paths"]) {
        std::string path = x.get<std::string>();
        src += (src.empty() ? "" : " ") + path;
        size_t slash = path.rfind('/');
        std::string dir = slash == 0 ? "/" : path.substr(0, slash), base = path.substr(slash + 1);
        std::vector<std::string> names;
        if (base.find_first_of("*?[") != std::string::npos)
          names = list_dir(host, dir, base);
        else
          names = {base};
        for (const auto& n : names) {
          std::string target = (dir == "/" ? "" : dir) + "/" + n, hp;
          struct stat st {};
          if (a.stat_target(target, &hp, &st)) a.check(target, hp, st);
        }
      }
    }
    if (p.contains("dir")) {
      std::string dir = param(p, "dir"), match = param(p, "match");
      src += (src.empty() ? "" : " ") + dir + "/" + (match.empty() ? "**" : "**/" + match);
      a.walk(dir, match.empty() ? "*" : match, 0);
    }
    if (a.error) return *a.error;
    if (a.checked == 0) return Fact::missing("no such files", src);
    json v = {{"checked", a.checked}, {"files", a.files}, {"violations", a.violations}};
    Fact f = Fact::ok(std::move(v), src);
    if (a.stopped) {
      f.incomplete = true;
      f.reason = "stopped after " + std::to_string(kMaxEntries) + " entries";
    }
    return f;
  }
};

}  // namespace

std::unique_ptr<Collector> make_file_perms_collector() {
  return std::make_unique<FilePermsCollector>();
}

}  // namespace hivesec::policy::collectors
