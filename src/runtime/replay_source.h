// ReplayEventSource: an EventSource reading a JSON-lines recording (runtime/event_json.h), for
// rule tests, benchmarks and `hivesec agent --replay`. Blank lines and lines starting with '#'
// are skipped. Events of the same container share one ContainerInfo, as live events do.
//
// Thread-safety: one consumer thread calls next(); stop() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "runtime/event_source.h"

namespace hivesec::runtime {

class ReplayEventSource : public EventSource {
 public:
  // Opens `path` ("-" is stdin). Errors: kNotFound / kIo.
  [[nodiscard]] static Result<std::unique_ptr<ReplayEventSource>> open(const std::string& path);
  // Replays events from a string (tests).
  static std::unique_ptr<ReplayEventSource> from_string(std::string text,
                                                        std::string name = "<memory>");
  ~ReplayEventSource() override;

  std::string_view name() const override { return "replay"; }
  // kEvent, or kEnd at end of input or after stop(). Errors: kCorrupt "FILE:LINE: reason" for
  // a malformed record, kLimit for a line longer than kMaxEventLineBytes, kIo for read errors.
  // Never returns kTimeout.
  [[nodiscard]] Result<NextStatus> next(Event& out, int timeout_ms) override;
  void stop() override { stopped_ = true; }
  SourceStats stats() const override;

 private:
  ReplayEventSource() = default;
  bool read_line(std::string& line, bool& too_long);

  FILE* f_ = nullptr;
  bool owned_ = false;
  std::string text_;  // from_string input
  size_t text_pos_ = 0;
  bool from_text_ = false;
  std::string path_;
  uint64_t line_no_ = 0;
  uint64_t delivered_ = 0;
  std::atomic<bool> stopped_{false};
  std::string line_;
  std::map<std::string, std::shared_ptr<const ContainerInfo>> containers_;
};

}  // namespace hivesec::runtime
