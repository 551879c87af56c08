// The sensor flags shared by `hivesec sensor` and `hivesec agent` (sensor_flags.h).
#include "cli/sensor_flags.h"

namespace hivesec::cli {

void add_sensor_flags(CLI::App* cmd, SensorFlags& flags) {
  cmd->add_option("--write-prefix", flags.write_prefixes,
                  "Path prefix for file-change events (repeatable; replaces the defaults)");
  cmd->add_option("--read-prefix", flags.read_prefixes,
                  "Path prefix for sensitive-read events (repeatable; replaces the defaults)");
  cmd->add_flag("--all-writes", flags.all_writes,
                "Report every write-open, not only under prefixes");
  cmd->add_option("--ringbuf-kb", flags.ringbuf_kb, "Sensor ring buffer size in KiB (>= 1024)");
  cmd->add_option("--metadata-wait", flags.metadata_wait_ms,
                  "Milliseconds a new container's first events wait for its engine metadata "
                  "(0: never wait)")
      ->check(CLI::Range(0, 60000));
}

void apply_sensor_flags(const SensorFlags& flags, runtime::sensor::SensorOptions& options) {
  options.all_writes = flags.all_writes;
  options.ringbuf_bytes = flags.ringbuf_kb * 1024u;
  options.metadata_wait_ms = flags.metadata_wait_ms;
  if (!flags.write_prefixes.empty()) options.write_prefixes = flags.write_prefixes;
  if (!flags.read_prefixes.empty()) options.read_prefixes = flags.read_prefixes;
}

}  // namespace hivesec::cli
