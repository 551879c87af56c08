#include "vulndb/zip_records.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "vulndb/osv.h"

namespace hivesec::vulndb::detail {

namespace {

constexpr size_t kMaxZipEntries = 2'000'000;
constexpr uint64_t kMaxZipBytes = 8ull << 30;  // uncompressed, per zip
// End of central directory: 22 bytes plus a comment of up to 65535 bytes.
constexpr size_t kEocdSize = 22;
constexpr size_t kEocdSearch = kEocdSize + 0xffff;

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};

struct FdCloser {
  int fd = -1;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

const char* archive_message(archive* a, const char* fallback) {
  const char* msg = archive_error_string(a);
  return msg ? msg : fallback;
}

// True when the last bytes of the file hold an end-of-central-directory record whose comment
// ends exactly at the end of the file.
Result<bool> has_end_record(const std::string& path, std::string_view label) {
  FdCloser f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) return make_error(Errc::kIo, "{}: cannot open: {}", label, std::strerror(errno));
  off_t size = ::lseek(f.fd, 0, SEEK_END);
  if (size < 0) return make_error(Errc::kIo, "{}: cannot seek", label);
  if (static_cast<uint64_t>(size) < kEocdSize) return false;
  size_t tail_len =
      static_cast<size_t>(std::min<uint64_t>(static_cast<uint64_t>(size), kEocdSearch));
  std::string tail(tail_len, '\0');
  ssize_t n = ::pread(f.fd, tail.data(), tail_len, size - static_cast<off_t>(tail_len));
  if (n != static_cast<ssize_t>(tail_len)) return make_error(Errc::kIo, "{}: read failed", label);
  for (size_t pos = tail_len - kEocdSize + 1; pos-- > 0;) {
    if (std::memcmp(tail.data() + pos, "PK\x05\x06", 4) != 0) continue;
    auto comment_len = static_cast<size_t>(static_cast<unsigned char>(tail[pos + 20])) |
                       (static_cast<size_t>(static_cast<unsigned char>(tail[pos + 21])) << 8);
    if (pos + kEocdSize + comment_len == tail_len) return true;
  }
  return false;
}

}  // namespace

Status read_zip_records(const std::string& path, std::string_view label, ZipMode mode,
                        const ZipRecordFn& on_record, const ZipSkipFn& on_skip) {
  std::unique_ptr<archive, ArchiveFree> a(archive_read_new());
  if (!a) return make_error(Errc::kInternal, "archive_read_new failed");
  archive_read_support_format_zip(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK) {
    return make_error(Errc::kCorrupt, "{}: not a readable zip ({})", label,
                      archive_message(a.get(), "?"));
  }
  size_t entries = 0;
  uint64_t total = 0;
  std::string text;
  std::string buf(1 << 16, '\0');
  for (;;) {
    archive_entry* e = nullptr;
    int rc = archive_read_next_header(a.get(), &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      return make_error(Errc::kCorrupt, "{}: {}", label, archive_message(a.get(), "corrupt zip"));
    }
    if (++entries > kMaxZipEntries) {
      return make_error(Errc::kLimit, "{}: more than {} entries", label, kMaxZipEntries);
    }
    const char* name_c = archive_entry_pathname(e);
    std::string name = name_c ? name_c : "";
    bool wanted = archive_entry_filetype(e) == AE_IFREG && ends_with(name, ".json");
    // Strict mode reads (and so CRC-checks) every entry, wanted or not.
    if (!wanted && mode == ZipMode::kLenient) continue;
    text.clear();
    bool too_big = false;
    for (;;) {
      la_ssize_t n = archive_read_data(a.get(), buf.data(), buf.size());
      if (n == 0) break;
      if (n < 0) {
        std::string msg = archive_message(a.get(), "?");
        if (mode == ZipMode::kStrict) {
          return make_error(Errc::kCorrupt, "{}: entry {} is unreadable: {}", label, name, msg);
        }
        on_skip(name, "unreadable zip entry: " + msg);
        wanted = false;
        break;
      }
      total += static_cast<uint64_t>(n);
      if (total > kMaxZipBytes) {
        return make_error(Errc::kLimit, "{}: more than {} bytes uncompressed", label, kMaxZipBytes);
      }
      if (!wanted) continue;
      if (text.size() + static_cast<size_t>(n) > kMaxRecordBytes) {
        too_big = true;
        continue;  // drain the entry without keeping it
      }
      text.append(buf.data(), static_cast<size_t>(n));
    }
    if (!wanted) continue;
    if (too_big) {
      on_skip(name, fmt::format("record is larger than {} bytes", kMaxRecordBytes));
      continue;
    }
    HIVESEC_TRY_STATUS(on_record(name, text));
  }
  return ok_status();
}

Status verify_zip(const std::string& path, std::string_view label) {
  HIVESEC_TRY(bool complete, has_end_record(path, label));
  if (!complete) {
    return make_error(Errc::kCorrupt,
                      "{}: not a complete zip (no end-of-central-directory record; truncated?)",
                      label);
  }
  return read_zip_records(
      path, label, ZipMode::kStrict,
      [](const std::string&, std::string_view) { return ok_status(); },
      [](const std::string&, std::string) {});
}

}  // namespace hivesec::vulndb::detail
