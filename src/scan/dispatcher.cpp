#include "scan/dispatcher.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace hivesec::scan {

FileDispatcher::FileDispatcher(const analyze::Registry& registry, LayerResult& out, bool async)
    : registry_(registry), out_(out), async_(async) {
  for (const auto& a : registry_.all()) {
    if (auto pass = a->open_layer()) passes_.emplace_back(a.get(), std::move(pass));
  }
}

FileDispatcher::~FileDispatcher() {
  if (worker_.joinable()) {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
      queue_.clear();
    }
    cv_.notify_all();
    worker_.join();
  }
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

Status FileDispatcher::analyze_whole(const analyze::Analyzer& a, const analyze::FileInfo& file,
                                     std::string_view content, analyze::AnalysisOutput& part) {
  for (auto& [owner, pass] : passes_) {
    if (owner == &a) return pass->analyze(file, content, part);
  }
  return a.analyze(file, content, part);
}

bool FileDispatcher::plan(const analyze::FileInfo& file,
                          const std::vector<const analyze::Analyzer*>& wanted,
                          int64_t* content_bytes) {
  // Metadata-only analyzers run now, whole-content ones share one buffer, streaming ones get
  // chunks. Files over an analyzer's limit are skipped with a note.
  whole_.clear();
  streams_.clear();
  int64_t whole_limit = 0;
  for (const auto* a : wanted) {
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
      whole_limit = std::max(whole_limit, a->max_size());
    }
  }
  *content_bytes = whole_.empty() ? file.size : std::min(file.size, whole_limit);
  return !whole_.empty() || !streams_.empty();
}

void FileDispatcher::analyze_in_memory(const analyze::FileInfo& file,
                                       const std::vector<const analyze::Analyzer*>& wanted,
                                       std::string_view content) {
  int64_t want = 0;
  if (!plan(file, wanted, &want)) return;
  // A stream that failed stops being fed; its error becomes a note.
  std::vector<Status> stream_status(streams_.size(), ok_status());
  for (size_t off = 0; off < content.size() && !streams_.empty(); off += kChunk) {
    std::string_view chunk = content.substr(off, kChunk);
    for (size_t i = 0; i < streams_.size(); ++i) {
      if (stream_status[i].ok()) stream_status[i] = streams_[i].second->feed(chunk);
    }
  }
  for (const auto* a : whole_) {
    analyze::AnalysisOutput part;
    Status st = analyze_whole(*a, file, content.substr(0, static_cast<size_t>(want)), part);
    collect(*a, file, std::move(st), std::move(part));
  }
  for (size_t i = 0; i < streams_.size(); ++i) {
    analyze::AnalysisOutput part;
    Status st = stream_status[i].ok() ? streams_[i].second->finish(part) : stream_status[i];
    collect(*streams_[i].first, file, std::move(st), std::move(part));
  }
  streams_.clear();
}

Status FileDispatcher::analyze_streaming(const analyze::FileInfo& file,
                                         const std::vector<const analyze::Analyzer*>& wanted,
                                         const ContentReader& read_content) {
  int64_t want = 0;
  if (!plan(file, wanted, &want)) return ok_status();
  std::vector<Status> stream_status(streams_.size(), ok_status());
  auto feed = [&](std::string_view chunk) {
    for (size_t i = 0; i < streams_.size(); ++i) {
      if (stream_status[i].ok()) stream_status[i] = streams_[i].second->feed(chunk);
    }
  };
  if (!whole_.empty()) {
    // Every whole-content taker accepted the file's size, so the buffer holds all of it.
    std::string().swap(buf_);
    buf_.reserve(static_cast<size_t>(want));
    buf_.resize(static_cast<size_t>(want));
    size_t got = 0;
    while (got < buf_.size()) {
      HIVESEC_TRY(size_t n, read_content(buf_.data() + got, buf_.size() - got));
      if (n == 0) break;
      got += n;
    }
    buf_.resize(got);
    for (const auto* a : whole_) {
      analyze::AnalysisOutput part;
      Status st = analyze_whole(*a, file, buf_, part);
      collect(*a, file, std::move(st), std::move(part));
    }
    if (!streams_.empty()) feed(buf_);
  } else {
    buf_.reserve(kChunk);
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
  std::string().swap(buf_);
  return ok_status();
}

void FileDispatcher::run_job(Job& job) {
  if (job.is_note) {
    out_.output.notes.push_back(std::move(job.content));
    return;
  }
  job.info.path = job.path;
  analyze_in_memory(job.info, job.wanted, job.content);
}

void FileDispatcher::worker_loop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (stop_) return;
    Job job = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    run_job(job);
    lock.lock();
    busy_ = false;
    queued_bytes_ -= job.content.size();
    if (job.content.capacity() <= kChunk && returned_.size() < 64) {
      returned_.push_back(std::move(job.content));
    }
    done_cv_.notify_all();
  }
}

void FileDispatcher::enqueue(Job job) {
  if (!async_) {
    run_job(job);
    return;
  }
  if (!worker_.joinable()) worker_ = std::thread([this] { worker_loop(); });
  {
    std::unique_lock lock(mu_);
    // Bounded memory: wait for room unless the queue is empty (one file may exceed the bound).
    done_cv_.wait(lock, [&] {
      return queue_.empty() || queued_bytes_ + job.content.size() <= kQueueBytes;
    });
    queued_bytes_ += job.content.size();
    queue_.push_back(std::move(job));
    for (auto& b : returned_) spare_.push_back(std::move(b));
    returned_.clear();
  }
  cv_.notify_one();
}

void FileDispatcher::drain() {
  if (!worker_.joinable()) return;
  std::unique_lock lock(mu_);
  done_cv_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

void FileDispatcher::note(std::string text) {
  Job job;
  job.is_note = true;
  job.content = std::move(text);
  enqueue(std::move(job));
}

void FileDispatcher::finish() {
  drain();
  for (auto& [a, pass] : passes_) {
    analyze::AnalysisOutput part;
    Status st = pass->finish(part);
    if (!st.ok()) out_.output.notes.push_back(fmt::format("{}: {}", a->name(), st.error().message));
    out_.output.merge(std::move(part));
  }
  passes_.clear();
}

Status FileDispatcher::dispatch(const analyze::FileInfo& file, const ContentReader& read_content) {
  wanted_.clear();
  bool content = false;
  for (const auto& a : registry_.all()) {
    if (!a->required(file)) continue;
    wanted_.push_back(a.get());
    if (a->max_size() > 0 && file.size <= a->max_size()) content = true;
  }
  if (wanted_.empty()) return ok_status();
  out_.analyzed_paths.emplace_back(file.path);

  if (content && file.size > kInMemoryMax) {
    // Rare: a huge file only streaming analyzers take. Analyze it here, in order.
    drain();
    return analyze_streaming(file, wanted_, read_content);
  }

  Job job;
  job.path = std::string(file.path);
  job.info = file;
  job.info.path = {};
  job.info.link_target = {};
  job.wanted = wanted_;
  if (content) {
    if (!spare_.empty()) {
      job.content = std::move(spare_.back());
      spare_.pop_back();
    }
    // Exact-size buffer: std::string's doubling growth would otherwise make peak memory up to
    // twice the largest file analyzed.
    size_t want = static_cast<size_t>(file.size);
    if (want > job.content.capacity()) {
      std::string().swap(job.content);
      job.content.reserve(want);
    }
    job.content.resize(want);
    size_t got = 0;
    while (got < want) {
      HIVESEC_TRY(size_t n, read_content(job.content.data() + got, want - got));
      if (n == 0) break;
      got += n;
    }
    job.content.resize(got);
  }
  enqueue(std::move(job));
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
