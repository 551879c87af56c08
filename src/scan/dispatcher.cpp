#include "scan/dispatcher.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace hivesec::scan {

Status FileDispatcher::read_whole(const ContentReader& read, size_t want) {
  // Exact-size buffer: std::string's doubling growth would otherwise make peak memory up to twice
  // the largest file analyzed.
  if (want > buf_.capacity()) {
    std::string().swap(buf_);
    buf_.reserve(want);
  }
  buf_.resize(want);
  size_t got = 0;
  while (got < want) {
    HIVESEC_TRY(size_t n, read(buf_.data() + got, want - got));
    if (n == 0) break;
    got += n;
  }
  buf_.resize(got);
  return ok_status();
}

void FileDispatcher::collect(const analyze::Analyzer& a, const analyze::FileInfo& file, Status st,
                             analyze::AnalysisOutput&& part) {
  if (!st.ok()) {
    out_.output.notes.push_back(fmt::format("{}: {}: {}", a.name(), file.path, st.error().message));
  }
  for (auto& p : part.packages) {
    if (p.location.empty()) p.location = std::string(file.path);
    if (p.found_by.empty()) p.found_by = std::string(a.name());
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

Status FileDispatcher::dispatch(const analyze::FileInfo& file, const ContentReader& read_content) {
  wanted_.clear();
  for (const auto& a : registry_.all()) {
    if (a->required(file)) wanted_.push_back(a.get());
  }
  if (wanted_.empty()) return ok_status();
  out_.analyzed_paths.emplace_back(file.path);

  // Sort the takers: metadata-only analyzers run now, whole-content ones share one buffer,
  // streaming ones get chunks. Files over an analyzer's limit are skipped with a note.
  whole_.clear();
  streams_.clear();
  int64_t limit = 0;
  for (const auto* a : wanted_) {
    if (a->max_size() == 0 && !a->open_stream(file)) {
      analyze::AnalysisOutput part;
      Status st = a->analyze(file, {}, part);
      collect(*a, file, std::move(st), std::move(part));
      continue;
    }
    if (file.size > a->max_size()) {
      out_.output.notes.push_back(fmt::format("{}: skipped {} ({} bytes exceeds the {} byte limit)",
                                              a->name(), file.path, file.size, a->max_size()));
      continue;
    }
    if (auto stream = a->open_stream(file)) {
      streams_.emplace_back(a, std::move(stream));
    } else {
      whole_.push_back(a);
      limit = std::max(limit, a->max_size());
    }
  }
  if (whole_.empty() && streams_.empty()) return ok_status();

  // A stream that failed stops being fed; its error becomes a note.
  std::vector<Status> stream_status(streams_.size(), ok_status());
  auto feed = [&](std::string_view chunk) {
    for (size_t i = 0; i < streams_.size(); ++i) {
      if (stream_status[i].ok()) stream_status[i] = streams_[i].second->feed(chunk);
    }
  };

  if (!whole_.empty()) {
    // Every whole-content taker accepted the file's size, so the buffer holds all of it.
    HIVESEC_TRY_STATUS(read_whole(read_content, static_cast<size_t>(std::min(file.size, limit))));
    for (const auto* a : whole_) {
      analyze::AnalysisOutput part;
      Status st = a->analyze(file, buf_, part);
      collect(*a, file, std::move(st), std::move(part));
    }
    if (!streams_.empty()) feed(buf_);
  } else {
    if (buf_.capacity() < kChunk) buf_.reserve(kChunk);
    while (true) {
      buf_.resize(kChunk);
      HIVESEC_TRY(size_t n, read_content(buf_.data(), kChunk));
      if (n == 0) break;
      feed(std::string_view(buf_.data(), n));
    }
  }
  for (size_t i = 0; i < streams_.size(); ++i) {
    analyze::AnalysisOutput part;
    Status st = stream_status[i].ok() ? streams_[i].second->finish(part) : stream_status[i];
    collect(*streams_[i].first, file, std::move(st), std::move(part));
  }
  streams_.clear();
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
