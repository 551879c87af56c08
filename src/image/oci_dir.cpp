#include "image/oci_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/hash.h"
#include "image/local_ref.h"
#include "image/oci_image.h"
#include "image/oci_layout.h"

namespace hivesec::image {

namespace {

// Owns an fd and reads it from the start through pread.
class OwnedFdStream : public ByteStream {
 public:
  OwnedFdStream(int fd, int64_t size) : fd_(fd), inner_(file_region_stream(fd, 0, size)) {}
  ~OwnedFdStream() override { ::close(fd_); }
  OwnedFdStream(const OwnedFdStream&) = delete;
  OwnedFdStream& operator=(const OwnedFdStream&) = delete;
  Result<size_t> read(char* buf, size_t n) override { return inner_->read(buf, n); }

 private:
  int fd_;
  std::unique_ptr<ByteStream> inner_;
};

Result<int> open_nofollow(int dirfd, const std::string& name, int flags, const std::string& what) {
  int fd = ::openat(dirfd, name.c_str(), flags | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    Errc code = err == ENOENT    ? Errc::kNotFound
                : err == ELOOP   ? Errc::kCorrupt
                : err == ENOTDIR ? Errc::kCorrupt
                                 : Errc::kIo;
    return make_error(code, "{}: {}", what,
                      err == ELOOP ? "is a symlink (refused)" : std::strerror(err));
  }
  return fd;
}

class DirBlobStore : public BlobStore {
 public:
  explicit DirBlobStore(std::string root) : root_(std::move(root)) {}

  Result<std::string> read_blob(const std::string& digest, size_t max_bytes) const override {
    int64_t size = 0;
    HIVESEC_TRY(int fd, open(digest, size));
    OwnedFdStream s(fd, size);
    if (static_cast<uint64_t>(size) > max_bytes) {
      return make_error(Errc::kLimit, "blob {}: {} bytes exceeds the limit of {}", digest, size,
                        max_bytes);
    }
    HIVESEC_TRY(std::string data, read_all(s, max_bytes));
    if (digest.starts_with("sha256:") && sha256_digest(data) != digest) {
      return make_error(Errc::kCorrupt, "blob {}: digest mismatch (got {})", digest,
                        sha256_digest(data));
    }
    if (!digest.starts_with("sha256:")) {
      return make_error(Errc::kUnsupported, "blob {}: only sha256 digests can be verified", digest);
    }
    return data;
  }

  Result<std::unique_ptr<ByteStream>> open_blob(const std::string& digest,
                                                int64_t size) const override {
    int64_t actual = 0;
    HIVESEC_TRY(int fd, open(digest, actual));
    return verifying_stream(std::make_unique<OwnedFdStream>(fd, actual), digest, size,
                            "blob " + digest);
  }

 private:
  Result<int> open(const std::string& digest, int64_t& size) const {
    HIVESEC_TRY_STATUS(validate_digest(digest));
    size_t colon = digest.find(':');
    std::string alg = digest.substr(0, colon);
    std::string hex = digest.substr(colon + 1);
    std::string what = "blob " + digest;
    int root = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) return make_error(Errc::kNotFound, "{}: {}", root_, std::strerror(errno));
    auto blobs = open_nofollow(root, "blobs", O_RDONLY | O_DIRECTORY, what);
    ::close(root);
    if (!blobs.ok()) return std::move(blobs).error();
    auto algdir = open_nofollow(*blobs, alg, O_RDONLY | O_DIRECTORY, what);
    ::close(*blobs);
    if (!algdir.ok()) return std::move(algdir).error();
    auto fd = open_nofollow(*algdir, hex, O_RDONLY, what);
    ::close(*algdir);
    if (!fd.ok()) return std::move(fd).error();
    struct stat st {};
    if (::fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(*fd);
      return make_error(Errc::kCorrupt, "{}: not a regular file", what);
    }
    size = st.st_size;
    return *fd;
  }

  std::string root_;
};

Result<std::string> read_small_file(const std::string& dir, const std::string& name,
                                    size_t max_bytes) {
  int root = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) return make_error(Errc::kNotFound, "{}: {}", dir, std::strerror(errno));
  auto fd = open_nofollow(root, name, O_RDONLY, name);
  ::close(root);
  if (!fd.ok()) return std::move(fd).error();
  struct stat st {};
  if (::fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(*fd);
    return make_error(Errc::kCorrupt, "{}: not a regular file", name);
  }
  OwnedFdStream s(*fd, st.st_size);
  return read_all(s, max_bytes);
}

bool is_layout_dir(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) &&
         ::stat((path + "/oci-layout").c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Result<std::unique_ptr<ImageSource>> open_oci_dir(const std::string& ref,
                                                  const SourceOptions& opts) {
  auto lr = detail::split_local_ref(ref, detail::LocalKind::kDirectory);
  if (!is_layout_dir(lr.path)) {
    return make_error(Errc::kNotFound, "{}: not an OCI layout directory (no oci-layout file)",
                      lr.path);
  }
  auto run = [&]() -> Result<std::unique_ptr<ImageSource>> {
    HIVESEC_TRY(std::string marker, read_small_file(lr.path, "oci-layout", 4096));
    HIVESEC_TRY_STATUS(detail::check_oci_layout_marker(marker));
    HIVESEC_TRY(std::string index, read_small_file(lr.path, "index.json", kMaxManifestBytes));
    return detail::open_oci_layout(make_dir_blob_store(lr.path), index, ref, "oci-dir", lr.selector,
                                   opts.platform);
  };
  auto r = run();
  if (!r.ok()) return std::move(r).error().wrap("oci " + lr.path);
  return r;
}

}  // namespace

std::shared_ptr<const BlobStore> make_dir_blob_store(std::string root) {
  return std::make_shared<DirBlobStore>(std::move(root));
}

SourceKind oci_dir_source_kind() {
  SourceKind k;
  k.name = "oci";
  k.detect = [](const std::string& ref) -> bool {
    return is_layout_dir(detail::split_local_ref(ref, detail::LocalKind::kDirectory).path);
  };
  k.open = open_oci_dir;
  return k;
}

}  // namespace hivesec::image
