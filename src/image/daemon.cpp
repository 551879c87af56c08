// Engine source: exports an image through the Docker Engine API (Docker or `podman system
// service`) into an anonymous temp file and reads it as a docker-archive.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "engine/engine.h"
#include "image/docker_archive.h"
#include "image/http_client.h"
#include "image/registry_ref.h"
#include "image/remote_sources.h"

namespace hivesec::image {
namespace {

constexpr size_t kMaxInspectBytes = 4 << 20;
constexpr int64_t kMaxExportBytes = int64_t{64} << 30;
constexpr size_t kMaxNameLength = 512;

using Engine = engine::Endpoint;

Result<Engine> find_engine(const std::string& docker_host) {
  return engine::find_engine(docker_host);
}

HttpRequest engine_request(const Engine& e, const std::string& path, long timeout_s) {
  HttpRequest req;
  req.url = e.base_url + path;
  req.unix_socket = e.socket;
  req.follow_redirects = false;
  req.total_timeout_s = timeout_s;
  req.low_speed_time_s = 300;  // the engine may think a while before streaming an export
  return req;
}

std::string image_path(const std::string& name) { return "/images/" + url_escape(name, "/:@"); }

Status check_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return make_error(Errc::kInvalidArgument, "invalid engine image name \"{}\"",
                      name.substr(0, 100));
  }
  for (unsigned char c : name) {
    if (c < 0x21 || c == 0x7f) {
      return make_error(Errc::kInvalidArgument, "invalid engine image name \"{}\"",
                        name.substr(0, 100));
    }
  }
  return ok_status();
}

// Keeps the spooled export open for as long as the docker-archive reader needs it.
class EngineSource final : public ImageSource {
 public:
  EngineSource(int fd, std::unique_ptr<ImageSource> inner, ImageMeta meta)
      : fd_(fd), inner_(std::move(inner)), meta_(std::move(meta)) {}
  ~EngineSource() override {
    inner_.reset();
    ::close(fd_);
  }
  const ImageMeta& meta() const override { return meta_; }
  Result<std::unique_ptr<ByteStream>> open_layer(size_t index) const override {
    return inner_->open_layer(index);
  }

 private:
  int fd_;
  std::unique_ptr<ImageSource> inner_;
  ImageMeta meta_;
};

// An unnamed file in `dir`: O_TMPFILE, else created and unlinked at once.
Result<int> anonymous_file(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error(Errc::kIo, "cannot create temp dir {}: {}", dir, ec.message());
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  std::string tmpl = dir + "/hivesec-export-XXXXXX";
  fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd < 0)
    return make_error(Errc::kIo, "cannot create a temp file in {}: {}", dir, std::strerror(errno));
  ::unlink(tmpl.c_str());
  return fd;
}

Status write_all(int fd, const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return make_error(Errc::kIo, "writing engine export: {}", std::strerror(errno));
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  return ok_status();
}

std::vector<std::string> string_array(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string() && out.size() < 1000) out.push_back(v.get<std::string>());
  }
  return out;
}

Result<nlohmann::json> inspect(const Engine& e, const std::string& name, long timeout_s) {
  auto resp = http_get(engine_request(e, image_path(name) + "/json", timeout_s), kMaxInspectBytes);
  if (!resp.ok()) {
    return make_error(Errc::kNetwork, "engine at {}: {}", e.where, resp.error().message);
  }
  if (resp->status == 404) {
    return make_error(Errc::kNotFound, "image {} not found in the engine at {}", name, e.where);
  }
  if (resp->status != 200) {
    return make_error(Errc::kNetwork, "engine at {}: inspect of {} answered HTTP {}", e.where, name,
                      resp->status);
  }
  nlohmann::json j = nlohmann::json::parse(resp->body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return make_error(Errc::kCorrupt, "engine at {}: inspect reply is not a JSON object", e.where);
  }
  return j;
}

}  // namespace

Result<std::unique_ptr<ImageSource>> open_engine_image(const std::string& name,
                                                       const SourceOptions& opts) {
  HIVESEC_TRY_STATUS(check_name(name));
  HIVESEC_TRY(Engine engine, find_engine(opts.docker_host));
  auto ping = http_get(engine_request(engine, "/_ping", 30), 4096);
  if (!ping.ok()) {
    return make_error(Errc::kNetwork, "engine at {}: {}", engine.where, ping.error().message);
  }
  if (ping->status != 200) {
    return make_error(Errc::kNetwork, "engine at {}: ping answered HTTP {}", engine.where,
                      ping->status);
  }
  HIVESEC_TRY(nlohmann::json info, inspect(engine, name, 60));

  std::string dir = opts.temp_dir;
  if (dir.empty()) {
    const char* t = std::getenv("TMPDIR");
    dir = t && *t ? t : "/tmp";
  }
  HIVESEC_TRY(int fd, anonymous_file(dir));
  auto fail = [fd](Error e) {
    ::close(fd);
    return e;
  };
  auto resp = http_open(engine_request(engine, image_path(name) + "/get", 0));
  if (!resp.ok())
    return fail(make_error(Errc::kNetwork, "engine at {}: export of {}: {}", engine.where, name,
                           resp.error().message));
  if (resp->status != 200) {
    return fail(make_error(resp->status == 404 ? Errc::kNotFound : Errc::kNetwork,
                           "engine at {}: export of {} answered HTTP {}", engine.where, name,
                           resp->status));
  }
  std::string buf(1 << 20, '\0');
  int64_t total = 0;
  while (true) {
    auto n = resp->stream->read(buf.data(), buf.size());
    if (!n.ok()) return fail(std::move(n).error().wrap("engine at " + engine.where));
    if (*n == 0) break;
    total += static_cast<int64_t>(*n);
    if (total > kMaxExportBytes) {
      return fail(
          make_error(Errc::kLimit, "engine export of {} exceeds {} bytes", name, kMaxExportBytes));
    }
    if (Status w = write_all(fd, buf.data(), *n); !w.ok()) return fail(std::move(w).error());
  }
  resp->stream.reset();

  auto inner = open_docker_archive("/proc/self/fd/" + std::to_string(fd));
  if (!inner.ok()) {
    return fail(std::move(inner).error().wrap("engine export of " + name));
  }
  ImageMeta meta = (*inner)->meta();
  meta.name = name;
  meta.source = "daemon";
  meta.repo_tags = string_array(info, "RepoTags");
  meta.repo_digests = string_array(info, "RepoDigests");
  return std::unique_ptr<ImageSource>(
      std::make_unique<EngineSource>(fd, std::move(inner).value(), std::move(meta)));
}

bool detect_engine_image(const std::string& name) {
  if (!check_name(name).ok() || !looks_like_registry_ref(name)) return false;
  auto engine = find_engine("");
  if (!engine.ok()) return false;
  HttpRequest req = engine_request(*engine, image_path(name) + "/json", 5);
  req.connect_timeout_s = 2;
  auto resp = http_get(req, kMaxInspectBytes);
  return resp.ok() && resp->status == 200;
}

SourceKind engine_source_kind(std::string name) {
  SourceKind kind{std::move(name), &detect_engine_image, &open_engine_image};
  if (kind.name != "docker") kind.detect = [](const std::string&) { return false; };
  return kind;
}

}  // namespace hivesec::image
