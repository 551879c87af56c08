#include "analyze/gobinary.h"

#include <cctype>
#include <cstring>
#include <optional>

#include "analyze/builtins.h"
#include "analyze/elf.h"
#include "model/purl.h"

namespace hivesec::analyze {
namespace {

constexpr std::string_view kMagic("\xff Go buildinf:", 14);
constexpr size_t kHeaderSize = 32;
constexpr size_t kAlign = 16;
constexpr size_t kSentinelSize = 16;
constexpr uint8_t kFlagBigEndian = 1;
constexpr uint8_t kFlagInline = 2;

// Finds the 16-byte aligned build info header in `data` (aligned relative to its start).
std::optional<std::string_view> find_header(std::string_view data) {
  size_t pos = 0;
  while (pos < data.size()) {
    size_t i = data.find(kMagic, pos);
    if (i == std::string_view::npos || data.size() - i < kHeaderSize) return std::nullopt;
    if (i % kAlign == 0) return data.substr(i);
    pos = (i + kAlign - 1) / kAlign * kAlign;
  }
  return std::nullopt;
}

// Reads a uvarint-prefixed string from the front of `data` and advances it.
Result<std::string_view> read_inline_string(std::string_view& data) {
  uint64_t len = 0;
  size_t i = 0;
  for (int shift = 0;; shift += 7) {
    if (i >= data.size() || shift > 63) {
      return make_error(Errc::kCorrupt, "bad varint in Go build info");
    }
    auto b = static_cast<unsigned char>(data[i++]);
    len |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) break;
  }
  if (len > kMaxGoModinfoSize) {
    return make_error(Errc::kLimit, "Go build info string of {} bytes", len);
  }
  if (len > data.size() - i) return make_error(Errc::kCorrupt, "truncated Go build info string");
  std::string_view s = data.substr(i, len);
  data.remove_prefix(i + len);
  return s;
}

// Pre-1.18 layout: `ptr` is the address of a Go string header {data, len}.
Result<std::string_view> read_pointed_string(const ElfFile& elf, uint64_t ptr, size_t ptr_size,
                                             bool big_endian) {
  HIVESEC_TRY(std::string_view hdr, elf.read_vaddr(ptr, 2 * ptr_size));
  uint64_t data_ptr = decode_uint(hdr.substr(0, ptr_size), ptr_size, big_endian);
  uint64_t len = decode_uint(hdr.substr(ptr_size, ptr_size), ptr_size, big_endian);
  if (len == 0) return std::string_view();
  if (len > kMaxGoModinfoSize) {
    return make_error(Errc::kLimit, "Go build info string of {} bytes", len);
  }
  return elf.read_vaddr(data_ptr, len);
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (true) {
    size_t j = line.find('\t', i);
    if (j == std::string_view::npos) {
      out.push_back(line.substr(i));
      return out;
    }
    out.push_back(line.substr(i, j - i));
    i = j + 1;
  }
}

// Undoes strconv.Quote for the simple escapes the go command emits in build settings.
std::string unquote(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::string(s);
  std::string out;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 2 < s.size()) {
      char n = s[++i];
      switch (n) {
        case 'n':
          out.push_back('\n');
          break;
        case 't':
          out.push_back('\t');
          break;
        default:
          out.push_back(n);
          break;
      }
    } else {
      out.push_back(c);
    }
  }
  return out;
}

GoModule module_from(const std::vector<std::string_view>& f) {
  GoModule m;
  if (f.size() > 1) m.path = std::string(f[1]);
  if (f.size() > 2) m.version = std::string(f[2]);
  if (f.size() > 3) m.sum = std::string(f[3]);
  return m;
}

}  // namespace

Status parse_go_modinfo(std::string_view text, GoBuildInfo& info) {
  GoModule* last = nullptr;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    auto f = split_tabs(line);
    std::string_view kind = f[0];
    if (kind == "path" && f.size() > 1) {
      info.path = std::string(f[1]);
      last = nullptr;
    } else if (kind == "mod") {
      info.main = module_from(f);
      last = &info.main;
    } else if (kind == "dep") {
      if (info.deps.size() >= kMaxGoDeps) {
        return make_error(Errc::kLimit, "more than {} Go module dependencies", kMaxGoDeps);
      }
      info.deps.push_back(module_from(f));
      last = &info.deps.back();
    } else if (kind == "=>") {
      if (last == nullptr || !last->replace_path.empty()) {
        return make_error(Errc::kCorrupt, "Go module replacement without a module to replace");
      }
      GoModule r = module_from(f);
      last->replace_path = std::move(r.path);
      last->replace_version = std::move(r.version);
      last->replace_sum = std::move(r.sum);
    } else if (kind == "build" && f.size() > 1) {
      // The value may itself hold tabs only when quoted; rejoin the rest of the line.
      std::string_view kv = line.substr(kind.size() + 1);
      size_t eq = kv.find('=', kv.starts_with('"') ? kv.find('"', 1) + 1 : 0);
      if (eq == std::string_view::npos) continue;
      info.settings.emplace_back(unquote(kv.substr(0, eq)), unquote(kv.substr(eq + 1)));
      last = nullptr;
    }
  }
  return ok_status();
}

std::string go_stdlib_version(std::string_view go_version) {
  if (!go_version.starts_with("go")) return {};
  std::string_view v = go_version.substr(2);
  v = v.substr(0, v.find_first_of(" \t"));
  if (v.empty() || !std::isdigit(static_cast<unsigned char>(v[0]))) return {};
  std::string out(v);
  // go1.19 is the first release of 1.19: spell it as 1.19.0 like the Go vulnerability database.
  size_t dots = 0;
  bool digits_and_dots = true;
  for (char c : v) {
    if (c == '.') {
      ++dots;
    } else if (!std::isdigit(static_cast<unsigned char>(c))) {
      digits_and_dots = false;
    }
  }
  if (digits_and_dots && dots == 1) out += ".0";
  return out;
}

Result<GoBuildInfo> read_go_buildinfo(std::string_view file) {
  HIVESEC_TRY(ElfFile elf, ElfFile::parse(file));
  std::optional<std::string_view> header;
  if (const ElfSection* s = elf.find_section(".go.buildinfo")) {
    HIVESEC_TRY(std::string_view data, elf.section_data(*s));
    header = find_header(data);
  }
  if (!header) {
    // Section headers stripped (or section renamed): search the writable data segments.
    for (const auto& p : elf.segments()) {
      if (p.type != ElfFile::kPtLoad ||
          (p.flags & (ElfFile::kPfX | ElfFile::kPfW)) != ElfFile::kPfW) {
        continue;
      }
      if (p.offset > file.size()) continue;
      std::string_view data = file.substr(p.offset, p.filesz);
      header = find_header(data);
      if (header) break;
    }
  }
  if (!header) return make_error(Errc::kNotFound, "no Go build info");

  std::string_view h = *header;
  auto ptr_size = static_cast<size_t>(static_cast<unsigned char>(h[14]));
  auto flags = static_cast<uint8_t>(h[15]);
  std::string_view version, modinfo;
  if (flags & kFlagInline) {
    std::string_view rest = h.substr(kHeaderSize);
    HIVESEC_TRY(version, read_inline_string(rest));
    HIVESEC_TRY(modinfo, read_inline_string(rest));
  } else {
    if (ptr_size != 4 && ptr_size != 8) {
      return make_error(Errc::kCorrupt, "bad Go build info pointer size {}", ptr_size);
    }
    bool big_endian = (flags & kFlagBigEndian) != 0;
    uint64_t vptr = decode_uint(h.substr(16, ptr_size), ptr_size, big_endian);
    uint64_t mptr = decode_uint(h.substr(16 + ptr_size, ptr_size), ptr_size, big_endian);
    HIVESEC_TRY(version, read_pointed_string(elf, vptr, ptr_size, big_endian));
    HIVESEC_TRY(modinfo, read_pointed_string(elf, mptr, ptr_size, big_endian));
  }
  if (version.empty()) return make_error(Errc::kCorrupt, "Go build info without a Go version");

  GoBuildInfo info;
  info.go_version = std::string(version);
  // The module info is framed by sentinels; the go command puts a newline before the last one.
  if (modinfo.size() >= 2 * kSentinelSize + 1 &&
      modinfo[modinfo.size() - kSentinelSize - 1] == '\n') {
    std::string_view text = modinfo.substr(kSentinelSize, modinfo.size() - 2 * kSentinelSize);
    HIVESEC_TRY_STATUS(parse_go_modinfo(text, info));
  }
  return info;
}

namespace {

// Build settings worth keeping on the main module.
constexpr std::string_view kKeptSettings[] = {"GOOS",         "GOARCH",       "CGO_ENABLED",
                                              "vcs",          "vcs.revision", "vcs.time",
                                              "vcs.modified", "-compiler",    "GOEXPERIMENT"};

model::Package go_package(std::string_view path, std::string_view version,
                          const GoBuildInfo& info) {
  model::Package p;
  p.type = "golang";
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) {
    p.name = std::string(path);
  } else {
    p.namespace_ = std::string(path.substr(0, slash));
    p.name = std::string(path.substr(slash + 1));
  }
  p.version = std::string(version);
  p.purl = model::make_purl("golang", p.namespace_, p.name, p.version);
  p.metadata["go_version"] = info.go_version;
  if (!info.main.path.empty()) p.metadata["main_module"] = info.main.path;
  return p;
}

class GoBinaryAnalyzer final : public Analyzer {
 public:
  std::string_view name() const override { return "gobinary"; }
  int version() const override { return 1; }
  bool required(const FileInfo& file) const override { return is_binary_candidate(file); }
  int64_t max_size() const override { return kMaxBinarySize; }

  Status analyze(const FileInfo& file, std::string_view content,
                 AnalysisOutput& out) const override {
    (void)file;
    if (!is_elf(content)) return ok_status();
    auto info = read_go_buildinfo(content);
    if (!info.ok()) {
      if (info.error().code == Errc::kNotFound) return ok_status();
      return std::move(info).error().wrap("Go build info");
    }
    const GoBuildInfo& bi = *info;

    if (!bi.main.path.empty()) {
      // "(devel)": built from a checkout, no module version is known.
      std::string_view v = bi.main.version == "(devel)" ? "" : std::string_view(bi.main.version);
      model::Package p = go_package(bi.main.path, v, bi);
      p.metadata["main"] = "true";
      if (!bi.main.sum.empty()) p.metadata["sum"] = bi.main.sum;
      for (const auto& [k, val] : bi.settings) {
        for (std::string_view keep : kKeptSettings) {
          if (k == keep) p.metadata["build:" + k] = val;
        }
      }
      out.packages.push_back(std::move(p));
    }
    for (const GoModule& d : bi.deps) {
      model::Package p;
      // A local directory replacement has no version ("" or "(devel)").
      bool local = d.replace_version.empty() || d.replace_version == "(devel)";
      if (!d.replace_path.empty() && !local) {
        // Replaced by another module version: that code is what was linked in.
        p = go_package(d.replace_path, d.replace_version, bi);
        p.metadata["replaces"] = d.path + "@" + d.version;
        if (!d.replace_sum.empty()) p.metadata["sum"] = d.replace_sum;
      } else {
        p = go_package(d.path, d.version, bi);
        // Replaced by a local directory: keep the required identity, note the directory.
        if (!d.replace_path.empty()) p.metadata["replace_path"] = d.replace_path;
        if (!d.sum.empty()) p.metadata["sum"] = d.sum;
      }
      out.packages.push_back(std::move(p));
    }
    model::Package stdlib = go_package("stdlib", go_stdlib_version(bi.go_version), bi);
    out.packages.push_back(std::move(stdlib));
    return ok_status();
  }
};

}  // namespace

std::unique_ptr<Analyzer> make_gobinary_analyzer() { return std::make_unique<GoBinaryAnalyzer>(); }

}  // namespace hivesec::analyze
