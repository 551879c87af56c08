// The rpm header parser and the readers of the three rpmdb formats, used by the rpm analyzer
// and by the malware scanner's package digests (malware/package_digests.h). Every function reads
// only inside the given buffer, bounds every count and size, and never throws. Thread-safe (no
// shared state).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace hivesec::analyze::rpm {

// The facts hivesec keeps from one installed package's header.
struct HeaderInfo {
  std::string name, version, release, arch, sourcerpm, license, vendor;
  std::optional<int64_t> epoch;
  std::vector<std::string> files;  // "usr/bin/bash", normalized, relative to the root
  // With `with_digests`: (normalized path, hex digest as stored) of every file with a recorded
  // content digest (regular files; directories, symlinks and ghosts have none), in digest_algo.
  std::vector<std::pair<std::string, std::string>> file_digests;
  uint32_t digest_algo = 1;  // rpm's PGPHASHALGO: 1 md5 (when absent), 2 sha1, 8 sha256, ...
};

// Parses an rpm header blob as stored in an rpmdb: be32 index count, be32 data length, the
// index entries (16 bytes each) and the data store. kCorrupt on anything out of bounds.
// `with_digests`: also fill file_digests (the rpm analyzer does not need them).
Result<HeaderInfo> parse_header(std::string_view blob, bool with_digests = false);

// Calls `blob` for every package header blob of a database image (the whole file in memory).
// A returned error means the file as a whole could not be read (not a database, unsupported
// variant); per-record problems are counted in `skipped`.
using BlobFn = std::function<void(std::string_view blob)>;
Status read_sqlite(std::string_view file, const BlobFn& blob, size_t& skipped);
Status read_bdb(std::string_view file, const BlobFn& blob, size_t& skipped);
Status read_ndb(std::string_view file, const BlobFn& blob, size_t& skipped);

// "bash-5.1.8-6.el9.src.rpm" -> {"bash", "5.1.8", "6.el9"}; false when it does not parse.
bool split_srpm(std::string_view srpm, std::string& name, std::string& version,
                std::string& release);

}  // namespace hivesec::analyze::rpm
