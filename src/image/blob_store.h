// Content-addressed blob access shared by the OCI-shaped sources (OCI directory, oci-archive,
// registry). Manifest/index/config handling lives once in oci_image.h on top of it.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "image/stream.h"

namespace hivesec::image {

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // Reads a small blob (manifest, index, config) fully and verifies its digest.
  virtual Result<std::string> read_blob(const std::string& digest, size_t max_bytes) const = 0;
  // Streams a blob; the digest is verified at the end (see verifying_stream). Thread-safe.
  virtual Result<std::unique_ptr<ByteStream>> open_blob(const std::string& digest,
                                                        int64_t size) const = 0;
};

}  // namespace hivesec::image
