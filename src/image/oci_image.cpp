#include "image/oci_image.h"

#include <nlohmann/json.hpp>

#include "common/hash.h"
#include "image/json_util.h"

namespace hivesec::image {

using nlohmann::json;

namespace {

constexpr int kMaxIndexDepth = 4;
constexpr size_t kMaxIndexEntries = 10000;

constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
constexpr std::string_view kDockerList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
constexpr std::string_view kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";

enum class Kind { kIndex, kManifest };

Result<Kind> classify(const json& j, std::string_view declared) {
  std::string mt = detail::opt_string(j, "mediaType");
  if (mt.empty()) mt = std::string(declared);
  if (mt == kOciIndex || mt == kDockerList) return Kind::kIndex;
  if (mt == kOciManifest || mt == kDockerManifest) return Kind::kManifest;
  if (mt.find("manifest.v1") != std::string::npos ||
      (j.contains("schemaVersion") && j["schemaVersion"] == 1)) {
    return make_error(Errc::kUnsupported, "Docker schema1 manifests are not supported");
  }
  if (mt.empty()) {
    if (j.contains("manifests")) return Kind::kIndex;
    if (j.contains("config") && j.contains("layers")) return Kind::kManifest;
    return make_error(Errc::kCorrupt, "manifest without a media type");
  }
  return make_error(Errc::kUnsupported, "unsupported manifest media type '{}'", mt);
}

struct Descriptor {
  std::string media_type;
  std::string digest;
  int64_t size = -1;
  Platform platform;
  bool has_platform = false;
};

Result<Descriptor> parse_descriptor(const json& d, std::string_view what) {
  if (!d.is_object()) return make_error(Errc::kCorrupt, "{}: descriptor is not an object", what);
  Descriptor out;
  out.media_type = detail::opt_string(d, "mediaType");
  out.digest = detail::opt_string(d, "digest");
  if (auto st = validate_digest(out.digest); !st.ok()) return st.error().wrap(what);
  if (auto it = d.find("size"); it != d.end() && !it->is_null()) {
    out.size = it->get<int64_t>();
    if (out.size < 0) return make_error(Errc::kCorrupt, "{}: negative size", what);
  }
  if (auto it = d.find("platform"); it != d.end() && it->is_object()) {
    out.has_platform = true;
    out.platform.os = detail::opt_string(*it, "os");
    out.platform.architecture = detail::opt_string(*it, "architecture");
    out.platform.variant = detail::opt_string(*it, "variant");
  }
  return out;
}

bool is_attestation(const json& d, const Descriptor& desc) {
  if (desc.has_platform && desc.platform.os == "unknown" &&
      desc.platform.architecture == "unknown") {
    return true;
  }
  if (auto a = d.find("annotations"); a != d.end() && a->is_object()) {
    auto t = a->find("vnd.docker.reference.type");
    if (t != a->end() && t->is_string() && *t == "attestation-manifest") return true;
  }
  return false;
}

std::string normalized_variant(const Platform& p) {
  if (p.architecture == "arm64" && p.variant.empty()) return "v8";
  return p.variant;
}

bool platform_matches(const Platform& want, const Platform& have) {
  if (want.os != have.os || want.architecture != have.architecture) return false;
  if (want.variant.empty()) return true;
  return normalized_variant(want) == normalized_variant(have);
}

Status check_size(const std::string& data, const Descriptor& d) {
  if (d.size >= 0 && static_cast<int64_t>(data.size()) != d.size) {
    return make_error(Errc::kCorrupt, "blob {}: size mismatch (got {} bytes, want {})", d.digest,
                      data.size(), d.size);
  }
  return ok_status();
}

Result<ImageMeta> resolve_manifest(const BlobStore& store, const json& m,
                                   const std::string& manifest_digest,
                                   const std::optional<Platform>& platform) {
  ImageMeta meta;
  meta.manifest_digest = manifest_digest;
  Descriptor config;
  try {
    auto cfg = m.find("config");
    if (cfg == m.end()) return make_error(Errc::kCorrupt, "manifest without config");
    HIVESEC_TRY(config, parse_descriptor(*cfg, "manifest config"));
    if (!config.media_type.empty() && config.media_type != kOciConfig &&
        config.media_type != kDockerConfig) {
      return make_error(Errc::kUnsupported, "not a container image (config media type '{}')",
                        config.media_type);
    }
    auto layers = m.find("layers");
    if (layers == m.end() || !layers->is_array()) {
      return make_error(Errc::kCorrupt, "manifest without a layer list");
    }
    if (layers->size() > kMaxLayers) {
      return make_error(Errc::kLimit, "manifest lists more than {} layers", kMaxLayers);
    }
    for (const json& l : *layers) {
      HIVESEC_TRY(Descriptor d, parse_descriptor(l, "manifest layer"));
      if (!d.media_type.empty() && d.media_type.find("tar") == std::string::npos) {
        return make_error(Errc::kUnsupported, "unsupported layer media type '{}'", d.media_type);
      }
      meta.layers.push_back(LayerInfo{d.digest, "", d.size, d.media_type});
    }
  } catch (const json::exception& e) {
    return make_error(Errc::kCorrupt, "manifest: {}", e.what());
  }
  HIVESEC_TRY(std::string config_json, store.read_blob(config.digest, kMaxConfigBytes));
  HIVESEC_TRY_STATUS(check_size(config_json, config));
  meta.image_id = config.digest;
  size_t manifest_layers = meta.layers.size();
  HIVESEC_TRY_STATUS(parse_image_config(config_json, meta));
  if (meta.layers.size() != manifest_layers) {
    return make_error(Errc::kCorrupt,
                      "image config lists {} diff_ids but the manifest has {} layers",
                      meta.layers.size(), manifest_layers);
  }
  if (platform && !platform_matches(*platform, meta.platform)) {
    return make_error(Errc::kNotFound, "image is for {}, not {} (available: {})",
                      meta.platform.str(), platform->str(), meta.platform.str());
  }
  return meta;
}

Result<ImageMeta> resolve(const BlobStore& store, const std::string& text,
                          const std::string& digest, std::string_view declared_type,
                          const std::optional<Platform>& platform, int depth) {
  if (depth > kMaxIndexDepth) {
    return make_error(Errc::kLimit, "image indexes nested deeper than {}", kMaxIndexDepth);
  }
  HIVESEC_TRY(json j, detail::parse_json(text, "manifest"));
  if (!j.is_object()) return make_error(Errc::kCorrupt, "manifest: not a JSON object");
  HIVESEC_TRY(Kind kind, classify(j, declared_type));
  if (kind == Kind::kManifest) return resolve_manifest(store, j, digest, platform);

  std::vector<std::pair<Descriptor, const json*>> candidates;
  try {
    auto list = j.find("manifests");
    if (list == j.end() || !list->is_array()) {
      return make_error(Errc::kCorrupt, "index without a manifest list");
    }
    if (list->size() > kMaxIndexEntries) {
      return make_error(Errc::kLimit, "index lists more than {} manifests", kMaxIndexEntries);
    }
    for (const json& d : *list) {
      HIVESEC_TRY(Descriptor desc, parse_descriptor(d, "index entry"));
      if (is_attestation(d, desc)) continue;
      candidates.emplace_back(std::move(desc), &d);
    }
  } catch (const json::exception& e) {
    return make_error(Errc::kCorrupt, "index: {}", e.what());
  }
  if (candidates.empty()) return make_error(Errc::kNotFound, "index lists no image manifests");

  const Descriptor* chosen = nullptr;
  Platform want = platform.value_or(Platform{"linux", "amd64", ""});
  for (const auto& [desc, raw] : candidates) {
    if (desc.has_platform && platform_matches(want, desc.platform)) {
      chosen = &desc;
      break;
    }
  }
  if (chosen == nullptr && candidates.size() == 1 &&
      (!platform || !candidates[0].first.has_platform)) {
    chosen = &candidates[0].first;
  }
  if (chosen == nullptr) {
    std::string available;
    for (const auto& [desc, raw] : candidates) {
      if (!available.empty()) available += ", ";
      available += desc.has_platform ? desc.platform.str() : desc.digest;
    }
    return make_error(Errc::kNotFound, "no image for platform {} (available: {})", want.str(),
                      available);
  }
  HIVESEC_TRY(std::string nested, store.read_blob(chosen->digest, kMaxManifestBytes));
  HIVESEC_TRY_STATUS(check_size(nested, *chosen));
  return resolve(store, nested, chosen->digest, chosen->media_type, platform, depth + 1);
}

class BlobStoreSource : public ImageSource {
 public:
  BlobStoreSource(std::shared_ptr<const BlobStore> store, ImageMeta meta)
      : store_(std::move(store)), meta_(std::move(meta)) {}
  const ImageMeta& meta() const override { return meta_; }
  Result<std::unique_ptr<ByteStream>> open_layer(size_t index) const override {
    if (index >= meta_.layers.size()) {
      return make_error(Errc::kInvalidArgument, "layer index {} out of range ({} layers)", index,
                        meta_.layers.size());
    }
    const LayerInfo& l = meta_.layers[index];
    return store_->open_blob(l.digest, l.size);
  }

 private:
  std::shared_ptr<const BlobStore> store_;
  ImageMeta meta_;
};

}  // namespace

Result<ImageMeta> resolve_oci_image(const BlobStore& store, const std::string& top_json,
                                    const std::string& top_digest,
                                    const std::optional<Platform>& platform) {
  return resolve(store, top_json, top_digest, "", platform, 0);
}

std::unique_ptr<ImageSource> make_blob_store_source(std::shared_ptr<const BlobStore> store,
                                                    ImageMeta meta) {
  return std::make_unique<BlobStoreSource>(std::move(store), std::move(meta));
}

}  // namespace hivesec::image
