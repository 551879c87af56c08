// import_paths: adds OSV records to a new version of the database built by rebuild_database,
// so readers and failed imports never see a half-written database.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "vulndb/osv.h"
#include "vulndb/rebuild.h"
#include "vulndb/store.h"
#include "vulndb/vulndb.h"
#include "vulndb/zip_records.h"

namespace hivesec::vulndb {

namespace {

namespace fs = std::filesystem;
using namespace detail;

constexpr size_t kMaxDirFiles = 2'000'000;
constexpr int kMaxDirDepth = 32;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

class Importer {
 public:
  Importer(Writer& writer, ImportStats& stats, const ImportOptions& options)
      : writer_(writer), stats_(stats), options_(options) {}

  Status import_path(const fs::path& path) {
    std::error_code ec;
    auto st = fs::symlink_status(path, ec);
    if (ec) return make_error(Errc::kNotFound, "{}: {}", path.string(), ec.message());
    if (fs::is_symlink(st)) st = fs::status(path, ec);
    if (fs::is_directory(st)) return import_dir(path);
    if (!fs::is_regular_file(st)) {
      return make_error(Errc::kInvalidArgument, "{}: not a file or directory", path.string());
    }
    if (ends_with(path.string(), ".zip")) return import_zip(path);
    return import_json_file(path);
  }

 private:
  void skip(std::string where, std::string reason) {
    ++stats_.skipped;
    if (stats_.skipped_reasons.size() < options_.max_reasons) {
      stats_.skipped_reasons.push_back({std::move(where), one_line(std::move(reason))});
    }
  }

  // `source` empty: the base of the first affected ecosystem.
  Status import_record(std::string_view text, const std::string& where, std::string_view source) {
    auto adv = parse_osv(text);
    if (!adv.ok()) {
      skip(where, adv.error().message);
      return ok_status();
    }
    std::string src(source);
    if (src.empty()) src = source_of(*adv);
    auto st = writer_.put(*adv, text, src);
    if (!st.ok()) return std::move(st).error().wrap(where);
    ++stats_.imported;
    return ok_status();
  }

  Status import_json_file(const fs::path& path) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (ec) return make_error(Errc::kIo, "{}: {}", path.string(), ec.message());
    if (size > kMaxRecordBytes) {
      skip(path.string(), fmt::format("record is {} bytes (limit {})", size, kMaxRecordBytes));
      return ok_status();
    }
    std::ifstream in(path, std::ios::binary);
    std::string text(size, '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(size))) {
      return make_error(Errc::kIo, "{}: read failed", path.string());
    }
    return import_record(text, path.string(), "");
  }

  Status import_dir(const fs::path& root) {
    std::vector<fs::path> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
    if (ec) return make_error(Errc::kIo, "{}: {}", root.string(), ec.message());
    for (; it != end; it.increment(ec)) {
      if (ec) return make_error(Errc::kIo, "{}: {}", root.string(), ec.message());
      if (it.depth() >= kMaxDirDepth) it.disable_recursion_pending();
      const auto& entry = *it;
      if (!entry.is_regular_file(ec) || entry.is_symlink(ec)) continue;
      std::string name = entry.path().filename().string();
      if (!ends_with(name, ".json") && !ends_with(name, ".zip")) continue;
      if (files.size() >= kMaxDirFiles) {
        return make_error(Errc::kLimit, "{}: more than {} files", root.string(), kMaxDirFiles);
      }
      files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      if (ends_with(f.string(), ".zip")) {
        HIVESEC_TRY_STATUS(import_zip(f));
      } else {
        HIVESEC_TRY_STATUS(import_json_file(f));
      }
    }
    return ok_status();
  }

  // The bucket layout names the ecosystem by folder: <Ecosystem>/all.zip.
  static std::string zip_source(const fs::path& zip) {
    if (zip.filename() != "all.zip") return "";
    auto parent = fs::absolute(zip).parent_path().filename().string();
    return parent;
  }

  Status import_zip(const fs::path& zip) {
    const std::string label = zip.string();
    const std::string source = zip_source(zip);
    return read_zip_records(
        label, label, ZipMode::kLenient,
        [&](const std::string& entry, std::string_view text) {
          return import_record(text, label + ":" + entry, source);
        },
        [&](const std::string& entry, std::string reason) {
          skip(label + ":" + entry, std::move(reason));
        });
  }

  Writer& writer_;
  ImportStats& stats_;
  const ImportOptions& options_;
};

}  // namespace

Result<ImportStats> import_paths(const std::vector<std::string>& paths, const std::string& db_path,
                                 const ImportOptions& options) {
  auto start = std::chrono::steady_clock::now();
  if (paths.empty()) return make_error(Errc::kInvalidArgument, "nothing to import");
  std::error_code ec;
  for (const auto& p : paths) {
    if (!fs::exists(p, ec)) return make_error(Errc::kNotFound, "{}: no such file or directory", p);
  }
  (void)remove_stale_temp_files(db_path);
  ImportStats stats;
  auto info = rebuild_database(db_path, options.fresh, [&](sqlite3* db) -> Status {
    HIVESEC_TRY(auto writer, Writer::create(db));
    Importer importer(writer, stats, options);
    for (const auto& p : paths) {
      HIVESEC_TRY_STATUS(exec(db, "BEGIN"));
      auto st = importer.import_path(p);
      if (!st.ok()) {
        (void)exec(db, "ROLLBACK");
        return st;
      }
      HIVESEC_TRY_STATUS(exec(db, "COMMIT"));
    }
    return writer.log_import(paths, stats.imported, stats.skipped);
  });
  if (!info.ok()) return std::move(info).error();
  stats.rebuilt_corrupt = info->rebuilt_corrupt;
  stats.advisories_total = info->advisories_total;
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace hivesec::vulndb
