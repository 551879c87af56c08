#include "config/config_scan.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "common/time.h"

namespace fs = std::filesystem;

namespace hivesec::config {

namespace {

Result<std::string> read_capped(const fs::path& p, size_t max) {
  std::error_code ec;
  auto size = fs::file_size(p, ec);
  if (ec) return make_error(Errc::kIo, "{}: {}", p.string(), ec.message());
  if (size > max) {
    return make_error(Errc::kLimit, "{}: {} bytes exceeds the {} byte limit", p.string(), size, max);
  }
  std::ifstream in(p, std::ios::binary);
  if (!in) return make_error(Errc::kIo, "{}: cannot read", p.string());
  std::string data(size, '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  data.resize(static_cast<size_t>(in.gcount()));
  return data;
}

Status scan_file(const fs::path& p, const FileKind& kind, model::ScanResult& out) {
  HIVESEC_TRY(std::string data, read_capped(p, kind.max_size));
  auto found = kind.scan(p.string(), data);
  if (!found.ok()) return std::move(found).error().wrap(p.string());
  for (auto& f : *found) {
    f.asset_id = out.asset.id;
    out.findings.push_back(std::move(f));
  }
  return ok_status();
}

}  // namespace

Result<model::ScanResult> scan_config_paths(const std::vector<std::string>& paths,
                                            const FileKindRegistry& kinds,
                                            const ConfigScanLimits& limits) {
  model::ScanResult out;
  out.asset.kind = model::AssetKind::kFilesystem;
  out.asset.labels["scan"] = "config";
  for (const auto& p : paths) {
    std::error_code ec;
    fs::path abs = fs::absolute(p, ec);
    out.asset.id += (out.asset.id.empty() ? "" : " ") + (ec ? p : abs.lexically_normal().string());
    out.asset.name += (out.asset.name.empty() ? "" : " ") + p;
  }
  out.scanners = {"config"};
  out.scanned_at = now_rfc3339();

  for (const auto& arg : paths) {
    fs::path p(arg);
    std::error_code ec;
    auto st = fs::status(p, ec);
    if (ec || !fs::exists(st)) return make_error(Errc::kNotFound, "{}: no such file or directory", arg);
    if (!fs::is_directory(st)) {
      const FileKind* kind = kinds.match(p.filename().string());
      if (!kind) {
        std::string known;
        for (const auto& k : kinds.all()) known += (known.empty() ? "" : "; ") + std::string(k.patterns);
        return make_error(Errc::kInvalidArgument, "{}: not a configuration file hivesec knows ({})",
                          arg, known);
      }
      HIVESEC_TRY_STATUS(scan_file(p, *kind, out));
      continue;
    }
    std::vector<std::pair<fs::path, const FileKind*>> found;
    size_t seen = 0;
    fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) return make_error(Errc::kIo, "{}: {}", arg, ec.message());
    for (; it != end; it.increment(ec)) {
      if (ec) {
        out.notes.push_back(fmt::format("config: {}: {}", arg, ec.message()));
        break;
      }
      if (++seen > limits.max_files) {
        out.notes.push_back(fmt::format("config: {}: stopped after {} files", arg, limits.max_files));
        break;
      }
      const auto& entry = *it;
      std::string name = entry.path().filename().string();
      if (entry.is_directory(ec) && !entry.is_symlink(ec) && name == ".git") {
        it.disable_recursion_pending();
        continue;
      }
      if (!entry.is_regular_file(ec) || entry.is_symlink(ec)) continue;
      if (const FileKind* kind = kinds.match(name)) found.emplace_back(entry.path(), kind);
    }
    std::sort(found.begin(), found.end());
    for (const auto& [file, kind] : found) {
      if (auto s = scan_file(file, *kind, out); !s.ok()) {
        out.notes.push_back(fmt::format("config: skipped {}", s.error().message));
      }
    }
  }
  return out;
}

}  // namespace hivesec::config
