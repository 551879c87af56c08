// Syscall descriptors for the generic syscall programs of sensor.bpf.c (see syscall_table.h).
#include "runtime/sensor/syscall_table.h"

#include <sys/syscall.h>

#include <algorithm>
#include <array>
#include <vector>

namespace hivesec::runtime::sensor {
namespace {

constexpr uint8_t N = HS_ARG_NONE;

// Field order: kind, path, path2, dirfd, dirfd2, fd, blob, blob_len, flags_arg, pad, flags.
constexpr hs_syscall_desc desc(uint32_t kind, uint8_t path = N, uint8_t path2 = N,
                               uint8_t dirfd = N, uint8_t dirfd2 = N, uint8_t fd = N,
                               uint8_t blob = N, uint8_t blob_len = 0, uint8_t flags_arg = N,
                               uint16_t flags = 0) {
  return hs_syscall_desc{static_cast<uint8_t>(kind), path, path2, dirfd, dirfd2, fd, blob,
                         blob_len, flags_arg, 0, flags};
}

constexpr uint16_t kFile = HS_DF_PATH_FILTER;
constexpr uint16_t kModify = HS_DF_PATH_FILTER | HS_DF_ALWAYS_WRITE;
constexpr uint16_t kCreds = HS_DF_ENTRY_CREDS;

std::vector<SyscallEntry> build() {
  std::vector<SyscallEntry> t;
  auto add = [&](std::string_view name, long nr, EventType type, hs_syscall_desc d,
                 std::string_view tracepoint = {}) {
    t.push_back(SyscallEntry{name, nr, type, d, tracepoint.empty() ? name : tracepoint});
  };
  using E = EventType;
  // Files.
#ifdef SYS_open
  add("open", SYS_open, E::kOpen, desc(HS_K_OPEN, 0, N, N, N, N, N, 0, 1, kFile | HS_DF_OPEN_FLAGS_ARG));
#endif
  add("openat", SYS_openat, E::kOpen, desc(HS_K_OPEN, 1, N, 0, N, N, N, 0, 2, kFile | HS_DF_OPEN_FLAGS_ARG));
#ifdef SYS_openat2
  add("openat2", SYS_openat2, E::kOpen,
      desc(HS_K_OPEN, 1, N, 0, N, N, N, 0, 2, kFile | HS_DF_OPEN_FLAGS_ARG | HS_DF_OPENAT2));
#endif
#ifdef SYS_creat
  add("creat", SYS_creat, E::kOpen, desc(HS_K_OPEN, 0, N, N, N, N, N, 0, N, kModify));
#endif
#ifdef SYS_rename
  add("rename", SYS_rename, E::kRename, desc(HS_K_RENAME, 0, 1, N, N, N, N, 0, N, kModify));
#endif
  add("renameat", SYS_renameat, E::kRename, desc(HS_K_RENAME, 1, 3, 0, 2, N, N, 0, N, kModify));
  add("renameat2", SYS_renameat2, E::kRename, desc(HS_K_RENAME, 1, 3, 0, 2, N, N, 0, N, kModify));
#ifdef SYS_unlink
  add("unlink", SYS_unlink, E::kUnlink, desc(HS_K_UNLINK, 0, N, N, N, N, N, 0, N, kModify));
#endif
  add("unlinkat", SYS_unlinkat, E::kUnlink, desc(HS_K_UNLINK, 1, N, 0, N, N, N, 0, N, kModify));
#ifdef SYS_rmdir
  add("rmdir", SYS_rmdir, E::kUnlink, desc(HS_K_UNLINK, 0, N, N, N, N, N, 0, N, kModify));
#endif
#ifdef SYS_chmod
  add("chmod", SYS_chmod, E::kChmod, desc(HS_K_CHMOD, 0, N, N, N, N, N, 0, N, kModify));
#endif
  add("fchmod", SYS_fchmod, E::kChmod, desc(HS_K_CHMOD, N, N, N, N, 0, N, 0, N, kModify));
  add("fchmodat", SYS_fchmodat, E::kChmod, desc(HS_K_CHMOD, 1, N, 0, N, N, N, 0, N, kModify));
#ifdef SYS_chown
  add("chown", SYS_chown, E::kChown, desc(HS_K_CHOWN, 0, N, N, N, N, N, 0, N, kModify));
#endif
#ifdef SYS_lchown
  add("lchown", SYS_lchown, E::kChown, desc(HS_K_CHOWN, 0, N, N, N, N, N, 0, N, kModify));
#endif
  add("fchown", SYS_fchown, E::kChown, desc(HS_K_CHOWN, N, N, N, N, 0, N, 0, N, kModify));
  add("fchownat", SYS_fchownat, E::kChown, desc(HS_K_CHOWN, 1, N, 0, N, N, N, 0, N, kModify));
  // Network.
  add("connect", SYS_connect, E::kConnect, desc(HS_K_CONNECT, N, N, N, N, 0, 1, HS_BLOB_LEN - 1));
  add("accept", SYS_accept, E::kAccept, desc(HS_K_ACCEPT, N, N, N, N, 0, N, 0, N, HS_DF_FD_RET));
  add("accept4", SYS_accept4, E::kAccept, desc(HS_K_ACCEPT, N, N, N, N, 0, N, 0, N, HS_DF_FD_RET));
  add("listen", SYS_listen, E::kListen, desc(HS_K_LISTEN, N, N, N, N, 0));
  add("bind", SYS_bind, E::kBind, desc(HS_K_BIND, N, N, N, N, 0, 1, HS_BLOB_LEN - 1));
  add("dup", SYS_dup, E::kDup, desc(HS_K_DUP, N, N, N, N, 0));
#ifdef SYS_dup2
  add("dup2", SYS_dup2, E::kDup, desc(HS_K_DUP, N, N, N, N, 0));
#endif
  add("dup3", SYS_dup3, E::kDup, desc(HS_K_DUP, N, N, N, N, 0));
  // Privileges.
  add("setuid", SYS_setuid, E::kSetuid, desc(HS_K_SETUID, N, N, N, N, N, N, 0, N, kCreds));
  add("setreuid", SYS_setreuid, E::kSetuid, desc(HS_K_SETUID, N, N, N, N, N, N, 0, N, kCreds));
  add("setresuid", SYS_setresuid, E::kSetuid, desc(HS_K_SETUID, N, N, N, N, N, N, 0, N, kCreds));
  add("setgid", SYS_setgid, E::kSetgid, desc(HS_K_SETGID, N, N, N, N, N, N, 0, N, kCreds));
  add("setregid", SYS_setregid, E::kSetgid, desc(HS_K_SETGID, N, N, N, N, N, N, 0, N, kCreds));
  add("setresgid", SYS_setresgid, E::kSetgid, desc(HS_K_SETGID, N, N, N, N, N, N, 0, N, kCreds));
  add("capset", SYS_capset, E::kCapset, desc(HS_K_CAPSET, N, N, N, N, N, 1, 24));
  add("ptrace", SYS_ptrace, E::kPtrace, desc(HS_K_PTRACE));
  // Mounts, modules, namespaces, fileless, bpf. Strings here are copied as given.
  add("mount", SYS_mount, E::kMount, desc(HS_K_MOUNT, 1, 0, N, N, N, 2, 32));
  add("umount2", SYS_umount2, E::kUmount, desc(HS_K_UMOUNT, 0), "umount");
  add("init_module", SYS_init_module, E::kModuleLoad, desc(HS_K_MODULE, 2));
  add("finit_module", SYS_finit_module, E::kModuleLoad,
      desc(HS_K_MODULE, N, 1, N, N, 0, N, 0, N, HS_DF_FD_PATH));
  add("unshare", SYS_unshare, E::kUnshare, desc(HS_K_UNSHARE));
  add("setns", SYS_setns, E::kSetns, desc(HS_K_SETNS, N, N, N, N, 0, N, 0, N, HS_DF_FD_PATH));
  add("memfd_create", SYS_memfd_create, E::kMemfdCreate, desc(HS_K_MEMFD, 0));
  add("bpf", SYS_bpf, E::kBpf, desc(HS_K_BPF));
  std::sort(t.begin(), t.end(), [](const auto& a, const auto& b) { return a.nr < b.nr; });
  return t;
}

// hs_kind and EventType list the same categories in the same order (HS_K_NONE aside).
static_assert(HS_K_EXEC == static_cast<int>(EventType::kExec) + 1);
static_assert(HS_K_OPEN == static_cast<int>(EventType::kOpen) + 1);
static_assert(HS_K_DUP == static_cast<int>(EventType::kDup) + 1);
static_assert(HS_K_BPF == static_cast<int>(EventType::kBpf) + 1);
static_assert(HS_K_COUNT == kEventTypeCount + 1);

}  // namespace

std::span<const SyscallEntry> syscall_table() {
  static const std::vector<SyscallEntry> kTable = build();
  return kTable;
}

const SyscallEntry* find_syscall(long nr) {
  auto t = syscall_table();
  auto it = std::lower_bound(t.begin(), t.end(), nr,
                             [](const SyscallEntry& e, long n) { return e.nr < n; });
  return it != t.end() && it->nr == nr ? &*it : nullptr;
}

EventType event_type_of(uint32_t kind) {
  return kind >= 1 && kind < HS_K_COUNT ? static_cast<EventType>(kind - 1) : EventType::kCount;
}

uint32_t kind_of(EventType type) { return static_cast<uint32_t>(type) + 1; }

}  // namespace hivesec::runtime::sensor
