// The runtime Event: one observation of the eBPF sensor (or a replay file), enriched in user
// space with the process, its ancestors and its container. It is the one vocabulary shared by
// the event sources (src/runtime/sensor, replay), the rule engine (src/runtime/rules), the
// alert sinks and the response actions.
//
// Hot-path contract: a source reuses one Event object per worker and assigns into it, so the
// strings keep their capacity and steady-state delivery does not allocate. Consumers treat an
// Event as read-only and must not keep references past the callback that delivered it.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hivesec::runtime {

// What happened, by category; `syscall` in Event holds the exact syscall name for Falco's
// `evt.type` ("openat", "execve", "dup2", ...).
enum class EventType : uint8_t {
  kExec,         // execve / execveat completed (new image)
  kFork,         // clone / clone3 / fork / vfork (child side known)
  kExit,         // process exit ("procexit")
  kOpen,         // open/openat/openat2/creat (write or create unless flags say otherwise)
  kRename,       // rename/renameat/renameat2
  kUnlink,       // unlink/unlinkat/rmdir
  kChmod,        // chmod/fchmod/fchmodat
  kChown,        // chown/fchown/lchown/fchownat
  kConnect,      // connect
  kAccept,       // accept/accept4
  kListen,       // listen
  kBind,         // bind
  kDup,          // dup/dup2/dup3 (reverse shells duplicate a socket onto 0/1/2)
  kSetuid,       // setuid/setreuid/setresuid
  kSetgid,       // setgid/setregid/setresgid
  kCapset,       // capset
  kPtrace,       // ptrace
  kMount,        // mount
  kUmount,       // umount2
  kModuleLoad,   // init_module/finit_module
  kUnshare,      // unshare
  kSetns,        // setns
  kMemfdCreate,  // memfd_create
  kBpf,          // bpf
  kCount
};
constexpr size_t kEventTypeCount = static_cast<size_t>(EventType::kCount);
std::string_view event_type_name(EventType t);  // "exec", "open", ... (stable, for JSON)

// One process as rules see it (Falco's proc.* and user.* fields).
struct ProcessInfo {
  int32_t pid = 0;       // thread-group id in the host pid namespace
  int32_t tid = 0;
  int32_t ppid = 0;
  int32_t vpid = 0;      // pid inside the container's pid namespace (0 = unknown)
  uint32_t uid = 0, gid = 0, euid = 0, egid = 0;
  uint32_t loginuid = 0xffffffffu;  // audit login uid; -1 when unset
  std::string name;      // comm (at most 15 characters in the kernel)
  std::string exe;       // argv[0] as executed
  std::string exepath;   // full path of the executable file
  std::vector<std::string> args;  // argv[1..]
  std::string cwd;
  std::string user;      // user name resolved in the container (or uid as text)
  uint64_t start_ns = 0;  // process start, CLOCK_REALTIME nanoseconds
  bool tty = false;       // has a controlling terminal
  bool exe_from_memfd = false;     // fileless: executable is a memfd
  bool exe_written_after_start = false;  // drift: exe created/modified after the container started
  bool exe_upper_layer = false;    // exe lives in the container's writable (upper) layer
};

// One ancestor in the process tree (parent first).
struct AncestorInfo {
  int32_t pid = 0;
  std::string name;
  std::string exepath;
  std::string cmdline;  // name + args joined by spaces
};

// The file descriptor / address an event is about (Falco's fd.* fields).
struct FdInfo {
  int32_t num = -1;
  char typechar = '\0';  // 'f' file, 'd' directory, '4' ipv4, '6' ipv6, 'u' unix, 'p' pipe,
                         // 'e' eventfd, 's' signalfd, 'l' eventpoll, 'i' inotify, 'b' bpf,
                         // 'm' memfd, 'o' unknown
  std::string name;      // path for files; "cip:cport->sip:sport" for connections; unix path
  // Network (valid when typechar is '4' or '6'); addresses in network byte order text form.
  std::string cip, sip;  // client / server address as text ("10.0.0.1", "::1")
  uint16_t cport = 0, sport = 0;
  uint8_t l4proto = 0;   // IPPROTO_TCP, IPPROTO_UDP, 0 unknown
  bool is_server = false;  // this process is the server side (accept/listen/bind)
};

// The container a process runs in. Shared between events of the same container.
struct ContainerInfo {
  std::string id;     // full 64-hex id; "host" for processes outside any container
  std::string name;
  std::string image;  // repository:tag as the engine reports it
  std::string image_id;
  std::map<std::string, std::string> labels;
  std::string pod_name, pod_namespace, pod_uid;  // from io.kubernetes.* labels
  bool privileged = false;
  uint64_t started_ns = 0;  // CLOCK_REALTIME nanoseconds; 0 unknown
  bool metadata_complete = false;  // false: only the id is known (engine outage or not yet)
};

// Syscall-specific arguments. Which members are meaningful depends on `type`.
struct EventArgs {
  int64_t res = 0;        // return value (negative errno on failure)
  uint32_t flags = 0;     // open flags, unshare/clone flags, mount flags, memfd flags
  uint32_t mode = 0;      // open/chmod mode
  int64_t target_uid = -1, target_gid = -1;  // setuid/setgid/chown
  int64_t request = 0;    // ptrace request, bpf cmd
  int32_t target_pid = 0; // ptrace target, fork child
  int32_t newfd = -1;     // dup target fd
  int32_t exit_code = 0;  // exit
  int32_t backlog = 0;    // listen
  uint64_t cap_effective = 0, cap_permitted = 0;  // capset
  std::string path;       // open/unlink/chmod/chown path; rename source; mount source
  std::string target;     // rename target; mount target; umount target
  std::string fstype;     // mount
  std::string name;       // memfd name, module name
};

struct Event {
  EventType type = EventType::kExec;
  std::string syscall;     // exact syscall name for evt.type
  uint64_t ts_ns = 0;      // CLOCK_REALTIME nanoseconds
  uint32_t cpu = 0;
  ProcessInfo proc;
  std::vector<AncestorInfo> ancestors;  // parent first; at least 4 when known
  FdInfo fd;
  EventArgs args;
  std::shared_ptr<const ContainerInfo> container;  // never null once enriched
};

}  // namespace hivesec::runtime
