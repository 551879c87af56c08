#include "scan/fs_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace hivesec::scan {
namespace {

bool is_pseudo_fs(int fd) {
  struct statfs s {};
  if (fstatfs(fd, &s) != 0) return false;
  switch (static_cast<unsigned long>(s.f_type)) {
    case PROC_SUPER_MAGIC:
    case SYSFS_MAGIC:
    case DEVPTS_SUPER_MAGIC:
    case CGROUP_SUPER_MAGIC:
    case CGROUP2_SUPER_MAGIC:
    case DEBUGFS_MAGIC:
    case TRACEFS_MAGIC:
    case SECURITYFS_MAGIC:
    case BPF_FS_MAGIC:
    case PSTOREFS_MAGIC:
    case NSFS_MAGIC:
      return true;
    default:
      return false;
  }
}

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(Fd&& o) noexcept : fd(std::exchange(o.fd, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd, o.fd);
    return *this;
  }
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

struct Walker {
  const analyze::Registry& registry;
  const TreeOptions& opts;
  LayerResult result;
  FileDispatcher dispatcher{registry, result};

  Walker(const analyze::Registry& r, const TreeOptions& o) : registry(r), opts(o) {}

  bool skipped(const std::string& rel) const {
    return std::any_of(opts.skip_dirs.begin(), opts.skip_dirs.end(),
                       [&](const std::string& s) { return rel == s; });
  }

  Status walk(int dirfd, const std::string& rel, int depth) {
    if (depth > opts.max_depth) {
      dispatcher.note(
          fmt::format("skipped {}: deeper than {} levels", rel, opts.max_depth));
      return ok_status();
    }
    int dup_fd = dup(dirfd);
    if (dup_fd < 0) return make_error(Errc::kIo, "dup: {}", std::strerror(errno));
    DIR* d = fdopendir(dup_fd);
    if (!d) {
      close(dup_fd);
      dispatcher.note(
          fmt::format("cannot read directory /{}: {}", rel, std::strerror(errno)));
      return ok_status();
    }
    std::vector<std::string> names;
    while (struct dirent* de = readdir(d)) {
      std::string_view n = de->d_name;
      if (n == "." || n == "..") continue;
      names.emplace_back(n);
    }
    closedir(d);
    std::sort(names.begin(), names.end());

    for (const auto& name : names) {
      std::string path = rel.empty() ? name : rel + "/" + name;
      if (++result.entries > opts.limits.max_entries) {
        return make_error(Errc::kLimit, "more than {} files under the root",
                          opts.limits.max_entries);
      }
      struct stat st {};
      if (fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      if (S_ISDIR(st.st_mode)) {
        if (skipped(path)) continue;
        Fd sub(openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (sub.fd < 0) {
          dispatcher.note(
              fmt::format("cannot open directory /{}: {}", path, std::strerror(errno)));
          continue;
        }
        if (is_pseudo_fs(sub.fd)) continue;
        HIVESEC_TRY_STATUS(walk(sub.fd, path, depth + 1));
      } else if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t n = readlinkat(dirfd, name.c_str(), target, sizeof(target));
        if (n > 0 && result.symlinks.size() < opts.limits.max_symlinks) {
          result.symlinks.emplace(path, std::string(target, static_cast<size_t>(n)));
        }
      } else if (S_ISREG(st.st_mode)) {
        analyze::FileInfo info;
        info.path = path;
        info.type = analyze::FileType::kRegular;
        info.mode = st.st_mode & 07777;
        info.size = st.st_size;
        info.uid = st.st_uid;
        info.gid = st.st_gid;
        Fd f(-1);
        auto reader = [&](char* dst, size_t cap) -> Result<size_t> {
          if (f.fd < 0) {
            f.fd = openat(dirfd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
            if (f.fd < 0) {
              return make_error(Errc::kIo, "cannot open /{}: {}", path, std::strerror(errno));
            }
          }
          while (true) {
            ssize_t r = read(f.fd, dst, cap);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) return make_error(Errc::kIo, "reading /{}: {}", path, std::strerror(errno));
            return static_cast<size_t>(r);
          }
        };
        Status st2 = dispatcher.dispatch(info, reader);
        if (!st2.ok()) dispatcher.note(st2.error().message);
      }
    }
    return ok_status();
  }
};

}  // namespace

Result<LayerResult> analyze_tree(const std::string& root, const analyze::Registry& registry,
                                 const TreeOptions& options) {
  Fd fd(open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.fd < 0) {
    if (errno == ENOENT) return make_error(Errc::kNotFound, "{}: no such directory", root);
    if (errno == ENOTDIR) return make_error(Errc::kInvalidArgument, "{}: not a directory", root);
    return make_error(Errc::kIo, "{}: {}", root, std::strerror(errno));
  }
  Walker w(registry, options);
  HIVESEC_TRY_STATUS(w.walk(fd.fd, "", 0));
  w.dispatcher.finish();
  return std::move(w.result);
}

}  // namespace hivesec::scan
