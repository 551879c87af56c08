// Field extractors. Each is a captureless lambda turned into a function pointer; computed values
// (joined command lines, times, flag names) are built in the caller's FieldScratch so that
// extraction never allocates once the scratch has grown.
#include "runtime/rules/fields.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <time.h>

#include <array>
#include <charconv>
#include <iterator>
#include <unordered_map>

namespace hivesec::runtime::rules {
namespace {

// ---- helpers --------------------------------------------------------------------------------

bool set_str(FieldValue& out, std::string_view s) {
  out.str = s;
  return true;
}
bool set_nonempty(FieldValue& out, std::string_view s) {
  if (s.empty()) return false;
  out.str = s;
  return true;
}
bool set_num(FieldValue& out, int64_t n) {
  out.num = n;
  return true;
}

void append_num(std::string& buf, int64_t n) {
  char tmp[24];
  auto r = std::to_chars(tmp, tmp + sizeof(tmp), n);
  buf.append(tmp, r.ptr);
}

// name + " " + args joined (Falco's proc.cmdline / proc.exeline).
std::string_view join_cmdline(std::string_view head, const std::vector<std::string>& args,
                              std::string& buf) {
  buf.clear();
  buf.append(head);
  for (const auto& a : args) {
    if (!buf.empty()) buf.push_back(' ');
    buf.append(a);
  }
  return buf;
}

const ContainerInfo* container_of(const Event& ev) { return ev.container.get(); }
bool is_host(const ContainerInfo* c) { return c && c->id == "host"; }

// "registry:5000/team/app:1.2@sha256:..." -> repository / tag / digest.
struct ImageParts {
  std::string_view repository, tag, digest;
};
ImageParts split_image(std::string_view image) {
  ImageParts p;
  size_t at = image.find('@');
  if (at != std::string_view::npos) {
    p.digest = image.substr(at + 1);
    image = image.substr(0, at);
  }
  size_t colon = image.rfind(':');
  size_t slash = image.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    p.tag = image.substr(colon + 1);
    image = image.substr(0, colon);
  }
  p.repository = image;
  return p;
}

// Ancestor lookups: index 0 is the process itself, 1 its parent, ... (Falco's proc.aname[N]).
bool ancestor_at(const Event& ev, int idx, const AncestorInfo*& out) {
  if (idx < 1 || static_cast<size_t>(idx) > ev.ancestors.size()) return false;
  out = &ev.ancestors[static_cast<size_t>(idx - 1)];
  return true;
}
int ancestor_count(const Event& ev, const FieldArg& arg) {
  return arg.index >= 0 ? 1 : static_cast<int>(ev.ancestors.size());
}
// The ancestor index for (arg, instance): with an index, that one; without, instance+1.
int ancestor_index(const FieldArg& arg, int instance) {
  return arg.index >= 0 ? arg.index : instance + 1;
}

// ---- flag names -----------------------------------------------------------------------------

struct FlagName {
  uint32_t bit;
  std::string_view name;
};
constexpr std::array<FlagName, 13> kOpenFlags = {{{O_CREAT, "O_CREAT"},
                                                  {O_EXCL, "O_EXCL"},
                                                  {O_NOCTTY, "O_NOCTTY"},
                                                  {O_TRUNC, "O_TRUNC"},
                                                  {O_APPEND, "O_APPEND"},
                                                  {O_NONBLOCK, "O_NONBLOCK"},
                                                  {O_DSYNC, "O_DSYNC"},
                                                  {O_DIRECTORY, "O_DIRECTORY"},
                                                  {O_NOFOLLOW, "O_NOFOLLOW"},
                                                  {O_CLOEXEC, "O_CLOEXEC"},
                                                  {O_PATH, "O_PATH"},
                                                  {O_TMPFILE & ~O_DIRECTORY, "O_TMPFILE"},
                                                  {O_NOATIME, "O_NOATIME"}}};
constexpr std::array<FlagName, 8> kCloneFlags = {{{CLONE_NEWNS, "CLONE_NEWNS"},
                                                  {CLONE_NEWUTS, "CLONE_NEWUTS"},
                                                  {CLONE_NEWIPC, "CLONE_NEWIPC"},
                                                  {CLONE_NEWUSER, "CLONE_NEWUSER"},
                                                  {CLONE_NEWPID, "CLONE_NEWPID"},
                                                  {CLONE_NEWNET, "CLONE_NEWNET"},
                                                  {CLONE_NEWCGROUP, "CLONE_NEWCGROUP"},
                                                  {CLONE_NEWTIME, "CLONE_NEWTIME"}}};
constexpr std::array<FlagName, 8> kMountFlags = {{{MS_RDONLY, "MS_RDONLY"},
                                                  {MS_NOSUID, "MS_NOSUID"},
                                                  {MS_NODEV, "MS_NODEV"},
                                                  {MS_NOEXEC, "MS_NOEXEC"},
                                                  {MS_REMOUNT, "MS_REMOUNT"},
                                                  {MS_BIND, "MS_BIND"},
                                                  {MS_MOVE, "MS_MOVE"},
                                                  {MS_REC, "MS_REC"}}};
constexpr std::array<FlagName, 3> kMemfdFlags = {
    {{1u, "MFD_CLOEXEC"}, {2u, "MFD_ALLOW_SEALING"}, {4u, "MFD_HUGETLB"}}};

template <size_t N>
void append_flags(std::string& buf, uint32_t v, const std::array<FlagName, N>& names) {
  for (const auto& f : names) {
    if ((v & f.bit) == f.bit && f.bit != 0) {
      if (!buf.empty()) buf.push_back('|');
      buf.append(f.name);
    }
  }
}

void render_flags(const Event& ev, std::string& buf) {
  buf.clear();
  uint32_t v = ev.args.flags;
  switch (ev.type) {
    case EventType::kOpen: {
      uint32_t acc = v & O_ACCMODE;
      buf.append(acc == O_WRONLY ? "O_WRONLY" : acc == O_RDWR ? "O_RDWR" : "O_RDONLY");
      append_flags(buf, v, kOpenFlags);
      break;
    }
    case EventType::kUnshare:
    case EventType::kSetns:
    case EventType::kFork:
      append_flags(buf, v, kCloneFlags);
      break;
    case EventType::kMount:
      append_flags(buf, v, kMountFlags);
      break;
    case EventType::kMemfdCreate:
      append_flags(buf, v, kMemfdFlags);
      break;
    default:
      append_num(buf, v);
      return;
  }
  if (buf.empty()) buf.push_back('0');
}

void render_caps(uint64_t caps, std::string& buf) {
  static constexpr std::array<std::string_view, 41> kCaps = {"CAP_CHOWN",
                                                             "CAP_DAC_OVERRIDE",
                                                             "CAP_DAC_READ_SEARCH",
                                                             "CAP_FOWNER",
                                                             "CAP_FSETID",
                                                             "CAP_KILL",
                                                             "CAP_SETGID",
                                                             "CAP_SETUID",
                                                             "CAP_SETPCAP",
                                                             "CAP_LINUX_IMMUTABLE",
                                                             "CAP_NET_BIND_SERVICE",
                                                             "CAP_NET_BROADCAST",
                                                             "CAP_NET_ADMIN",
                                                             "CAP_NET_RAW",
                                                             "CAP_IPC_LOCK",
                                                             "CAP_IPC_OWNER",
                                                             "CAP_SYS_MODULE",
                                                             "CAP_SYS_RAWIO",
                                                             "CAP_SYS_CHROOT",
                                                             "CAP_SYS_PTRACE",
                                                             "CAP_SYS_PACCT",
                                                             "CAP_SYS_ADMIN",
                                                             "CAP_SYS_BOOT",
                                                             "CAP_SYS_NICE",
                                                             "CAP_SYS_RESOURCE",
                                                             "CAP_SYS_TIME",
                                                             "CAP_SYS_TTY_CONFIG",
                                                             "CAP_MKNOD",
                                                             "CAP_LEASE",
                                                             "CAP_AUDIT_WRITE",
                                                             "CAP_AUDIT_CONTROL",
                                                             "CAP_SETFCAP",
                                                             "CAP_MAC_OVERRIDE",
                                                             "CAP_MAC_ADMIN",
                                                             "CAP_SYSLOG",
                                                             "CAP_WAKE_ALARM",
                                                             "CAP_BLOCK_SUSPEND",
                                                             "CAP_AUDIT_READ",
                                                             "CAP_PERFMON",
                                                             "CAP_BPF",
                                                             "CAP_CHECKPOINT_RESTORE"};
  buf.clear();
  for (size_t i = 0; i < kCaps.size(); ++i) {
    if (caps & (uint64_t{1} << i)) {
      if (!buf.empty()) buf.push_back('|');
      buf.append(kCaps[i]);
    }
  }
}

// ---- syscall arguments (evt.arg.*) ----------------------------------------------------------

enum ArgId : int {
  kArgRes,
  kArgName,
  kArgTarget,
  kArgFlags,
  kArgMode,
  kArgUid,
  kArgGid,
  kArgFd,
  kArgNewfd,
  kArgFstype,
  kArgRequest,
  kArgPid,
  kArgStatus,
  kArgBacklog,
  kArgCapEffective,
  kArgCapPermitted,
  kArgTuple,
  kArgCount
};

struct ArgAlias {
  std::string_view alias;
  ArgId id;
};
constexpr std::array<ArgAlias, 34> kArgAliases = {{
    {"res", kArgRes},
    {"name", kArgName},
    {"path", kArgName},
    {"filename", kArgName},
    {"pathname", kArgName},
    {"oldpath", kArgName},
    {"source", kArgName},
    {"dev", kArgName},
    {"exe", kArgName},
    {"newpath", kArgTarget},
    {"target", kArgTarget},
    {"dir", kArgTarget},
    {"flags", kArgFlags},
    {"nstype", kArgFlags},
    {"mode", kArgMode},
    {"uid", kArgUid},
    {"ruid", kArgUid},
    {"euid", kArgUid},
    {"suid", kArgUid},
    {"gid", kArgGid},
    {"rgid", kArgGid},
    {"egid", kArgGid},
    {"fd", kArgFd},
    {"oldfd", kArgFd},
    {"newfd", kArgNewfd},
    {"type", kArgFstype},
    {"request", kArgRequest},
    {"cmd", kArgRequest},
    {"pid", kArgPid},
    {"status", kArgStatus},
    {"backlog", kArgBacklog},
    {"cap_effective", kArgCapEffective},
    {"cap_permitted", kArgCapPermitted},
    {"tuple", kArgTuple},
}};
constexpr std::array<std::string_view, kArgCount> kArgNames = {
    "res",    "name",    "target",        "flags",         "mode",    "uid",
    "gid",    "fd",      "newfd",         "type",          "request", "pid",
    "status", "backlog", "cap_effective", "cap_permitted", "tuple"};

// The arguments each event type carries, in order (evt.arg[N], evt.args).
std::span<const ArgId> args_of(EventType t) {
  static constexpr ArgId kExec[] = {kArgRes, kArgName};
  static constexpr ArgId kFork[] = {kArgRes, kArgFlags};
  static constexpr ArgId kExit[] = {kArgStatus};
  static constexpr ArgId kOpenA[] = {kArgRes, kArgName, kArgFlags, kArgMode};
  static constexpr ArgId kRename[] = {kArgRes, kArgName, kArgTarget};
  static constexpr ArgId kUnlink[] = {kArgRes, kArgName};
  static constexpr ArgId kChmod[] = {kArgRes, kArgName, kArgMode};
  static constexpr ArgId kChown[] = {kArgRes, kArgName, kArgUid, kArgGid};
  static constexpr ArgId kConnect[] = {kArgRes, kArgTuple, kArgFd};
  static constexpr ArgId kAccept[] = {kArgRes, kArgTuple};
  static constexpr ArgId kListen[] = {kArgRes, kArgFd, kArgBacklog};
  static constexpr ArgId kDup[] = {kArgRes, kArgFd, kArgNewfd};
  static constexpr ArgId kSetuid[] = {kArgRes, kArgUid};
  static constexpr ArgId kSetgid[] = {kArgRes, kArgGid};
  static constexpr ArgId kCapset[] = {kArgRes, kArgCapPermitted, kArgCapEffective};
  static constexpr ArgId kPtrace[] = {kArgRes, kArgRequest, kArgPid};
  static constexpr ArgId kMount[] = {kArgRes, kArgName, kArgTarget, kArgFstype, kArgFlags};
  static constexpr ArgId kUmount[] = {kArgRes, kArgTarget};
  static constexpr ArgId kModule[] = {kArgRes, kArgName};
  static constexpr ArgId kUnshare[] = {kArgRes, kArgFlags};
  static constexpr ArgId kSetns[] = {kArgRes, kArgFd, kArgFlags};
  static constexpr ArgId kMemfd[] = {kArgRes, kArgName, kArgFlags};
  static constexpr ArgId kBpf[] = {kArgRes, kArgRequest};
  switch (t) {
    case EventType::kExec:
      return kExec;
    case EventType::kFork:
      return kFork;
    case EventType::kExit:
      return kExit;
    case EventType::kOpen:
      return kOpenA;
    case EventType::kRename:
      return kRename;
    case EventType::kUnlink:
      return kUnlink;
    case EventType::kChmod:
      return kChmod;
    case EventType::kChown:
      return kChown;
    case EventType::kConnect:
      return kConnect;
    case EventType::kAccept:
      return kAccept;
    case EventType::kListen:
      return kListen;
    case EventType::kBind:
      return kConnect;
    case EventType::kDup:
      return kDup;
    case EventType::kSetuid:
      return kSetuid;
    case EventType::kSetgid:
      return kSetgid;
    case EventType::kCapset:
      return kCapset;
    case EventType::kPtrace:
      return kPtrace;
    case EventType::kMount:
      return kMount;
    case EventType::kUmount:
      return kUmount;
    case EventType::kModuleLoad:
      return kModule;
    case EventType::kUnshare:
      return kUnshare;
    case EventType::kSetns:
      return kSetns;
    case EventType::kMemfdCreate:
      return kMemfd;
    case EventType::kBpf:
      return kBpf;
    case EventType::kCount:
      break;
  }
  return {};
}

bool event_has_arg(const Event& ev, ArgId id) {
  for (ArgId a : args_of(ev.type)) {
    if (a == id) return true;
  }
  return false;
}

// Numeric value of an argument (evt.rawarg.*); false for string-valued arguments.
bool raw_arg(const Event& ev, ArgId id, int64_t& out) {
  const EventArgs& a = ev.args;
  switch (id) {
    case kArgRes:
      out = a.res;
      return true;
    case kArgFlags:
      out = a.flags;
      return true;
    case kArgMode:
      out = a.mode;
      return true;
    case kArgUid:
      out = a.target_uid;
      return true;
    case kArgGid:
      out = a.target_gid;
      return true;
    case kArgFd:
      out = ev.fd.num;
      return true;
    case kArgNewfd:
      out = a.newfd;
      return true;
    case kArgRequest:
      out = a.request;
      return true;
    case kArgPid:
      out = a.target_pid;
      return true;
    case kArgStatus:
      out = a.exit_code;
      return true;
    case kArgBacklog:
      out = a.backlog;
      return true;
    case kArgCapEffective:
      out = static_cast<int64_t>(a.cap_effective);
      return true;
    case kArgCapPermitted:
      out = static_cast<int64_t>(a.cap_permitted);
      return true;
    default:
      return false;
  }
}

// Text of an argument as Falco renders it (flags by name, numbers in decimal).
bool arg_text(const Event& ev, ArgId id, FieldScratch& s, FieldValue& out) {
  if (!event_has_arg(ev, id)) return false;
  const EventArgs& a = ev.args;
  switch (id) {
    case kArgName:
      if ((ev.type == EventType::kMemfdCreate || ev.type == EventType::kModuleLoad) &&
          !a.name.empty()) {
        return set_str(out, a.name);
      }
      if (ev.type == EventType::kExec && a.path.empty()) return set_nonempty(out, ev.proc.exepath);
      return set_nonempty(out, a.path);
    case kArgTarget:
      return set_nonempty(out, a.target);
    case kArgFstype:
      return set_nonempty(out, a.fstype);
    case kArgTuple:
      return set_nonempty(out, ev.fd.name);
    case kArgFlags:
      render_flags(ev, s.buf);
      return set_str(out, s.buf);
    case kArgCapEffective:
    case kArgCapPermitted:
      render_caps(id == kArgCapEffective ? a.cap_effective : a.cap_permitted, s.buf);
      return set_str(out, s.buf);
    case kArgMode:
      s.buf.clear();
      fmt::format_to(std::back_inserter(s.buf), "0{:o}", a.mode);
      return set_str(out, s.buf);
    default: {
      int64_t n = 0;
      if (!raw_arg(ev, id, n)) return false;
      s.buf.clear();
      append_num(s.buf, n);
      return set_str(out, s.buf);
    }
  }
}

// ---- time -----------------------------------------------------------------------------------

enum class TimeFmt { kTime, kTimeS, kIso, kDatetime, kDatetimeS };
std::string_view format_time(uint64_t ns, TimeFmt f, std::string& buf) {
  time_t secs = static_cast<time_t>(ns / 1000000000ull);
  unsigned frac = static_cast<unsigned>(ns % 1000000000ull);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  buf.clear();
  auto it = std::back_inserter(buf);
  switch (f) {
    case TimeFmt::kTime:
      fmt::format_to(it, "{:02}:{:02}:{:02}.{:09}", tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
      break;
    case TimeFmt::kTimeS:
      fmt::format_to(it, "{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
      break;
    case TimeFmt::kIso:
      fmt::format_to(it, "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
      break;
    case TimeFmt::kDatetime:
    case TimeFmt::kDatetimeS:
      fmt::format_to(it, "{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
      if (f == TimeFmt::kDatetime) fmt::format_to(it, ".{:09}", frac);
      break;
  }
  return buf;
}

// ---- fd helpers -----------------------------------------------------------------------------

bool is_net(const Event& ev) { return ev.fd.typechar == '4' || ev.fd.typechar == '6'; }
// Local / remote ends: a server's local end is the server address.
std::string_view local_ip(const Event& ev) { return ev.fd.is_server ? ev.fd.sip : ev.fd.cip; }
std::string_view remote_ip(const Event& ev) { return ev.fd.is_server ? ev.fd.cip : ev.fd.sip; }
uint16_t local_port(const Event& ev) { return ev.fd.is_server ? ev.fd.sport : ev.fd.cport; }
uint16_t remote_port(const Event& ev) { return ev.fd.is_server ? ev.fd.cport : ev.fd.sport; }
int two_ends(const Event& ev, const FieldArg&) { return is_net(ev) ? 2 : 0; }

std::string_view fd_type_name(char c) {
  switch (c) {
    case 'f':
      return "file";
    case 'd':
      return "directory";
    case '4':
      return "ipv4";
    case '6':
      return "ipv6";
    case 'u':
      return "unix";
    case 'p':
      return "pipe";
    case 'e':
      return "event";
    case 's':
      return "signalfd";
    case 'l':
      return "eventpoll";
    case 'i':
      return "inotify";
    case 'b':
      return "bpf";
    case 'm':
      return "memfd";
    case 'o':
      return "unknown";
    default:
      return {};
  }
}
bool is_path_fd(const Event& ev) {
  char c = ev.fd.typechar;
  return c == 'f' || c == 'd' || c == 'm' || (c == '\0' && !ev.fd.name.empty());
}

// ---- the table ------------------------------------------------------------------------------

#define X(body)                                                           \
  [](const Event& ev, const FieldArg& arg, int instance, FieldScratch& s, \
     FieldValue& out) -> bool {                                           \
    (void)ev;                                                             \
    (void)arg;                                                            \
    (void)instance;                                                       \
    (void)s;                                                              \
    (void)out;                                                            \
    body                                                                  \
  }

const std::vector<FieldDef>& table() {
  static const std::vector<FieldDef> kTable = {
      // evt
      {"evt.type", FieldType::kString, ArgKind::kNone,
       "syscall name (execve, openat, connect, dup2, ...)", X(return set_str(out, ev.syscall);)},
      {"evt.dir", FieldType::kString, ArgKind::kNone,
       "event direction; always '<' (hivesec reports completed syscalls)",
       X(return set_str(out, "<");)},
      {"evt.time", FieldType::kString, ArgKind::kNone, "time of day with nanoseconds (UTC)",
       X(return set_str(out, format_time(ev.ts_ns, TimeFmt::kTime, s.buf));)},
      {"evt.time.s", FieldType::kString, ArgKind::kNone, "time of day without nanoseconds (UTC)",
       X(return set_str(out, format_time(ev.ts_ns, TimeFmt::kTimeS, s.buf));)},
      {"evt.time.iso8601", FieldType::kString, ArgKind::kNone, "ISO 8601 time in UTC",
       X(return set_str(out, format_time(ev.ts_ns, TimeFmt::kIso, s.buf));)},
      {"evt.datetime", FieldType::kString, ArgKind::kNone, "date and time with nanoseconds (UTC)",
       X(return set_str(out, format_time(ev.ts_ns, TimeFmt::kDatetime, s.buf));)},
      {"evt.datetime.s", FieldType::kString, ArgKind::kNone, "date and time (UTC)",
       X(return set_str(out, format_time(ev.ts_ns, TimeFmt::kDatetimeS, s.buf));)},
      {"evt.rawtime", FieldType::kInt, ArgKind::kNone, "nanoseconds since the epoch",
       X(return set_num(out, static_cast<int64_t>(ev.ts_ns));)},
      {"evt.rawtime.s", FieldType::kInt, ArgKind::kNone, "seconds since the epoch",
       X(return set_num(out, static_cast<int64_t>(ev.ts_ns / 1000000000ull));)},
      {"evt.rawtime.ns", FieldType::kInt, ArgKind::kNone, "nanosecond part of the time",
       X(return set_num(out, static_cast<int64_t>(ev.ts_ns % 1000000000ull));)},
      {"evt.cpu", FieldType::kInt, ArgKind::kNone, "CPU the event happened on",
       X(return set_num(out, ev.cpu);)},
      {"evt.res", FieldType::kString, ArgKind::kNone,
       "SUCCESS, or the errno name (ENOENT, EPERM, ...) when the syscall failed",
       X(if (ev.args.res >= 0) return set_str(out, "SUCCESS");
         // errno values are 1..4095; anything else is shown as the raw number.
         if (ev.args.res < -4095) {
           s.buf.clear();
           append_num(s.buf, ev.args.res);
           return set_str(out, s.buf);
         } const char* n = strerrorname_np(static_cast<int>(-ev.args.res));
         if (n) return set_str(out, n); s.buf = "E"; append_num(s.buf, -ev.args.res);
         return set_str(out, s.buf);)},
      {"evt.rawres", FieldType::kInt, ArgKind::kNone, "return value of the syscall",
       X(return set_num(out, ev.args.res);)},
      {"evt.failed", FieldType::kBool, ArgKind::kNone, "true when the syscall returned an error",
       X(return set_num(out, ev.args.res < 0);)},
      {"evt.is_open_read", FieldType::kBool, ArgKind::kNone,
       "open for reading (O_RDONLY or O_RDWR)",
       X(if (ev.type != EventType::kOpen) return set_num(out, 0);
         uint32_t acc = ev.args.flags & O_ACCMODE;
         return set_num(out, acc == O_RDONLY || acc == O_RDWR);)},
      {"evt.is_open_write", FieldType::kBool, ArgKind::kNone,
       "open for writing (O_WRONLY or O_RDWR)",
       X(if (ev.type != EventType::kOpen) return set_num(out, 0);
         uint32_t acc = ev.args.flags & O_ACCMODE;
         return set_num(out, acc == O_WRONLY || acc == O_RDWR);)},
      {"evt.is_open_create", FieldType::kBool, ArgKind::kNone, "open with O_CREAT",
       X(return set_num(out, ev.type == EventType::kOpen && (ev.args.flags & O_CREAT));)},
      {"evt.is_open_exec", FieldType::kBool, ArgKind::kNone,
       "open that creates a file with an execute bit in its mode",
       X(return set_num(out, ev.type == EventType::kOpen && (ev.args.flags & O_CREAT) &&
                                 (ev.args.mode & 0111));)},
      {"evt.args", FieldType::kString, ArgKind::kNone, "all arguments as text (name=value ...)",
       X(thread_local FieldScratch tmp; s.buf.clear(); for (int id
                                                            : args_of(ev.type)) {
         FieldValue v;
         if (!arg_text(ev, static_cast<ArgId>(id), tmp, v)) continue;
         if (!s.buf.empty()) s.buf.push_back(' ');
         s.buf.append(kArgNames[static_cast<size_t>(id)]);
         s.buf.push_back('=');
         s.buf.append(v.str);
       } return set_str(out, s.buf);)},
      {"evt.arg", FieldType::kString, ArgKind::kEvtArg,
       "one syscall argument as text: evt.arg.NAME or evt.arg[N] (see the argument table)",
       X(return arg_text(ev, static_cast<ArgId>(arg.index), s, out);)},
      {"evt.rawarg", FieldType::kInt, ArgKind::kEvtArg,
       "one numeric syscall argument: evt.rawarg.NAME (uid, flags, newfd, ...)",
       X(if (!event_has_arg(ev, static_cast<ArgId>(arg.index))) return false;
         return raw_arg(ev, static_cast<ArgId>(arg.index), out.num);)},
      // proc
      {"proc.pid", FieldType::kInt, ArgKind::kNone, "process id (host pid namespace)",
       X(return set_num(out, ev.proc.pid);)},
      {"proc.ppid", FieldType::kInt, ArgKind::kNone, "parent process id",
       X(return set_num(out, ev.proc.ppid);)},
      {"proc.vpid", FieldType::kInt, ArgKind::kNone, "process id inside its pid namespace",
       X(if (ev.proc.vpid == 0) return false; return set_num(out, ev.proc.vpid);)},
      {"thread.tid", FieldType::kInt, ArgKind::kNone, "thread id",
       X(return set_num(out, ev.proc.tid);)},
      {"proc.name", FieldType::kString, ArgKind::kNone, "process name (comm)",
       X(return set_nonempty(out, ev.proc.name);)},
      {"proc.exe", FieldType::kString, ArgKind::kNone, "argv[0] as executed",
       X(return set_nonempty(out, ev.proc.exe);)},
      {"proc.exepath", FieldType::kString, ArgKind::kNone, "full path of the executable",
       X(return set_nonempty(out, ev.proc.exepath);)},
      {"proc.args", FieldType::kString, ArgKind::kNone, "arguments (argv[1..]) joined by spaces",
       X(return set_str(out, join_cmdline({}, ev.proc.args, s.buf));)},
      {"proc.cmdline", FieldType::kString, ArgKind::kNone, "proc.name followed by proc.args",
       X(return set_str(out, join_cmdline(ev.proc.name, ev.proc.args, s.buf));)},
      {"proc.exeline", FieldType::kString, ArgKind::kNone, "proc.exe followed by proc.args",
       X(return set_str(out, join_cmdline(ev.proc.exe, ev.proc.args, s.buf));)},
      {"proc.cwd", FieldType::kString, ArgKind::kNone, "current working directory",
       X(return set_nonempty(out, ev.proc.cwd);)},
      {"proc.tty", FieldType::kInt, ArgKind::kNone,
       "controlling terminal: 1 when the process has one, 0 otherwise",
       X(return set_num(out, ev.proc.tty ? 1 : 0);)},
      {"proc.pname", FieldType::kString, ArgKind::kNone, "parent process name",
       X(if (ev.ancestors.empty()) return false; return set_nonempty(out, ev.ancestors[0].name);)},
      {"proc.pcmdline", FieldType::kString, ArgKind::kNone, "parent command line",
       X(if (ev.ancestors.empty()) return false;
         return set_nonempty(out, ev.ancestors[0].cmdline);)},
      {"proc.pexepath", FieldType::kString, ArgKind::kNone, "parent executable path",
       X(if (ev.ancestors.empty()) return false;
         return set_nonempty(out, ev.ancestors[0].exepath);)},
      {"proc.aname", FieldType::kString, ArgKind::kIndex,
       "ancestor name: [0] the process, [1] parent, [2] grandparent...; without an index any "
       "ancestor",
       X(int i = ancestor_index(arg, instance); if (i == 0) return set_nonempty(out, ev.proc.name);
         const AncestorInfo* a = nullptr; if (!ancestor_at(ev, i, a)) return false;
         return set_nonempty(out, a->name);),
       ancestor_count},
      {"proc.apid", FieldType::kInt, ArgKind::kIndex, "ancestor pid (indexed like proc.aname)",
       X(int i = ancestor_index(arg, instance); if (i == 0) return set_num(out, ev.proc.pid);
         const AncestorInfo* a = nullptr; if (!ancestor_at(ev, i, a)) return false;
         return set_num(out, a->pid);),
       ancestor_count},
      {"proc.aexepath", FieldType::kString, ArgKind::kIndex,
       "ancestor executable path (indexed like proc.aname)",
       X(int i = ancestor_index(arg, instance);
         if (i == 0) return set_nonempty(out, ev.proc.exepath); const AncestorInfo* a = nullptr;
         if (!ancestor_at(ev, i, a)) return false; return set_nonempty(out, a->exepath);),
       ancestor_count},
      {"proc.acmdline", FieldType::kString, ArgKind::kIndex,
       "ancestor command line (indexed like proc.aname)",
       X(int i = ancestor_index(arg, instance);
         if (i == 0) return set_str(out, join_cmdline(ev.proc.name, ev.proc.args, s.buf));
         const AncestorInfo* a = nullptr; if (!ancestor_at(ev, i, a)) return false;
         return set_nonempty(out, a->cmdline);),
       ancestor_count},
      {"proc.is_exe_upper_layer", FieldType::kBool, ArgKind::kNone,
       "the executable lives in the container's writable (upper) layer",
       X(return set_num(out, ev.proc.exe_upper_layer);)},
      {"proc.is_exe_from_memfd", FieldType::kBool, ArgKind::kNone,
       "the executable is a memfd (fileless execution)",
       X(return set_num(out, ev.proc.exe_from_memfd);)},
      {"proc.is_exe_drift", FieldType::kBool, ArgKind::kNone,
       "the executable was created or modified after the container started (drift)",
       X(return set_num(out, ev.proc.exe_written_after_start);), nullptr, true},
      {"proc.start_ts", FieldType::kInt, ArgKind::kNone,
       "process start time, nanoseconds since the epoch",
       X(if (ev.proc.start_ns == 0) return false;
         return set_num(out, static_cast<int64_t>(ev.proc.start_ns));),
       nullptr, true},
      // user / group
      {"user.uid", FieldType::kInt, ArgKind::kNone, "real user id",
       X(return set_num(out, ev.proc.uid);)},
      {"user.euid", FieldType::kInt, ArgKind::kNone, "effective user id",
       X(return set_num(out, ev.proc.euid);), nullptr, true},
      {"user.name", FieldType::kString, ArgKind::kNone, "user name (or the uid as text)",
       X(if (!ev.proc.user.empty()) return set_str(out, ev.proc.user); s.buf.clear();
         append_num(s.buf, ev.proc.uid); return set_str(out, s.buf);)},
      {"user.loginuid", FieldType::kInt, ArgKind::kNone, "audit login uid; -1 when unset",
       X(return set_num(out, ev.proc.loginuid == 0xffffffffu ? -1 : int64_t{ev.proc.loginuid});)},
      {"group.gid", FieldType::kInt, ArgKind::kNone, "real group id",
       X(return set_num(out, ev.proc.gid);)},
      // fd
      {"fd.num", FieldType::kInt, ArgKind::kNone, "file descriptor number",
       X(if (ev.fd.num < 0) return false; return set_num(out, ev.fd.num);)},
      {"fd.type", FieldType::kString, ArgKind::kNone,
       "file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, bpf, memfd",
       X(return set_nonempty(out, fd_type_name(ev.fd.typechar));)},
      {"fd.typechar", FieldType::kString, ArgKind::kNone,
       "one character: f d 4 6 u p e s l i b m o",
       X(if (ev.fd.typechar == '\0') return false;
         return set_str(out, std::string_view(&ev.fd.typechar, 1));)},
      {"fd.name", FieldType::kString, ArgKind::kNone,
       "file path, unix socket path, or cip:cport->sip:sport for connections",
       X(return set_nonempty(out, ev.fd.name);)},
      {"fd.directory", FieldType::kString, ArgKind::kNone, "directory of a file's path",
       X(if (!is_path_fd(ev)) return false; std::string_view n = ev.fd.name;
         if (ev.fd.typechar == 'd') return set_nonempty(out, n); size_t p = n.rfind('/');
         if (p == std::string_view::npos) return false;
         return set_str(out, p == 0 ? n.substr(0, 1) : n.substr(0, p));)},
      {"fd.filename", FieldType::kString, ArgKind::kNone, "file name part of a file's path",
       X(if (!is_path_fd(ev) || ev.fd.typechar == 'd') return false;
         std::string_view n = ev.fd.name; size_t p = n.rfind('/');
         return set_nonempty(out, p == std::string_view::npos ? n : n.substr(p + 1));)},
      {"fd.sockfamily", FieldType::kString, ArgKind::kNone, "ip or unix",
       X(if (is_net(ev)) return set_str(out, "ip");
         if (ev.fd.typechar == 'u') return set_str(out, "unix"); return false;)},
      {"fd.is_server", FieldType::kBool, ArgKind::kNone,
       "this process is the server end of the connection",
       X(if (!is_net(ev) && ev.fd.typechar != 'u') return false;
         return set_num(out, ev.fd.is_server);)},
      {"fd.l4proto", FieldType::kString, ArgKind::kNone, "tcp, udp or raw",
       X(if (!is_net(ev)) return false; return set_str(out, ev.fd.l4proto == 6    ? "tcp"
                                                            : ev.fd.l4proto == 17 ? "udp"
                                                                                  : "raw");)},
      {"fd.cip", FieldType::kIp, ArgKind::kNone, "client IP address",
       X(if (!is_net(ev)) return false; return set_nonempty(out, ev.fd.cip);)},
      {"fd.sip", FieldType::kIp, ArgKind::kNone, "server IP address",
       X(if (!is_net(ev)) return false; return set_nonempty(out, ev.fd.sip);)},
      {"fd.lip", FieldType::kIp, ArgKind::kNone, "local IP address",
       X(if (!is_net(ev)) return false; return set_nonempty(out, local_ip(ev));)},
      {"fd.rip", FieldType::kIp, ArgKind::kNone, "remote IP address",
       X(if (!is_net(ev)) return false; return set_nonempty(out, remote_ip(ev));)},
      {"fd.ip", FieldType::kIp, ArgKind::kNone, "either end's IP address (matches when any does)",
       X(if (!is_net(ev)) return false;
         return set_nonempty(out, instance == 0 ? ev.fd.cip : ev.fd.sip);),
       two_ends},
      {"fd.cport", FieldType::kInt, ArgKind::kNone, "client port",
       X(if (!is_net(ev)) return false; return set_num(out, ev.fd.cport);)},
      {"fd.sport", FieldType::kInt, ArgKind::kNone, "server port",
       X(if (!is_net(ev)) return false; return set_num(out, ev.fd.sport);)},
      {"fd.lport", FieldType::kInt, ArgKind::kNone, "local port",
       X(if (!is_net(ev)) return false; return set_num(out, local_port(ev));)},
      {"fd.rport", FieldType::kInt, ArgKind::kNone, "remote port",
       X(if (!is_net(ev)) return false; return set_num(out, remote_port(ev));)},
      {"fd.port", FieldType::kInt, ArgKind::kNone, "either end's port (matches when any does)",
       X(if (!is_net(ev)) return false;
         return set_num(out, instance == 0 ? ev.fd.cport : ev.fd.sport);),
       two_ends},
      {"fd.net", FieldType::kIp, ArgKind::kNone,
       "either end's address, compared against networks (fd.net in (10.0.0.0/8))",
       X(if (!is_net(ev)) return false;
         return set_nonempty(out, instance == 0 ? ev.fd.cip : ev.fd.sip);),
       two_ends},
      {"fd.cnet", FieldType::kIp, ArgKind::kNone, "client address for network comparisons",
       X(if (!is_net(ev)) return false; return set_nonempty(out, ev.fd.cip);)},
      {"fd.snet", FieldType::kIp, ArgKind::kNone, "server address for network comparisons",
       X(if (!is_net(ev)) return false; return set_nonempty(out, ev.fd.sip);)},
      {"fd.lnet", FieldType::kIp, ArgKind::kNone, "local address for network comparisons",
       X(if (!is_net(ev)) return false; return set_nonempty(out, local_ip(ev));)},
      {"fd.rnet", FieldType::kIp, ArgKind::kNone, "remote address for network comparisons",
       X(if (!is_net(ev)) return false; return set_nonempty(out, remote_ip(ev));)},
      // container
      {"container.id", FieldType::kString, ArgKind::kNone,
       "container id truncated to 12 characters; \"host\" outside containers",
       X(const ContainerInfo* c = container_of(ev); if (!c || c->id.empty()) return false;
         if (is_host(c)) return set_str(out, "host");
         return set_str(out, std::string_view(c->id).substr(0, 12));)},
      {"container.full_id", FieldType::kString, ArgKind::kNone, "full container id",
       X(const ContainerInfo* c = container_of(ev); if (!c) return false;
         return set_nonempty(out, c->id);)},
      {"container.name", FieldType::kString, ArgKind::kNone,
       "container name; \"host\" outside containers",
       X(const ContainerInfo* c = container_of(ev); if (!c) return false;
         if (is_host(c)) return set_str(out, "host"); return set_nonempty(out, c->name);)},
      {"container.image", FieldType::kString, ArgKind::kNone, "image as repository:tag",
       X(const ContainerInfo* c = container_of(ev); if (!c) return false;
         return set_nonempty(out, c->image);)},
      {"container.image.repository", FieldType::kString, ArgKind::kNone,
       "image repository (without tag or digest)",
       X(const ContainerInfo* c = container_of(ev); if (!c) return false;
         return set_nonempty(out, split_image(c->image).repository);)},
      {"container.image.tag", FieldType::kString, ArgKind::kNone, "image tag",
       X(const ContainerInfo* c = container_of(ev); if (!c) return false;
         return set_nonempty(out, split_image(c->image).tag);)},
      {"container.image.digest", FieldType::kString, ArgKind::kNone,
       "image digest when the reference has one",
       X(const ContainerInfo* c = container_of(ev); if (!c) return false;
         return set_nonempty(out, split_image(c->image).digest);)},
      {"container.image.id", FieldType::kString, ArgKind::kNone, "image id",
       X(const ContainerInfo* c = container_of(ev); if (!c) return false;
         return set_nonempty(out, c->image_id);)},
      {"container.privileged", FieldType::kBool, ArgKind::kNone, "the container runs privileged",
       X(const ContainerInfo* c = container_of(ev); if (!c || is_host(c)) return false;
         return set_num(out, c->privileged);)},
      {"container.start_ts", FieldType::kInt, ArgKind::kNone,
       "container start, nanoseconds since the epoch",
       X(const ContainerInfo* c = container_of(ev); if (!c || c->started_ns == 0) return false;
         return set_num(out, static_cast<int64_t>(c->started_ns));)},
      {"container.info", FieldType::kString, ArgKind::kNone,
       "for outputs: container_id=ID container_name=NAME (Falco's %container.info)",
       X(const ContainerInfo* c = container_of(ev); if (!c || c->id.empty()) return false;
         s.buf = "container_id="; s.buf.append(is_host(c) ? std::string_view("host")
                                                          : std::string_view(c->id).substr(0, 12));
         s.buf.append(" container_name=");
         s.buf.append(is_host(c) ? std::string_view("host") : std::string_view(c->name));
         return set_str(out, s.buf);)},
      {"container.label", FieldType::kString, ArgKind::kKey,
       "container label: container.label[KEY]",
       X(const ContainerInfo* c = container_of(ev); if (!c) return false;
         auto it = c->labels.find(arg.key); if (it == c->labels.end()) return false;
         return set_str(out, it->second);)},
      // k8s
      {"k8s.ns.name", FieldType::kString, ArgKind::kNone, "Kubernetes namespace of the pod",
       X(const ContainerInfo* c = container_of(ev); if (!c) return false;
         return set_nonempty(out, c->pod_namespace);)},
      {"k8s.pod.name", FieldType::kString, ArgKind::kNone, "Kubernetes pod name",
       X(const ContainerInfo* c = container_of(ev); if (!c) return false;
         return set_nonempty(out, c->pod_name);)},
      {"k8s.pod.uid", FieldType::kString, ArgKind::kNone, "Kubernetes pod uid",
       X(const ContainerInfo* c = container_of(ev); if (!c) return false;
         return set_nonempty(out, c->pod_uid);)},
      {"k8s.pod.label", FieldType::kString, ArgKind::kKey,
       "pod label: k8s.pod.label[KEY] (read from the container's labels)",
       X(const ContainerInfo* c = container_of(ev); if (!c) return false;
         auto it = c->labels.find(arg.key); if (it == c->labels.end()) return false;
         return set_str(out, it->second);)},
  };
  return kTable;
}
#undef X

const std::unordered_map<std::string_view, const FieldDef*>& index() {
  static const auto kIndex = [] {
    std::unordered_map<std::string_view, const FieldDef*> m;
    for (const auto& f : table()) m.emplace(f.name, &f);
    return m;
  }();
  return kIndex;
}

constexpr std::array<std::string_view, 9> kClasses = {
    "evt.", "proc.", "thread.", "fd.", "user.", "group.", "container.", "k8s.", "fs."};

constexpr std::array<std::string_view, 52> kEventTypes = {
    "execve",  "execveat",    "clone",        "clone3",  "fork",   "vfork",        "procexit",
    "open",    "openat",      "openat2",      "creat",   "rename", "renameat",     "renameat2",
    "unlink",  "unlinkat",    "rmdir",        "chmod",   "fchmod", "fchmodat",     "chown",
    "fchown",  "lchown",      "fchownat",     "connect", "accept", "accept4",      "listen",
    "bind",    "dup",         "dup2",         "dup3",    "setuid", "setreuid",     "setresuid",
    "setgid",  "setregid",    "setresgid",    "capset",  "ptrace", "mount",        "umount",
    "umount2", "init_module", "finit_module", "unshare", "setns",  "memfd_create", "bpf",
    "symlink", "symlinkat",   "link"};

}  // namespace

std::string_view field_type_name(FieldType t) {
  switch (t) {
    case FieldType::kString:
      return "string";
    case FieldType::kInt:
      return "number";
    case FieldType::kBool:
      return "bool";
    case FieldType::kIp:
      return "ip";
  }
  return "?";
}

std::span<const FieldDef> field_table() { return table(); }

bool has_field_class(std::string_view name) {
  for (auto c : kClasses) {
    if (name.starts_with(c)) return true;
  }
  return false;
}

Result<ResolvedField> resolve_field(std::string_view name, const std::string* bracket_arg) {
  ResolvedField r;
  std::string_view base = name;
  std::string_view dotted_arg;
  bool dotted = false;
  for (std::string_view prefix : {std::string_view("evt.arg."), std::string_view("evt.rawarg.")}) {
    if (name.starts_with(prefix)) {
      base = name.substr(0, prefix.size() - 1);
      dotted_arg = name.substr(prefix.size());
      dotted = true;
    }
  }
  auto it = index().find(base);
  if (it == index().end()) return make_error(Errc::kNotFound, "unknown field '{}'", name);
  r.def = it->second;
  r.multi = r.def->count != nullptr && r.def->arg_kind == ArgKind::kNone;
  switch (r.def->arg_kind) {
    case ArgKind::kNone:
      if (bracket_arg) {
        return make_error(Errc::kInvalidArgument, "field '{}' takes no argument", name);
      }
      break;
    case ArgKind::kIndex:
      if (!bracket_arg) {
        r.multi = true;
        break;
      } else {
        int n = -1;
        auto res =
            std::from_chars(bracket_arg->data(), bracket_arg->data() + bracket_arg->size(), n);
        if (res.ec != std::errc() || res.ptr != bracket_arg->data() + bracket_arg->size() ||
            n < 0 || n > 64) {
          return make_error(Errc::kInvalidArgument,
                            "field '{}' needs a numeric index 0..64, got '{}'", name, *bracket_arg);
        }
        r.arg.index = n;
      }
      break;
    case ArgKind::kKey:
      if (!bracket_arg || bracket_arg->empty()) {
        return make_error(Errc::kInvalidArgument, "field '{}' needs a key: {}[KEY]", name, name);
      }
      r.arg.key = *bracket_arg;
      break;
    case ArgKind::kEvtArg: {
      if (dotted == (bracket_arg != nullptr)) {
        return make_error(Errc::kInvalidArgument, "field '{}' needs one argument: {}.NAME or {}[N]",
                          name, base, base);
      }
      if (dotted) {
        r.arg.index = -1;
        for (const auto& a : kArgAliases) {
          if (a.alias == dotted_arg) r.arg.index = a.id;
        }
        if (r.arg.index < 0) {
          return make_error(Errc::kNotFound, "unknown field '{}' (no syscall argument '{}')", name,
                            dotted_arg);
        }
      } else {
        // evt.arg[N]: position in the event's argument list is only known per event, so the
        // position is kept and mapped at extraction time through a negative-offset encoding.
        int n = -1;
        auto res =
            std::from_chars(bracket_arg->data(), bracket_arg->data() + bracket_arg->size(), n);
        if (res.ec != std::errc() || n < 0 || n > 16) {
          return make_error(Errc::kInvalidArgument, "field '{}' needs an index 0..16", name);
        }
        r.arg.index = kArgCount + n;
      }
      if (r.def->type == FieldType::kInt && r.arg.index < kArgCount) {
        int64_t dummy = 0;
        Event probe;
        if (!raw_arg(probe, static_cast<ArgId>(r.arg.index), dummy)) {
          return make_error(Errc::kInvalidArgument, "'{}' is not numeric; use evt.arg.{} instead",
                            name, dotted_arg);
        }
      }
      break;
    }
  }
  return r;
}

// evt.arg[N] support: indexes >= kArgCount name a position; map it for this event.
namespace {
int map_positional(const Event& ev, int index) {
  if (index < kArgCount) return index;
  auto args = args_of(ev.type);
  size_t pos = static_cast<size_t>(index - kArgCount);
  return pos < args.size() ? args[pos] : -1;
}
}  // namespace

bool extract_field(const ResolvedField& f, const Event& ev, int instance, FieldScratch& s,
                   FieldValue& out) {
  if (f.def->arg_kind == ArgKind::kEvtArg && f.arg.index >= kArgCount) {
    FieldArg mapped;
    mapped.index = map_positional(ev, f.arg.index);
    if (mapped.index < 0) return false;
    if (f.def->type == FieldType::kInt) {
      return event_has_arg(ev, static_cast<ArgId>(mapped.index)) &&
             raw_arg(ev, static_cast<ArgId>(mapped.index), out.num);
    }
    return f.def->extract(ev, mapped, instance, s, out);
  }
  return f.def->extract(ev, f.arg, instance, s, out);
}

bool append_field_text(const ResolvedField& f, const Event& ev, FieldScratch& s, std::string& out) {
  FieldValue v;
  int n = f.multi && f.def->count ? f.def->count(ev, f.arg) : 1;
  if (n < 1 || !extract_field(f, ev, 0, s, v)) {
    out.append("<NA>");
    return false;
  }
  switch (f.def->type) {
    case FieldType::kString:
    case FieldType::kIp:
      out.append(v.str);
      break;
    case FieldType::kInt:
      append_num(out, v.num);
      break;
    case FieldType::kBool:
      out.append(v.num ? "true" : "false");
      break;
  }
  return true;
}

std::span<const std::string_view> known_event_types() { return kEventTypes; }

namespace {
// A flat open-addressing table (FNV-1a, linear probing): one cache line or two per lookup,
// no node chasing. Built once; 256 slots for ~50 names.
struct TypeTable {
  static constexpr size_t kSlots = 256;
  std::array<std::string_view, kSlots> names{};
  std::array<int8_t, kSlots> ids{};
  static uint32_t hash(std::string_view s) {
    uint32_t h = 2166136261u;
    for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
    return h;
  }
  TypeTable() {
    ids.fill(-1);
    for (size_t i = 0; i < kEventTypes.size(); ++i) {
      size_t slot = hash(kEventTypes[i]) % kSlots;
      while (ids[slot] >= 0) slot = (slot + 1) % kSlots;
      names[slot] = kEventTypes[i];
      ids[slot] = static_cast<int8_t>(i);
    }
  }
  int find(std::string_view s) const {
    size_t slot = hash(s) % kSlots;
    while (ids[slot] >= 0) {
      if (names[slot] == s) return ids[slot];
      slot = (slot + 1) % kSlots;
    }
    return kOtherTypeId;
  }
};
}  // namespace

int event_type_id(std::string_view syscall) {
  static const TypeTable kTable;
  return kTable.find(syscall);
}

}  // namespace hivesec::runtime::rules
