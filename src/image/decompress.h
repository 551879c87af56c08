// Streaming decompression of layer blobs (gzip, zstd or uncompressed, detected by magic bytes),
// with the sha256 of the *uncompressed* bytes checked against the layer's diffID.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "image/stream.h"

namespace hivesec::image {

enum class Compression { kNone, kGzip, kZstd };
const char* compression_name(Compression c);

struct DecompressOptions {
  // "sha256:<hex>" of the uncompressed stream; "" skips the check.
  std::string expected_diff_id;
  // Hard cap on uncompressed bytes (decompression bombs); kLimit beyond it.
  int64_t max_output_bytes = 64ll << 30;
  // Name of the blob in error messages.
  std::string what = "layer";
};

// Wraps `raw`. Reading returns uncompressed bytes; at the end of the stream the diffID is
// checked (kCorrupt on mismatch). Truncated or corrupt compressed data is kCorrupt.
// Multi-member gzip streams are supported. Not thread-safe.
std::unique_ptr<ByteStream> decompressing_stream(std::unique_ptr<ByteStream> raw,
                                                 DecompressOptions options);

}  // namespace hivesec::image
