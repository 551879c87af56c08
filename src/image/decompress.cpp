#include "image/decompress.h"

#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <optional>
#include <vector>

#include "common/hash.h"

namespace hivesec::image {

const char* compression_name(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
  }
  return "unknown";
}

namespace {

constexpr size_t kInBuf = 256 << 10;

class Decompressor final : public ByteStream {
 public:
  Decompressor(std::unique_ptr<ByteStream> raw, DecompressOptions opts)
      : raw_(std::move(raw)), opts_(std::move(opts)), in_(kInBuf) {}

  ~Decompressor() override {
    if (zinit_) inflateEnd(&z_);
    if (zstd_) ZSTD_freeDStream(zstd_);
  }

  Result<size_t> read(char* buf, size_t n) override {
    if (failed_) return *failed_;
    if (done_ || n == 0) return size_t{0};
    if (!started_) {
      if (auto st = start(); !st.ok()) return fail(std::move(st).error());
    }
    Result<size_t> r = size_t{0};
    switch (kind_) {
      case Compression::kNone:
        r = read_raw(buf, n);
        break;
      case Compression::kGzip:
        r = read_gzip(buf, n);
        break;
      case Compression::kZstd:
        r = read_zstd(buf, n);
        break;
    }
    if (!r.ok()) return fail(std::move(r).error());
    size_t got = *r;
    total_out_ += static_cast<int64_t>(got);
    if (total_out_ > opts_.max_output_bytes) {
      return fail(make_error(Errc::kLimit, "{}: uncompressed size exceeds the limit of {} bytes",
                             opts_.what, opts_.max_output_bytes));
    }
    if (got > 0) {
      sha_.update(buf, got);
      return got;
    }
    done_ = true;
    if (!opts_.expected_diff_id.empty()) {
      std::string actual = "sha256:" + sha_.hex_final();
      if (actual != opts_.expected_diff_id) {
        return fail(make_error(Errc::kCorrupt, "{}: diffID mismatch: expected {}, got {}",
                               opts_.what, opts_.expected_diff_id, actual));
      }
    }
    return size_t{0};
  }

 private:
  Error fail(Error e) {
    failed_ = e;
    return e;
  }

  Status fill() {
    if (in_pos_ < in_len_ || raw_eof_) return ok_status();
    auto r = raw_->read(in_.data(), in_.size());
    if (!r.ok()) return std::move(r).error();
    in_pos_ = 0;
    in_len_ = *r;
    if (in_len_ == 0) raw_eof_ = true;
    return ok_status();
  }

  Status start() {
    started_ = true;
    // Read until we have 4 bytes or EOF to sniff the magic.
    while (in_len_ < 4 && !raw_eof_) {
      auto r = raw_->read(in_.data() + in_len_, in_.size() - in_len_);
      if (!r.ok()) return std::move(r).error();
      if (*r == 0) raw_eof_ = true;
      in_len_ += *r;
    }
    const auto* m = reinterpret_cast<const unsigned char*>(in_.data());
    if (in_len_ >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
      kind_ = Compression::kGzip;
      std::memset(&z_, 0, sizeof(z_));
      if (inflateInit2(&z_, 16 + MAX_WBITS) != Z_OK) {
        return make_error(Errc::kInternal, "zlib init failed");
      }
      zinit_ = true;
    } else if (in_len_ >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) {
      kind_ = Compression::kZstd;
      zstd_ = ZSTD_createDStream();
      if (!zstd_ || ZSTD_isError(ZSTD_initDStream(zstd_))) {
        return make_error(Errc::kInternal, "zstd init failed");
      }
    } else {
      kind_ = Compression::kNone;
    }
    return ok_status();
  }

  Result<size_t> read_raw(char* buf, size_t n) {
    HIVESEC_TRY_STATUS(fill());
    size_t k = std::min(n, in_len_ - in_pos_);
    std::memcpy(buf, in_.data() + in_pos_, k);
    in_pos_ += k;
    return k;
  }

  Result<size_t> read_gzip(char* buf, size_t n) {
    while (true) {
      HIVESEC_TRY_STATUS(fill());
      if (stream_end_) {
        // A new gzip member may follow; trailing zero padding is tolerated.
        if (in_pos_ == in_len_ && raw_eof_) return size_t{0};
        if (static_cast<unsigned char>(in_[in_pos_]) != 0x1f) {
          bool zeros = true;
          for (size_t i = in_pos_; i < in_len_; ++i) zeros = zeros && in_[i] == 0;
          if (!zeros)
            return make_error(Errc::kCorrupt, "{}: trailing garbage after gzip data", opts_.what);
          in_pos_ = in_len_;
          continue;
        }
        inflateReset(&z_);
        stream_end_ = false;
      }
      if (in_pos_ == in_len_ && raw_eof_) {
        return make_error(Errc::kCorrupt, "{}: truncated gzip stream", opts_.what);
      }
      z_.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
      z_.avail_in = static_cast<uInt>(in_len_ - in_pos_);
      z_.next_out = reinterpret_cast<Bytef*>(buf);
      z_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
      int rc = inflate(&z_, Z_NO_FLUSH);
      in_pos_ = in_len_ - z_.avail_in;
      size_t produced = std::min<size_t>(n, 1u << 30) - z_.avail_out;
      if (rc == Z_STREAM_END) {
        stream_end_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return make_error(Errc::kCorrupt, "{}: corrupt gzip data ({})", opts_.what,
                          z_.msg ? z_.msg : "inflate error");
      }
      if (produced > 0) return produced;
    }
  }

  Result<size_t> read_zstd(char* buf, size_t n) {
    while (true) {
      HIVESEC_TRY_STATUS(fill());
      if (in_pos_ == in_len_ && raw_eof_) {
        if (zstd_last_ != 0) {
          return make_error(Errc::kCorrupt, "{}: truncated zstd stream", opts_.what);
        }
        return size_t{0};
      }
      ZSTD_inBuffer in{in_.data() + in_pos_, in_len_ - in_pos_, 0};
      ZSTD_outBuffer out{buf, n, 0};
      size_t rc = ZSTD_decompressStream(zstd_, &out, &in);
      in_pos_ += in.pos;
      if (ZSTD_isError(rc)) {
        return make_error(Errc::kCorrupt, "{}: corrupt zstd data ({})", opts_.what,
                          ZSTD_getErrorName(rc));
      }
      zstd_last_ = rc;
      if (out.pos > 0) return out.pos;
    }
  }

  std::unique_ptr<ByteStream> raw_;
  DecompressOptions opts_;
  std::vector<char> in_;
  size_t in_pos_ = 0, in_len_ = 0;
  bool raw_eof_ = false, started_ = false, done_ = false, stream_end_ = false;
  Compression kind_ = Compression::kNone;
  z_stream z_{};
  bool zinit_ = false;
  ZSTD_DStream* zstd_ = nullptr;
  size_t zstd_last_ = 0;
  int64_t total_out_ = 0;
  Sha256 sha_;
  std::optional<Error> failed_;
};

}  // namespace

std::unique_ptr<ByteStream> decompressing_stream(std::unique_ptr<ByteStream> raw,
                                                 DecompressOptions options) {
  return std::make_unique<Decompressor>(std::move(raw), std::move(options));
}

}  // namespace hivesec::image
