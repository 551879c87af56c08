// rpm: installed packages of Red Hat-family and SUSE images, from any of rpm's databases:
//   var/lib/rpm/rpmdb.sqlite    (rpm >= 4.16; also usr/lib/sysimage/rpm/rpmdb.sqlite)
//   var/lib/rpm/Packages        (Berkeley DB hash, rpm < 4.16)
//   var/lib/rpm/Packages.db     (ndb, SUSE; also under usr/lib/sysimage/rpm)
// Unreadable databases produce an explicit note, never a silent empty result.
// purl and namespace are left empty: the pipeline fills them once the OS is known.
#include <string>
#include <string_view>

#include "analyze/analyzer.h"
#include "analyze/builtins.h"
#include "analyze/rpm_db.h"

namespace hivesec::analyze {
namespace {

enum class Format { kSqlite, kBdb, kNdb, kNone };

Format classify(std::string_view path) {
  for (std::string_view dir : {"var/lib/rpm/", "usr/lib/sysimage/rpm/"}) {
    if (path.substr(0, dir.size()) != dir) continue;
    std::string_view base = path.substr(dir.size());
    if (base == "rpmdb.sqlite") return Format::kSqlite;
    if (base == "Packages") return Format::kBdb;
    if (base == "Packages.db") return Format::kNdb;
  }
  return Format::kNone;
}

std::string_view format_name(Format f) {
  switch (f) {
    case Format::kSqlite:
      return "sqlite";
    case Format::kBdb:
      return "Berkeley DB";
    case Format::kNdb:
      return "ndb";
    case Format::kNone:
      break;
  }
  return "unknown";
}

std::string evr(const rpm::HeaderInfo& h, std::string_view version, std::string_view release) {
  std::string out;
  if (h.epoch) out = fmt::format("{}:", *h.epoch);
  out.append(version);
  if (!release.empty()) {
    out.push_back('-');
    out.append(release);
  }
  return out;
}

class RpmAnalyzer final : public Analyzer {
 public:
  std::string_view name() const override { return "rpm"; }
  int version() const override { return 1; }
  bool required(const FileInfo& file) const override {
    return file.type == FileType::kRegular && classify(file.path) != Format::kNone;
  }
  int64_t max_size() const override { return 512ll << 20; }

  Status analyze(const FileInfo& file, std::string_view content,
                 AnalysisOutput& out) const override {
    Format format = classify(file.path);
    size_t skipped = 0, bad = 0, pubkeys = 0, found = 0;
    Error first_bad;
    auto on_blob = [&](std::string_view blob) {
      auto h = rpm::parse_header(blob);
      if (!h.ok()) {
        // rpm's BDB Packages keeps a 4-byte counter under key 0: not a header.
        if (blob.size() >= 8) {
          if (bad++ == 0) first_bad = h.error();
        }
        return;
      }
      if (h->name == "gpg-pubkey") {
        ++pubkeys;
        return;
      }
      ++found;
      add_package(file.path, std::move(*h), out);
    };
    Status st = ok_status();
    switch (format) {
      case Format::kSqlite:
        st = rpm::read_sqlite(content, on_blob, skipped);
        break;
      case Format::kBdb:
        st = rpm::read_bdb(content, on_blob, skipped);
        break;
      case Format::kNdb:
        st = rpm::read_ndb(content, on_blob, skipped);
        break;
      case Format::kNone:
        return ok_status();
    }
    if (!st.ok()) {
      out.notes.push_back(fmt::format("rpm: {}: {} format not supported or unreadable: {}",
                                      file.path, format_name(format), st.error().message));
      return ok_status();
    }
    if (skipped > 0 || bad > 0) {
      out.notes.push_back(fmt::format("rpm: {}: {} unreadable record(s){}", file.path,
                                      skipped + bad,
                                      bad > 0 ? ", first: " + first_bad.message : ""));
    }
    if (found == 0 && pubkeys == 0) {
      out.notes.push_back(fmt::format("rpm: {}: no package found in the {} database", file.path,
                                      format_name(format)));
    }
    return ok_status();
  }

 private:
  static void add_package(std::string_view location, rpm::HeaderInfo h, AnalysisOutput& out) {
    model::Package p;
    p.type = "rpm";
    p.name = h.name;
    p.version = evr(h, h.version, h.release);
    p.arch = h.arch;
    std::string sname, sver, srel;
    if (rpm::split_srpm(h.sourcerpm, sname, sver, srel)) {
      p.source_name = sname;
      p.source_version = evr(h, sver, srel);
    } else {
      p.source_name = p.name;
      p.source_version = p.version;
    }
    if (!h.license.empty()) p.licenses.push_back(h.license);
    if (!h.vendor.empty()) p.metadata["vendor"] = h.vendor;
    if (!h.sourcerpm.empty()) p.metadata["sourcerpm"] = h.sourcerpm;
    p.location = std::string(location);
    if (!h.files.empty()) {
      PackageFiles pf;
      pf.type = "rpm";
      pf.package = p.name;
      pf.location = std::string(location);
      pf.files = std::move(h.files);
      out.package_files.push_back(std::move(pf));
    }
    out.packages.push_back(std::move(p));
  }
};

}  // namespace

std::unique_ptr<Analyzer> make_rpm_analyzer() { return std::make_unique<RpmAnalyzer>(); }

}  // namespace hivesec::analyze
