// var/lib/rpm/Packages: a Berkeley DB hash database (rpm < 4.16). Instead of following the
// hash buckets, every page is visited once: hash pages hold key/value item pairs, and a value
// too large for its page is an "off-page" item pointing to a chain of overflow pages.
// Layouts follow Berkeley DB's dbinc/db_page.h; both byte orders are accepted.
#include <cstring>
#include <string>

#include "analyze/rpm_db.h"

namespace hivesec::analyze::rpm {
namespace {

constexpr uint32_t kHashMagic = 0x00061561;
constexpr uint8_t kPageHashUnsorted = 2;
constexpr uint8_t kPageOverflow = 7;
constexpr uint8_t kPageHashMeta = 8;
constexpr uint8_t kPageHash = 13;
constexpr uint8_t kItemKeyData = 1;
constexpr uint8_t kItemOffPage = 3;
constexpr size_t kPageHeader = 26;  // lsn 8, pgno 4, prev 4, next 4, entries 2, hf_offset 2,
                                    // level 1, type 1
constexpr uint32_t kMaxValue = 256u << 20;

class Reader {
 public:
  Reader(std::string_view file, bool swap) : file_(file), swap_(swap) {}

  uint32_t u32(size_t off) const {
    uint32_t v;
    std::memcpy(&v, file_.data() + off, 4);
    return swap_ ? __builtin_bswap32(v) : v;
  }
  uint16_t u16(size_t off) const {
    uint16_t v;
    std::memcpy(&v, file_.data() + off, 2);
    return swap_ ? __builtin_bswap16(v) : v;
  }
  uint8_t u8(size_t off) const { return static_cast<uint8_t>(file_[off]); }

 private:
  std::string_view file_;
  bool swap_;
};

}  // namespace

Status read_bdb(std::string_view file, const BlobFn& blob, size_t& skipped) {
  if (file.size() < 512) return make_error(Errc::kCorrupt, "bdb: file too small");
  uint32_t magic;
  std::memcpy(&magic, file.data() + 12, 4);
  bool swap = false;
  if (magic == kHashMagic) {
    swap = false;
  } else if (__builtin_bswap32(magic) == kHashMagic) {
    swap = true;
  } else if (magic == 0x00053162 || __builtin_bswap32(magic) == 0x00053162) {
    return make_error(Errc::kUnsupported, "bdb: btree databases are not supported");
  } else {
    return make_error(Errc::kCorrupt, "bdb: not a Berkeley DB hash database");
  }
  Reader r(file, swap);
  uint32_t page_size = r.u32(20);
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0) {
    return make_error(Errc::kCorrupt, "bdb: bad page size {}", page_size);
  }
  if (r.u8(24) != 0) return make_error(Errc::kUnsupported, "bdb: encrypted database");
  if (r.u8(25) != kPageHashMeta) return make_error(Errc::kCorrupt, "bdb: page 0 is not hash meta");
  size_t npages = file.size() / page_size;

  std::string value;
  for (size_t pg = 1; pg < npages; ++pg) {
    size_t base = pg * page_size;
    uint8_t type = r.u8(base + 25);
    if (type != kPageHash && type != kPageHashUnsorted) continue;
    uint16_t entries = r.u16(base + 20);
    if (size_t{entries} * 2 > page_size - kPageHeader) {
      ++skipped;
      continue;
    }
    // Items alternate key, value; a value is at an odd index.
    for (uint16_t i = 1; i < entries; i += 2) {
      uint16_t off = r.u16(base + kPageHeader + size_t{i} * 2);
      uint16_t prev = r.u16(base + kPageHeader + (size_t{i} - 1) * 2);
      if (off >= page_size || off < kPageHeader || prev > page_size || prev <= off) {
        ++skipped;
        continue;
      }
      uint8_t item = r.u8(base + off);
      if (item == kItemKeyData) {
        blob(file.substr(base + off + 1, prev - off - 1));
        continue;
      }
      if (item != kItemOffPage || off + 12u > page_size) {
        ++skipped;  // duplicates are not used by rpm
        continue;
      }
      uint32_t next = r.u32(base + off + 4);
      uint32_t total = r.u32(base + off + 8);
      if (total > kMaxValue || total > file.size()) {
        ++skipped;
        continue;
      }
      value.clear();
      size_t hops = 0;
      bool bad = false;
      while (value.size() < total) {
        if (next == 0 || next >= npages || ++hops > npages) {
          bad = true;
          break;
        }
        size_t ob = size_t{next} * page_size;
        if (r.u8(ob + 25) != kPageOverflow) {
          bad = true;
          break;
        }
        uint16_t len = r.u16(ob + 22);  // bytes used on an overflow page
        if (len > page_size - kPageHeader) {
          bad = true;
          break;
        }
        size_t take = std::min<size_t>(len, total - value.size());
        value.append(file.substr(ob + kPageHeader, take));
        next = r.u32(ob + 16);
      }
      if (bad) {
        ++skipped;
        continue;
      }
      blob(value);
    }
  }
  return ok_status();
}

}  // namespace hivesec::analyze::rpm
