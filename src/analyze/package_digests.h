// What a layer's own package database says the content of each installed file is, so the malware
// scanner can leave out files that are byte for byte what the distribution shipped:
//   var/lib/dpkg/info/<pkg>[:arch].md5sums, var/lib/dpkg/status.d/<pkg>.md5sums  (dpkg: md5)
//   lib/apk/db/installed                                    (apk: "Z:Q1" + base64 of the sha1)
//   var/lib/rpm/{rpmdb.sqlite,Packages,Packages.db}, usr/lib/sysimage/rpm/...  (rpm: the
//   header's file digests, md5 or sha-2 as FILEDIGESTALGO says)
// A file counts as verified only when its own path (or its merged-/usr twin: a package that
// lists "bin/ls" verifies "usr/bin/ls" and the other way round) has a recorded digest equal to
// the digest of its content. Packages on the always-scan list never verify a file.
//
// Not thread-safe: one per layer, used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace hivesec::analyze {

class PackageDigests {
 public:
  enum class Algo : uint8_t { kMd5, kSha1, kSha224, kSha256, kSha384, kSha512 };
  enum class Verdict {
    kNoEntry,     // no package database of this layer records the path
    kVerified,    // the content has a recorded digest
    kModified,    // the path has recorded digests and the content matches none
    kAlwaysScan,  // the path belongs to a package on the always-scan list
  };

  // Per layer; later entries are ignored (their files are scanned). About 150 bytes each: a
  // hostile database costs at most ~75 MB.
  static constexpr size_t kMaxEntries = 500'000;

  // `always_scan`: package names whose files never count as verified (may be null).
  explicit PackageDigests(const std::set<std::string, std::less<>>* always_scan)
      : always_scan_(always_scan) {}

  // Whether `path` is a package database file that add() reads.
  static bool is_database(std::string_view path);

  // Reads one database file (as named by is_database). Errors (kCorrupt, kLimit) concern only
  // this file; what was read before the problem is kept.
  Status add(std::string_view path, std::string_view content);

  // Compares `content` with what the databases read so far record for `path`.
  Verdict check(std::string_view path, std::string_view content) const;
  // The same, with the content's digests from `digest_of(algo)` (called at most once per
  // algorithm, only when the path has entries): lets a caller that already has the md5 skip
  // reading the content again.
  Verdict check(std::string_view path, const std::function<std::string(Algo)>& digest_of) const;
  // The raw digest of `data`; "" when OpenSSL lacks the algorithm (then nothing verifies).
  static std::string digest(Algo algo, std::string_view data);
  // Whether some database read so far records `path` (or its merged-/usr twin).
  bool has_entry(std::string_view path) const;
  // True once a database that lists every package of the layer at once (apk's installed file,
  // an rpmdb) has been read: no later file can add entries for other paths.
  bool complete() const { return complete_; }
  size_t size() const { return entries_; }
  // The kinds of databases read ("dpkg md5sums", "apk", "rpm"), comma-separated.
  std::string sources() const;

 private:
  struct Entry {
    Algo algo;
    uint32_t package;    // index into packages_
    std::string digest;  // raw bytes
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  uint32_t package_index(std::string_view name);
  void add_entry(std::string_view raw_path, Algo algo, std::string digest, uint32_t package);
  const std::vector<Entry>* find(std::string_view path) const;
  Status add_md5sums(std::string_view path, std::string_view content);
  Status add_apk(std::string_view content);
  Status add_rpm(std::string_view path, std::string_view content);

  const std::set<std::string, std::less<>>* always_scan_;
  std::unordered_map<std::string, std::vector<Entry>, Hash, std::equal_to<>> by_path_;
  std::vector<std::string> packages_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> package_ids_;
  size_t entries_ = 0;
  bool dropped_ = false;        // kMaxEntries reached
  bool dropped_noted_ = false;  // and add() said so once
  bool complete_ = false;
  std::set<std::string> sources_;
};

}  // namespace hivesec::analyze
