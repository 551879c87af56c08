// Private: reading OSV records out of a zip (the bucket's `<Ecosystem>/all.zip`) in place,
// never extracted, with bounds on entries, record size and total uncompressed bytes.
//
// Thread-safety: the functions are reentrant; callbacks run on the calling thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hivesec::vulndb::detail {

// Called with an entry's name (e.g. "GHSA-xxxx.json") and its text. An error aborts the read.
using ZipRecordFn = std::function<Status(const std::string& entry, std::string_view text)>;
// Called for an entry that is not passed on: its name and a one-line reason.
using ZipSkipFn = std::function<void(const std::string& entry, std::string reason)>;

enum class ZipMode {
  kLenient,  // an entry whose data cannot be read (bad CRC, broken deflate) is skipped
  kStrict,   // such an entry is a kCorrupt error (a download that is not byte-exact)
};

// Reads every regular `*.json` entry of the zip at `path`; other entries are ignored. Entries
// larger than kMaxRecordBytes are skipped. Errors (messages start with `label`): kCorrupt when
// the file is not a readable zip or a header is broken, kLimit beyond 2,000,000 entries or
// 8 GiB uncompressed, and whatever `on_record` returns.
Status read_zip_records(const std::string& path, std::string_view label, ZipMode mode,
                        const ZipRecordFn& on_record, const ZipSkipFn& on_skip);

// Checks that the file at `path` is one complete zip: it ends with an end-of-central-directory
// record (so a truncated download is caught even when its local entries still parse) and every
// entry decompresses with a matching CRC. Reads the file once, keeps at most one record in
// memory. kCorrupt (or kLimit, kIo) naming `label` otherwise.
Status verify_zip(const std::string& path, std::string_view label);

}  // namespace hivesec::vulndb::detail
