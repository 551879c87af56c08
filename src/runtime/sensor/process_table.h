// The sensor's process table: pid -> the process as rules see it (exe, args, cwd, ids, start
// time), kept current from exec/fork/exit records and seeded from /proc at start. It answers
// the parent chain of any process and falls back to /proc for pids it has not seen (records
// lost to drops, processes started before the sensor and missed by the scan).
//
// Thread-safety: not thread-safe; owned by the sensor's consumer thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/event.h"
#include "runtime/sensor/decode.h"

namespace hivesec::runtime::sensor {

struct ProcEntry {
  ProcessInfo info;
  uint64_t container_key = 0;  // ContainerCache key; valid when has_container
  bool has_container = false;
};

class ProcessTable {
 public:
  // `proc_root` is "/proc" except in tests; `max_entries` bounds memory (new pids beyond it
  // are not stored, they are read from /proc again when needed).
  explicit ProcessTable(std::string proc_root = "/proc", size_t max_entries = 1 << 17);

  // Adds every process now in /proc. Returns how many were read.
  size_t scan(const ClockOffset& clock);

  // The entry for `pid`; reads /proc/<pid> on a miss. nullptr when neither knows it.
  ProcEntry* get(int32_t pid, const ClockOffset& clock);
  ProcEntry* find(int32_t pid);

  // fork: the child starts as a copy of the parent (same image, cwd, ids).
  ProcEntry* on_fork(int32_t parent, int32_t child, uint64_t ts_ns, const ClockOffset& clock);
  // exec: replaces the image facts from the exec event's process (keeps the container key).
  ProcEntry* on_exec(const ProcessInfo& p);
  // exit: removes and returns the entry (so the exit event can still be enriched).
  std::optional<ProcEntry> on_exit(int32_t pid);

  // Parent chain of `pid`, parent first, at most `max` entries; stops at pid 0/1's parent or
  // an unknown pid (after trying /proc).
  void ancestors(int32_t pid, size_t max, const ClockOffset& clock, std::vector<AncestorInfo>& out);

  size_t size() const { return procs_.size(); }

  // Reads one process from <proc_root>/<pid>; false when it is gone or unreadable.
  static bool read_proc(const std::string& proc_root, int32_t pid, const ClockOffset& clock,
                        ProcessInfo& out);

 private:
  ProcEntry* insert(int32_t pid, ProcEntry e);

  std::string proc_root_;
  size_t max_entries_;
  std::unordered_map<int32_t, ProcEntry> procs_;
};

// "name arg1 arg2" (Falco's proc.cmdline).
std::string cmdline_of(const ProcessInfo& p);

}  // namespace hivesec::runtime::sensor
