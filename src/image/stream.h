// Byte streams: the pull interface every layer blob is read through.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/result.h"

namespace hivesec::image {

// A forward-only byte source. Not thread-safe; one reader at a time.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Reads up to `n` bytes into `buf`; returns 0 at the end. Errors are final.
  virtual Result<size_t> read(char* buf, size_t n) = 0;
};

// Reads [offset, offset+length) of an open file with pread (so many streams may share the fd).
// The fd must outlive the stream.
std::unique_ptr<ByteStream> file_region_stream(int fd, int64_t offset, int64_t length);

// Opens a whole file. kNotFound / kIo on failure.
Result<std::unique_ptr<ByteStream>> open_file_stream(const std::string& path);

// A stream over an in-memory string (tests, small blobs).
std::unique_ptr<ByteStream> string_stream(std::string data);

// Wraps `inner`, hashes everything read and, at the end, fails with kCorrupt unless the sha256
// digest equals `expected` ("sha256:<hex>"), and unless the byte count equals `expected_size`
// when it is >= 0. `what` names the blob in the error.
std::unique_ptr<ByteStream> verifying_stream(std::unique_ptr<ByteStream> inner,
                                             std::string expected, int64_t expected_size,
                                             std::string what);

// Reads a whole stream, failing with kLimit beyond `max_bytes`.
Result<std::string> read_all(ByteStream& in, size_t max_bytes);

}  // namespace hivesec::image
