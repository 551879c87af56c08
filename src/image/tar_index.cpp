#include "image/tar_index.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "common/paths.h"

namespace hivesec::image::detail {

namespace {

constexpr int64_t kBlock = 512;

bool all_zero(const char* b) {
  for (int i = 0; i < kBlock; ++i) {
    if (b[i] != 0) return false;
  }
  return true;
}

// A NUL-terminated (or full-width) string field.
std::string field(const char* p, size_t n) {
  size_t len = 0;
  while (len < n && p[len] != 0) ++len;
  return std::string(p, len);
}

// Octal (space/NUL padded) or GNU base-256 number. nullopt on garbage.
std::optional<int64_t> parse_number(const char* p, size_t n) {
  auto b0 = static_cast<unsigned char>(p[0]);
  if (b0 & 0x80) {
    if (b0 != 0x80) return std::nullopt;  // negative or oversized
    uint64_t v = 0;
    for (size_t i = 1; i < n; ++i) {
      if (v >> 55) return std::nullopt;  // would overflow int64
      v = (v << 8) | static_cast<unsigned char>(p[i]);
    }
    if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(v);
  }
  size_t i = 0;
  while (i < n && p[i] == ' ') ++i;
  int64_t v = 0;
  bool any = false;
  for (; i < n && p[i] >= '0' && p[i] <= '7'; ++i) {
    if (v > (INT64_MAX >> 3)) return std::nullopt;
    v = v * 8 + (p[i] - '0');
    any = true;
  }
  for (; i < n; ++i) {
    if (p[i] != ' ' && p[i] != 0) return std::nullopt;
  }
  if (!any) return int64_t{0};
  return v;
}

bool checksum_ok(const char* b) {
  auto want = parse_number(b + 148, 8);
  if (!want) return false;
  int64_t unsigned_sum = 0;
  int64_t signed_sum = 0;
  for (int i = 0; i < kBlock; ++i) {
    bool in_field = i >= 148 && i < 156;
    unsigned_sum += in_field ? ' ' : static_cast<unsigned char>(b[i]);
    signed_sum += in_field ? ' ' : static_cast<signed char>(b[i]);
  }
  return *want == unsigned_sum || *want == signed_sum;
}

struct PaxOverrides {
  std::optional<std::string> path;
  std::optional<std::string> linkpath;
  std::optional<int64_t> size;
};

// Parses "<len> key=value\n" records.
Status parse_pax(std::string_view data, PaxOverrides& out) {
  while (!data.empty()) {
    if (data[0] == 0) break;  // NUL padding
    size_t sp = data.find(' ');
    if (sp == std::string_view::npos || sp == 0 || sp > 12) {
      return make_error(Errc::kCorrupt, "malformed pax record");
    }
    size_t len = 0;
    for (size_t i = 0; i < sp; ++i) {
      if (data[i] < '0' || data[i] > '9') return make_error(Errc::kCorrupt, "malformed pax record");
      len = len * 10 + static_cast<size_t>(data[i] - '0');
    }
    if (len <= sp + 1 || len > data.size() || data[len - 1] != '\n') {
      return make_error(Errc::kCorrupt, "malformed pax record");
    }
    std::string_view rec = data.substr(sp + 1, len - sp - 2);
    size_t eq = rec.find('=');
    if (eq == std::string_view::npos) return make_error(Errc::kCorrupt, "malformed pax record");
    std::string_view key = rec.substr(0, eq);
    std::string_view value = rec.substr(eq + 1);
    if (key == "path") {
      out.path = std::string(value);
    } else if (key == "linkpath") {
      out.linkpath = std::string(value);
    } else if (key == "size") {
      std::optional<int64_t> v = 0;
      if (value.empty() || value.size() > 18) v.reset();
      for (char c : value) {
        if (!v || c < '0' || c > '9') {
          v.reset();
          break;
        }
        *v = *v * 10 + (c - '0');
      }
      if (!v) return make_error(Errc::kCorrupt, "malformed pax size '{}'", value);
      out.size = *v;
    }
    data.remove_prefix(len);
  }
  return ok_status();
}

constexpr struct {
  const char* magic;
  size_t len;
  const char* name;
  const char* tool;
} kCompressions[] = {
    {"\x1f\x8b", 2, "gzip", "gunzip"},
    {"\x28\xb5\x2f\xfd", 4, "zstd", "unzstd"},
    {"\xfd"
     "7zXZ\x00",
     6, "xz", "unxz"},
    {"BZh", 3, "bzip2", "bunzip2"},
};

}  // namespace

Status walk_tar(const TarReader& reader,
                const std::function<bool(const std::string&, const TarEntry&)>& visit) {
  if (reader.size < kBlock) {
    if (reader.size >= 6) {
      char head[6];
      HIVESEC_TRY_STATUS(reader.read_at(0, head, 6));
      for (const auto& c : kCompressions) {
        if (std::memcmp(head, c.magic, c.len) == 0) {
          return make_error(Errc::kUnsupported, "{}-compressed archive; decompress it first ({})",
                            c.name, c.tool);
        }
      }
    }
    return make_error(Errc::kCorrupt, "not a tar archive (only {} bytes)", reader.size);
  }
  std::map<std::string, TarEntry> seen;  // for hard links
  int64_t pos = 0;
  size_t count = 0;
  PaxOverrides pax;
  std::optional<std::string> long_name;
  std::optional<std::string> long_link;
  char h[kBlock];
  while (true) {
    if (pos + kBlock > reader.size) {
      if (pos == reader.size && count > 0) return ok_status();  // no end marker: tolerate
      return make_error(Errc::kCorrupt, "truncated tar archive at offset {}", pos);
    }
    HIVESEC_TRY_STATUS(reader.read_at(pos, h, kBlock));
    if (all_zero(h)) return ok_status();
    if (!checksum_ok(h)) {
      if (pos == 0) {
        for (const auto& c : kCompressions) {
          if (std::memcmp(h, c.magic, c.len) == 0) {
            return make_error(Errc::kUnsupported, "{}-compressed archive; decompress it first ({})",
                              c.name, c.tool);
          }
        }
        return make_error(Errc::kCorrupt, "not a tar archive (bad header checksum)");
      }
      return make_error(Errc::kCorrupt, "bad tar header checksum at offset {}", pos);
    }
    if (++count > kMaxTarEntries) {
      return make_error(Errc::kLimit, "tar archive has more than {} entries", kMaxTarEntries);
    }
    auto size = parse_number(h + 124, 12);
    if (!size) return make_error(Errc::kCorrupt, "bad tar entry size at offset {}", pos);
    char type = h[156];
    if (pax.size && type != 'x' && type != 'g' && type != 'L' && type != 'K') size = *pax.size;
    int64_t data = pos + kBlock;
    if (*size > reader.size - data) {
      return make_error(Errc::kCorrupt, "truncated tar archive: entry at offset {} needs {} bytes",
                        pos, *size);
    }
    int64_t next = data + ((*size + kBlock - 1) / kBlock) * kBlock;

    if (type == 'L' || type == 'K' || type == 'x' || type == 'g') {
      int64_t limit = (type == 'x' || type == 'g') ? kMaxPaxHeaderBytes
                                                   : static_cast<int64_t>(kMaxTarNameLength);
      if (*size > limit) {
        return make_error(Errc::kLimit, "tar extension header at offset {} too large", pos);
      }
      std::string buf(static_cast<size_t>(*size), '\0');
      if (!buf.empty()) HIVESEC_TRY_STATUS(reader.read_at(data, buf.data(), buf.size()));
      if (type == 'L') {
        long_name = field(buf.data(), buf.size());
      } else if (type == 'K') {
        long_link = field(buf.data(), buf.size());
      } else if (type == 'x') {
        HIVESEC_TRY_STATUS(parse_pax(buf, pax));
      } else {
        PaxOverrides global;  // validated, but global path/size overrides are not honoured
        HIVESEC_TRY_STATUS(parse_pax(buf, global));
      }
      pos = next;
      continue;
    }

    std::string name;
    if (pax.path) {
      name = *pax.path;
    } else if (long_name) {
      name = *long_name;
    } else {
      name = field(h, 100);
      // POSIX ustar keeps a prefix; GNU ("ustar  ") uses that area for other fields.
      if (std::memcmp(h + 257, "ustar\0", 6) == 0) {
        std::string prefix = field(h + 345, 155);
        if (!prefix.empty()) name = prefix + "/" + name;
      }
    }
    std::string link = pax.linkpath ? *pax.linkpath : long_link ? *long_link : field(h + 157, 100);
    pax = PaxOverrides{};
    long_name.reset();
    long_link.reset();
    if (name.size() > kMaxTarNameLength || link.size() > kMaxTarNameLength) {
      return make_error(Errc::kLimit, "tar entry name too long at offset {}", pos);
    }

    if (type == '0' || type == '\0' || type == '7' || type == '1') {
      auto norm = normalize_entry_path(name);
      if (!norm.ok()) return std::move(norm).error().wrap("tar entry");
      if (norm->empty()) return make_error(Errc::kCorrupt, "tar entry with an empty name");
      TarEntry e{data, *size};
      bool have = true;
      if (type == '1') {
        auto target = normalize_entry_path(link);
        auto it = target.ok() ? seen.find(*target) : seen.end();
        have = it != seen.end();
        if (have) e = it->second;
      }
      if (have) {
        seen[*norm] = e;
        if (!visit(*norm, e)) return ok_status();
      }
    }
    pos = next;
  }
}

Result<std::map<std::string, TarEntry>> index_tar(const TarReader& reader) {
  std::map<std::string, TarEntry> out;
  HIVESEC_TRY_STATUS(walk_tar(reader, [&](const std::string& name, const TarEntry& e) {
    out[name] = e;
    return true;
  }));
  return out;
}

TarReader buffer_tar_reader(std::string_view data) {
  TarReader r;
  r.size = static_cast<int64_t>(data.size());
  r.read_at = [data](int64_t off, char* buf, size_t n) -> Status {
    if (off < 0 || static_cast<uint64_t>(off) > data.size() || n > data.size() - off) {
      return make_error(Errc::kCorrupt, "read beyond the end of the archive");
    }
    std::memcpy(buf, data.data() + off, n);
    return ok_status();
  };
  return r;
}

namespace {

TarReader fd_tar_reader(int fd, int64_t size) {
  TarReader r;
  r.size = size;
  r.read_at = [fd](int64_t off, char* buf, size_t n) -> Status {
    while (n > 0) {
      ssize_t got = ::pread(fd, buf, n, static_cast<off_t>(off));
      if (got < 0) {
        if (errno == EINTR) continue;
        return make_error(Errc::kIo, "read: {}", std::strerror(errno));
      }
      if (got == 0) return make_error(Errc::kCorrupt, "unexpected end of archive");
      buf += got;
      n -= static_cast<size_t>(got);
      off += got;
    }
    return ok_status();
  };
  return r;
}

Result<int> open_regular(const std::string& path, int64_t& size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    return make_error(err == ENOENT || err == ENOTDIR ? Errc::kNotFound : Errc::kIo, "{}: {}", path,
                      std::strerror(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_error(Errc::kInvalidArgument, "{}: not a regular file", path);
  }
  size = st.st_size;
  return fd;
}

// Keeps the TarFile (and its fd) alive while a region is being read.
class TarEntryStream : public ByteStream {
 public:
  TarEntryStream(std::shared_ptr<const TarFile> file, std::unique_ptr<ByteStream> inner)
      : file_(std::move(file)), inner_(std::move(inner)) {}
  Result<size_t> read(char* buf, size_t n) override { return inner_->read(buf, n); }

 private:
  std::shared_ptr<const TarFile> file_;
  std::unique_ptr<ByteStream> inner_;
};

}  // namespace

Result<std::shared_ptr<TarFile>> TarFile::open(const std::string& path) {
  int64_t size = 0;
  HIVESEC_TRY(int fd, open_regular(path, size));
  std::shared_ptr<TarFile> file(new TarFile(path, fd));
  auto idx = index_tar(fd_tar_reader(fd, size));
  if (!idx.ok()) return std::move(idx).error().wrap(path);
  file->entries_ = std::move(idx).value();
  return file;
}

TarFile::~TarFile() { ::close(fd_); }

const TarEntry* TarFile::find(std::string_view name) const {
  auto it = entries_.find(std::string(name));
  return it == entries_.end() ? nullptr : &it->second;
}

Result<std::string> TarFile::read(const TarEntry& e, size_t max_bytes) const {
  if (static_cast<uint64_t>(e.size) > max_bytes) {
    return make_error(Errc::kLimit, "entry of {} bytes exceeds the limit of {}", e.size, max_bytes);
  }
  auto s = file_region_stream(fd_, e.offset, e.size);
  return read_all(*s, max_bytes);
}

std::unique_ptr<ByteStream> TarFile::open_stream(const TarEntry& e) const {
  return std::make_unique<TarEntryStream>(shared_from_this(),
                                          file_region_stream(fd_, e.offset, e.size));
}

std::vector<bool> tar_file_has_entries(const std::string& path,
                                       const std::vector<std::string_view>& names) {
  std::vector<bool> found(names.size(), false);
  int64_t size = 0;
  auto fd = open_regular(path, size);
  if (!fd.ok()) return found;
  size_t left = names.size();
  auto st = walk_tar(fd_tar_reader(*fd, size), [&](const std::string& n, const TarEntry&) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (!found[i] && n == names[i]) {
        found[i] = true;
        --left;
      }
    }
    return left > 0;
  });
  (void)st;  // detection is best effort
  ::close(*fd);
  return found;
}

}  // namespace hivesec::image::detail
