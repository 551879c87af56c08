#include "image/stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

#include "common/hash.h"

namespace hivesec::image {

namespace {

class FileRegionStream : public ByteStream {
 public:
  FileRegionStream(int fd, int64_t offset, int64_t length)
      : fd_(fd), pos_(offset), left_(length < 0 ? 0 : length) {}

  Result<size_t> read(char* buf, size_t n) override {
    if (left_ == 0 || n == 0) return size_t{0};
    size_t want = static_cast<uint64_t>(left_) < n ? static_cast<size_t>(left_) : n;
    for (;;) {
      ssize_t got = ::pread(fd_, buf, want, static_cast<off_t>(pos_));
      if (got < 0) {
        if (errno == EINTR) continue;
        return make_error(Errc::kIo, "read at offset {}: {}", pos_, std::strerror(errno));
      }
      if (got == 0) {
        return make_error(Errc::kCorrupt, "unexpected end of file at offset {} ({} bytes missing)",
                          pos_, left_);
      }
      pos_ += got;
      left_ -= got;
      return static_cast<size_t>(got);
    }
  }

 private:
  int fd_;
  int64_t pos_;
  int64_t left_;
};

class FileStream : public ByteStream {
 public:
  explicit FileStream(int fd) : fd_(fd) {}
  ~FileStream() override { ::close(fd_); }
  FileStream(const FileStream&) = delete;
  FileStream& operator=(const FileStream&) = delete;

  Result<size_t> read(char* buf, size_t n) override {
    for (;;) {
      ssize_t got = ::read(fd_, buf, n);
      if (got < 0) {
        if (errno == EINTR) continue;
        return make_error(Errc::kIo, "read: {}", std::strerror(errno));
      }
      return static_cast<size_t>(got);
    }
  }

 private:
  int fd_;
};

class StringStream : public ByteStream {
 public:
  explicit StringStream(std::string data) : data_(std::move(data)) {}
  Result<size_t> read(char* buf, size_t n) override {
    size_t k = std::min(n, data_.size() - pos_);
    if (k > 0) std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

class VerifyingStream : public ByteStream {
 public:
  VerifyingStream(std::unique_ptr<ByteStream> inner, std::string expected, int64_t expected_size,
                  std::string what)
      : inner_(std::move(inner)),
        expected_(std::move(expected)),
        expected_size_(expected_size),
        what_(std::move(what)) {}

  Result<size_t> read(char* buf, size_t n) override {
    if (failed_) return *failed_;
    if (done_) return size_t{0};
    auto r = inner_->read(buf, n);
    if (!r.ok()) return fail(r.error().wrap(what_));
    size_t got = *r;
    if (got > 0) {
      hash_.update(buf, got);
      count_ += static_cast<int64_t>(got);
      if (expected_size_ >= 0 && count_ > expected_size_) {
        return fail(make_error(Errc::kCorrupt, "{}: size mismatch (more than {} bytes)", what_,
                               expected_size_));
      }
      return got;
    }
    // End of the inner stream: check what we saw.
    done_ = true;
    if (expected_size_ >= 0 && count_ != expected_size_) {
      return fail(make_error(Errc::kCorrupt, "{}: size mismatch (got {} bytes, want {})", what_,
                             count_, expected_size_));
    }
    if (expected_.rfind("sha256:", 0) != 0) {
      return fail(
          make_error(Errc::kUnsupported, "{}: cannot verify digest '{}'", what_, expected_));
    }
    std::string got_digest = "sha256:" + hash_.hex_final();
    if (got_digest != expected_) {
      return fail(make_error(Errc::kCorrupt, "{}: digest mismatch (got {})", what_, got_digest));
    }
    return size_t{0};
  }

 private:
  Result<size_t> fail(Error e) {
    failed_ = e;
    return e;
  }

  std::unique_ptr<ByteStream> inner_;
  std::string expected_;
  int64_t expected_size_;
  std::string what_;
  Sha256 hash_;
  int64_t count_ = 0;
  bool done_ = false;
  std::optional<Error> failed_;
};

}  // namespace

std::unique_ptr<ByteStream> file_region_stream(int fd, int64_t offset, int64_t length) {
  return std::make_unique<FileRegionStream>(fd, offset, length);
}

Result<std::unique_ptr<ByteStream>> open_file_stream(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    return make_error(err == ENOENT || err == ENOTDIR ? Errc::kNotFound : Errc::kIo, "{}: {}", path,
                      std::strerror(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    ::close(fd);
    return make_error(Errc::kIo, "{}: not a regular file", path);
  }
  return std::unique_ptr<ByteStream>(std::make_unique<FileStream>(fd));
}

std::unique_ptr<ByteStream> string_stream(std::string data) {
  return std::make_unique<StringStream>(std::move(data));
}

std::unique_ptr<ByteStream> verifying_stream(std::unique_ptr<ByteStream> inner,
                                             std::string expected, int64_t expected_size,
                                             std::string what) {
  return std::make_unique<VerifyingStream>(std::move(inner), std::move(expected), expected_size,
                                           std::move(what));
}

Result<std::string> read_all(ByteStream& in, size_t max_bytes) {
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    HIVESEC_TRY(size_t got, in.read(buf, sizeof(buf)));
    if (got == 0) return out;
    if (out.size() + got > max_bytes) {
      return make_error(Errc::kLimit, "data exceeds the limit of {} bytes", max_bytes);
    }
    out.append(buf, got);
  }
}

}  // namespace hivesec::image
