// The HTTP mirror streams the body through the project's libcurl client (src/image) straight to
// the destination file, so a large zip never sits in memory.
#include "vulndb/mirror.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <utility>

#include "image/http_client.h"

namespace hivesec::vulndb::detail {

namespace {

namespace fs = std::filesystem;

constexpr size_t kCopyChunk = 1 << 20;
constexpr size_t kMaxValidatorBytes = 512;

// An fd that is closed on every exit path; close() reports the error of an explicit close.
class OutFile {
 public:
  static Result<OutFile> create(const std::string& path) {
    OutFile f;
    f.fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (f.fd_ < 0)
      return make_error(Errc::kIo, "{}: cannot create: {}", path, std::strerror(errno));
    f.path_ = path;
    return f;
  }
  OutFile() = default;
  OutFile(OutFile&& o) noexcept : fd_(std::exchange(o.fd_, -1)), path_(std::move(o.path_)) {}
  OutFile& operator=(OutFile&&) = delete;
  ~OutFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  Status write(const char* data, size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd_, data, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return make_error(Errc::kIo, "{}: write failed: {}", path_, std::strerror(errno));
      data += w;
      n -= static_cast<size_t>(w);
    }
    return ok_status();
  }
  Status close() {
    int rc = ::close(std::exchange(fd_, -1));
    if (rc != 0) return make_error(Errc::kIo, "{}: close failed: {}", path_, std::strerror(errno));
    return ok_status();
  }

 private:
  int fd_ = -1;
  std::string path_;
};

std::string http_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// A header value we are willing to store and replay: printable ASCII, bounded.
bool replayable(std::string_view value) {
  return value.size() <= kMaxValidatorBytes &&
         std::all_of(value.begin(), value.end(),
                     [](unsigned char c) { return c >= 0x20 && c <= 0x7e; });
}

std::string storable(const std::map<std::string, std::string>& headers, const std::string& name) {
  auto it = headers.find(name);
  if (it == headers.end() || !replayable(it->second)) return "";
  return it->second;
}

// -1 when absent or not a plain decimal number.
int64_t content_length(const std::map<std::string, std::string>& headers) {
  auto it = headers.find("content-length");
  if (it == headers.end() || it->second.empty() || it->second.size() > 18) return -1;
  int64_t v = 0;
  for (char c : it->second) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

class HttpMirror final : public Mirror {
 public:
  HttpMirror(std::string base, const FetchLimits& limits)
      : base_(std::move(base)), limits_(limits) {}

  std::string location(std::string_view ecosystem) const override {
    return fmt::format("{}/{}/all.zip", base_, image::url_escape(ecosystem));
  }

  Result<FetchOutcome> fetch(std::string_view ecosystem, const Validators& known,
                             const std::string& dest) const override {
    image::HttpRequest req;
    req.url = location(ecosystem);
    // Stored values come from an earlier response, but the database file may have been edited.
    bool conditional = false;
    if (!known.etag.empty() && replayable(known.etag)) {
      req.headers.push_back("If-None-Match: " + known.etag);
      conditional = true;
    }
    if (!known.last_modified.empty() && replayable(known.last_modified)) {
      req.headers.push_back("If-Modified-Since: " + known.last_modified);
      conditional = true;
    }
    req.connect_timeout_s = limits_.connect_timeout_s;
    req.low_speed_time_s = limits_.stall_timeout_s;
    req.total_timeout_s = limits_.total_timeout_s;
    HIVESEC_TRY(auto resp, image::http_open(req));
    FetchOutcome out;
    out.validators.etag = storable(resp.headers, "etag");
    out.validators.last_modified = storable(resp.headers, "last-modified");
    if (resp.status == 304) {
      if (!conditional) {
        return make_error(Errc::kNetwork, "{}: HTTP 304 to a request that was not conditional",
                          req.url);
      }
      if (out.validators.etag.empty()) out.validators.etag = known.etag;
      if (out.validators.last_modified.empty()) out.validators.last_modified = known.last_modified;
      out.not_modified = true;
      return out;
    }
    if (resp.status == 404) {
      return make_error(Errc::kNotFound, "{}: HTTP 404 (no such ecosystem on this mirror?)",
                        req.url);
    }
    if (resp.status >= 300 && resp.status < 400) {
      return make_error(Errc::kNetwork,
                        "{}: HTTP {}: redirect not followed (more than 5 redirects, or no usable "
                        "Location)",
                        req.url, resp.status);
    }
    if (resp.status != 200 || !resp.stream) {
      return make_error(Errc::kNetwork, "{}: HTTP {}", req.url, resp.status);
    }
    int64_t announced = content_length(resp.headers);
    if (announced >= 0 && static_cast<uint64_t>(announced) > limits_.max_bytes) {
      return make_error(Errc::kLimit, "{}: the server announces {} bytes (limit {})", req.url,
                        announced, limits_.max_bytes);
    }
    HIVESEC_TRY(auto file, OutFile::create(dest));
    std::string buf(kCopyChunk, '\0');
    for (;;) {
      auto n = resp.stream->read(buf.data(), buf.size());
      if (!n.ok()) return std::move(n).error();  // names the URL
      if (*n == 0) break;
      out.bytes += *n;
      if (out.bytes > limits_.max_bytes) {
        return make_error(Errc::kLimit, "{}: more than {} bytes", req.url, limits_.max_bytes);
      }
      HIVESEC_TRY_STATUS(file.write(buf.data(), *n));
    }
    HIVESEC_TRY_STATUS(file.close());
    if (announced >= 0 && out.bytes != static_cast<uint64_t>(announced)) {
      return make_error(Errc::kCorrupt, "{}: received {} bytes but Content-Length is {}", req.url,
                        out.bytes, announced);
    }
    return out;
  }

 private:
  std::string base_;  // no trailing slash
  FetchLimits limits_;
};

class DirMirror final : public Mirror {
 public:
  DirMirror(fs::path root, const FetchLimits& limits) : root_(std::move(root)), limits_(limits) {}

  std::string location(std::string_view ecosystem) const override {
    return (root_ / std::string(ecosystem) / "all.zip").string();
  }

  Result<FetchOutcome> fetch(std::string_view ecosystem, const Validators& known,
                             const std::string& dest) const override {
    const std::string path = location(ecosystem);
    int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) {
      if (errno == ENOENT) return make_error(Errc::kNotFound, "{}: no such file", path);
      return make_error(Errc::kIo, "{}: cannot open: {}", path, std::strerror(errno));
    }
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{in};
    struct stat st {};
    if (::fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
      return make_error(Errc::kInvalidArgument, "{}: not a regular file", path);
    }
    FetchOutcome out;
    out.validators.etag = fmt::format("\"file-{}-{}.{:09}-{}\"", st.st_size, st.st_mtim.tv_sec,
                                      st.st_mtim.tv_nsec, st.st_ino);
    out.validators.last_modified = http_date(st.st_mtim.tv_sec);
    if (!known.etag.empty() && known.etag == out.validators.etag) {
      out.not_modified = true;
      return out;
    }
    if (static_cast<uint64_t>(st.st_size) > limits_.max_bytes) {
      return make_error(Errc::kLimit, "{}: {} bytes (limit {})", path, st.st_size,
                        limits_.max_bytes);
    }
    HIVESEC_TRY(auto file, OutFile::create(dest));
    std::string buf(kCopyChunk, '\0');
    for (;;) {
      ssize_t n = ::read(in, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return make_error(Errc::kIo, "{}: read failed: {}", path, std::strerror(errno));
      if (n == 0) break;
      out.bytes += static_cast<uint64_t>(n);
      if (out.bytes > limits_.max_bytes) {
        return make_error(Errc::kLimit, "{}: more than {} bytes", path, limits_.max_bytes);
      }
      HIVESEC_TRY_STATUS(file.write(buf.data(), static_cast<size_t>(n)));
    }
    HIVESEC_TRY_STATUS(file.close());
    return out;
  }

 private:
  fs::path root_;
  FetchLimits limits_;
};

std::string strip_trailing_slashes(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

Status check_ecosystem_name(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 64 && name.find_first_not_of('.') != name.npos;
  for (unsigned char c : name) {
    if (!ok) break;
    ok = std::isalnum(c) || c == ' ' || c == '.' || c == '-' || c == '_' || c == ':' || c == '+';
  }
  if (!ok) {
    return make_error(Errc::kInvalidArgument,
                      "invalid ecosystem name '{}' (expected a bucket folder such as PyPI, npm, "
                      "Debian)",
                      name.substr(0, 80));
  }
  return ok_status();
}

Result<std::unique_ptr<Mirror>> make_mirror(std::string_view spec, const FetchLimits& limits) {
  std::string s(spec);
  if (s.empty()) s = kOsvBucketUrl;
  if (s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0) {
    return std::unique_ptr<Mirror>(
        std::make_unique<HttpMirror>(strip_trailing_slashes(std::move(s)), limits));
  }
  if (s.rfind("file://", 0) == 0) {
    s.erase(0, 7);
  } else if (s.find("://") != std::string::npos) {
    return make_error(Errc::kInvalidArgument,
                      "unsupported mirror '{}' (expected an http(s) URL or a directory)", s);
  }
  std::error_code ec;
  if (!fs::is_directory(s, ec)) {
    return make_error(Errc::kNotFound, "mirror directory {} does not exist", s);
  }
  return std::unique_ptr<Mirror>(std::make_unique<DirMirror>(fs::path(s), limits));
}

}  // namespace hivesec::vulndb::detail
