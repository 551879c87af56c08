// `find_files`: a bounded walk of target directories (`dirs`, absolute) listing paths that
// `match` (a registry of predicates below): world_writable (regular files with o+w, and o+w
// directories without the sticky bit), unowned (uid not in the target's passwd), ungrouped
// (gid not in its group), suid, sgid, not_root_owned (regular files not root:root), writable
// (regular files with a mode above 444: any write/execute/special bit). Symlinks are not followed,
// other filesystems are not entered, proc/sys/dev/run are skipped. The walk stops after `limit`
// entries (default: the host's walk_limit): the fact is then `incomplete`, so a passing test
// becomes WARN. The value lists at most 200 paths.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy/collectors/util.h"

namespace hivesec::policy::collectors {

namespace {

using nlohmann::json;

constexpr size_t kMaxListed = 200;
constexpr int kMaxDepth = 64;

using Pred = bool (*)(const struct stat&, Host&);

bool world_writable(const struct stat& st, Host&) {
  if (S_ISREG(st.st_mode)) return st.st_mode & S_IWOTH;
  if (S_ISDIR(st.st_mode)) return (st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX);
  return false;
}
bool unowned(const struct stat& st, Host& h) { return !h.user_name(st.st_uid); }
bool ungrouped(const struct stat& st, Host& h) { return !h.group_name(st.st_gid); }
bool suid(const struct stat& st, Host&) { return S_ISREG(st.st_mode) && (st.st_mode & S_ISUID); }
bool sgid(const struct stat& st, Host&) { return S_ISREG(st.st_mode) && (st.st_mode & S_ISGID); }
// Certificate-style files: not owned by root:root / writable by anyone (mode above 444).
bool not_root_owned(const struct stat& st, Host&) {
  return S_ISREG(st.st_mode) && (st.st_uid != 0 || st.st_gid != 0);
}
bool writable(const struct stat& st, Host&) {
  return S_ISREG(st.st_mode) && (st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH | S_IXUSR | S_IXGRP |
                                               S_IXOTH | S_ISUID | S_ISGID | S_ISVTX));
}

struct PredRow {
  const char* name;
  Pred fn;
};
constexpr PredRow kPreds[] = {{"world_writable", world_writable},
                              {"unowned", unowned},
                              {"ungrouped", ungrouped},
                              {"suid", suid},
                              {"sgid", sgid},
                              {"not_root_owned", not_root_owned},
                              {"writable", writable}};

struct Walk {
  Host& host;
  Pred pred;
  size_t limit;
  size_t visited = 0;
  size_t matched = 0;
  bool stopped = false;
  json found = json::array();

  void dir(int fd, const std::string& target, dev_t dev, int depth) {
    DIR* d = ::fdopendir(fd);
    if (!d) {
      ::close(fd);
      return;
    }
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n == "." || n == "..") continue;
      if (++visited > limit) {
        stopped = true;
        break;
      }
      struct stat st {};
      if (::fstatat(::dirfd(d), n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      std::string path = target + "/" + n;
      if (!S_ISLNK(st.st_mode) && pred(st, host)) {
        if (++matched <= kMaxListed) found.push_back(path);
      }
      if (S_ISDIR(st.st_mode) && st.st_dev == dev && depth < kMaxDepth) {
        int sub = ::openat(::dirfd(d), n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub >= 0) dir(sub, path, dev, depth + 1);
      }
      if (stopped) break;
    }
    ::closedir(d);
  }
};

class FindFilesCollector : public Collector {
 public:
  std::string_view name() const override { return "find_files"; }
  std::string_view description() const override {
    return "bounded walk of `dirs` for `match`: world_writable|unowned|ungrouped|suid|sgid (limit)";
  }
  Status validate(const json& p) const override {
    HIVESEC_TRY_STATUS(only_params(p, {"dirs", "match", "limit"}));
    if (!p.contains("dirs") || !p["dirs"].is_array() || p["dirs"].empty()) {
      return make_error(Errc::kInvalidArgument, "needs a non-empty 'dirs' list");
    }
    for (const auto& d : p["dirs"]) {
      if (!d.is_string() || d.get<std::string>().empty() || d.get<std::string>()[0] != '/') {
        return make_error(Errc::kInvalidArgument, "dirs must be absolute paths");
      }
    }
    if (!find_pred(param(p, "match")))
      return make_error(Errc::kInvalidArgument, "unknown match '{}'", param(p, "match"));
    std::string lim = param(p, "limit");
    if (!lim.empty() && lim.find_first_not_of("0123456789") != std::string::npos) {
      return make_error(Errc::kInvalidArgument, "limit must be a number");
    }
    return ok_status();
  }
  Fact collect(const json& p, Host& host) const override {
    std::string lim = param(p, "limit");
    Walk w{host, find_pred(param(p, "match")),
           lim.empty() ? host.options().walk_limit : std::stoull(lim)};
    std::string src = "walk of";
    for (const auto& d : p["dirs"]) {
      std::string target = d.get<std::string>();
      src += " " + target;
      if (target == "/proc" || target == "/sys" || target == "/dev" || target == "/run") continue;
      auto hp = host.host_path(target);
      if (!hp) continue;
      struct stat st {};
      if (::lstat(hp->c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;  // absent or a link
      int fd = ::open(hp->c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) continue;
      w.dir(fd, target == "/" ? "" : target, st.st_dev, 0);
      if (w.stopped) break;
    }
    Fact f = Fact::ok(w.found, src);
    if (w.stopped) {
      f.incomplete = true;
      f.reason = "walk stopped after " + std::to_string(w.limit) + " entries";
    }
    return f;
  }

 private:
  static Pred find_pred(const std::string& name) {
    for (const auto& row : kPreds) {
      if (name == row.name) return row.fn;
    }
    return nullptr;
  }
};

}  // namespace

std::unique_ptr<Collector> make_find_files_collector() {
  return std::make_unique<FindFilesCollector>();
}

}  // namespace hivesec::policy::collectors
