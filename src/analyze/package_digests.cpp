#include "analyze/package_digests.h"

#include <openssl/evp.h>

#include <array>

#include "analyze/ospkg_text.h"
#include "analyze/rpm_db.h"
#include "common/paths.h"

namespace hivesec::analyze {
namespace {

using ospkg::LineReader;
using ospkg::trim;

constexpr std::string_view kDpkgInfo = "var/lib/dpkg/info/";
constexpr std::string_view kDpkgStatusDir = "var/lib/dpkg/status.d/";
constexpr std::string_view kApkInstalled = "lib/apk/db/installed";
constexpr std::array<std::string_view, 2> kRpmDirs = {"var/lib/rpm/", "usr/lib/sysimage/rpm/"};

// Top-level directories that merged-/usr systems keep as symlinks into usr/.
constexpr std::array<std::string_view, 6> kMergedDirs = {"bin/",   "sbin/",  "lib/",
                                                         "lib32/", "lib64/", "libx32/"};

enum class Kind { kMd5sums, kApk, kRpmSqlite, kRpmBdb, kRpmNdb, kNone };

// `path` is "<dir><name>" with no further '/'.
bool direct_child(std::string_view path, std::string_view dir) {
  return path.size() > dir.size() && path.starts_with(dir) &&
         path.find('/', dir.size()) == std::string_view::npos;
}

Kind classify(std::string_view path) {
  if ((direct_child(path, kDpkgInfo) || direct_child(path, kDpkgStatusDir)) &&
      path.ends_with(".md5sums") && !base_name(path).starts_with(".")) {
    return Kind::kMd5sums;
  }
  if (path == kApkInstalled) return Kind::kApk;
  for (std::string_view dir : kRpmDirs) {
    if (!direct_child(path, dir)) continue;
    std::string_view base = path.substr(dir.size());
    if (base == "rpmdb.sqlite") return Kind::kRpmSqlite;
    if (base == "Packages") return Kind::kRpmBdb;
    if (base == "Packages.db") return Kind::kRpmNdb;
  }
  return Kind::kNone;
}

const EVP_MD* evp(PackageDigests::Algo a) {
  switch (a) {
    case PackageDigests::Algo::kMd5:
      return EVP_md5();
    case PackageDigests::Algo::kSha1:
      return EVP_sha1();
    case PackageDigests::Algo::kSha224:
      return EVP_sha224();
    case PackageDigests::Algo::kSha256:
      return EVP_sha256();
    case PackageDigests::Algo::kSha384:
      return EVP_sha384();
    case PackageDigests::Algo::kSha512:
      return EVP_sha512();
  }
  return nullptr;
}

size_t digest_size(PackageDigests::Algo a) {
  switch (a) {
    case PackageDigests::Algo::kMd5:
      return 16;
    case PackageDigests::Algo::kSha1:
      return 20;
    case PackageDigests::Algo::kSha224:
      return 28;
    case PackageDigests::Algo::kSha256:
      return 32;
    case PackageDigests::Algo::kSha384:
      return 48;
    case PackageDigests::Algo::kSha512:
      return 64;
  }
  return 0;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Raw bytes of a hex string of exactly `bytes` bytes; "" when it is not one.
std::string from_hex(std::string_view hex, size_t bytes) {
  if (hex.size() != bytes * 2) return {};
  std::string out(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i) {
    int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return {};
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

// Raw bytes of standard base64 (with padding); "" when malformed.
std::string from_base64(std::string_view s) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  while (!s.empty() && s.back() == '=') s.remove_suffix(1);
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    int v = value(c);
    if (v < 0) return {};
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

// rpm's PGPHASHALGO numbers.
bool rpm_algo(uint32_t n, PackageDigests::Algo& out) {
  switch (n) {
    case 1:
      out = PackageDigests::Algo::kMd5;
      return true;
    case 2:
      out = PackageDigests::Algo::kSha1;
      return true;
    case 8:
      out = PackageDigests::Algo::kSha256;
      return true;
    case 9:
      out = PackageDigests::Algo::kSha384;
      return true;
    case 10:
      out = PackageDigests::Algo::kSha512;
      return true;
    case 11:
      out = PackageDigests::Algo::kSha224;
      return true;
    default:
      return false;
  }
}

}  // namespace

bool PackageDigests::is_database(std::string_view path) { return classify(path) != Kind::kNone; }

std::string PackageDigests::digest(Algo algo, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const EVP_MD* md_type = evp(algo);
  if (md_type == nullptr || EVP_Digest(data.data(), data.size(), md, &len, md_type, nullptr) != 1) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(md), len);
}

uint32_t PackageDigests::package_index(std::string_view name) {
  if (auto it = package_ids_.find(name); it != package_ids_.end()) return it->second;
  auto id = static_cast<uint32_t>(packages_.size());
  packages_.emplace_back(name);
  package_ids_.emplace(std::string(name), id);
  return id;
}

void PackageDigests::add_entry(std::string_view raw_path, Algo algo, std::string digest,
                               uint32_t package) {
  if (digest.size() != digest_size(algo)) return;
  if (entries_ >= kMaxEntries) {
    dropped_ = true;
    return;
  }
  auto path = normalize_entry_path(raw_path);
  if (!path.ok() || path->empty()) return;
  by_path_[std::move(*path)].push_back(Entry{algo, package, std::move(digest)});
  ++entries_;
}

Status PackageDigests::add_md5sums(std::string_view path, std::string_view content) {
  // "<pkg>[:arch].md5sums"; lines "<32 hex>  <path>" (md5sum's format; "*" marks binary mode).
  std::string_view pkg = base_name(path);
  pkg.remove_suffix(std::string_view(".md5sums").size());
  pkg = pkg.substr(0, pkg.find(':'));
  uint32_t id = package_index(pkg);
  size_t bad = 0;
  LineReader lines(content);
  std::string_view line;
  while (lines.next(line)) {
    if (trim(line).empty()) continue;
    std::string digest = line.size() > 34 ? from_hex(line.substr(0, 32), 16) : std::string();
    if (digest.empty() || line[32] != ' ' || (line[33] != ' ' && line[33] != '*')) {
      ++bad;
      continue;
    }
    add_entry(line.substr(34), Algo::kMd5, std::move(digest), id);
  }
  sources_.insert("dpkg md5sums");
  if (bad > 0) return make_error(Errc::kCorrupt, "{} malformed md5sums line(s) ignored", bad);
  return ok_status();
}

Status PackageDigests::add_apk(std::string_view content) {
  // Stanzas of "X:value" lines: P package, F directory, R file (in the last F), Z the file's
  // checksum ("Q1" + base64 of its sha1; older databases: 32 hex digits of its md5).
  if (!ospkg::looks_textual(content)) return make_error(Errc::kCorrupt, "apk database is not text");
  uint32_t pkg = package_index("");
  std::string dir, file;
  size_t bad = 0;
  LineReader lines(content);
  std::string_view line;
  while (lines.next(line)) {
    if (trim(line).empty()) {
      pkg = package_index("");
      dir.clear();
      file.clear();
      continue;
    }
    if (line.size() < 2 || line[1] != ':') continue;
    std::string_view value = trim(line.substr(2));
    switch (line[0]) {
      case 'P':
        pkg = package_index(value);
        break;
      case 'F':
        dir = std::string(value);
        file.clear();
        break;
      case 'R':
        file = dir.empty() ? std::string(value) : dir + "/" + std::string(value);
        break;
      case 'Z': {
        if (file.empty()) break;  // a directory's checksum
        if (value.starts_with("Q1")) {
          std::string d = from_base64(value.substr(2));
          if (d.size() == 20) {
            add_entry(file, Algo::kSha1, std::move(d), pkg);
          } else {
            ++bad;
          }
        } else if (std::string d = from_hex(value, 16); !d.empty()) {
          add_entry(file, Algo::kMd5, std::move(d), pkg);
        } else {
          ++bad;
        }
        file.clear();
        break;
      }
      default:
        break;
    }
  }
  sources_.insert("apk");
  complete_ = true;
  if (bad > 0) return make_error(Errc::kCorrupt, "{} malformed Z: checksum(s) ignored", bad);
  return ok_status();
}

Status PackageDigests::add_rpm(std::string_view path, std::string_view content) {
  size_t skipped = 0, bad = 0;
  auto on_blob = [&](std::string_view blob) {
    auto h = rpm::parse_header(blob, /*with_digests=*/true);
    if (!h.ok()) {
      if (blob.size() >= 8) ++bad;  // BDB's 4-byte counter record is not a header
      return;
    }
    Algo algo;
    if (h->file_digests.empty() || !rpm_algo(h->digest_algo, algo)) return;
    uint32_t id = package_index(h->name);
    for (auto& [file, hex] : h->file_digests) {
      add_entry(file, algo, from_hex(hex, digest_size(algo)), id);
    }
  };
  Status st = ok_status();
  switch (classify(path)) {
    case Kind::kRpmSqlite:
      st = rpm::read_sqlite(content, on_blob, skipped);
      break;
    case Kind::kRpmBdb:
      st = rpm::read_bdb(content, on_blob, skipped);
      break;
    case Kind::kRpmNdb:
      st = rpm::read_ndb(content, on_blob, skipped);
      break;
    default:
      return ok_status();
  }
  if (!st.ok()) return st;
  sources_.insert("rpm");
  complete_ = true;
  if (skipped + bad > 0) {
    return make_error(Errc::kCorrupt, "{} unreadable rpm header(s) ignored", skipped + bad);
  }
  return ok_status();
}

Status PackageDigests::add(std::string_view path, std::string_view content) {
  Status st = ok_status();
  switch (classify(path)) {
    case Kind::kMd5sums:
      st = add_md5sums(path, content);
      break;
    case Kind::kApk:
      st = add_apk(content);
      break;
    case Kind::kRpmSqlite:
    case Kind::kRpmBdb:
    case Kind::kRpmNdb:
      st = add_rpm(path, content);
      break;
    case Kind::kNone:
      break;
  }
  if (st.ok() && dropped_ && !dropped_noted_) {
    dropped_noted_ = true;
    return make_error(Errc::kLimit,
                      "more than {} recorded file digests in the layer; the rest are ignored",
                      kMaxEntries);
  }
  return st;
}

const std::vector<PackageDigests::Entry>* PackageDigests::find(std::string_view path) const {
  if (auto it = by_path_.find(path); it != by_path_.end()) return &it->second;
  // Merged /usr: "usr/bin/ls" is the file a package lists as "bin/ls", and the other way round.
  std::string twin;
  if (path.starts_with("usr/")) {
    std::string_view rest = path.substr(4);
    for (std::string_view d : kMergedDirs) {
      if (rest.starts_with(d)) twin = std::string(rest);
    }
  } else {
    for (std::string_view d : kMergedDirs) {
      if (path.starts_with(d)) twin = "usr/" + std::string(path);
    }
  }
  if (twin.empty()) return nullptr;
  auto it = by_path_.find(twin);
  return it == by_path_.end() ? nullptr : &it->second;
}

bool PackageDigests::has_entry(std::string_view path) const { return find(path) != nullptr; }

PackageDigests::Verdict PackageDigests::check(std::string_view path,
                                              std::string_view content) const {
  return check(path, [&](Algo a) { return digest(a, content); });
}

PackageDigests::Verdict PackageDigests::check(
    std::string_view path, const std::function<std::string(Algo)>& digest_of) const {
  const std::vector<Entry>* entries = find(path);
  if (entries == nullptr) return Verdict::kNoEntry;
  for (const Entry& e : *entries) {
    if (always_scan_ && always_scan_->count(packages_[e.package]) > 0) return Verdict::kAlwaysScan;
  }
  // Each algorithm at most once (a path listed by several packages usually shares one).
  std::array<std::string, 6> computed;
  for (const Entry& e : *entries) {
    std::string& d = computed[static_cast<size_t>(e.algo)];
    if (d.empty()) d = digest_of(e.algo);
    if (!d.empty() && d == e.digest) return Verdict::kVerified;
  }
  return Verdict::kModified;
}

std::string PackageDigests::sources() const {
  std::string out;
  for (const auto& s : sources_) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace hivesec::analyze
