// `stat`: a path's metadata on the target: {type, mode (number), mode_octal, uid, gid, user,
// group, size}; user/group names come from the target's own etc/passwd and etc/group (null
// when the id is not listed there). A path that does not exist is kMissing.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "policy/collectors/util.h"

namespace hivesec::policy::collectors {

namespace {

using nlohmann::json;

const char* type_of(mode_t m) {
  if (S_ISREG(m)) return "file";
  if (S_ISDIR(m)) return "dir";
  if (S_ISLNK(m)) return "symlink";
  if (S_ISSOCK(m)) return "socket";
  if (S_ISFIFO(m)) return "fifo";
  return "device";
}

}  // namespace

Fact stat_fact(Host& host, const std::string& path) {
  auto hp = host.host_path(path);
  if (!hp) return Fact::error("symlink loop", path);
  struct stat st {};
  if (::stat(hp->c_str(), &st) != 0) {
    int e = errno;
    if (e == ENOENT || e == ENOTDIR) return Fact::missing("does not exist", path);
    if (e == EACCES && !host.privileged())
      return Fact::unavailable("permission denied (run as root)", path);
    return Fact::error(std::string("stat: ") + std::strerror(e), path);
  }
  char oct[8];
  std::snprintf(oct, sizeof oct, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  nlohmann::json v = {{"type", type_of(st.st_mode)},
                      {"mode", st.st_mode & 07777},
                      {"mode_octal", oct},
                      {"uid", st.st_uid},
                      {"gid", st.st_gid},
                      {"size", st.st_size}};
  auto u = host.user_name(st.st_uid);
  auto g = host.group_name(st.st_gid);
  v["user"] = u ? nlohmann::json(*u) : nlohmann::json(nullptr);
  v["group"] = g ? nlohmann::json(*g) : nlohmann::json(nullptr);
  return Fact::ok(std::move(v), path);
}

namespace {

class StatCollector : public Collector {
 public:
  std::string_view name() const override { return "stat"; }
  std::string_view description() const override {
    return "a path's type, mode, owner and group (path; symlinks followed inside the root)";
  }
  Status validate(const json& p) const override {
    HIVESEC_TRY_STATUS(only_params(p, {"path"}));
    return require_param(p, "path", true);
  }
  Fact collect(const json& p, Host& host) const override {
    return stat_fact(host, param(p, "path"));
  }
};

}  // namespace

std::unique_ptr<Collector> make_stat_collector() { return std::make_unique<StatCollector>(); }

}  // namespace hivesec::policy::collectors
