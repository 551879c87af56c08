#include "scan/testing/test_layers.h"

#include <archive.h>
#include <archive_entry.h>

#include <sstream>

#include "common/paths.h"

namespace hivesec::scan::testing {

std::string make_tar(const std::vector<TarItem>& items, const std::string& filter) {
  std::string out;
  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (filter == "gzip") archive_write_add_filter_gzip(a);
  if (filter == "zstd") archive_write_add_filter_zstd(a);
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open(
      a, &out, nullptr,
      [](struct archive*, void* ctx, const void* buf, size_t n) -> la_ssize_t {
        static_cast<std::string*>(ctx)->append(static_cast<const char*>(buf), n);
        return static_cast<la_ssize_t>(n);
      },
      nullptr);
  for (const auto& it : items) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, it.path.c_str());
    archive_entry_set_perm(e, it.mode);
    switch (it.kind) {
      case TarItem::kFile:
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_size(e, static_cast<la_int64_t>(it.data.size()));
        break;
      case TarItem::kDir:
        archive_entry_set_filetype(e, AE_IFDIR);
        break;
      case TarItem::kSymlink:
        archive_entry_set_filetype(e, AE_IFLNK);
        archive_entry_set_symlink(e, it.data.c_str());
        break;
      case TarItem::kHardlink:
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_hardlink(e, it.data.c_str());
        break;
    }
    archive_write_header(a, e);
    if (it.kind == TarItem::kFile) archive_write_data(a, it.data.data(), it.data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

bool LinesAnalyzer::required(const analyze::FileInfo& f) const {
  return base_name(f.path) == "pkgs.txt";
}

Status LinesAnalyzer::analyze(const analyze::FileInfo&, std::string_view content,
                              analyze::AnalysisOutput& out) const {
  std::istringstream in{std::string(content)};
  std::string name, version;
  while (in >> name >> version) {
    model::Package p;
    p.type = "test";
    p.name = name;
    p.version = version;
    p.purl = "pkg:generic/" + name + "@" + version;
    out.packages.push_back(std::move(p));
  }
  return ok_status();
}

}  // namespace hivesec::scan::testing
