// read_sbom: bounds, format detection through the FormatRegistry, then the steps every format
// shares (OS from purls, Go stdlib, order, asset).
#include "sbom/reader.h"

#include "common/time.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <set>
#include <tuple>

#include "analyze/gobinary.h"
#include "common/hash.h"
#include "common/json.h"
#include "model/purl.h"
#include "sbom/component.h"
#include "sbom/format.h"
#include "scan/inventory.h"

namespace hivesec::sbom {

namespace {

// JSON nesting allowed: room for kMaxComponentDepth levels of components (two JSON levels
// each) plus their properties, so the component bound is the one that reports.
constexpr int kMaxSbomJsonDepth = 2 * kMaxComponentDepth + 16;

// The OS most deb/rpm/apk purls name in their distro qualifier (with trivy's bare version, the
// family comes from the purl namespace).
model::OsInfo os_from_purls(const std::vector<model::Package>& packages) {
  std::map<std::pair<std::string, std::string>, size_t> votes;
  for (const auto& p : packages) {
    if (!is_os_package_type(p.type)) continue;
    auto purl = model::parse_purl(p.purl);
    if (!purl.ok()) continue;
    auto q = purl->qualifiers.find("distro");
    if (q == purl->qualifiers.end()) continue;
    auto [family, version] = split_distro(q->second);
    if (version.empty()) continue;  // a codename alone says too little
    if (family.empty()) family = normalize_os_family(purl->namespace_);
    if (!family.empty()) ++votes[{family, version}];
  }
  model::OsInfo os;
  size_t best = 0;
  for (const auto& [key, n] : votes) {
    if (n > best) {
      best = n;
      os.family = key.first;
      os.version = key.second;
    }
  }
  if (!os.empty()) os.source = "purl distro qualifier";
  return os;
}

bool is_go_stdlib(const model::Package& p) {
  return p.type == "golang" && p.name == "stdlib" && p.namespace_.empty();
}

// Go binaries: the stdlib pseudo-package carries the toolchain version like the gobinary
// analyzer's ("1.19.8", metadata go_version "go1.19.8"); modules of a binary whose SBOM names its
// toolchain but lists no stdlib get one, so the toolchain can be matched.
void complete_go(std::vector<model::Package>& packages) {
  std::map<std::string, std::string> toolchain_at;  // location -> go_version of its stdlib
  for (auto& p : packages) {
    if (!is_go_stdlib(p)) continue;
    std::string_view v = p.version;
    if (v.starts_with("go")) v.remove_prefix(2);
    if (v.starts_with("v")) v.remove_prefix(1);
    p.version = std::string(v);
    if (p.metadata["go_version"].empty()) {
      if (p.version.empty()) {
        p.metadata.erase("go_version");
      } else {
        p.metadata["go_version"] = "go" + p.version;
      }
    }
    auto it = p.metadata.find("go_version");
    toolchain_at.emplace(p.location, it == p.metadata.end() ? "" : it->second);
  }
  std::vector<model::Package> added;
  std::set<std::string> added_at;
  for (auto& p : packages) {
    if (p.type != "golang" || is_go_stdlib(p)) continue;
    auto tc = toolchain_at.find(p.location);
    std::string& go = p.metadata["go_version"];
    if (go.empty() && tc != toolchain_at.end() && !p.location.empty()) go = tc->second;
    if (go.empty()) {
      p.metadata.erase("go_version");
      continue;
    }
    if (tc != toolchain_at.end() || !added_at.insert(p.location).second) continue;
    std::string version = analyze::go_stdlib_version(go);
    if (version.empty()) continue;
    model::Package s;
    s.type = "golang";
    s.name = "stdlib";
    s.version = version;
    s.purl = model::make_purl("golang", "", "stdlib", version);
    s.location = p.location;
    s.layer = p.layer;
    s.found_by = "sbom";
    s.metadata["go_version"] = go;
    if (auto m = p.metadata.find("main_module"); m != p.metadata.end()) {
      s.metadata["main_module"] = m->second;
    }
    added.push_back(std::move(s));
  }
  for (auto& s : added) packages.push_back(std::move(s));
}

model::ScanResult complete(SbomContent content, std::string_view bytes, std::string_view name) {
  model::ScanResult r;
  r.asset.kind = model::AssetKind::kSbom;
  r.asset.id = sha256_digest(bytes);
  r.asset.name = content.subject.empty() ? std::string(name) : content.subject;
  r.asset.labels["sbom_format"] = content.format;
  r.asset.labels["sbom_file"] = std::string(name);
  r.scanned_at = now_rfc3339();

  r.os = std::move(content.os);
  model::OsInfo from_purls = os_from_purls(content.packages);
  if (r.os.empty()) {
    r.os = std::move(from_purls);
  } else if (r.os.version.empty() && from_purls.family == r.os.family) {
    r.os.version = from_purls.version;
  }
  bool os_packages = std::any_of(content.packages.begin(), content.packages.end(),
                                 [](const auto& p) { return is_os_package_type(p.type); });
  if (r.os.empty() && os_packages) {
    content.notes.push_back(
        "the SBOM names no OS release (no operating-system component, no distro qualifier "
        "in the purls): OS packages cannot be matched to a distribution's advisories");
  }

  complete_go(content.packages);
  std::sort(content.packages.begin(), content.packages.end(),
            [](const model::Package& a, const model::Package& b) {
              return std::tie(a.type, a.name, a.version, a.arch, a.location) <
                     std::tie(b.type, b.name, b.version, b.arch, b.location);
            });
  r.packages = std::move(content.packages);
  if (content.skipped > 0) {
    content.notes.push_back(
        fmt::format("{} SBOM entr{} skipped: no purl, and no type, name and version to build one",
                    content.skipped, content.skipped == 1 ? "y" : "ies"));
  }
  r.notes = std::move(content.notes);
  return r;
}

Result<model::ScanResult> read_bytes(std::string_view bytes, std::string_view name) {
  if (bytes.size() > kMaxSbomBytes) {
    return make_error(Errc::kLimit, "larger than {} MiB", kMaxSbomBytes >> 20);
  }
  std::string_view text = bytes;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return make_error(Errc::kInvalidArgument, "empty document");

  SbomInput in{text, name, nullptr};
  nlohmann::json doc;
  if (text[first] == '{' || text[first] == '[') {
    auto parsed = parse_json_bounded(text, kMaxSbomJsonDepth);
    if (!parsed.ok()) {
      Error e = std::move(parsed).error();
      if (e.code == Errc::kCorrupt) e.code = Errc::kInvalidArgument;
      return e;
    }
    doc = std::move(*parsed);
    in.json = &doc;
  }
  FormatRegistry formats;
  HIVESEC_TRY_STATUS(register_builtin_formats(formats));
  const FormatReader* reader = formats.detect(in);
  if (!reader) {
    std::string known;
    for (const auto& n : formats.names()) known += (known.empty() ? "" : ", ") + n;
    return make_error(Errc::kUnsupported, "not a known SBOM format (known: {})", known);
  }
  Result<SbomContent> content = make_error(Errc::kInternal, "not read");
  try {
    content = reader->read(in);
  } catch (const std::exception& e) {
    // Readers check types before use; this is the boundary that keeps a missed case one line.
    return make_error(Errc::kInvalidArgument, "{}: malformed document: {}", reader->name(),
                      e.what());
  }
  if (!content.ok()) return std::move(content).error();
  return complete(std::move(*content), bytes, name);
}

}  // namespace

Result<model::ScanResult> read_sbom_bytes(std::string_view bytes, std::string_view name) {
  auto r = read_bytes(bytes, name);
  if (r.ok()) return r;
  Error e = std::move(r).error().wrap(name);
  // Messages quote document text (versions, names): keep them one line.
  for (char& c : e.message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return e;
}

Result<model::ScanResult> read_sbom(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    return make_error(err == ENOENT ? Errc::kNotFound : Errc::kIo, "{}: {}", path,
                      std::strerror(err));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return make_error(Errc::kIo, "{}: {}", path, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) {
    return make_error(Errc::kInvalidArgument, "{}: not a regular file", path);
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxSbomBytes) {
    return make_error(Errc::kLimit, "{}: larger than {} MiB", path, kMaxSbomBytes >> 20);
  }
  std::string data;
  data.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < data.size()) {
    ssize_t n = ::read(fd, data.data() + got, data.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error(Errc::kIo, "{}: {}", path, std::strerror(errno));
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  data.resize(got);
  return read_sbom_bytes(data, path);
}

}  // namespace hivesec::sbom
