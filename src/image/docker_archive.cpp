#include "image/docker_archive.h"

#include <nlohmann/json.hpp>

#include "common/hash.h"
#include "common/paths.h"
#include "image/json_util.h"
#include "image/local_ref.h"
#include "image/oci_image.h"
#include "image/tar_index.h"

namespace hivesec::image {

using detail::TarEntry;
using detail::TarFile;
using nlohmann::json;

namespace {

constexpr size_t kMaxManifestImages = 10000;

struct ArchiveLayer {
  TarEntry entry;
  std::string verify_digest;  // what the stored bytes must hash to
};

class DockerArchiveSource : public ImageSource {
 public:
  DockerArchiveSource(std::shared_ptr<TarFile> tar, ImageMeta meta,
                      std::vector<ArchiveLayer> layers)
      : tar_(std::move(tar)), meta_(std::move(meta)), layers_(std::move(layers)) {}

  const ImageMeta& meta() const override { return meta_; }

  Result<std::unique_ptr<ByteStream>> open_layer(size_t index) const override {
    if (index >= layers_.size()) {
      return make_error(Errc::kInvalidArgument, "layer index {} out of range ({} layers)", index,
                        layers_.size());
    }
    const ArchiveLayer& l = layers_[index];
    // A compressed layer without a digest in its name is checked against its diffID while it
    // is decompressed and walked (scan/tar_layer), the only place its content is trusted.
    if (l.verify_digest.empty()) {
      return tar_->open_stream(l.entry);
    }
    return verifying_stream(tar_->open_stream(l.entry), l.verify_digest, l.entry.size,
                            "layer " + l.verify_digest);
  }

 private:
  std::shared_ptr<TarFile> tar_;
  ImageMeta meta_;
  std::vector<ArchiveLayer> layers_;
};

// "blobs/sha256/<hex>", "<hex>.json", "<hex>.tar", "<hex>/layer.tar" -> "sha256:<hex>" when
// the name carries a valid digest, else "".
std::string digest_from_name(const std::string& name) {
  std::string_view n = name;
  std::string candidate;
  if (n.starts_with("blobs/")) {
    n.remove_prefix(6);
    size_t slash = n.find('/');
    if (slash == std::string_view::npos) return "";
    candidate = std::string(n.substr(0, slash)) + ":" + std::string(n.substr(slash + 1));
  } else {
    std::string_view base = base_name(n);
    for (std::string_view ext : {".json", ".tar", ".tar.gz", ".tar.zst"}) {
      if (base.ends_with(ext)) {
        candidate = "sha256:" + std::string(base.substr(0, base.size() - ext.size()));
        break;
      }
    }
  }
  return validate_digest(candidate).ok() ? candidate : "";
}

std::string_view strip_registry(std::string_view tag) {
  for (std::string_view p : {"docker.io/library/", "docker.io/", "localhost/"}) {
    if (tag.starts_with(p)) return tag.substr(p.size());
  }
  return tag;
}

bool tag_matches(std::string_view tag, const std::string& selector) {
  std::string want = selector;
  // No tag after the last path component: ":latest".
  size_t slash = want.rfind('/');
  if (want.find(':', slash == std::string::npos ? 0 : slash) == std::string::npos) {
    want += ":latest";
  }
  return tag == want || strip_registry(tag) == strip_registry(want);
}

Result<const TarEntry*> find_entry(const TarFile& tar, const std::string& raw, const char* what) {
  auto norm = normalize_entry_path(raw);
  if (!norm.ok()) return std::move(norm).error().wrap(what);
  const TarEntry* e = tar.find(*norm);
  if (e == nullptr) {
    return make_error(Errc::kNotFound, "{} '{}' is not in the archive", what, raw);
  }
  return e;
}

Result<std::unique_ptr<ImageSource>> open_impl(const std::string& path,
                                               const std::string& selector) {
  HIVESEC_TRY(std::shared_ptr<TarFile> tar, TarFile::open(path));
  const TarEntry* manifest_entry = tar->find("manifest.json");
  if (manifest_entry == nullptr) {
    return make_error(Errc::kNotFound, "no manifest.json (not a docker-archive)");
  }
  HIVESEC_TRY(std::string manifest_text, tar->read(*manifest_entry, kMaxManifestBytes));
  HIVESEC_TRY(json manifest, detail::parse_json(manifest_text, "manifest.json"));
  if (!manifest.is_array() || manifest.empty()) {
    return make_error(Errc::kCorrupt, "manifest.json: expected a non-empty list of images");
  }
  if (manifest.size() > kMaxManifestImages) {
    return make_error(Errc::kLimit, "manifest.json lists more than {} images", kMaxManifestImages);
  }

  ImageMeta meta;
  meta.name = selector.empty() ? path : path + ":" + selector;
  meta.source = "docker-archive";
  std::string config_name;
  std::vector<std::string> layer_names;
  try {
    const json* chosen = nullptr;
    std::string available;
    for (const json& img : manifest) {
      if (!img.is_object()) return make_error(Errc::kCorrupt, "manifest.json: bad image entry");
      auto tags = detail::opt_string_list(img, "RepoTags");
      if (selector.empty()) {
        chosen = &img;
        break;
      }
      for (const auto& t : tags) {
        if (tag_matches(t, selector)) chosen = &img;
        if (!available.empty()) available += ", ";
        available += t;
      }
      if (chosen) break;
    }
    if (chosen == nullptr) {
      return make_error(Errc::kNotFound, "no image tagged '{}' in the archive (available: {})",
                        selector, available.empty() ? "none" : available);
    }
    meta.repo_tags = detail::opt_string_list(*chosen, "RepoTags");
    config_name = detail::opt_string(*chosen, "Config");
    layer_names = detail::opt_string_list(*chosen, "Layers");
  } catch (const json::exception& e) {
    return make_error(Errc::kCorrupt, "manifest.json: {}", e.what());
  }
  if (config_name.empty()) return make_error(Errc::kCorrupt, "manifest.json: image without Config");
  if (layer_names.size() > kMaxLayers) {
    return make_error(Errc::kLimit, "image has more than {} layers", kMaxLayers);
  }

  HIVESEC_TRY(const TarEntry* config_entry, find_entry(*tar, config_name, "config"));
  HIVESEC_TRY(std::string config, tar->read(*config_entry, kMaxConfigBytes));
  meta.image_id = sha256_digest(config);
  if (std::string named = digest_from_name(config_name);
      !named.empty() && named.starts_with("sha256:") && named != meta.image_id) {
    return make_error(Errc::kCorrupt, "config {}: digest mismatch (got {})", named, meta.image_id);
  }
  meta.layers.resize(layer_names.size());
  HIVESEC_TRY_STATUS(parse_image_config(config, meta));

  std::vector<ArchiveLayer> layers;
  for (size_t i = 0; i < layer_names.size(); ++i) {
    HIVESEC_TRY(const TarEntry* e, find_entry(*tar, layer_names[i], "layer"));
    size_t n = e->size < 8 ? static_cast<size_t>(e->size) : 8;
    auto s = tar->open_stream(TarEntry{e->offset, static_cast<int64_t>(n)});
    HIVESEC_TRY(std::string first, read_all(*s, n));
    std::string_view compression = detail::sniff_compression(first);
    LayerInfo& info = meta.layers[i];
    info.size = e->size;
    ArchiveLayer al{*e, info.diff_id};
    if (compression.empty()) {
      info.digest = info.diff_id;
      info.media_type = "application/vnd.docker.image.rootfs.diff.tar";
    } else {
      // A compressed layer named by its digest is verified as stored; one without (older
      // `docker save | ...` rewrites) is still verified after decompression against its diffID
      // by the layer walker, so nothing unverified is ever trusted or cached.
      std::string named = digest_from_name(layer_names[i]);
      al.verify_digest = named.starts_with("sha256:") ? named : "";
      info.digest = al.verify_digest;
      info.media_type = compression == "gzip" ? "application/vnd.docker.image.rootfs.diff.tar.gzip"
                        : compression == "zstd" ? "application/vnd.oci.image.layer.v1.tar+zstd"
                                                : "application/x-" + std::string(compression);
    }
    layers.push_back(std::move(al));
  }
  return std::unique_ptr<ImageSource>(
      std::make_unique<DockerArchiveSource>(std::move(tar), std::move(meta), std::move(layers)));
}

}  // namespace

Result<std::unique_ptr<ImageSource>> open_docker_archive(const std::string& path,
                                                         const std::string& selector) {
  auto r = open_impl(path, selector);
  if (!r.ok()) {
    const Error& e = r.error();
    if (e.message.starts_with(path)) return std::move(r).error();
    return std::move(r).error().wrap("docker-archive " + path);
  }
  return r;
}

SourceKind docker_archive_source_kind() {
  SourceKind k;
  k.name = "docker-archive";
  k.detect = [](const std::string& ref) -> bool {
    auto lr = detail::split_local_ref(ref, detail::LocalKind::kFile);
    auto found = detail::tar_file_has_entries(lr.path, {"manifest.json", "oci-layout"});
    return found[0] && !found[1];
  };
  k.open = [](const std::string& ref, const SourceOptions&) {
    auto lr = detail::split_local_ref(ref, detail::LocalKind::kFile);
    return open_docker_archive(lr.path, lr.selector);
  };
  return k;
}

}  // namespace hivesec::image
