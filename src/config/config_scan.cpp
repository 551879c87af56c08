#include "config/config_scan.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

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

Result<std::string> read_stream(std::istream& in, size_t max) {
  std::string data;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, static_cast<size_t>(in.gcount()));
    if (data.size() > max) return make_error(Errc::kLimit, "standard input exceeds the {} byte limit", max);
  }
  if (in.bad()) return make_error(Errc::kIo, "standard input: read error");
  return data;
}

// One scan's state: the result and the open whole-scan sessions.
class Scanner {
 public:
  Scanner(const FileKindRegistry& kinds, const ConfigScanOptions& o, model::ScanResult& out)
      : kinds_(kinds), o_(o), out_(out) {}

  // Checks one file's content with its kind; errors are the file's (callers decide whether
  // they end the scan).
  Status check(const std::string& path, const FileKind& kind, std::string_view content) {
    if (kind.scan) {
      auto found = kind.scan(path, content);
      if (!found.ok()) return std::move(found).error().wrap(path);
      for (auto& f : *found) keep(std::move(f), true);
      return ok_status();
    }
    auto& session = sessions_[std::string(kind.name)];
    if (!session) session = kind.open(o_.selection);
    if (auto st = session->add(path, content, out_.notes); !st.ok()) return std::move(st).error().wrap(path);
    return ok_status();
  }

  Status finish() {
    for (const FileKind& k : kinds_.all()) {  // registration order: stable output
      auto it = sessions_.find(std::string(k.name));
      if (it == sessions_.end()) continue;
      HIVESEC_TRY(auto found, it->second->finish());
      for (auto& f : found) keep(std::move(f), false);
    }
    return ok_status();
  }

 private:
  void keep(model::Finding f, bool per_file_kind) {
    if (o_.selection.skip.count(f.rule_id)) return;
    if (per_file_kind && o_.selection.standard != K8sStandard::kAll &&
        (o_.selection.standard != K8sStandard::kCis || f.aliases.empty())) {
      return;
    }
    f.asset_id = out_.asset.id;
    out_.findings.push_back(std::move(f));
  }

  const FileKindRegistry& kinds_;
  const ConfigScanOptions& o_;
  model::ScanResult& out_;
  std::map<std::string, std::unique_ptr<KindSession>> sessions_;
};

std::string known_kinds(const FileKindRegistry& kinds) {
  std::string known;
  for (const auto& k : kinds.all()) known += (known.empty() ? "" : "; ") + std::string(k.patterns);
  return known;
}

size_t largest(const FileKindRegistry& kinds) {
  size_t m = 0;
  for (const auto& k : kinds.all()) m = std::max(m, k.max_size);
  return m;
}

}  // namespace

Result<model::ScanResult> scan_config_paths(const std::vector<std::string>& paths,
                                            const FileKindRegistry& kinds,
                                            const ConfigScanOptions& options) {
  model::ScanResult out;
  out.asset.kind = model::AssetKind::kFilesystem;
  out.asset.labels["scan"] = "config";
  for (const auto& p : paths) {
    std::error_code ec;
    fs::path abs = p == "-" ? fs::path("-") : fs::absolute(p, ec);
    out.asset.id += (out.asset.id.empty() ? "" : " ") + (ec ? p : abs.lexically_normal().string());
    out.asset.name += (out.asset.name.empty() ? "" : " ") + p;
  }
  out.scanners = {"config"};
  out.scanned_at = now_rfc3339();
  Scanner scanner(kinds, options, out);

  for (const auto& arg : paths) {
    if (arg == "-") {
      HIVESEC_TRY(std::string data, read_stream(options.input ? *options.input : std::cin, options.limits.max_stdin));
      const FileKind* kind = kinds.sniff(data);
      if (!kind) {
        return make_error(Errc::kInvalidArgument,
                          "standard input: not a Kubernetes manifest (no document with apiVersion and kind)");
      }
      HIVESEC_TRY_STATUS(scanner.check(arg, *kind, data));
      continue;
    }
    fs::path p(arg);
    std::error_code ec;
    auto st = fs::status(p, ec);
    if (ec || !fs::exists(st)) return make_error(Errc::kNotFound, "{}: no such file or directory", arg);
    if (!fs::is_directory(st)) {
      const FileKind* kind = kinds.match(p.filename().string());
      HIVESEC_TRY(std::string data, read_capped(p, kind ? kind->max_size : largest(kinds)));
      if (!kind || (kind->sniff && !kind->sniff(data))) kind = kinds.sniff(data);
      if (!kind) {
        return make_error(Errc::kInvalidArgument, "{}: not a configuration file hivesec knows ({})", arg,
                          known_kinds(kinds));
      }
      HIVESEC_TRY_STATUS(scanner.check(arg, *kind, data));
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
      if (++seen > options.limits.max_files) {
        out.notes.push_back(fmt::format("config: {}: stopped after {} files", arg, options.limits.max_files));
        break;
      }
      const auto& entry = *it;
      std::string name = entry.path().filename().string();
      if (entry.is_directory(ec) && !entry.is_symlink(ec) && (name == ".git" || name == "node_modules")) {
        it.disable_recursion_pending();
        continue;
      }
      if (!entry.is_regular_file(ec) || entry.is_symlink(ec)) continue;
      if (const FileKind* kind = kinds.match(name)) found.emplace_back(entry.path(), kind);
    }
    std::sort(found.begin(), found.end());
    for (const auto& [file, kind] : found) {
      auto data = read_capped(file, kind->max_size);
      if (!data.ok()) {
        out.notes.push_back(fmt::format("config: skipped {}", data.error().message));
        continue;
      }
      if (kind->sniff && !kind->sniff(*data)) continue;  // some other YAML/JSON file
      if (auto s = scanner.check(file.string(), *kind, *data); !s.ok()) {
        out.notes.push_back(fmt::format("config: skipped {}", s.error().message));
      }
    }
  }
  HIVESEC_TRY_STATUS(scanner.finish());
  return out;
}

}  // namespace hivesec::config
