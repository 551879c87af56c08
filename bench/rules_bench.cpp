// rules_bench: replays a generated mix of events through the full default runtime ruleset
// (rules/runtime) on one thread and prints events per CPU-second of that thread (the per-core
// rate), the ratio to a dispatch-only baseline measured in the same run, matches, and heap
// allocations per event on the hot path (counted by replacing operator new in this binary).
//
// Usage: rules_bench [SECONDS_PER_PASS] [RULE_FILE...]   (default 2 s, the built-in rules)
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <new>
#include <string>
#include <vector>

#include "runtime/rules/ruleset.h"

namespace {
std::atomic<uint64_t> g_allocs{0};
}

void* operator new(size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace hr = hivesec::runtime;
namespace rr = hivesec::runtime::rules;

namespace {

std::vector<hr::Event> make_mix() {
  std::vector<std::shared_ptr<hr::ContainerInfo>> containers;
  const char* images[] = {"nginx:1.25", "registry.example.com/shop/php:8.2-fpm", "node:20-slim",
                          "gcc:13", "postgres:16"};
  for (int i = 0; i < 5; ++i) {
    auto c = std::make_shared<hr::ContainerInfo>();
    c->id = std::string(60, 'a') + std::to_string(1000 + i);
    c->name = "c" + std::to_string(i);
    c->image = images[i];
    c->labels = {{"app", "a" + std::to_string(i)}};
    containers.push_back(c);
  }
  auto host = std::make_shared<hr::ContainerInfo>();
  host->id = "host";
  containers.push_back(host);

  const char* procs[] = {"nginx", "php-fpm8.2", "node", "postgres", "cc1",  "make",
                         "bash",  "python3",    "java", "sshd",     "curl", "git"};
  const char* files[] = {"/usr/share/nginx/html/index.html",
                         "/var/www/html/index.php",
                         "/app/node_modules/express/index.js",
                         "/var/lib/postgresql/data/base/1",
                         "/usr/include/stdio.h",
                         "/src/build/x.o",
                         "/etc/passwd",
                         "/etc/ld.so.cache",
                         "/var/log/nginx/access.log",
                         "/tmp/cc1.s",
                         "/proc/self/status",
                         "/usr/lib/x86_64-linux-gnu/libc.so.6"};
  std::vector<hr::Event> out;
  uint32_t seed = 12345;
  auto rnd = [&](uint32_t n) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
  };
  for (int i = 0; i < 8192; ++i) {
    hr::Event ev;
    ev.ts_ns = 1700000000000000000ull + static_cast<uint64_t>(i) * 1000;
    ev.proc.pid = 100 + static_cast<int>(rnd(5000));
    ev.proc.name = procs[rnd(12)];
    ev.proc.exepath = "/usr/bin/" + ev.proc.name;
    ev.proc.args = {"--flag", "value" + std::to_string(i % 17)};
    ev.proc.uid = rnd(4) == 0 ? 0 : 1000;
    ev.proc.euid = ev.proc.uid;
    ev.proc.user = ev.proc.uid ? "app" : "root";
    ev.ancestors = {{90, procs[rnd(12)], "/usr/bin/p", "p -x"}, {1, "containerd-shim", "/s", "s"}};
    ev.container = containers[rnd(6)];
    uint32_t k = rnd(100);
    if (k < 55) {  // file opens, mostly reads
      ev.type = hr::EventType::kOpen;
      ev.syscall = "openat";
      ev.fd.num = 5;
      ev.fd.typechar = 'f';
      ev.fd.name = files[rnd(12)];
      ev.args.path = ev.fd.name;
      ev.args.flags = rnd(5) == 0 ? 01101 : 02000000;
      ev.args.res = 5;
    } else if (k < 70) {  // network
      bool accept = rnd(2) == 0;
      ev.type = accept ? hr::EventType::kAccept : hr::EventType::kConnect;
      ev.syscall = accept ? "accept4" : "connect";
      ev.fd = hr::FdInfo{7,
                         '4',
                         "10.0.0.5:40000->10.0.0.9:5432",
                         "10.0.0.5",
                         "10.0.0.9",
                         40000,
                         static_cast<uint16_t>(rnd(3) == 0 ? 443 : 5432),
                         6,
                         accept};
    } else if (k < 82) {  // exec
      ev.type = hr::EventType::kExec;
      ev.syscall = "execve";
    } else if (k < 88) {
      ev.type = hr::EventType::kFork;
      ev.syscall = "clone";
    } else if (k < 94) {
      ev.type = hr::EventType::kExit;
      ev.syscall = "procexit";
    } else if (k < 97) {
      ev.type = hr::EventType::kDup;
      ev.syscall = "dup2";
      ev.fd = hr::FdInfo{5, 'p', "pipe:[1]", "", "", 0, 0, 0, false};
      ev.args.newfd = 1;
      ev.args.res = 1;
    } else {
      ev.type = hr::EventType::kUnlink;
      ev.syscall = "unlinkat";
      ev.args.path = "/tmp/x" + std::to_string(i);
    }
    out.push_back(std::move(ev));
  }
  return out;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Runs `fn` over the mix for `seconds` of this thread's CPU time. Returns events per CPU
// second (the per-core rate, independent of other load on the machine); `wall_rate` gets the
// rate over wall-clock time.
template <typename F>
double rate(const std::vector<hr::Event>& evs, double seconds, F&& fn, uint64_t& count,
            double& wall_rate) {
  using clock = std::chrono::steady_clock;
  auto wall_start = clock::now();
  double cpu_start = thread_cpu_seconds();
  uint64_t n = 0;
  double cpu = 0;
  do {
    for (const auto& ev : evs) fn(ev);
    n += evs.size();
    cpu = thread_cpu_seconds() - cpu_start;
  } while (cpu < seconds);
  double wall = std::chrono::duration<double>(clock::now() - wall_start).count();
  count = n;
  wall_rate = static_cast<double>(n) / wall;
  return static_cast<double>(n) / cpu;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  if (seconds <= 0) seconds = 2.0;
  rr::LoadResult loaded;
  if (argc > 2) {
    loaded = rr::load_rule_files(std::vector<std::string>(argv + 2, argv + argc));
  } else {
    loaded = rr::load_rules(rr::default_rule_sources());
  }
  if (loaded.has_errors()) {
    for (const auto& d : loaded.diagnostics) std::fprintf(stderr, "%s\n", d.to_string().c_str());
    return 2;
  }
  const rr::RuleSet& rs = *loaded.ruleset;
  auto evs = make_mix();

  uint64_t sink = 0, n_base = 0, n_rules = 0;
  double base_wall = 0, wall = 0;
  double base = rate(
      evs, seconds / 2,
      [&](const hr::Event& ev) {
        sink += static_cast<uint64_t>(rr::event_type_id(ev.syscall)) + ev.proc.name.size();
      },
      n_base, base_wall);
  uint64_t matches = 0;
  for (const auto& ev : evs) rs.count_matches(ev);  // warm the per-thread scratch buffers
  uint64_t allocs_before = g_allocs.load();
  double r = rate(
      evs, seconds, [&](const hr::Event& ev) { matches += rs.count_matches(ev); }, n_rules, wall);
  uint64_t allocs = g_allocs.load() - allocs_before;
  size_t candidates = 0;
  for (const auto& ev : evs) candidates += rs.candidate_count(ev.syscall);

  std::printf("rules loaded:            %zu\n", rs.rules().size());
  std::printf("events in mix:           %zu (avg %.1f candidate rules per event)\n", evs.size(),
              static_cast<double>(candidates) / static_cast<double>(evs.size()));
  std::printf("dispatch baseline:       %.0f events/s\n", base);
  std::printf("full ruleset:            %.0f events/s per core (target >= 1,000,000) [%s]\n", r,
              r >= 1e6 ? "ok" : "below target");
  std::printf("  (wall clock:           %.0f events/s; the machine's other load lowers it)\n",
              wall);
  std::printf("ruleset / baseline:      %.3f\n", r / base);
  std::printf("matches:                 %.4f per event\n",
              static_cast<double>(matches) / static_cast<double>(n_rules));
  std::printf("heap allocations:        %.6f per event (%llu in %llu events)\n",
              static_cast<double>(allocs) / static_cast<double>(n_rules),
              static_cast<unsigned long long>(allocs), static_cast<unsigned long long>(n_rules));
  return sink == 42 ? 1 : 0;
}
