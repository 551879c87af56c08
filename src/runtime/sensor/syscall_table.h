// The syscalls the sensor traces, as data: for each one its name (Falco's evt.type), the name of
// its kernel tracepoints (syscalls/sys_exit_<name>), its event type and the descriptor the
// generic BPF programs use to read its arguments (which argument is a path, a dirfd, an fd, a
// sockaddr, ...). Numbers come from <sys/syscall.h>, so the table is
// the build architecture's; syscalls an architecture lacks (open, rename, ... on arm64) are
// simply absent.
//
// Thread-safety: immutable after first use.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "runtime/event.h"
#include "runtime/sensor/sensor_abi.h"

namespace hivesec::runtime::sensor {

struct SyscallEntry {
  std::string_view name;
  long nr;
  EventType type;
  hs_syscall_desc desc;
  // The kernel's name in syscalls/sys_enter_<tracepoint> and sys_exit_<tracepoint>: the
  // SYSCALL_DEFINE name, which differs from `name` for umount2 ("umount").
  std::string_view tracepoint;
};

// Every traced syscall of this architecture.
std::span<const SyscallEntry> syscall_table();

// The entry for syscall number `nr`, or nullptr.
const SyscallEntry* find_syscall(long nr);

// Kernel record kind <-> event type (identity by construction; checked at compile time).
EventType event_type_of(uint32_t kind);
uint32_t kind_of(EventType type);

}  // namespace hivesec::runtime::sensor
