// OCI image resolution shared by the OCI directory, oci-archive and registry sources:
// index -> (platform selection) -> manifest -> config -> layers, with every blob's digest
// verified. Docker schema2 manifests and manifest lists are accepted as well.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "image/blob_store.h"
#include "image/image.h"
#include "image/source.h"

namespace hivesec::image {

// Bounds for metadata blobs (hostile images).
inline constexpr size_t kMaxManifestBytes = 4 << 20;
inline constexpr size_t kMaxConfigBytes = 8 << 20;
inline constexpr size_t kMaxLayers = 1000;

// Resolves the manifest or index `top_json` (already fetched and verified; `top_digest` is its
// digest, may be "" for an OCI layout's index.json) into image metadata. For an index/manifest
// list, the entry matching `platform` is chosen (default: linux/amd64, then the only entry);
// nested manifests are fetched with store.read_blob (registries fetch them from /manifests/).
// Fills meta.layers (digest, size, media type, diff_id), config, history, platform,
// manifest_digest and image_id. kNotFound when no entry matches the platform (the message
// lists the available ones), kCorrupt on malformed JSON or digest mismatch, kUnsupported for
// unknown media types (e.g. schema1).
Result<ImageMeta> resolve_oci_image(const BlobStore& store, const std::string& top_json,
                                    const std::string& top_digest,
                                    const std::optional<Platform>& platform);

// An ImageSource over a blob store: layer i is store.open_blob(meta.layers[i].digest, size).
std::unique_ptr<ImageSource> make_blob_store_source(std::shared_ptr<const BlobStore> store,
                                                    ImageMeta meta);

}  // namespace hivesec::image
