// Private: an index of an uncompressed outer tar archive (docker-archive, oci-archive), built by
// parsing the 512-byte headers directly (ustar, v7, GNU 'L'/'K' long names, pax 'x'/'g' with
// path/linkpath/size, base-256 sizes). Entry data is then read in place with pread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "image/stream.h"

namespace hivesec::image::detail {

inline constexpr size_t kMaxTarEntries = 200000;
inline constexpr size_t kMaxTarNameLength = 4096;
inline constexpr int64_t kMaxPaxHeaderBytes = 1 << 20;

struct TarEntry {
  int64_t offset = 0;  // of the data in the archive
  int64_t size = 0;
};

// Random access to the archive bytes. `read_at` must fill exactly `n` bytes or fail.
struct TarReader {
  int64_t size = 0;
  std::function<Status(int64_t offset, char* buf, size_t n)> read_at;
};

// Walks the headers, calling `visit(name, entry)` for every regular file (and for hard links to
// an earlier regular file, with that file's region). Names are normalized
// (normalize_entry_path). `visit` returns false to stop early. kCorrupt on a malformed or
// truncated archive (including names escaping the root), kLimit beyond kMaxTarEntries,
// kUnsupported for a compressed archive (gzip/zstd/xz/bzip2 magic at offset 0).
Status walk_tar(const TarReader& reader,
                const std::function<bool(const std::string&, const TarEntry&)>& visit);

// name -> region for every regular file (the last entry wins for duplicate names).
Result<std::map<std::string, TarEntry>> index_tar(const TarReader& reader);

// A TarReader over an in-memory buffer (tests, fuzzing). `data` must outlive the reader.
TarReader buffer_tar_reader(std::string_view data);

// An open tar file with its index. Thread-safe after open(); streams keep the file alive.
class TarFile : public std::enable_shared_from_this<TarFile> {
 public:
  // kNotFound / kIo when the file cannot be opened, else as index_tar.
  static Result<std::shared_ptr<TarFile>> open(const std::string& path);
  ~TarFile();
  TarFile(const TarFile&) = delete;
  TarFile& operator=(const TarFile&) = delete;

  const std::string& path() const { return path_; }
  const std::map<std::string, TarEntry>& entries() const { return entries_; }
  const TarEntry* find(std::string_view name) const;
  // Reads a whole entry; kLimit above max_bytes.
  Result<std::string> read(const TarEntry& e, size_t max_bytes) const;
  std::unique_ptr<ByteStream> open_stream(const TarEntry& e) const;

 private:
  TarFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_;
  std::map<std::string, TarEntry> entries_;
};

// Cheap detection: for each of `names`, whether `path` is a regular file holding an uncompressed
// tar with an entry of that (normalized) name. Reads headers only; any failure means "no".
std::vector<bool> tar_file_has_entries(const std::string& path,
                                       const std::vector<std::string_view>& names);

}  // namespace hivesec::image::detail
