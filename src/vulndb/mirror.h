// Private: where `db update` gets `<Ecosystem>/all.zip` from: an http(s) base URL (the public
// OSV bucket by default) or a local directory in the same layout.
//
// Thread-safety: a Mirror is immutable after creation; fetch() may run on several threads with
// distinct `dest` files.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hivesec::vulndb::detail {

struct FetchLimits {
  uint64_t max_bytes = 2ull << 30;
  long connect_timeout_s = 10;
  long stall_timeout_s = 60;    // abort when the transfer makes no progress this long
  long total_timeout_s = 3600;  // per fetch; 0: none
};

// What identifies one version of a zip. HTTP: the response's ETag and Last-Modified headers
// (replayed as If-None-Match / If-Modified-Since). Directory: an ETag-like token made of the
// file's size, mtime and inode, and its mtime as an HTTP date.
struct Validators {
  std::string etag;
  std::string last_modified;
  bool empty() const { return etag.empty() && last_modified.empty(); }
};

struct FetchOutcome {
  bool not_modified = false;  // `known` still describes the source; `dest` was not written
  Validators validators;      // of the version now known to be current
  uint64_t bytes = 0;         // written to `dest`
};

class Mirror {
 public:
  virtual ~Mirror() = default;
  // The URL or path of `ecosystem`'s zip (also used in messages and stored in fetch_state).
  virtual std::string location(std::string_view ecosystem) const = 0;
  // Writes the zip to `dest` (created or truncated, mode 0600) unless `known` (non-empty) still
  // matches. Bounded by the limits given at creation. Errors are one line naming the location:
  // kNetwork (connection, timeout, truncated transfer, redirect loop, HTTP status other than
  // 200/304), kNotFound (HTTP 404, missing file), kLimit (size), kCorrupt (a body whose length
  // differs from Content-Length), kIo (writing `dest`). On error `dest` may hold a partial file;
  // the caller removes it.
  virtual Result<FetchOutcome> fetch(std::string_view ecosystem, const Validators& known,
                                     const std::string& dest) const = 0;
};

inline constexpr std::string_view kOsvBucketUrl =
    "https://osv-vulnerabilities.storage.googleapis.com";

// `spec`: "" for the public OSV bucket, an http:// or https:// base URL, a file:// URL or a
// directory path. kInvalidArgument for another URL scheme, kNotFound for a missing directory.
Result<std::unique_ptr<Mirror>> make_mirror(std::string_view spec, const FetchLimits& limits);

// OK for a plausible bucket folder name: 1-64 characters from letters, digits, space and
// ". - _ : +", not only dots. kInvalidArgument otherwise.
Status check_ecosystem_name(std::string_view name);

}  // namespace hivesec::vulndb::detail
