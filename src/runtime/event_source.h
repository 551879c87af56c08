// Event sources (STYLE habit 8): the live eBPF sensor, a replay file and synthetic test input
// all deliver Events through this one small interface, so the rule engine and every sink are
// tested without a kernel.
//
// Thread-safety: one consumer thread calls next(); stop() may be called from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/event.h"

namespace hivesec::runtime {

struct SourceStats {
  uint64_t delivered = 0;
  // Drops per category (names such as "ringbuf", "exec", "file", "net"), summed since start.
  std::vector<std::pair<std::string, uint64_t>> drops;
  // Containers whose first events were released without metadata (the engine answered late,
  // failed, or the hold bound was reached); those events carry the container id alone.
  uint64_t metadata_late = 0;
};

enum class NextStatus { kEvent, kTimeout, kEnd };

class EventSource {
 public:
  virtual ~EventSource() = default;
  virtual std::string_view name() const = 0;  // "sensor", "replay", ...
  // Waits at most `timeout_ms` for the next event. kEvent: `out` holds it. kTimeout: nothing
  // arrived in time (live sources). kEnd: end of input (replay) or stop() was called; after
  // stop() a source first delivers the events it was holding back (the sensor holds a new
  // container's first events until its metadata arrives), so callers drain it until kEnd.
  // Errors: a corrupt replay record (kParse, naming its line), a sensor failure (kIo).
  [[nodiscard]] virtual Result<NextStatus> next(Event& out, int timeout_ms) = 0;
  // Makes a blocked next() return kEnd; callable from another thread.
  virtual void stop() = 0;
  virtual SourceStats stats() const = 0;
};

}  // namespace hivesec::runtime
