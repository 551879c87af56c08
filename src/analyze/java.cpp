#include "analyze/java.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyze/builtins.h"
#include "common/paths.h"
#include "model/purl.h"

namespace hivesec::analyze {
namespace {

constexpr std::string_view kArchiveExtensions[] = {".jar", ".war", ".ear", ".par", ".jpi", ".hpi"};

bool iends_with(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  s = s.substr(s.size() - suffix.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(suffix[i]))) {
      return false;
    }
  }
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && iends_with(a, b);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

// Shared by all levels of one outer archive.
struct Budget {
  const JarLimits& limits;
  int64_t bytes_read = 0;
  size_t entries = 0;
};

struct Coordinates {
  std::string group, artifact, version;
};

// java.util.Properties, the subset Maven writes: key=value or key:value, '#'/'!' comments.
std::map<std::string, std::string> parse_properties(std::string_view text) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty() || line[0] == '#' || line[0] == '!') continue;
    size_t sep = line.find_first_of("=:");
    if (sep == std::string_view::npos) continue;
    out[std::string(trim(line.substr(0, sep)))] = std::string(trim(line.substr(sep + 1)));
  }
  return out;
}

// The main section of a JAR manifest; continuation lines start with one space.
std::map<std::string, std::string> parse_manifest(std::string_view text) {
  std::map<std::string, std::string> out;
  std::string* last = nullptr;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // end of the main section
    if (line[0] == ' ') {
      if (last) last->append(line.substr(1));
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      last = nullptr;
      continue;
    }
    std::string key(trim(line.substr(0, colon)));
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    last = &(out[key] = std::string(trim(line.substr(colon + 1))));
  }
  return out;
}

// "commons-lang3-3.12.0.jar" -> {commons-lang3, 3.12.0}: the version starts at the first '-'
// followed by a digit.
Coordinates from_file_name(std::string_view file_name) {
  Coordinates c;
  size_t dot = file_name.rfind('.');
  std::string_view stem = file_name.substr(0, dot);
  for (size_t i = 0; i + 1 < stem.size(); ++i) {
    if (stem[i] == '-' && std::isdigit(static_cast<unsigned char>(stem[i + 1]))) {
      c.artifact = std::string(stem.substr(0, i));
      c.version = std::string(stem.substr(i + 1));
      return c;
    }
  }
  c.artifact = std::string(stem);
  return c;
}

Coordinates from_manifest(const std::map<std::string, std::string>& m, std::string_view file_name) {
  auto get = [&](const char* key) {
    auto it = m.find(key);
    return it == m.end() ? std::string() : it->second;
  };
  Coordinates c;
  Coordinates f = from_file_name(file_name);
  std::string title = get("implementation-title");
  std::string bundle = get("bundle-symbolicname");
  bundle = std::string(trim(bundle.substr(0, bundle.find(';'))));
  // A human title ("Apache Commons IO") is a poor artifact id; prefer an identifier.
  if (!title.empty() && title.find(' ') == std::string::npos) {
    c.artifact = title;
  } else if (!bundle.empty()) {
    c.artifact = bundle;
  } else {
    c.artifact = f.artifact;
  }
  c.version = get("implementation-version");
  if (c.version.empty()) c.version = get("bundle-version");
  c.group = get("implementation-vendor-id");
  return c;
}

model::Package maven_package(const Coordinates& c, std::string_view source,
                             std::string_view jar_path) {
  model::Package p;
  p.type = "maven";
  p.namespace_ = c.group;
  p.name = c.artifact;
  p.version = c.version;
  p.purl = model::make_purl("maven", c.group, c.artifact, c.version);
  p.metadata["source"] = std::string(source);
  if (!jar_path.empty()) p.metadata["jar_path"] = std::string(jar_path);
  return p;
}

// META-INF/maven/<group>/<artifact>/pom.properties
bool is_pom_properties(std::string_view path) {
  if (!path.starts_with("META-INF/maven/") || !path.ends_with("/pom.properties")) return false;
  return std::count(path.begin(), path.end(), '/') == 4;
}

// Reads the current entry's data, at most `cap` bytes. Fails with kLimit when the entry is
// larger, kCorrupt when it cannot be decompressed.
Result<std::string> read_entry(archive* a, int64_t cap, Budget& budget) {
  std::string data;
  char buf[64 * 1024];
  while (true) {
    la_ssize_t n = archive_read_data(a, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      const char* msg = archive_error_string(a);
      return make_error(Errc::kCorrupt, "{}", msg ? msg : "read error");
    }
    if (static_cast<int64_t>(data.size()) + n > cap) {
      return make_error(Errc::kLimit, "entry larger than {} bytes", cap);
    }
    budget.bytes_read += n;
    if (budget.bytes_read > budget.limits.max_total_bytes) {
      return make_error(Errc::kLimit, "more than {} decompressed bytes in one archive",
                        budget.limits.max_total_bytes);
    }
    data.append(buf, static_cast<size_t>(n));
  }
  return data;
}

Status read_level(std::string_view content, std::string_view file_name, std::string_view jar_path,
                  int depth, Budget& budget, AnalysisOutput& out) {
  ArchivePtr a(archive_read_new());
  if (!a) return make_error(Errc::kInternal, "archive_read_new failed");
  archive_read_support_format_zip(a.get());
  if (archive_read_open_memory(a.get(), content.data(), content.size()) != ARCHIVE_OK) {
    const char* msg = archive_error_string(a.get());
    return make_error(Errc::kCorrupt, "not a readable zip: {}", msg ? msg : "unknown error");
  }
  std::vector<Coordinates> poms;
  std::string manifest;
  bool have_manifest = false;
  auto note = [&](std::string_view entry, std::string_view what) {
    std::string where =
        jar_path.empty() ? std::string(entry) : fmt::format("{}!/{}", jar_path, entry);
    out.notes.push_back(fmt::format("java: {}: {}", where, what));
  };

  Status result = ok_status();
  while (true) {
    archive_entry* e = nullptr;
    int rc = archive_read_next_header(a.get(), &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      const char* msg = archive_error_string(a.get());
      result = make_error(Errc::kCorrupt, "bad zip entry: {}", msg ? msg : "unknown error");
      break;
    }
    if (++budget.entries > budget.limits.max_entries) {
      result = make_error(Errc::kLimit, "more than {} zip entries", budget.limits.max_entries);
      break;
    }
    if (archive_entry_filetype(e) != AE_IFREG) continue;
    const char* raw = archive_entry_pathname(e);
    if (raw == nullptr) continue;
    std::string_view path(raw);
    while (path.starts_with("/") || path.starts_with("./"))
      path.remove_prefix(path[0] == '/' ? 1 : 2);

    bool pom = is_pom_properties(path);
    bool mf = iequals(path, "META-INF/MANIFEST.MF");
    bool nested = is_java_archive_name(path);
    if (!pom && !mf && !nested) continue;

    if (pom || mf) {
      auto text = read_entry(a.get(), budget.limits.max_text_size, budget);
      if (!text.ok()) {
        note(path, text.error().message);
        if (budget.bytes_read > budget.limits.max_total_bytes) {
          result = std::move(text).error();
          break;
        }
        continue;
      }
      if (pom) {
        auto props = parse_properties(*text);
        Coordinates c{props["groupId"], props["artifactId"], props["version"]};
        if (!c.artifact.empty() && !c.version.empty()) poms.push_back(std::move(c));
      } else {
        manifest = std::move(*text);
        have_manifest = true;
      }
      continue;
    }

    // A nested archive.
    std::string child_path =
        jar_path.empty() ? std::string(path) : fmt::format("{}!/{}", jar_path, path);
    if (depth + 1 > budget.limits.max_depth) {
      note(path, fmt::format("nested deeper than {} archives; skipped", budget.limits.max_depth));
      continue;
    }
    auto data = read_entry(a.get(), budget.limits.max_nested_size, budget);
    if (!data.ok()) {
      note(path, data.error().message);
      if (budget.bytes_read > budget.limits.max_total_bytes) {
        result = std::move(data).error();
        break;
      }
      continue;
    }
    Status st = read_level(*data, base_name(path), child_path, depth + 1, budget, out);
    if (!st.ok()) {
      note(path, st.error().message);
      if (budget.bytes_read > budget.limits.max_total_bytes ||
          budget.entries > budget.limits.max_entries) {
        result = std::move(st).error().wrap(child_path);
        break;
      }
    }
  }

  // Coordinates of this archive: every pom.properties, else the manifest, else the file name.
  if (!poms.empty()) {
    for (const auto& c : poms) out.packages.push_back(maven_package(c, "pom.properties", jar_path));
  } else {
    Coordinates c;
    std::string_view source;
    if (have_manifest) {
      c = from_manifest(parse_manifest(manifest), file_name);
      source = "MANIFEST.MF";
    }
    if (c.version.empty()) {
      Coordinates f = from_file_name(file_name);
      if (c.artifact.empty()) c.artifact = f.artifact;
      c.version = f.version;
      source = "file name";
    }
    if (!c.artifact.empty() && !c.version.empty()) {
      out.packages.push_back(maven_package(c, source, jar_path));
    }
  }
  return result;
}

class JavaAnalyzer final : public Analyzer {
 public:
  std::string_view name() const override { return "java"; }
  int version() const override { return 1; }
  bool required(const FileInfo& file) const override {
    return file.type == FileType::kRegular && is_java_archive_name(file.path);
  }
  int64_t max_size() const override { return 256ll << 20; }
  Status analyze(const FileInfo& file, std::string_view content,
                 AnalysisOutput& out) const override {
    return read_java_archive(content, base_name(file.path), JarLimits{}, out);
  }
};

}  // namespace

bool is_java_archive_name(std::string_view name) {
  for (std::string_view ext : kArchiveExtensions) {
    if (iends_with(name, ext)) return true;
  }
  return false;
}

Status read_java_archive(std::string_view content, std::string_view file_name,
                         const JarLimits& limits, AnalysisOutput& out) {
  Budget budget{limits};
  return read_level(content, file_name, "", 0, budget, out);
}

std::unique_ptr<Analyzer> make_java_analyzer() { return std::make_unique<JavaAnalyzer>(); }

}  // namespace hivesec::analyze
