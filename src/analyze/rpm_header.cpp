// rpm header blob parser (rpm's doc/manual/format.md, "Header structure"), without the
// 8-byte header magic that .rpm files carry but rpmdb records do not.
#include <string>
#include <string_view>
#include <vector>

#include "analyze/rpm_db.h"
#include "common/paths.h"

namespace hivesec::analyze::rpm {
namespace {

constexpr uint32_t kMaxIndexEntries = 0xffff;    // rpm's HEADER_TAGS_MAX
constexpr uint32_t kMaxDataLength = 256u << 20;  // rpm's HEADER_DATA_MAX
constexpr size_t kMaxFiles = 1000000;

enum : uint32_t {
  kTypeInt32 = 4,
  kTypeString = 6,
  kTypeStringArray = 8,
  kTypeI18nString = 9,
};

enum : int32_t {
  kTagName = 1000,
  kTagVersion = 1001,
  kTagRelease = 1002,
  kTagEpoch = 1003,
  kTagVendor = 1011,
  kTagLicense = 1014,
  kTagArch = 1022,
  kTagOldFilenames = 1027,
  kTagFileDigests = 1035,
  kTagSourceRpm = 1044,
  kTagDirIndexes = 1116,
  kTagBasenames = 1117,
  kTagDirnames = 1118,
  kTagFileDigestAlgo = 5011,
};

uint32_t be32(const char* p) {
  auto u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3];
}

struct Entry {
  uint32_t type = 0;
  uint32_t offset = 0;
  uint32_t count = 0;
};

class Header {
 public:
  Header(std::string_view data) : data_(data) {}

  // `count` NUL-terminated strings starting at `offset`.
  Result<std::vector<std::string_view>> strings(const Entry& e) const {
    if (e.type != kTypeString && e.type != kTypeStringArray && e.type != kTypeI18nString) {
      return make_error(Errc::kCorrupt, "rpm header: tag has type {}, not a string", e.type);
    }
    uint32_t count = e.type == kTypeString ? 1 : e.count;
    if (count > data_.size()) return make_error(Errc::kCorrupt, "rpm header: string count");
    std::vector<std::string_view> out;
    out.reserve(count);
    size_t pos = e.offset;
    for (uint32_t i = 0; i < count; ++i) {
      if (pos >= data_.size()) return make_error(Errc::kCorrupt, "rpm header: string overrun");
      size_t nul = data_.find('\0', pos);
      if (nul == std::string_view::npos) {
        return make_error(Errc::kCorrupt, "rpm header: unterminated string");
      }
      out.push_back(data_.substr(pos, nul - pos));
      pos = nul + 1;
    }
    return out;
  }

  Result<std::vector<uint32_t>> int32s(const Entry& e) const {
    if (e.type != kTypeInt32) {
      return make_error(Errc::kCorrupt, "rpm header: tag has type {}, not int32", e.type);
    }
    if (e.offset % 4 != 0 ||
        e.count > (data_.size() - std::min<size_t>(e.offset, data_.size())) / 4) {
      return make_error(Errc::kCorrupt, "rpm header: int32 array out of bounds");
    }
    std::vector<uint32_t> out(e.count);
    for (uint32_t i = 0; i < e.count; ++i) out[i] = be32(data_.data() + e.offset + 4 * i);
    return out;
  }

  Result<std::string> string(const Entry& e) const {
    HIVESEC_TRY(auto v, strings(e));
    if (v.empty()) return std::string();
    return std::string(v[0]);
  }

 private:
  std::string_view data_;
};

std::string join_path(std::string_view dir, std::string_view base) {
  std::string full(dir);
  if (!full.empty() && full.back() != '/') full.push_back('/');
  full.append(base);
  return full;
}

}  // namespace

Result<HeaderInfo> parse_header(std::string_view blob, bool with_digests) {
  if (blob.size() < 8) return make_error(Errc::kCorrupt, "rpm header: {} bytes", blob.size());
  uint32_t il = be32(blob.data());
  uint32_t dl = be32(blob.data() + 4);
  if (il == 0 || il > kMaxIndexEntries || dl > kMaxDataLength) {
    return make_error(Errc::kCorrupt, "rpm header: bad sizes (il={}, dl={})", il, dl);
  }
  uint64_t need = 8 + uint64_t{il} * 16 + dl;
  if (need > blob.size()) {
    return make_error(Errc::kCorrupt, "rpm header: needs {} bytes, has {}", need, blob.size());
  }
  std::string_view index = blob.substr(8, size_t{il} * 16);
  Header h(blob.substr(8 + size_t{il} * 16, dl));

  HeaderInfo info;
  Entry basenames, dirnames, dirindexes, oldfilenames, digests;
  bool has_base = false, has_dirs = false, has_idx = false, has_old = false, has_digests = false;
  for (uint32_t i = 0; i < il; ++i) {
    const char* p = index.data() + size_t{i} * 16;
    auto tag = static_cast<int32_t>(be32(p));
    Entry e{be32(p + 4), be32(p + 8), be32(p + 12)};
    if (e.offset >= dl) continue;  // region trailers and junk: not a tag we read
    switch (tag) {
      case kTagName: {
        HIVESEC_TRY(info.name, h.string(e));
        break;
      }
      case kTagVersion: {
        HIVESEC_TRY(info.version, h.string(e));
        break;
      }
      case kTagRelease: {
        HIVESEC_TRY(info.release, h.string(e));
        break;
      }
      case kTagArch: {
        HIVESEC_TRY(info.arch, h.string(e));
        break;
      }
      case kTagSourceRpm: {
        HIVESEC_TRY(info.sourcerpm, h.string(e));
        break;
      }
      case kTagLicense: {
        HIVESEC_TRY(info.license, h.string(e));
        break;
      }
      case kTagVendor: {
        HIVESEC_TRY(info.vendor, h.string(e));
        break;
      }
      case kTagEpoch: {
        HIVESEC_TRY(auto v, h.int32s(e));
        if (!v.empty()) info.epoch = static_cast<int64_t>(v[0]);
        break;
      }
      case kTagBasenames:
        basenames = e;
        has_base = true;
        break;
      case kTagDirnames:
        dirnames = e;
        has_dirs = true;
        break;
      case kTagDirIndexes:
        dirindexes = e;
        has_idx = true;
        break;
      case kTagOldFilenames:
        oldfilenames = e;
        has_old = true;
        break;
      case kTagFileDigests:
        digests = e;
        has_digests = true;
        break;
      case kTagFileDigestAlgo: {
        // Only the digests depend on it: a broken value drops them, not the package.
        auto v = h.int32s(e);
        info.digest_algo = v.ok() && !v->empty() ? (*v)[0] : 0;
        break;
      }
      default:
        break;
    }
  }
  if (info.name.empty()) return make_error(Errc::kCorrupt, "rpm header: no NAME");

  std::vector<std::string> raw;
  if (has_base && has_dirs && has_idx) {
    HIVESEC_TRY(auto base, h.strings(basenames));
    HIVESEC_TRY(auto dirs, h.strings(dirnames));
    HIVESEC_TRY(auto idx, h.int32s(dirindexes));
    if (idx.size() != base.size()) {
      return make_error(Errc::kCorrupt, "rpm header: {} basenames but {} dirindexes", base.size(),
                        idx.size());
    }
    for (size_t i = 0; i < base.size() && i < kMaxFiles; ++i) {
      if (idx[i] >= dirs.size()) return make_error(Errc::kCorrupt, "rpm header: bad dirindex");
      raw.push_back(join_path(dirs[idx[i]], base[i]));
    }
  } else if (has_old) {
    HIVESEC_TRY(auto old, h.strings(oldfilenames));
    for (size_t i = 0; i < old.size() && i < kMaxFiles; ++i) raw.emplace_back(old[i]);
  }
  // File digests are optional facts: unreadable or misaligned ones are dropped, never the package.
  std::vector<std::string_view> digest_list;
  if (with_digests && has_digests && info.digest_algo != 0) {
    auto d = h.strings(digests);
    if (d.ok() && d->size() == raw.size()) digest_list = std::move(*d);
  }
  info.files.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    auto n = normalize_entry_path(raw[i]);
    if (!n.ok() || n->empty()) continue;
    if (!digest_list.empty() && !digest_list[i].empty()) {
      info.file_digests.emplace_back(*n, std::string(digest_list[i]));
    }
    info.files.push_back(std::move(*n));
  }
  return info;
}

bool split_srpm(std::string_view srpm, std::string& name, std::string& version,
                std::string& release) {
  for (std::string_view suffix : {".src.rpm", ".nosrc.rpm"}) {
    if (srpm.size() > suffix.size() && srpm.substr(srpm.size() - suffix.size()) == suffix) {
      srpm.remove_suffix(suffix.size());
      size_t r = srpm.rfind('-');
      if (r == std::string_view::npos || r == 0) return false;
      size_t v = srpm.rfind('-', r - 1);
      if (v == std::string_view::npos || v == 0) return false;
      name = std::string(srpm.substr(0, v));
      version = std::string(srpm.substr(v + 1, r - v - 1));
      release = std::string(srpm.substr(r + 1));
      return !version.empty() && !release.empty();
    }
  }
  return false;
}

}  // namespace hivesec::analyze::rpm
