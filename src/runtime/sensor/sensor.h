// The live eBPF sensor: an EventSource (runtime/event_source.h) fed by the kernel programs in
// sensor.bpf.c, enriched with the process table (parent chain, exe, args, cwd, drift flags)
// and container attribution (id, name, image, labels, pod).
//
// Usage:
//   SensorOptions o;
//   o.types = {EventType::kExec, EventType::kConnect};   // what the loaded rules need
//   auto s = open_sensor(std::move(o));                  // loads + attaches; needs root
//   Event ev;  while (s.value()->next(ev, 500) ...)      // one consumer thread
//   s.value()->stop();                                   // from any thread; next() -> kEnd
// Destroying the sensor detaches every program and frees its maps.
//
// Errors from open_sensor are one line each: not root (kAuth), no kernel BTF (kUnsupported),
// tracefs missing and not mountable (kIo), program load/attach failure (kIo, with the
// kernel's reason), invalid options (kInvalidArgument).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/event.h"
#include "runtime/event_source.h"
#include "runtime/sensor/container.h"

namespace hivesec::runtime::sensor {

// Default path prefixes: writes under system directories, reads of credential files.
std::vector<std::string> default_write_prefixes();
std::vector<std::string> default_read_prefixes();

struct SensorOptions {
  // Event types delivered to next(); empty = all. Syscalls of other types are not traced in
  // the kernel at all. exec/fork/exit are always traced (the process table needs them) but
  // only delivered when listed.
  std::vector<EventType> types;
  // Path-prefix filters for file events (kernel-side, LPM trie; at most 256 prefixes of at
  // most 255 bytes). Opens for write/create, rename, unlink, chmod and chown are reported
  // under write_prefixes; opens for read under read_prefixes.
  std::vector<std::string> write_prefixes = default_write_prefixes();
  std::vector<std::string> read_prefixes = default_read_prefixes();
  bool all_writes = false;  // report every write-open / modification, ignoring write_prefixes
  uint32_t ringbuf_bytes = 16u << 20;  // rounded up to a power of two (>= 1 MiB)
  // Container metadata; null = Docker Engine API at the discovered socket.
  std::unique_ptr<ContainerMetadataSource> metadata;
  // How long the first events of a new container wait for its metadata (the Engine API
  // lookup runs off the event path); 0 = never wait (events carry the id alone until the
  // lookup answers). A late or failed lookup releases them with the id alone.
  int metadata_wait_ms = 1000;
  size_t max_ancestors = 5;
  bool scan_proc = true;  // seed the process table from /proc
};

// Loads and attaches the sensor. See the header comment for errors.
Result<std::unique_ptr<EventSource>> open_sensor(SensorOptions opts);

// Parses "exec,open,connect" (event_type_name spellings, "all") into types.
Result<std::vector<EventType>> parse_event_types(std::string_view list);

}  // namespace hivesec::runtime::sensor
