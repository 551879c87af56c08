// var/lib/rpm/Packages.db: rpm's own "ndb" package database (SUSE). Little-endian. A 16-byte
// file header ("RpmP", version, generation, slot page count) shares the first slot page with
// 16-byte slots ("Slot", package index, block offset, block count); each package blob lives at
// block offset * 16 behind a 16-byte blob header ("BlbS", package index, generation, length).
#include <cstring>

#include "analyze/rpm_db.h"

namespace hivesec::analyze::rpm {
namespace {

constexpr uint32_t kFileMagic = 'R' | 'p' << 8 | 'm' << 16 | 'P' << 24;
constexpr uint32_t kSlotMagic = 'S' | 'l' << 8 | 'o' << 16 | 't' << 24;
constexpr uint32_t kBlobMagic = 'B' | 'l' << 8 | 'b' << 16 | 'S' << 24;
constexpr size_t kSlotPage = 4096;
constexpr size_t kSlotSize = 16;
constexpr size_t kBlockSize = 16;
constexpr size_t kBlobHeader = 16;
constexpr uint32_t kMaxSlotPages = 4096;

uint32_t le32(std::string_view s, size_t off) {
  auto u = reinterpret_cast<const unsigned char*>(s.data() + off);
  return uint32_t{u[0]} | uint32_t{u[1]} << 8 | uint32_t{u[2]} << 16 | uint32_t{u[3]} << 24;
}

}  // namespace

Status read_ndb(std::string_view file, const BlobFn& blob, size_t& skipped) {
  if (file.size() < kSlotPage || le32(file, 0) != kFileMagic) {
    return make_error(Errc::kCorrupt, "ndb: not an rpm ndb database");
  }
  if (le32(file, 4) != 0) {
    return make_error(Errc::kUnsupported, "ndb: version {} not supported", le32(file, 4));
  }
  uint32_t slot_pages = le32(file, 12);
  if (slot_pages == 0 || slot_pages > kMaxSlotPages || slot_pages * kSlotPage > file.size()) {
    return make_error(Errc::kCorrupt, "ndb: bad slot page count {}", slot_pages);
  }
  size_t end = size_t{slot_pages} * kSlotPage;
  // The first two slots' room holds the file header.
  for (size_t off = 2 * kSlotSize; off + kSlotSize <= end; off += kSlotSize) {
    if (le32(file, off) != kSlotMagic) {
      if (le32(file, off) != 0) ++skipped;  // an all-zero slot is simply unused
      continue;
    }
    uint32_t pkgidx = le32(file, off + 4);
    if (pkgidx == 0) continue;  // free slot
    uint64_t blkoff = le32(file, off + 8);
    uint64_t blkcnt = le32(file, off + 12);
    uint64_t start = blkoff * kBlockSize;
    uint64_t size = blkcnt * kBlockSize;
    if (start < end || start + size > file.size() || size < kBlobHeader) {
      ++skipped;
      continue;
    }
    if (le32(file, start) != kBlobMagic || le32(file, start + 4) != pkgidx) {
      ++skipped;
      continue;
    }
    uint64_t len = le32(file, start + 12);
    if (len > size - kBlobHeader) {
      ++skipped;
      continue;
    }
    blob(file.substr(start + kBlobHeader, len));
  }
  return ok_status();
}

}  // namespace hivesec::analyze::rpm
