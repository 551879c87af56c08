// Process table maintenance and /proc reading (see process_table.h).
#include "runtime/sensor/process_table.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace hivesec::runtime::sensor {
namespace {

constexpr size_t kMaxProcFile = 64 * 1024;

bool read_small(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out.assign(kMaxProcFile, '\0');
  f.read(out.data(), static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<size_t>(f.gcount()));
  return true;
}

std::string read_link(const std::string& path) {
  char buf[4096];
  ssize_t n = readlink(path.c_str(), buf, sizeof(buf));
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

// Parses "Uid:\t0\t0\t0\t0" style lines.
bool status_ids(const std::string& status, std::string_view key, uint32_t& real, uint32_t& eff) {
  size_t p = status.find(key);
  if (p == std::string::npos) return false;
  std::istringstream in(status.substr(p + key.size(), 64));
  uint64_t r = 0, e = 0;
  if (!(in >> r >> e)) return false;
  real = static_cast<uint32_t>(r);
  eff = static_cast<uint32_t>(e);
  return true;
}

}  // namespace

std::string cmdline_of(const ProcessInfo& p) {
  std::string s = p.name;
  for (const auto& a : p.args) {
    s += ' ';
    s += a;
  }
  return s;
}

ProcessTable::ProcessTable(std::string proc_root, size_t max_entries)
    : proc_root_(std::move(proc_root)), max_entries_(max_entries) {}

bool ProcessTable::read_proc(const std::string& proc_root, int32_t pid, const ClockOffset& clock,
                             ProcessInfo& out) {
  std::string dir = proc_root + "/" + std::to_string(pid);
  std::string stat;
  if (!read_small(dir + "/stat", stat)) return false;
  // "pid (comm) state ppid pgrp session tty_nr ... starttime(22)"; comm may hold ')' and spaces.
  size_t open = stat.find('('), close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  out = ProcessInfo{};
  out.pid = pid;
  out.tid = pid;
  out.name = stat.substr(open + 1, close - open - 1);
  std::istringstream rest(stat.substr(close + 1));
  std::string field;
  std::vector<std::string> f;
  while (rest >> field && f.size() < 20) f.push_back(field);
  // f[0] state, f[1] ppid, f[4] tty_nr, f[19] starttime (clock ticks since boot)
  if (f.size() < 20) return false;
  out.ppid = std::atoi(f[1].c_str());
  out.tty = std::atoll(f[4].c_str()) != 0;
  long hz = sysconf(_SC_CLK_TCK);
  uint64_t ticks = std::strtoull(f[19].c_str(), nullptr, 10);
  if (hz > 0) out.start_ns = clock.to_real(ticks * (1000000000ull / static_cast<uint64_t>(hz)));

  std::string status;
  if (read_small(dir + "/status", status)) {
    status_ids(status, "Uid:", out.uid, out.euid);
    status_ids(status, "Gid:", out.gid, out.egid);
    size_t p = status.find("NSpid:");
    if (p != std::string::npos) {
      std::istringstream in(status.substr(p + 6, status.find('\n', p) - p - 6));
      int32_t v = 0;
      while (in >> v) out.vpid = v;  // the innermost namespace's pid is last
    }
  }
  std::string loginuid;
  if (read_small(dir + "/loginuid", loginuid) && !loginuid.empty()) {
    out.loginuid = static_cast<uint32_t>(std::strtoul(loginuid.c_str(), nullptr, 10));
  }
  std::string cmdline;
  if (read_small(dir + "/cmdline", cmdline)) split_args(cmdline, out.args);
  if (!out.args.empty()) {
    out.exe = out.args.front();
    out.args.erase(out.args.begin());
  }
  // exe/cwd links resolve against our root; strip the process's own root (containers) so the
  // paths read like those the kernel reports.
  std::string root = read_link(dir + "/root");
  auto in_root = [&root](std::string p) {
    if (root.size() > 1 && p.compare(0, root.size(), root) == 0 &&
        (p.size() == root.size() || p[root.size()] == '/')) {
      p.erase(0, root.size());
      if (p.empty()) p = "/";
    }
    return p;
  };
  out.exepath = in_root(read_link(dir + "/exe"));
  out.cwd = in_root(read_link(dir + "/cwd"));
  out.exe_from_memfd = out.exepath.rfind("/memfd:", 0) == 0;
  return true;
}

size_t ProcessTable::scan(const ClockOffset& clock) {
  DIR* d = opendir(proc_root_.c_str());
  if (!d) return 0;
  size_t n = 0;
  while (dirent* e = readdir(d)) {
    char* end = nullptr;
    long pid = std::strtol(e->d_name, &end, 10);
    if (*end != '\0' || pid <= 0) continue;
    ProcEntry pe;
    if (read_proc(proc_root_, static_cast<int32_t>(pid), clock, pe.info)) {
      if (insert(static_cast<int32_t>(pid), std::move(pe))) ++n;
    }
  }
  closedir(d);
  return n;
}

ProcEntry* ProcessTable::insert(int32_t pid, ProcEntry e) {
  auto it = procs_.find(pid);
  if (it != procs_.end()) {
    it->second = std::move(e);
    return &it->second;
  }
  if (procs_.size() >= max_entries_) return nullptr;
  return &procs_.emplace(pid, std::move(e)).first->second;
}

ProcEntry* ProcessTable::find(int32_t pid) {
  auto it = procs_.find(pid);
  return it == procs_.end() ? nullptr : &it->second;
}

ProcEntry* ProcessTable::get(int32_t pid, const ClockOffset& clock) {
  if (ProcEntry* e = find(pid)) return e;
  if (pid <= 0) return nullptr;
  ProcEntry pe;
  if (!read_proc(proc_root_, pid, clock, pe.info)) return nullptr;
  return insert(pid, std::move(pe));
}

ProcEntry* ProcessTable::on_fork(int32_t parent, int32_t child, uint64_t ts_ns,
                                 const ClockOffset& clock) {
  ProcEntry e;
  if (ProcEntry* p = get(parent, clock)) e = *p;
  e.info.pid = child;
  e.info.tid = child;
  e.info.ppid = parent;
  e.info.vpid = 0;
  e.info.start_ns = ts_ns;
  return insert(child, std::move(e));
}

ProcEntry* ProcessTable::on_exec(const ProcessInfo& p) {
  ProcEntry* e = find(p.pid);
  if (!e) {
    e = insert(p.pid, ProcEntry{});
    if (!e) return nullptr;
  }
  e->info = p;
  return e;
}

std::optional<ProcEntry> ProcessTable::on_exit(int32_t pid) {
  auto it = procs_.find(pid);
  if (it == procs_.end()) return std::nullopt;
  ProcEntry e = std::move(it->second);
  procs_.erase(it);
  return e;
}

void ProcessTable::ancestors(int32_t pid, size_t max, const ClockOffset& clock,
                             std::vector<AncestorInfo>& out) {
  out.clear();
  ProcEntry* cur = get(pid, clock);
  int32_t next = cur ? cur->info.ppid : 0;
  while (out.size() < max && next > 0) {
    ProcEntry* p = get(next, clock);
    if (!p) break;
    AncestorInfo a;
    a.pid = p->info.pid;
    a.name = p->info.name;
    a.exepath = p->info.exepath;
    a.cmdline = cmdline_of(p->info);
    out.push_back(std::move(a));
    if (p->info.ppid == next) break;  // defensive: a self-parented entry
    next = p->info.ppid;
  }
}

}  // namespace hivesec::runtime::sensor
