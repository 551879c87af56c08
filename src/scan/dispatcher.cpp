#include "scan/dispatcher.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace hivesec::scan {

Status FileDispatcher::dispatch(const analyze::FileInfo& file, const ContentReader& read_content) {
  wanted_.clear();
  for (const auto& a : registry_.all()) {
    if (a->required(file)) wanted_.push_back(a.get());
  }
  if (wanted_.empty()) return ok_status();
  out_.analyzed_paths.emplace_back(file.path);

  int64_t limit = 0;
  for (const auto* a : wanted_) {
    if (file.size <= a->max_size()) {
      limit = std::max(limit, a->max_size());
    } else {
      out_.output.notes.push_back(fmt::format("{}: skipped {} ({} bytes exceeds the {} byte limit)",
                                              a->name(), file.path, file.size, a->max_size()));
    }
  }
  if (limit == 0) return ok_status();
  // Exact-size buffer: std::string's doubling growth would otherwise make peak memory up to twice
  // the largest file analyzed.
  size_t want = static_cast<size_t>(std::min(file.size, limit));
  if (want > buf_.capacity()) {
    std::string().swap(buf_);
    buf_.reserve(want);
  }
  HIVESEC_TRY_STATUS(read_content(buf_, limit));

  for (const auto* a : wanted_) {
    if (file.size > a->max_size()) continue;
    analyze::AnalysisOutput part;
    Status st = a->analyze(file, buf_, part);
    if (!st.ok()) {
      out_.output.notes.push_back(
          fmt::format("{}: {}: {}", a->name(), file.path, st.error().message));
    }
    for (auto& p : part.packages) {
      if (p.location.empty()) p.location = std::string(file.path);
      if (p.found_by.empty()) p.found_by = std::string(a->name());
    }
    for (auto& o : part.os) {
      if (o.os.source.empty()) o.os.source = std::string(file.path);
    }
    for (auto& f : part.package_files) {
      if (f.location.empty()) f.location = std::string(file.path);
    }
    for (auto& f : part.findings) {
      if (f.evidence.path.empty()) f.evidence.path = std::string(file.path);
    }
    out_.output.merge(std::move(part));
  }
  // Do not keep a huge buffer alive for the rest of the layer.
  if (buf_.capacity() > (16u << 20)) std::string().swap(buf_);
  return ok_status();
}

void to_json(nlohmann::json& j, const LayerResult& r) {
  j = nlohmann::json{{"diff_id", r.diff_id},
                     {"output", r.output},
                     {"analyzed_paths", r.analyzed_paths},
                     {"whiteouts", r.whiteouts},
                     {"opaque_dirs", r.opaque_dirs},
                     {"symlinks", r.symlinks},
                     {"entries", r.entries},
                     {"bytes", r.bytes}};
}

void from_json(const nlohmann::json& j, LayerResult& r) {
  j.at("diff_id").get_to(r.diff_id);
  j.at("output").get_to(r.output);
  j.at("analyzed_paths").get_to(r.analyzed_paths);
  j.at("whiteouts").get_to(r.whiteouts);
  j.at("opaque_dirs").get_to(r.opaque_dirs);
  j.at("symlinks").get_to(r.symlinks);
  j.at("entries").get_to(r.entries);
  j.at("bytes").get_to(r.bytes);
}

}  // namespace hivesec::scan
