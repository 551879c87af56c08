// The OCI image layout directory source (kind "oci"): oci-layout + index.json +
// blobs/<alg>/<hex>. Ref "dir" or "dir:name" (an org.opencontainers.image.ref.name).
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "image/blob_store.h"
#include "image/source.h"

namespace hivesec::image {

// Blobs under <root>/blobs/<alg>/<hex>. Digests are validated before any path is built and
// every component is opened with O_NOFOLLOW (symlinks in the layout are refused). Thread-safe.
// kNotFound for a missing blob, kCorrupt on digest/size mismatch or an invalid digest.
std::shared_ptr<const BlobStore> make_dir_blob_store(std::string root);

SourceKind oci_dir_source_kind();

}  // namespace hivesec::image
