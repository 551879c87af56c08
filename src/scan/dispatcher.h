// FileDispatcher: the per-file step of the single pass over a layer. For each file it asks every
// analyzer whether it wants it (path filter), reads the content once when at least one does, and
// runs them. Streaming analyzers get the same bytes in chunks, so a file larger than any
// whole-content limit is still read once, with bounded memory. Used by the tar layer walker and
// the filesystem walker.
//
// Two threads per layer: the caller's thread (the producer) decompresses, walks the archive and
// reads each wanted file into memory; one worker thread runs the analyzers on those files, in
// the order they were dispatched, while the producer reads on. Output is identical to running
// everything on one thread. Files over kInMemoryMax are analyzed on the producer thread after
// the worker has drained (rare: only streaming analyzers take such files). Buffered content is
// bounded by kQueueBytes (plus one file).
//
// Analyzers with per-layer state (Analyzer::open_layer) get one LayerPass per dispatcher; the
// passes see the files in dispatch order and finish() runs their end-of-layer work.
//
// Thread-safety: one producer thread calls dispatch()/note()/finish(); analyzers must be
// thread-safe (they already are: layers run in parallel). The LayerResult's `output` belongs to
// the dispatcher until finish() returns; the producer may write its other members meanwhile.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "analyze/analyzer.h"
#include "scan/layer_result.h"

namespace hivesec::scan {

struct WalkLimits {
  int64_t max_entries = 10'000'000;      // entries per layer
  int64_t max_layer_bytes = 64ll << 30;  // uncompressed bytes per layer
  size_t max_symlinks = 2'000'000;       // symlinks remembered per layer
};

class FileDispatcher {
 public:
  // async=false runs everything on the caller's thread (tests of the sequential contract).
  FileDispatcher(const analyze::Registry& registry, LayerResult& out, bool async = true);
  ~FileDispatcher();  // stops the worker; results not finish()ed are dropped
  FileDispatcher(const FileDispatcher&) = delete;
  FileDispatcher& operator=(const FileDispatcher&) = delete;

  // Reads the next bytes of the current file into dst (at most cap); 0 at the end of the file.
  // A file that ends before its declared size is the reader's to report (kCorrupt in a tar).
  // Called only on the producer thread, before dispatch() returns.
  using ContentReader = std::function<Result<size_t>(char* dst, size_t cap)>;

  static constexpr size_t kChunk = 1 << 20;               // streaming read size
  static constexpr int64_t kInMemoryMax = int64_t{64} << 20;  // larger files stream inline
  static constexpr size_t kQueueBytes = 48u << 20;        // content waiting for the worker

  // Dispatches one regular file. Content errors that concern only this file become notes;
  // stream errors (the layer itself is broken) are returned.
  Status dispatch(const analyze::FileInfo& file, const ContentReader& read_content);

  // Adds a note to the layer's output, ordered with the files dispatched so far.
  void note(std::string text);

  // Waits until every dispatched file is analyzed, then runs the layer passes' finish(). Call
  // once, before reading out.output.
  void finish();

 private:
  // One file handed to the worker (or a note when `is_note`).
  struct Job {
    bool is_note = false;
    std::string path;      // owns the path FileInfo::path views
    analyze::FileInfo info;
    std::vector<const analyze::Analyzer*> wanted;
    std::string content;   // the whole file when some analyzer reads content, else empty
  };

  // Runs the wanted analyzers of one file whose content (if any) is in memory.
  void analyze_in_memory(const analyze::FileInfo& file,
                         const std::vector<const analyze::Analyzer*>& wanted,
                         std::string_view content);
  // Runs them reading the content through `read` on this thread (files over kInMemoryMax).
  Status analyze_streaming(const analyze::FileInfo& file,
                           const std::vector<const analyze::Analyzer*>& wanted,
                           const ContentReader& read);
  // Sorts the takers into metadata-only (run now), whole-content and streaming; returns false
  // when no content is needed. `content_bytes` is how much of the file the takers read.
  bool plan(const analyze::FileInfo& file, const std::vector<const analyze::Analyzer*>& wanted,
            int64_t* content_bytes);
  // Runs a whole-content analyzer (through its layer pass when it has one).
  Status analyze_whole(const analyze::Analyzer& a, const analyze::FileInfo& file,
                       std::string_view content, analyze::AnalysisOutput& part);
  void collect(const analyze::Analyzer& a, const analyze::FileInfo& file, Status st,
               analyze::AnalysisOutput&& part);
  void run_job(Job& job);
  void worker_loop();
  void enqueue(Job job);
  void drain();  // waits until the worker is idle with an empty queue

  const analyze::Registry& registry_;
  LayerResult& out_;
  const bool async_;
  // Layer passes of the analyzers that have one (few: a linear search is the fastest lookup).
  std::vector<std::pair<const analyze::Analyzer*, std::unique_ptr<analyze::LayerPass>>> passes_;

  // Producer-side scratch.
  std::vector<const analyze::Analyzer*> wanted_;
  std::vector<std::string> spare_;  // recycled content buffers

  // Analysis-side scratch (the worker's, or the producer's when the worker is idle).
  std::vector<const analyze::Analyzer*> whole_;
  std::vector<std::pair<const analyze::Analyzer*, std::unique_ptr<analyze::FileStream>>> streams_;
  std::string buf_;

  std::mutex mu_;
  std::condition_variable cv_;       // worker: work arrived / stop
  std::condition_variable done_cv_;  // producer: space freed / idle
  std::deque<Job> queue_;
  size_t queued_bytes_ = 0;
  bool busy_ = false;
  bool stop_ = false;
  std::vector<std::string> returned_;  // buffers the worker is done with
  std::thread worker_;
};

}  // namespace hivesec::scan
