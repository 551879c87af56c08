#include "scan/layer_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/hash.h"
#include "scan/layer_codec.h"

namespace hivesec::scan {
namespace {
constexpr int kCacheFormat = 3;  // 2: CBOR, 3: findings in entries
}

std::string default_cache_dir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/hivesec";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/hivesec";
  return fmt::format("/tmp/hivesec-cache-{}", getuid());
}

Result<LayerCache> LayerCache::open(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir + "/layers", ec);
  if (ec) return make_error(Errc::kIo, "cache directory {}: {}", dir, ec.message());
  return LayerCache(dir);
}

std::string LayerCache::key(const std::string& diff_id, const std::string& analyzers_fingerprint,
                            const std::string& options_fingerprint) {
  return sha256_hex(fmt::format("v{}\n{}\n{}\n{}", kCacheFormat, diff_id, analyzers_fingerprint,
                                options_fingerprint));
}

std::string LayerCache::path_for(const std::string& key) const {
  return dir_ + "/layers/" + key + ".bin";
}

std::optional<LayerResult> LayerCache::get(const std::string& key) const {
  std::ifstream in(path_for(key), std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  auto r = decode_layer_result(ss.str());
  if (!r.ok()) return std::nullopt;
  return std::move(*r);
}

Status LayerCache::put(const std::string& key, const LayerResult& result) const {
  std::string data = encode_layer_result(result);
  std::string tmpl = dir_ + "/layers/." + key + ".XXXXXX";
  int fd = mkstemp(tmpl.data());
  if (fd < 0) return make_error(Errc::kIo, "cache write {}: {}", tmpl, std::strerror(errno));
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      close(fd);
      unlink(tmpl.c_str());
      return make_error(Errc::kIo, "cache write {}: {}", tmpl, std::strerror(err));
    }
    off += static_cast<size_t>(n);
  }
  fchmod(fd, 0644);
  if (close(fd) != 0 || rename(tmpl.c_str(), path_for(key).c_str()) != 0) {
    int err = errno;
    unlink(tmpl.c_str());
    return make_error(Errc::kIo, "cache write {}: {}", path_for(key), std::strerror(err));
  }
  return ok_status();
}

}  // namespace hivesec::scan
