// Image sources: docker-archive, OCI layout directory, oci-archive, a local engine (Docker
// Engine API) and a registry (OCI distribution API). Each is one file registering itself in
// SourceRegistry; open_image() picks by explicit prefix ("oci-archive:x.tar") or detection.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "image/image.h"
#include "image/stream.h"

namespace hivesec::image {

struct SourceOptions {
  std::optional<Platform> platform;  // --platform
  std::string username;              // registry basic auth (else docker config / anonymous)
  std::string password;
  bool insecure = false;             // allow plain HTTP / unverified TLS for registries
  std::string docker_host;           // overrides DOCKER_HOST
  std::string temp_dir;              // where engine exports may be spooled (the cache dir)
};

// An opened image. open_layer() is thread-safe: layers are read concurrently.
class ImageSource {
 public:
  virtual ~ImageSource() = default;
  virtual const ImageMeta& meta() const = 0;
  // The layer blob as stored (compressed or not), already wrapped so that a digest mismatch
  // surfaces as a kCorrupt read error at the end of the stream.
  virtual Result<std::unique_ptr<ByteStream>> open_layer(size_t index) const = 0;
};

struct SourceKind {
  std::string name;  // prefix users can write: "docker-archive", "oci", "oci-archive", ...
  // Cheap detection for refs without a prefix; may stat files, must not touch the network.
  std::function<bool(const std::string& ref)> detect;
  std::function<Result<std::unique_ptr<ImageSource>>(const std::string& ref,
                                                     const SourceOptions& opts)> open;
};

class SourceRegistry {
 public:
  Status add(SourceKind kind);
  const std::vector<SourceKind>& all() const { return kinds_; }
  const SourceKind* find(std::string_view name) const;

 private:
  std::vector<SourceKind> kinds_;
};

// Registers every built-in source in detection order (image/builtins.cpp).
Status register_builtin_sources(SourceRegistry& registry);

// Opens `ref`. "kind:rest" selects a source explicitly; otherwise the first source whose detect()
// accepts the ref opens it. kNotFound with the list of tried sources when nothing matches.
Result<std::unique_ptr<ImageSource>> open_image(const SourceRegistry& registry,
                                                const std::string& ref,
                                                const SourceOptions& opts);

}  // namespace hivesec::image
