// Stable names of event types (used in JSON records and messages).
#include "runtime/event.h"

namespace hivesec::runtime {

std::string_view event_type_name(EventType t) {
  static constexpr std::array<std::string_view, kEventTypeCount> kNames = {
      "exec",  "fork",   "exit",    "open",   "rename", "unlink", "chmod",
      "chown", "connect", "accept", "listen", "bind",   "dup",    "setuid",
      "setgid", "capset", "ptrace", "mount",  "umount", "module_load", "unshare",
      "setns", "memfd_create", "bpf"};
  size_t i = static_cast<size_t>(t);
  return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

}  // namespace hivesec::runtime
