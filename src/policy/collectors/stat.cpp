// `stat`: a path's metadata on the target: {type, mode (number), mode_octal, uid, gid, user,
// group, size}; user/group names come from the target's own etc/passwd and etc/group (null
// when the id is not listed there). A path that does not exist is kMissing. Instead of `path`,
// `path_from` + `key` take the path from a JSON file (daemon.json's "tlscacert").
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <optional>

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

// The path named by `key` (dotted) in the JSON file `file` on the target (daemon.json's
// "tlscacert"); a Fact when it cannot be had: the file or key missing -> kMissing, malformed
// JSON or a key that is not an absolute path -> kError.
std::optional<Fact> path_from(const std::string& file, const std::string& key, Host& host,
                              std::string* out) {
  std::string text;
  if (auto f = host.read_file(file, &text)) return f;
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return Fact::error("not valid JSON", file);
  const json* cur = &j;
  size_t pos = 0;
  while (pos <= key.size()) {
    size_t dot = key.find('.', pos);
    if (dot == std::string::npos) dot = key.size();
    std::string part = key.substr(pos, dot - pos);
    if (!cur->is_object() || !cur->contains(part))
      return Fact::missing("no '" + key + "' in " + file, file);
    cur = &(*cur)[part];
    pos = dot + 1;
  }
  if (!cur->is_string() || cur->get<std::string>().empty() || cur->get<std::string>()[0] != '/')
    return Fact::error("'" + key + "' in " + file + " is not an absolute path", file);
  *out = cur->get<std::string>();
  return std::nullopt;
}

class StatCollector : public Collector {
 public:
  std::string_view name() const override { return "stat"; }
  std::string_view description() const override {
    return "a path's type, mode, owner and group (path, or path_from: a JSON file + key naming "
           "it; symlinks followed inside the root)";
  }
  Status validate(const json& p) const override {
    HIVESEC_TRY_STATUS(only_params(p, {"path", "path_from", "key"}));
    if (p.contains("path_from")) {
      HIVESEC_TRY_STATUS(require_param(p, "path_from", true));
      if (p.contains("path"))
        return make_error(Errc::kInvalidArgument, "give either path or path_from, not both");
      return require_param(p, "key");
    }
    if (p.contains("key")) return make_error(Errc::kInvalidArgument, "'key' needs 'path_from'");
    return require_param(p, "path", true);
  }
  Fact collect(const json& p, Host& host) const override {
    std::string path = param(p, "path");
    if (p.contains("path_from")) {
      auto named = path_from(param(p, "path_from"), param(p, "key"), host, &path);
      if (named) return *named;
    }
    return stat_fact(host, path);
  }
};

}  // namespace

std::unique_ptr<Collector> make_stat_collector() { return std::make_unique<StatCollector>(); }

}  // namespace hivesec::policy::collectors
