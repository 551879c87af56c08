// Loader and user-space half of the eBPF sensor (see sensor.h): skeleton and ring buffer in
// RAII types, map setup from SensorOptions, and per-record enrichment.
#include "runtime/sensor/sensor.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <pwd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <set>

#include "runtime/sensor/decode.h"
#include "runtime/sensor/process_table.h"
#include "runtime/sensor/syscall_table.h"
#include "sensor.skel.h"

namespace hivesec::runtime::sensor {
namespace {

// libbpf messages: kept (last warning) for error reports instead of printed.
std::mutex g_log_mu;
std::string g_last_log;
int capture_libbpf(enum libbpf_print_level level, const char* fmt, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  char buf[512];
  vsnprintf(buf, sizeof(buf), fmt, args);
  std::string line(buf);
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
  std::lock_guard lk(g_log_mu);
  if (!line.empty()) g_last_log = line;
  return 0;
}
std::string last_libbpf_message() {
  std::lock_guard lk(g_log_mu);
  return g_last_log;
}

struct SkelDeleter {
  void operator()(hs_sensor* s) const { hs_sensor__destroy(s); }
};
struct RingDeleter {
  void operator()(ring_buffer* r) const { ring_buffer__free(r); }
};
struct LinkDeleter {
  void operator()(bpf_link* l) const { bpf_link__destroy(l); }
};

uint64_t mono_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

bool exists(const char* p) {
  struct stat st{};
  return stat(p, &st) == 0;
}

// Mounts tracefs when needed; returns its events directory.
Result<std::string> ensure_tracefs() {
  for (const char* d : {"/sys/kernel/tracing/events", "/sys/kernel/debug/tracing/events"}) {
    if (exists(d)) return std::string(d);
  }
  if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, nullptr) != 0) {
    return make_error(Errc::kIo, "tracefs is not mounted and mounting it on /sys/kernel/tracing "
                                 "failed: {}", std::strerror(errno));
  }
  return std::string("/sys/kernel/tracing/events");
}

Status fill_prefixes(int map_fd, const std::vector<std::string>& write,
                     const std::vector<std::string>& read) {
  std::map<std::string, uint32_t> own;
  for (const auto& p : write) own[p] |= HS_PF_WRITE;
  for (const auto& p : read) own[p] |= HS_PF_READ;
  if (own.size() > 256) {
    return make_error(Errc::kInvalidArgument, "{} path prefixes given; the sensor takes at most 256",
                      own.size());
  }
  for (const auto& [p, bits] : own) {
    if (p.empty() || p.size() >= HS_LPM_DATA_LEN) {
      return make_error(Errc::kInvalidArgument, "path prefix '{}' must have 1 to {} bytes", p,
                        HS_LPM_DATA_LEN - 1);
    }
    // The trie returns only the longest match: it carries the bits of every shorter prefix.
    uint32_t all = 0;
    for (const auto& [q, qbits] : own) {
      if (p.compare(0, q.size(), q) == 0) all |= qbits;
    }
    hs_lpm_key key{};
    key.prefixlen = static_cast<uint32_t>(p.size() * 8);
    std::memcpy(key.data, p.data(), p.size());
    if (bpf_map_update_elem(map_fd, &key, &all, BPF_ANY) != 0) {
      return make_error(Errc::kIo, "adding path prefix '{}' to the sensor: {}", p,
                        std::strerror(errno));
    }
  }
  return ok_status();
}

// uid -> user name, per container root (read from the container's /etc/passwd).
class UserNames {
 public:
  const std::string& name(uint64_t key, int32_t pid, bool host, uint32_t uid) {
    if (tables_.size() >= kMaxTables && !tables_.contains(key)) tables_.clear();
    auto& users = tables_[key];
    if (!users.loaded) {
      std::string path = host ? "/etc/passwd" : "/proc/" + std::to_string(pid) + "/root/etc/passwd";
      std::ifstream f(path);
      if (!f) {
        // The process is already gone (a short-lived command): try again on a later event of
        // this container instead of remembering numbers for every user.
        fallback_ = uid == 0 ? "root" : std::to_string(uid);
        return fallback_;
      }
      users.loaded = true;
      std::string line;
      size_t n = 0;
      while (std::getline(f, line) && n++ < 10000) {
        size_t c1 = line.find(':'), c2 = line.find(':', c1 + 1), c3 = line.find(':', c2 + 1);
        if (c1 == std::string::npos || c2 == std::string::npos || c3 == std::string::npos) continue;
        users.names[static_cast<uint32_t>(std::strtoul(line.c_str() + c2 + 1, nullptr, 10))] =
            line.substr(0, c1);
      }
    }
    auto it = users.names.find(uid);
    if (it == users.names.end()) it = users.names.emplace(uid, std::to_string(uid)).first;
    return it->second;
  }

 private:
  struct Table {
    bool loaded = false;
    std::map<uint32_t, std::string> names;
  };
  // Tables per container key (cgroup id: unique per container run), kept after the container's
  // processes exit; all are dropped when there are this many.
  static constexpr size_t kMaxTables = 1024;
  std::map<uint64_t, Table> tables_;
  std::string fallback_;
};

class Sensor final : public EventSource {
 public:
  Sensor(SensorOptions opts, ContainerCache::Options copts)
      : opts_(std::move(opts)),
        containers_(std::move(opts_.metadata), std::move(copts)),
        clock_(ClockOffset::now()) {}

  ~Sensor() override = default;  // ring buffer, per-syscall links, then the skeleton

  Status start() {
    if (geteuid() != 0) {
      return make_error(Errc::kAuth, "the eBPF sensor needs root (CAP_BPF, CAP_PERFMON)");
    }
    if (!exists("/sys/kernel/btf/vmlinux")) {
      return make_error(Errc::kUnsupported, "this kernel has no BTF (/sys/kernel/btf/vmlinux); "
                                            "the sensor needs CONFIG_DEBUG_INFO_BTF=y");
    }
    HIVESEC_TRY(std::string events, ensure_tracefs());
    syscall_events_ = events + "/syscalls";
    per_syscall_ = exists(syscall_events_.c_str());
    libbpf_set_print(capture_libbpf);

    if (opts_.types.empty()) {
      wanted_.fill(true);
    } else {
      for (EventType t : opts_.types) wanted_[static_cast<size_t>(t)] = true;
    }

    skel_.reset(hs_sensor__open());
    if (!skel_) {
      return make_error(Errc::kIo, "opening the eBPF sensor object failed: {}",
                        last_libbpf_message());
    }
    uint32_t rb = 1u << 20;
    while (rb < opts_.ringbuf_bytes && rb < (1u << 30)) rb <<= 1;
    if (bpf_map__set_max_entries(skel_->maps.events, rb) != 0) {
      return make_error(Errc::kInvalidArgument, "ring buffer size {} refused", rb);
    }
    // One pair of syscall programs is loaded: the per-syscall one (attached below, once per
    // wanted syscall) or, on kernels without syscalls/* tracepoints, the raw_syscalls one
    // (attached with the skeleton, runs for every syscall).
    bpf_program__set_autoload(skel_->progs.hs_sys_enter, per_syscall_);
    bpf_program__set_autoload(skel_->progs.hs_sys_exit, per_syscall_);
    bpf_program__set_autoattach(skel_->progs.hs_sys_enter, false);
    bpf_program__set_autoattach(skel_->progs.hs_sys_exit, false);
    bpf_program__set_autoload(skel_->progs.hs_raw_enter, !per_syscall_);
    bpf_program__set_autoload(skel_->progs.hs_raw_exit, !per_syscall_);
    if (int err = hs_sensor__load(skel_.get()); err != 0) {
      return make_error(Errc::kIo, "loading the eBPF sensor programs failed: {} ({})",
                        std::strerror(-err), last_libbpf_message());
    }
    HIVESEC_TRY_STATUS(configure_maps());
    if (int err = hs_sensor__attach(skel_.get()); err != 0) {
      return make_error(Errc::kIo, "attaching the eBPF sensor failed: {} ({})",
                        std::strerror(-err), last_libbpf_message());
    }
    if (per_syscall_) HIVESEC_TRY_STATUS(attach_syscalls());
    ring_.reset(ring_buffer__new(bpf_map__fd(skel_->maps.events), &Sensor::on_record, this,
                                 nullptr));
    if (!ring_) {
      return make_error(Errc::kIo, "creating the ring buffer reader failed: {}",
                        std::strerror(errno));
    }
    if (opts_.scan_proc) procs_.scan(clock_);
    return ok_status();
  }

  std::string_view name() const override { return "sensor"; }

  static constexpr uint64_t kPollSliceMs = 20;

  Result<NextStatus> next(Event& out, int timeout_ms) override {
    uint64_t deadline = mono_ns() + static_cast<uint64_t>(std::max(timeout_ms, 0)) * 1000000ull;
    while (true) {
      bool stopping = stop_.load(std::memory_order_relaxed);
      release_held(stopping);
      if (!ready_.empty()) {
        out = std::move(ready_.front());
        ready_.pop_front();
        ++delivered_;
        return NextStatus::kEvent;
      }
      if (stopping) return NextStatus::kEnd;
      while (!pending_.empty()) {
        std::vector<uint8_t> rec = std::move(pending_.front());
        pending_.pop_front();
        bool deliver = process(rec, out);
        if (pool_.size() < 256) pool_.push_back(std::move(rec));
        if (deliver) {
          ++delivered_;
          return NextStatus::kEvent;
        }
        if (!ready_.empty()) break;  // held events released in order ahead of this one
      }
      if (!ready_.empty()) continue;
      uint64_t now = mono_ns();
      if (now >= deadline && timeout_ms >= 0) {
        // One non-blocking look before reporting a timeout.
        int n = ring_buffer__consume(ring_.get());
        if (n > 0 || !pending_.empty()) continue;
        return NextStatus::kTimeout;
      }
      // The BPF side wakes us only when a backlog builds up (submit_record in sensor.bpf.c), so
      // a quiet poll is followed by a non-blocking read: records wait at most kPollSliceMs.
      int slice =
          static_cast<int>(std::min<uint64_t>((deadline - now) / 1000000ull + 1, kPollSliceMs));
      int n = ring_buffer__poll(ring_.get(), slice);
      if (n == 0) n = ring_buffer__consume(ring_.get());
      if (n < 0 && n != -EINTR) {
        return make_error(Errc::kIo, "reading the sensor ring buffer: {}", std::strerror(-n));
      }
    }
  }

  void stop() override { stop_.store(true); }

  // Holding the first events of a new container until its metadata arrives (at most
  // metadata_wait_ms, at most kMaxHeld events in all), so rules see name, image and pod on the
  // very first event even when the engine answers late. Events of one container keep their
  // order; other containers' events are not delayed.
  static constexpr size_t kMaxHeld = 4096;
  struct Held {
    uint64_t deadline_ns = 0;
    std::deque<Event> events;
  };

  // True when `ev` (of container `key`) was taken to be held.
  bool hold(uint64_t key, const ContainerState& cs, Event& ev) {
    auto it = held_.find(key);
    if (it == held_.end()) {
      if (!cs.pending || opts_.metadata_wait_ms <= 0) return false;
      if (held_count_ >= kMaxHeld) return false;
      it = held_.emplace(key, Held{mono_ns() + static_cast<uint64_t>(opts_.metadata_wait_ms) *
                                                   1000000ull, {}}).first;
    } else if (held_count_ >= kMaxHeld) {
      flush(it, nullptr);  // over the bound: release in order, this one after them
      ready_.push_back(std::move(ev));
      ev = Event{};
      return true;
    }
    it->second.events.push_back(std::move(ev));
    ev = Event{};
    ++held_count_;
    return true;
  }

  // Moves a container's held events to ready_, with `info` when the lookup answered.
  void flush(std::unordered_map<uint64_t, Held>::iterator it,
             const std::shared_ptr<const ContainerInfo>& info) {
    if (!info || !info->metadata_complete) ++metadata_late_;
    for (Event& e : it->second.events) {
      if (info) e.container = info;
      ready_.push_back(std::move(e));
    }
    held_count_ -= it->second.events.size();
    held_.erase(it);
  }

  void release_held(bool all) {
    uint64_t now = mono_ns();
    if (now >= next_sweep_ns_) {
      containers_.sweep();
      next_sweep_ns_ = now + 1'000'000'000ull;
    }
    for (ContainerUpdate& u : containers_.poll()) {
      auto it = held_.find(u.key);
      if (it != held_.end()) flush(it, u.info);
    }
    if (held_.empty()) return;
    for (auto it = held_.begin(); it != held_.end();) {
      auto next = std::next(it);
      if (all || now >= it->second.deadline_ns) flush(it, nullptr);
      it = next;
    }
  }

  SourceStats stats() const override {
    SourceStats s;
    s.delivered = delivered_;
    static constexpr std::array<const char*, HS_DROP_COUNT> kNames = {
        "ringbuf_proc", "ringbuf_file", "ringbuf_net", "ringbuf_other", "inflight", "read_fault"};
    int ncpu = libbpf_num_possible_cpus();
    std::vector<uint64_t> vals(ncpu > 0 ? static_cast<size_t>(ncpu) : 1);
    for (uint32_t i = 0; i < HS_DROP_COUNT; ++i) {
      uint64_t sum = 0;
      if (skel_ && bpf_map_lookup_elem(bpf_map__fd(skel_->maps.drops), &i, vals.data()) == 0) {
        for (uint64_t v : vals) sum += v;
      }
      s.drops.emplace_back(kNames[i], sum);
    }
    s.drops.emplace_back("decode", decode_errors_);
    s.metadata_late = metadata_late_;
    return s;
  }

 private:
  static int on_record(void* ctx, void* data, size_t size) {
    auto* self = static_cast<Sensor*>(ctx);
    std::vector<uint8_t> buf;
    if (!self->pool_.empty()) {
      buf = std::move(self->pool_.back());
      self->pool_.pop_back();
    }
    buf.assign(static_cast<const uint8_t*>(data), static_cast<const uint8_t*>(data) + size);
    self->pending_.push_back(std::move(buf));
    return 0;
  }

  Status configure_maps() {
    uint32_t zero = 0;
    hs_config cfg{};
    cfg.self_tgid = static_cast<uint32_t>(getpid());
    cfg.filter_all_write = opts_.all_writes || opts_.write_prefixes.empty() ? 1 : 0;
    if (bpf_map_update_elem(bpf_map__fd(skel_->maps.hs_settings), &zero, &cfg, BPF_ANY) != 0) {
      return make_error(Errc::kIo, "configuring the sensor: {}", std::strerror(errno));
    }
    std::array<bool, HS_K_COUNT> kinds{};
    for (size_t t = 0; t < kEventTypeCount; ++t) {
      if (wanted_[t]) kinds[kind_of(static_cast<EventType>(t))] = true;
    }
    kinds[HS_K_EXEC] = kinds[HS_K_FORK] = kinds[HS_K_EXIT] = true;  // the process table
    for (uint32_t k = 0; k < HS_K_COUNT; ++k) {
      uint8_t v = kinds[k] ? 1 : 0;
      if (bpf_map_update_elem(bpf_map__fd(skel_->maps.enabled), &k, &v, BPF_ANY) != 0) {
        return make_error(Errc::kIo, "configuring the sensor: {}", std::strerror(errno));
      }
    }
    for (const SyscallEntry& e : syscall_table()) {
      if (!wanted_[static_cast<size_t>(e.type)] || e.nr < 0 || e.nr >= HS_MAX_SYSCALLS) continue;
      uint32_t nr = static_cast<uint32_t>(e.nr);
      if (bpf_map_update_elem(bpf_map__fd(skel_->maps.syscalls), &nr, &e.desc, BPF_ANY) != 0) {
        return make_error(Errc::kIo, "configuring syscall {}: {}", e.name, std::strerror(errno));
      }
    }
    return fill_prefixes(bpf_map__fd(skel_->maps.prefixes), opts_.write_prefixes,
                         opts_.read_prefixes);
  }

  // Attaches hs_sys_exit to syscalls/sys_exit_<name> of every wanted syscall, and hs_sys_enter
  // to sys_enter_<name> of those that need state from before the call (HS_DF_ENTRY_CREDS), so
  // other syscalls run no BPF code at all. A syscall without tracepoints is one this kernel does
  // not implement (the kernel creates them for every SYSCALL_DEFINE; init_module, for one, is
  // absent without CONFIG_MODULES): it is skipped.
  Status attach_syscalls() {
    auto attach = [&](bpf_program* prog, const std::string& name) -> Status {
      bpf_link* link = bpf_program__attach_tracepoint(prog, "syscalls", name.c_str());
      if (!link) {
        return make_error(Errc::kIo, "attaching the eBPF sensor to syscalls/{} failed: {} ({})",
                          name, std::strerror(errno), last_libbpf_message());
      }
      links_.emplace_back(link);
      return ok_status();
    };
    for (const SyscallEntry& e : syscall_table()) {
      if (!wanted_[static_cast<size_t>(e.type)] || e.nr < 0 || e.nr >= HS_MAX_SYSCALLS) continue;
      std::string tp(e.tracepoint);
      if (!exists((syscall_events_ + "/sys_exit_" + tp).c_str())) continue;
      HIVESEC_TRY_STATUS(attach(skel_->progs.hs_sys_exit, "sys_exit_" + tp));
      if (e.desc.flags & HS_DF_ENTRY_CREDS) {
        HIVESEC_TRY_STATUS(attach(skel_->progs.hs_sys_enter, "sys_enter_" + tp));
      }
    }
    return ok_status();
  }

  // Attributes `entry` to container `key` (process accounting for eviction).
  void attribute(ProcEntry* entry, uint64_t key) {
    if (!entry) return;
    if (entry->has_container && entry->container_key == key) return;
    if (entry->has_container) containers_.release(entry->container_key);
    containers_.retain(key);
    entry->container_key = key;
    entry->has_container = true;
  }

  static void copy_image_facts(const ProcessInfo& from, ProcessInfo& to) {
    to.exe = from.exe;
    to.exepath = from.exepath;
    to.args = from.args;
    to.cwd = from.cwd;
    if (from.start_ns) to.start_ns = from.start_ns;
    to.exe_from_memfd = from.exe_from_memfd;
    to.exe_written_after_start = from.exe_written_after_start;
    to.exe_upper_layer = from.exe_upper_layer;
  }

  void drift_flags(const hs_exec& r, uint64_t key, const ContainerState& cs, ProcessInfo& p) {
    if (cs.info == ContainerCache::host()) return;
    uint64_t changed = std::max(r.exe_ctime_ns, r.exe_mtime_ns);
    uint64_t started = cs.info ? cs.info->started_ns : 0;
    p.exe_written_after_start = started != 0 && changed > started;
    if ((r.flags & HS_EXEC_UPPER) && !p.exepath.empty() && p.exepath[0] == '/') {
      const std::string& upper = containers_.upperdir(key, p.pid);
      struct stat st{};
      p.exe_upper_layer = !upper.empty() && lstat((upper + p.exepath).c_str(), &st) == 0 &&
                          S_ISREG(st.st_mode);
    }
  }

  // Decodes and enriches one record into `out`; true when it is to be delivered.
  bool process(const std::vector<uint8_t>& rec, Event& out) {
    if (!check_record(rec.data(), rec.size()).ok()) {
      ++decode_errors_;
      return false;
    }
    const hs_hdr& h = header_of(rec.data());
    decode_record(rec.data(), clock_, out);
    uint64_t key = containers_.key_for(h.cgroup_id, h.pidns_ino);
    const ContainerState& cs = containers_.resolve(key, h.cgroup_id, out.proc.pid);
    out.container = cs.info;
    std::optional<ProcEntry> gone;
    switch (h.kind) {
      case HS_K_EXEC: {
        drift_flags(*reinterpret_cast<const hs_exec*>(rec.data()), key, cs, out.proc);
        ProcEntry* e = procs_.on_exec(out.proc);
        attribute(e, key);
        break;
      }
      case HS_K_FORK: {
        const auto& r = *reinterpret_cast<const hs_task*>(rec.data());
        ProcEntry* parent = procs_.get(out.proc.pid, clock_);
        if (parent) {
          parent->info.ppid = out.proc.ppid;
          copy_image_facts(parent->info, out.proc);
          attribute(parent, key);
        }
        ProcEntry* child = procs_.on_fork(out.proc.pid, static_cast<int32_t>(r.child_pid),
                                          out.ts_ns, clock_);
        attribute(child, key);
        break;
      }
      case HS_K_EXIT: {
        gone = procs_.on_exit(out.proc.pid);
        if (gone) copy_image_facts(gone->info, out.proc);
        break;
      }
      default: {
        ProcEntry* e = procs_.get(out.proc.pid, clock_);
        if (e) {
          e->info.ppid = out.proc.ppid;
          copy_image_facts(e->info, out.proc);
          attribute(e, key);
        }
      }
    }
    bool host = cs.info == ContainerCache::host();
    out.proc.user = users_.name(key, out.proc.pid, host, out.proc.uid);
    bool deliver = wanted_[static_cast<size_t>(out.type)];
    if (deliver) procs_.ancestors(out.proc.pid, opts_.max_ancestors, clock_, out.ancestors);
    if (deliver && hold(key, cs, out)) deliver = false;  // `cs` is not used after this
    if (gone && gone->has_container) {
      // The entry idles, to be evicted by sweep() once the container is gone. The user table
      // outlives the eviction (bounded in UserNames).
      containers_.release(gone->container_key);
    }
    return deliver;
  }

  SensorOptions opts_;
  ContainerCache containers_;
  ClockOffset clock_;
  ProcessTable procs_;
  UserNames users_;
  std::array<bool, kEventTypeCount> wanted_{};
  std::string syscall_events_;  // tracefs events/syscalls
  bool per_syscall_ = false;    // per-syscall tracepoints (else raw_syscalls)
  std::unique_ptr<hs_sensor, SkelDeleter> skel_;
  std::vector<std::unique_ptr<bpf_link, LinkDeleter>> links_;  // per-syscall attachments
  std::unique_ptr<ring_buffer, RingDeleter> ring_;  // declared after skel_: destroyed first
  std::deque<std::vector<uint8_t>> pending_;
  std::unordered_map<uint64_t, Held> held_;
  size_t held_count_ = 0;
  std::deque<Event> ready_;  // released held events, delivered before new records
  uint64_t next_sweep_ns_ = 0;  // next eviction pass over idle containers
  uint64_t metadata_late_ = 0;  // holds that ended without metadata (timeout, failure, bound)
  std::vector<std::vector<uint8_t>> pool_;
  std::atomic<bool> stop_{false};
  uint64_t delivered_ = 0;
  uint64_t decode_errors_ = 0;
};

}  // namespace

// What the default runtime rules (rules/runtime) watch: system and binary directories, root's
// home (history, keys), cron, secrets, logs (tampering), the cgroup tree (release_agent) and
// the kernel's user-mode helper files (core_pattern, modprobe, uevent_helper, binfmt_misc).
std::vector<std::string> default_write_prefixes() {
  return {"/etc/", "/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/local/bin/",
          "/usr/local/sbin/", "/usr/lib/", "/lib/", "/lib64/", "/boot/", "/root/",
          "/var/spool/cron/", "/var/run/secrets/", "/run/secrets/", "/var/log/",
          "/sys/fs/cgroup/", "/proc/sys/kernel/core_pattern", "/proc/sys/kernel/modprobe",
          "/sys/kernel/uevent_helper", "/proc/sys/fs/binfmt_misc/"};
}

std::vector<std::string> default_read_prefixes() {
  return {"/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/pam.d/", "/etc/ssl/private/",
          "/root/.ssh/", "/root/.aws/", "/root/.docker/config.json", "/root/.kube/config",
          "/var/run/secrets/", "/run/secrets/", "/etc/kubernetes/"};
}

Result<std::vector<EventType>> parse_event_types(std::string_view list) {
  std::vector<EventType> out;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (item.empty()) continue;
    if (item == "all") return std::vector<EventType>{};
    bool found = false;
    for (size_t t = 0; t < kEventTypeCount; ++t) {
      if (event_type_name(static_cast<EventType>(t)) == item) {
        out.push_back(static_cast<EventType>(t));
        found = true;
      }
    }
    if (!found) {
      std::string known;
      for (size_t t = 0; t < kEventTypeCount; ++t) {
        known += (known.empty() ? "" : ",") + std::string(event_type_name(static_cast<EventType>(t)));
      }
      return make_error(Errc::kInvalidArgument, "unknown event type '{}' (known: {})", item, known);
    }
  }
  return out;
}

Result<std::unique_ptr<EventSource>> open_sensor(SensorOptions opts) {
  if (!opts.metadata) opts.metadata = make_engine_metadata_source();
  ContainerCache::Options copts;
  copts.timeout_ms = std::max(opts.metadata_wait_ms + 1000, 5000);  // off the event path
  auto s = std::make_unique<Sensor>(std::move(opts), std::move(copts));
  HIVESEC_TRY_STATUS(s->start());
  return std::unique_ptr<EventSource>(std::move(s));
}

}  // namespace hivesec::runtime::sensor
