// Record -> Event decoding (see decode.h).
#include "runtime/sensor/decode.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>

#include <cstring>

#include "runtime/sensor/syscall_table.h"

namespace hivesec::runtime::sensor {
namespace {

int64_t clock_ns(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

uint64_t arg(const hs_sys& r, int i) { return r.args[i]; }
int64_t sarg(const hs_sys& r, int i) { return static_cast<int64_t>(r.args[i]); }
// 32-bit id arguments: -1 (0xffffffff) means "unchanged".
int64_t id_arg(const hs_sys& r, int i) {
  uint32_t v = static_cast<uint32_t>(r.args[i]);
  return v == 0xffffffffu ? -1 : static_cast<int64_t>(v);
}

char fd_typechar(const hs_fd& fd) {
  switch (fd.type) {
    case HS_FD_FILE: return 'f';
    case HS_FD_DIR: return 'd';
    case HS_FD_PIPE: return 'p';
    case HS_FD_MEMFD: return 'm';
    case HS_FD_SOCK:
      return fd.family == AF_INET ? '4' : fd.family == AF_INET6 ? '6' : fd.family == AF_UNIX ? 'u' : 'o';
    case HS_FD_OTHER: return 'o';
    default: return '\0';
  }
}

std::string endpoint(const std::string& ip, uint16_t port, char typechar) {
  if (typechar == '6') return "[" + ip + "]:" + std::to_string(port);
  return ip + ":" + std::to_string(port);
}

// Socket facts from the kernel's struct sock; client/server orientation by event kind.
void fill_socket(const hs_fd& k, uint32_t kind, FdInfo& fd) {
  if (k.type != HS_FD_SOCK || (k.family != AF_INET && k.family != AF_INET6)) return;
  std::string local = ip_text(k.laddr, k.family), remote = ip_text(k.raddr, k.family);
  fd.l4proto = k.l4proto;
  bool server = kind == HS_K_ACCEPT || kind == HS_K_LISTEN || kind == HS_K_BIND;
  fd.is_server = server;
  if (server) {
    fd.sip = local;
    fd.sport = k.lport;
    fd.cip = remote;
    fd.cport = k.rport;
  } else {
    fd.cip = local;
    fd.cport = k.lport;
    fd.sip = remote;
    fd.sport = k.rport;
  }
}

void set_fd_name(FdInfo& fd, uint32_t kind) {
  if (fd.typechar != '4' && fd.typechar != '6') return;
  if (kind == HS_K_LISTEN || kind == HS_K_BIND) {
    fd.name = endpoint(fd.sip, fd.sport, fd.typechar);
  } else {
    fd.name = endpoint(fd.cip, fd.cport, fd.typechar) + "->" +
              endpoint(fd.sip, fd.sport, fd.typechar);
  }
}

void decode_sys(const hs_sys& r, Event& ev) {
  const SyscallEntry* sc = find_syscall(r.h.syscall_nr);
  ev.syscall.assign(sc ? sc->name : std::string_view("unknown"));
  EventArgs& a = ev.args;
  FdInfo& fd = ev.fd;
  a.res = r.ret;
  std::string_view path = field_string(r.path, sizeof(r.path));
  std::string_view path2 = field_string(r.path2, sizeof(r.path2));
  std::string_view name = ev.syscall;
  fd.num = r.fd.num;
  fd.typechar = fd_typechar(r.fd);
  switch (r.h.kind) {
    case HS_K_OPEN: {
      a.path.assign(path);
      if (name == "creat") {
        a.flags = O_CREAT | O_WRONLY | O_TRUNC;
        a.mode = static_cast<uint32_t>(arg(r, 1));
      } else if (name == "open") {
        a.flags = static_cast<uint32_t>(arg(r, 1));
        a.mode = static_cast<uint32_t>(arg(r, 2));
      } else if (name == "openat") {
        a.flags = static_cast<uint32_t>(arg(r, 2));
        a.mode = static_cast<uint32_t>(arg(r, 3));
      } else {  // openat2: the BPF side replaced the open_how pointer by how.flags
        a.flags = static_cast<uint32_t>(arg(r, 2));
      }
      fd.num = r.ret >= 0 ? static_cast<int32_t>(r.ret) : -1;
      fd.typechar = 'f';
      fd.name.assign(path);
      break;
    }
    case HS_K_RENAME:
      a.path.assign(path);
      a.target.assign(path2);
      if (name == "renameat2") a.flags = static_cast<uint32_t>(arg(r, 4));
      fd.name.assign(path);
      break;
    case HS_K_UNLINK:
      a.path.assign(path);
      if (name == "unlinkat") a.flags = static_cast<uint32_t>(arg(r, 2));
      fd.name.assign(path);
      break;
    case HS_K_CHMOD:
      a.path.assign(path);
      a.mode = static_cast<uint32_t>(arg(r, name == "fchmodat" ? 2 : 1));
      fd.name.assign(path);
      break;
    case HS_K_CHOWN: {
      int base = name == "fchownat" ? 2 : 1;
      a.path.assign(path);
      a.target_uid = id_arg(r, base);
      a.target_gid = id_arg(r, base + 1);
      fd.name.assign(path);
      break;
    }
    case HS_K_CONNECT:
    case HS_K_BIND: {
      fill_socket(r.fd, r.h.kind, fd);
      SockAddr sa;
      if (parse_sockaddr({r.blob, std::min<size_t>(r.blob_len, sizeof(r.blob))}, sa)) {
        if (sa.family == AF_UNIX) {
          fd.typechar = 'u';
          fd.name = sa.addr;
        } else if (r.h.kind == HS_K_CONNECT) {
          fd.typechar = sa.family == AF_INET6 ? '6' : '4';
          fd.sip = sa.addr;
          fd.sport = sa.port;
        } else {
          fd.typechar = sa.family == AF_INET6 ? '6' : '4';
          fd.sip = sa.addr;
          fd.sport = sa.port;
          fd.is_server = true;
        }
      }
      set_fd_name(fd, r.h.kind);
      break;
    }
    case HS_K_ACCEPT:
      fill_socket(r.fd, r.h.kind, fd);
      set_fd_name(fd, r.h.kind);
      break;
    case HS_K_LISTEN:
      a.backlog = static_cast<int32_t>(arg(r, 1));
      fill_socket(r.fd, r.h.kind, fd);
      set_fd_name(fd, r.h.kind);
      break;
    case HS_K_DUP:
      // fd describes the OLD descriptor (a socket for reverse shells); newfd is the copy.
      a.newfd = name == "dup" ? static_cast<int32_t>(r.ret) : static_cast<int32_t>(arg(r, 1));
      if (name == "dup3") a.flags = static_cast<uint32_t>(arg(r, 2));
      fill_socket(r.fd, HS_K_CONNECT, fd);
      set_fd_name(fd, HS_K_CONNECT);
      break;
    case HS_K_SETUID:
      if (name == "setuid") {
        a.target_uid = id_arg(r, 0);
      } else {  // setreuid / setresuid: the effective uid, else the real one
        a.target_uid = id_arg(r, 1) >= 0 ? id_arg(r, 1) : id_arg(r, 0);
      }
      break;
    case HS_K_SETGID:
      if (name == "setgid") {
        a.target_gid = id_arg(r, 0);
      } else {
        a.target_gid = id_arg(r, 1) >= 0 ? id_arg(r, 1) : id_arg(r, 0);
      }
      break;
    case HS_K_CAPSET:
      if (r.blob_len >= 24) {
        uint32_t d[6];
        std::memcpy(d, r.blob, sizeof(d));  // two {effective, permitted, inheritable}
        a.cap_effective = d[0] | (static_cast<uint64_t>(d[3]) << 32);
        a.cap_permitted = d[1] | (static_cast<uint64_t>(d[4]) << 32);
      }
      break;
    case HS_K_PTRACE:
      a.request = sarg(r, 0);
      a.target_pid = static_cast<int32_t>(arg(r, 1));
      break;
    case HS_K_MOUNT:
      a.target.assign(path);
      a.path.assign(path2);
      a.flags = static_cast<uint32_t>(arg(r, 3));
      a.fstype.assign(field_string(reinterpret_cast<const char*>(r.blob),
                                   std::min<size_t>(r.blob_len, sizeof(r.blob))));
      break;
    case HS_K_UMOUNT:
      a.target.assign(path);
      a.flags = static_cast<uint32_t>(arg(r, 1));
      break;
    case HS_K_MODULE: {
      a.path.assign(path);  // finit_module: the module file
      std::string_view base = path.substr(path.rfind('/') + 1);
      if (base.size() > 3 && base.substr(base.size() - 3) == ".ko") base.remove_suffix(3);
      a.name.assign(base);
      a.target.assign(name == "init_module" ? path : path2);  // module parameters
      if (name == "init_module") a.path.clear(), a.name.clear();
      break;
    }
    case HS_K_UNSHARE:
      a.flags = static_cast<uint32_t>(arg(r, 0));
      break;
    case HS_K_SETNS:
      a.flags = static_cast<uint32_t>(arg(r, 1));
      a.path.assign(path);
      break;
    case HS_K_MEMFD:
      a.name.assign(path);
      a.flags = static_cast<uint32_t>(arg(r, 1));
      fd.num = r.ret >= 0 ? static_cast<int32_t>(r.ret) : -1;
      fd.typechar = 'm';
      fd.name = "memfd:" + std::string(path);
      break;
    case HS_K_BPF:
      a.request = sarg(r, 0);
      break;
    default:
      break;
  }
}

void reset(Event& ev) {
  ev.syscall.clear();
  ev.ancestors.clear();
  FdInfo& fd = ev.fd;
  fd.num = -1;
  fd.typechar = '\0';
  fd.name.clear();
  fd.cip.clear();
  fd.sip.clear();
  fd.cport = fd.sport = 0;
  fd.l4proto = 0;
  fd.is_server = false;
  EventArgs& a = ev.args;
  a.res = 0;
  a.flags = a.mode = 0;
  a.target_uid = a.target_gid = -1;
  a.request = 0;
  a.target_pid = 0;
  a.newfd = -1;
  a.exit_code = 0;
  a.backlog = 0;
  a.cap_effective = a.cap_permitted = 0;
  a.path.clear();
  a.target.clear();
  a.fstype.clear();
  a.name.clear();
}

}  // namespace

ClockOffset ClockOffset::now() {
  ClockOffset c;
  c.boot_to_real_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
  return c;
}

std::string_view field_string(const char* p, size_t cap) {
  const void* nul = std::memchr(p, 0, cap);
  return std::string_view(p, nul ? static_cast<const char*>(nul) - p : cap);
}

void split_args(std::string_view block, std::vector<std::string>& out) {
  out.clear();
  while (!block.empty() && block.back() == '\0') block.remove_suffix(1);
  if (block.empty()) return;
  size_t start = 0;
  while (start <= block.size()) {
    size_t nul = block.find('\0', start);
    if (nul == std::string_view::npos) nul = block.size();
    out.emplace_back(block.substr(start, nul - start));
    start = nul + 1;
  }
}

std::string ip_text(const uint8_t* addr, int family) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, buf, sizeof(buf))) return "";
  return buf;
}

bool parse_sockaddr(std::span<const uint8_t> raw, SockAddr& out) {
  if (raw.size() < 2) return false;
  uint16_t family;
  std::memcpy(&family, raw.data(), 2);
  out.family = family;
  if (family == AF_INET && raw.size() >= sizeof(sockaddr_in)) {
    sockaddr_in in;
    std::memcpy(&in, raw.data(), sizeof(in));
    out.port = ntohs(in.sin_port);
    out.addr = ip_text(reinterpret_cast<const uint8_t*>(&in.sin_addr), AF_INET);
    return true;
  }
  if (family == AF_INET6 && raw.size() >= sizeof(sockaddr_in6)) {
    sockaddr_in6 in6;
    std::memcpy(&in6, raw.data(), sizeof(in6));
    out.port = ntohs(in6.sin6_port);
    out.addr = ip_text(reinterpret_cast<const uint8_t*>(&in6.sin6_addr), AF_INET6);
    return true;
  }
  if (family == AF_UNIX) {
    std::string_view p(reinterpret_cast<const char*>(raw.data()) + 2, raw.size() - 2);
    if (!p.empty() && p[0] == '\0') {  // abstract namespace: length-delimited, may hold NULs
      out.addr = "@" + std::string(p.substr(1));
      while (!out.addr.empty() && out.addr.back() == '\0') out.addr.pop_back();
    } else {
      out.addr.assign(field_string(p.data(), p.size()));
    }
    out.port = 0;
    return true;
  }
  return false;
}

Status check_record(const void* data, size_t size) {
  if (size < sizeof(hs_hdr)) {
    return make_error(Errc::kCorrupt, "sensor record of {} bytes is shorter than its header", size);
  }
  const hs_hdr& h = header_of(data);
  size_t need = 0;
  switch (h.kind) {
    case HS_K_EXEC: need = sizeof(hs_exec); break;
    case HS_K_FORK:
    case HS_K_EXIT: need = sizeof(hs_task); break;
    default:
      if (h.kind == HS_K_NONE || h.kind >= HS_K_COUNT) {
        return make_error(Errc::kCorrupt, "sensor record of unknown kind {}", h.kind);
      }
      need = sizeof(hs_sys);
  }
  if (size < need) {
    return make_error(Errc::kCorrupt, "sensor record of kind {} has {} bytes, needs {}", h.kind,
                      size, need);
  }
  return ok_status();
}

void decode_record(const void* rec, const ClockOffset& clock, Event& ev) {
  const hs_hdr& h = header_of(rec);
  reset(ev);
  ev.type = event_type_of(h.kind);
  ev.ts_ns = clock.to_real(h.ts_boot_ns);
  ev.cpu = h.cpu;
  ProcessInfo& p = ev.proc;
  p.pid = static_cast<int32_t>(h.pid);
  p.tid = static_cast<int32_t>(h.tid);
  p.ppid = static_cast<int32_t>(h.ppid);
  p.vpid = static_cast<int32_t>(h.vpid);
  p.uid = h.uid;
  p.gid = h.gid;
  p.euid = h.euid;
  p.egid = h.egid;
  p.loginuid = h.loginuid;
  p.tty = h.tty != 0;
  p.name.assign(field_string(h.comm, sizeof(h.comm)));
  p.start_ns = h.start_boot_ns ? clock.to_real(h.start_boot_ns) : 0;
  switch (h.kind) {
    case HS_K_EXEC: {
      const auto& r = *static_cast<const hs_exec*>(rec);
      ev.syscall = "execve";
      ev.args.res = 0;
      ev.args.path.assign(field_string(r.filename, sizeof(r.filename)));
      split_args(std::string_view(r.args, std::min<size_t>(r.args_len, sizeof(r.args))), p.args);
      p.exe = p.args.empty() ? ev.args.path : p.args.front();
      if (!p.args.empty()) p.args.erase(p.args.begin());
      p.exepath.assign(field_string(r.exepath, sizeof(r.exepath)));
      p.cwd.assign(field_string(r.cwd, sizeof(r.cwd)));
      p.exe_from_memfd = (r.flags & HS_EXEC_MEMFD) != 0;
      // A memfd is never linked: spelled as /proc/PID/exe shows it.
      if (p.exe_from_memfd && p.exepath.starts_with("/memfd:") &&
          !p.exepath.ends_with(" (deleted)")) {
        p.exepath += " (deleted)";
      }
      break;
    }
    case HS_K_FORK: {
      const auto& r = *static_cast<const hs_task*>(rec);
      ev.syscall = "clone";
      ev.args.target_pid = static_cast<int32_t>(r.child_pid);
      ev.args.res = r.child_pid;
      break;
    }
    case HS_K_EXIT: {
      const auto& r = *static_cast<const hs_task*>(rec);
      ev.syscall = "procexit";
      ev.args.exit_code = r.exit_code;
      break;
    }
    default:
      decode_sys(*static_cast<const hs_sys*>(rec), ev);
  }
}

}  // namespace hivesec::runtime::sensor
