// Private: opening an image from an OCI image layout's index.json over any blob store (shared by
// the OCI directory and oci-archive sources).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "image/blob_store.h"
#include "image/source.h"

namespace hivesec::image::detail {

// `tag` selects index entries by their org.opencontainers.image.ref.name annotation (or the
// tag part of io.containerd.image.name); "" accepts every entry but fails with
// kInvalidArgument when the layout holds several differently named images. Platform selection
// then happens in resolve_oci_image. kNotFound lists the available tags.
Result<std::unique_ptr<ImageSource>> open_oci_layout(
    std::shared_ptr<const BlobStore> store, const std::string& index_json, const std::string& name,
    const std::string& source, const std::string& tag, const std::optional<Platform>& platform);

// Checks the oci-layout marker file content ({"imageLayoutVersion": "1.x"}).
Status check_oci_layout_marker(const std::string& content);

}  // namespace hivesec::image::detail
