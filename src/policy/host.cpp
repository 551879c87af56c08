#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/paths.h"
#include "policy/fact.h"

namespace hivesec::policy {

const char* fact_state_name(FactState s) {
  switch (s) {
    case FactState::kOk:
      return "ok";
    case FactState::kMissing:
      return "missing";
    case FactState::kUnavailable:
      return "unavailable";
    case FactState::kError:
      return "error";
  }
  return "?";
}

Host::Host(HostOptions options) : options_(std::move(options)), privileged_(geteuid() == 0) {
  while (options_.root.size() > 1 && options_.root.back() == '/') options_.root.pop_back();
}

std::optional<std::string> Host::host_path(std::string_view abs) const {
  const std::string base = options_.root == "/" ? "" : options_.root;
  auto readlink_fn = [&base](const std::string& rel) -> std::optional<std::string> {
    std::string p = base + "/" + rel;
    char buf[4096];
    ssize_t n = ::readlink(p.c_str(), buf, sizeof buf);
    if (n < 0) return std::nullopt;
    return std::string(buf, static_cast<size_t>(n));
  };
  auto rel = resolve_in_root(abs, readlink_fn);
  if (!rel.ok()) return std::nullopt;
  return base + "/" + *rel;
}

std::optional<Fact> Host::read_file(std::string_view abs, std::string* content) const {
  std::string src(abs);
  auto p = host_path(abs);
  if (!p) return Fact::error("symlink loop", src);
  int fd = ::open(p->c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    int e = errno;
    if (e == ENOENT || e == ENOTDIR) return Fact::missing("no such file", src);
    if (e == EACCES && !privileged_) {
      return Fact::unavailable("permission denied (run as root to read it)", src);
    }
    return Fact::error(std::string("cannot open: ") + std::strerror(e), src);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    bool dir = S_ISDIR(st.st_mode);
    ::close(fd);
    return Fact::error(dir ? "is a directory, not a file" : "not a regular file", src);
  }
  content->clear();
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      return Fact::error(std::string("read error: ") + std::strerror(e), src);
    }
    if (n == 0) break;
    content->append(buf, static_cast<size_t>(n));
    if (content->size() > options_.max_file_bytes) {
      ::close(fd);
      return Fact::error("larger than " + std::to_string(options_.max_file_bytes) + " bytes", src);
    }
  }
  ::close(fd);
  return std::nullopt;
}

namespace {

// name:x:id:... lines -> id -> name (first wins).
template <typename Id>
void parse_ids(const std::string& text, std::map<Id, std::string>& out) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    size_t c1 = line.find(':');
    if (c1 == std::string_view::npos) continue;
    size_t c2 = line.find(':', c1 + 1);
    if (c2 == std::string_view::npos) continue;
    size_t c3 = line.find(':', c2 + 1);
    std::string_view idtext =
        line.substr(c2 + 1, c3 == std::string_view::npos ? line.npos : c3 - c2 - 1);
    if (idtext.empty() || idtext.size() > 10) continue;
    unsigned long long id = 0;
    bool ok = true;
    for (char ch : idtext) {
      if (ch < '0' || ch > '9') {
        ok = false;
        break;
      }
      id = id * 10 + static_cast<unsigned>(ch - '0');
    }
    if (!ok) continue;
    out.emplace(static_cast<Id>(id), std::string(line.substr(0, c1)));
  }
}

}  // namespace

void Host::load_ids() {
  if (ids_loaded_) return;
  ids_loaded_ = true;
  std::string text;
  if (!read_file("/etc/passwd", &text)) parse_ids(text, users_);
  if (!read_file("/etc/group", &text)) parse_ids(text, groups_);
}

std::optional<std::string> Host::user_name(uid_t uid) {
  load_ids();
  auto it = users_.find(uid);
  if (it == users_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Host::group_name(gid_t gid) {
  load_ids();
  auto it = groups_.find(gid);
  if (it == groups_.end()) return std::nullopt;
  return it->second;
}

}  // namespace hivesec::policy
