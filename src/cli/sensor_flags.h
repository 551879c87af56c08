// The eBPF sensor's flags, shared by `hivesec sensor` and `hivesec agent`: path-prefix
// filters, ring buffer size and the wait for a new container's metadata.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/sensor/sensor.h"

namespace hivesec::cli {

struct SensorFlags {
  std::vector<std::string> write_prefixes, read_prefixes;  // empty: the sensor's defaults
  bool all_writes = false;
  uint32_t ringbuf_kb = 16384;
  int metadata_wait_ms = 1000;
};

// Registers --write-prefix, --read-prefix, --all-writes, --ringbuf-kb and --metadata-wait on
// `cmd`, bound to `flags` (which must outlive the parse).
void add_sensor_flags(CLI::App* cmd, SensorFlags& flags);

// Copies the flags into sensor options (prefixes only when given).
void apply_sensor_flags(const SensorFlags& flags, runtime::sensor::SensorOptions& options);

}  // namespace hivesec::cli
