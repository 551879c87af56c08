#include "scan/tar_layer.h"

#include <archive.h>
#include <archive_entry.h>

#include <optional>
#include <vector>

#include "common/paths.h"
#include "image/decompress.h"

namespace hivesec::scan {
namespace {

constexpr size_t kReadChunk = 1 << 20;

struct ReadCtx {
  image::ByteStream* stream = nullptr;
  std::vector<char> buf = std::vector<char>(kReadChunk);
  std::optional<Error> error;
};

la_ssize_t read_cb(struct archive* a, void* client, const void** out) {
  auto* ctx = static_cast<ReadCtx*>(client);
  auto r = ctx->stream->read(ctx->buf.data(), ctx->buf.size());
  if (!r.ok()) {
    ctx->error = r.error();
    archive_set_error(a, EIO, "%s", r.error().message.c_str());
    return -1;
  }
  *out = ctx->buf.data();
  return static_cast<la_ssize_t>(*r);
}

struct ArchiveDeleter {
  void operator()(struct archive* a) const { archive_read_free(a); }
};

analyze::FileType entry_type(struct archive_entry* e) {
  if (archive_entry_hardlink(e) != nullptr) return analyze::FileType::kHardlink;
  switch (archive_entry_filetype(e)) {
    case AE_IFREG:
      return analyze::FileType::kRegular;
    case AE_IFDIR:
      return analyze::FileType::kDirectory;
    case AE_IFLNK:
      return analyze::FileType::kSymlink;
    default:
      return analyze::FileType::kOther;
  }
}

}  // namespace

Result<LayerResult> analyze_tar_layer(std::unique_ptr<image::ByteStream> blob,
                                      const std::string& diff_id, const analyze::Registry& registry,
                                      const WalkLimits& limits) {
  std::string what = diff_id.empty() ? std::string("layer") : "layer " + diff_id;
  auto stream = image::decompressing_stream(
      std::move(blob), image::DecompressOptions{diff_id, limits.max_layer_bytes, what});
  ReadCtx ctx;
  ctx.stream = stream.get();

  std::unique_ptr<struct archive, ArchiveDeleter> a(archive_read_new());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  if (archive_read_open(a.get(), &ctx, nullptr, read_cb, nullptr) != ARCHIVE_OK) {
    if (ctx.error) return ctx.error->wrap(what);
    return make_error(Errc::kCorrupt, "{}: not a tar archive ({})", what,
                      archive_error_string(a.get()) ? archive_error_string(a.get()) : "?");
  }

  LayerResult result;
  result.diff_id = diff_id;
  FileDispatcher dispatcher(registry, result);
  auto archive_failure = [&](const char* doing) -> Error {
    if (ctx.error)
      return ctx.error->code == Errc::kCorrupt || ctx.error->code == Errc::kLimit
                 ? *ctx.error
                 : ctx.error->wrap(what);
    const char* msg = archive_error_string(a.get());
    return make_error(Errc::kCorrupt, "{}: {}: {}", what, doing, msg ? msg : "corrupt tar data");
  };

  struct archive_entry* entry = nullptr;
  while (true) {
    int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc == ARCHIVE_RETRY) continue;
    if (rc < ARCHIVE_WARN) return archive_failure("reading tar header");
    if (++result.entries > limits.max_entries) {
      return make_error(Errc::kLimit, "{}: more than {} entries", what, limits.max_entries);
    }
    const char* raw_name = archive_entry_pathname(entry);
    if (raw_name == nullptr) return make_error(Errc::kCorrupt, "{}: entry without a name", what);
    auto norm = normalize_entry_path(raw_name);
    if (!norm.ok()) return std::move(norm).error().wrap(what);
    const std::string& path = *norm;
    if (path.empty()) continue;

    analyze::FileInfo info;
    info.path = path;
    info.type = entry_type(entry);
    info.mode = archive_entry_perm(entry) & 07777;
    info.size = archive_entry_size_is_set(entry) ? archive_entry_size(entry) : 0;
    info.uid = static_cast<uint32_t>(archive_entry_uid(entry));
    info.gid = static_cast<uint32_t>(archive_entry_gid(entry));

    std::string_view base = base_name(path);
    if (base.starts_with(".wh.")) {
      std::string parent(parent_path(path));
      if (base == ".wh..wh..opq") {
        result.opaque_dirs.push_back(parent);
      } else if (!base.starts_with(".wh..wh.")) {
        std::string victim = parent.empty() ? std::string(base.substr(4))
                                            : parent + "/" + std::string(base.substr(4));
        result.whiteouts.push_back(std::move(victim));
      }
      continue;
    }

    switch (info.type) {
      case analyze::FileType::kHardlink: {
        auto target = normalize_entry_path(archive_entry_hardlink(entry));
        if (!target.ok()) {
          return make_error(Errc::kCorrupt, "{}: hard link '{}' points outside the image root",
                            what, path);
        }
        continue;
      }
      case analyze::FileType::kSymlink: {
        const char* target = archive_entry_symlink(entry);
        if (target && result.symlinks.size() < limits.max_symlinks) {
          result.symlinks.emplace(path, target);
        }
        continue;
      }
      case analyze::FileType::kRegular:
        break;
      default:
        continue;
    }

    int64_t consumed = 0;
    auto reader = [&](char* dst, size_t cap) -> Result<size_t> {
      la_ssize_t n = archive_read_data(a.get(), dst, cap);
      if (n < 0) return archive_failure(fmt::format("reading {}", path).c_str());
      consumed += n;
      if (n == 0 && consumed < info.size) {
        return make_error(Errc::kCorrupt, "{}: {} is truncated", what, path);
      }
      return static_cast<size_t>(n);
    };
    HIVESEC_TRY_STATUS(dispatcher.dispatch(info, reader));
    // libarchive skips whatever was not read when the next header is requested.
  }

  // Drain what libarchive did not consume (tar end padding) so the diffID check runs.
  std::vector<char> sink(64 << 10);
  while (true) {
    auto r = stream->read(sink.data(), sink.size());
    if (!r.ok()) return std::move(r).error();
    if (*r == 0) break;
  }
  dispatcher.finish();
  result.bytes = archive_filter_bytes(a.get(), -1);
  return result;
}

}  // namespace hivesec::scan
