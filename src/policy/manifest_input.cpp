#include "policy/manifest_input.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace hivesec::policy {

namespace fs = std::filesystem;

std::vector<std::string> ManifestInput::notes() const {
  std::vector<std::string> out;
  for (const auto& e : unreadable_files) out.push_back(fmt::format("{}: not read: {}", e.file, e.message));
  for (const auto& e : set.errors) {
    out.push_back(fmt::format("{}:{}: document {} not read: {}", e.file, e.line, e.document, e.message));
  }
  return out;
}

const config::K8sCheckResult* ManifestInput::result(std::string_view id) const {
  for (const auto& r : results) {
    if (r.meta && r.meta->id == id) return &r;
  }
  return nullptr;
}

namespace {

struct Reader {
  const ManifestInputLimits& limits;
  ManifestInput& input;
  size_t total = 0;

  Status add(const std::string& name, std::string_view content) {
    ++input.files;
    if (input.files > limits.max_files) {
      return make_error(Errc::kLimit, "--manifests: more than {} files", limits.max_files);
    }
    total += content.size();
    if (total > limits.max_total_bytes) {
      return make_error(Errc::kLimit, "--manifests: more than {} MiB in all", limits.max_total_bytes >> 20);
    }
    if (auto st = config::add_manifests(input.set, name, content, limits.manifest); !st.ok()) {
      input.unreadable_files.push_back({name, 0, 0, st.error().message});
    }
    return ok_status();
  }

  // A file: read whole, bounded. `sniff`: skip files that hold no Kubernetes object.
  Status file(const fs::path& p, bool sniff) {
    std::string name = p.generic_string();
    std::error_code ec;
    auto size = fs::file_size(p, ec);
    if (!ec && size > limits.manifest.max_file_bytes) {
      input.unreadable_files.push_back({name, 0, 0, fmt::format("larger than {} MiB", limits.manifest.max_file_bytes >> 20)});
      return ok_status();
    }
    std::ifstream f(p, std::ios::binary);
    std::string content;
    if (f) content.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    if (!f && !f.eof()) {
      input.unreadable_files.push_back({name, 0, 0, "cannot read the file"});
      return ok_status();
    }
    if (sniff && !config::looks_like_kubernetes(content)) return ok_status();
    return add(name, content);
  }

  Status dir(const fs::path& root) {
    std::error_code ec;
    std::vector<fs::path> found;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    if (ec) return make_error(Errc::kIo, "--manifests {}: {}", root.generic_string(), ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
      std::string ext = it->path().extension().string();
      if (ext != ".yaml" && ext != ".yml" && ext != ".json") continue;
      found.push_back(it->path());
      if (found.size() > limits.max_files) {
        return make_error(Errc::kLimit, "--manifests: more than {} files", limits.max_files);
      }
    }
    if (ec) return make_error(Errc::kIo, "--manifests {}: {}", root.generic_string(), ec.message());
    std::sort(found.begin(), found.end());  // a stable order whatever the directory says
    for (const auto& p : found) HIVESEC_TRY_STATUS(file(p, true));
    return ok_status();
  }
};

}  // namespace

Result<ManifestInput> load_manifest_input(const std::vector<std::string>& paths, std::istream& in,
                                          const ManifestInputLimits& limits) {
  ManifestInput input;
  input.paths = paths;
  Reader r{limits, input};
  bool stdin_read = false;
  for (const auto& path : paths) {
    if (path == "-") {
      if (stdin_read) continue;
      stdin_read = true;
      std::string content;
      char buf[65536];
      while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        content.append(buf, static_cast<size_t>(in.gcount()));
        if (content.size() > limits.max_stdin) {
          return make_error(Errc::kLimit, "--manifests -: standard input over {} MiB", limits.max_stdin >> 20);
        }
      }
      HIVESEC_TRY_STATUS(r.add("-", content));
      continue;
    }
    std::error_code ec;
    auto st = fs::status(path, ec);
    if (ec || !fs::exists(st)) return make_error(Errc::kNotFound, "--manifests {}: no such file or directory", path);
    if (fs::is_directory(st)) {
      HIVESEC_TRY_STATUS(r.dir(path));
    } else {
      HIVESEC_TRY_STATUS(r.file(path, false));
    }
  }
  auto results = config::evaluate_manifests(input.set);
  if (!results.ok()) return results.error();
  input.results = std::move(results).value();
  return input;
}

}  // namespace hivesec::policy
