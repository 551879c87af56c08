// Cgroup -> container id parsing, Engine API metadata and the container cache (container.h).
#include "runtime/sensor/container.h"

#include "engine/engine.h"

#include <dirent.h>
#include <sys/stat.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "image/http_client.h"

namespace hivesec::runtime::sensor {
namespace {

constexpr size_t kMaxInspectBody = 4 << 20;
constexpr uint64_t kFirstBackoffNs = 1'000'000'000;  // first wait after a failed lookup

bool is_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string read_file(const std::string& path, size_t max) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return {};
  std::string s(max, '\0');
  f.read(s.data(), static_cast<std::streamsize>(max));
  s.resize(static_cast<size_t>(f.gcount()));
  return s;
}

uint64_t mono_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

std::string unescape_mountinfo(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() + 0 && s[i + 1] >= '0' && s[i + 1] <= '3') {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Where cgroup v2 is mounted (unified or hybrid "unified" mount).
std::string find_cgroup2_root() {
  std::ifstream f("/proc/self/mountinfo");
  std::string line;
  while (std::getline(f, line)) {
    size_t dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    if (line.compare(dash + 3, 8, "cgroup2 ") != 0) continue;
    // fields: id parent maj:min root mountpoint ...
    size_t p = 0;
    for (int i = 0; i < 4 && p != std::string::npos; ++i) p = line.find(' ', p + 1);
    if (p == std::string::npos) continue;
    size_t e = line.find(' ', p + 1);
    return unescape_mountinfo(std::string_view(line).substr(p + 1, e - p - 1));
  }
  return {};
}

class EngineMetadataSource : public ContainerMetadataSource {
 public:
  explicit EngineMetadataSource(std::string docker_host) : docker_host_(std::move(docker_host)) {}

  Result<ContainerInfo> inspect(std::string_view id, int timeout_ms) override {
    // Found again on every call: an engine started after the agent is picked up.
    auto found = engine::find_engine(docker_host_);
    if (!found.ok()) return make_error(Errc::kNetwork, "{}", found.error().message);  // an outage
    const engine::Endpoint& ep = *found;
    long secs = std::max(1, (timeout_ms + 999) / 1000);
    engine::Client client(ep, engine::ClientOptions{secs, secs, kMaxInspectBody});
    auto j = client.get_json("/containers/" + std::string(id) + "/json");
    if (!j.ok()) return j.error().wrap("engine " + ep.where);
    return parse_inspect(*j);
  }

 private:
  std::string docker_host_;
};

}  // namespace

std::optional<CgroupContainer> container_from_cgroup_path(std::string_view path) {
  // Segments from the leaf up: a process in a sub-cgroup of its container still resolves.
  while (!path.empty()) {
    size_t slash = path.rfind('/');
    std::string_view seg = slash == std::string_view::npos ? path : path.substr(slash + 1);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
    if (seg.size() > 6 && seg.substr(seg.size() - 6) == ".scope") seg.remove_suffix(6);
    static constexpr std::pair<std::string_view, std::string_view> kPrefixes[] = {
        {"libpod-", "podman"},
        {"docker-", "docker"},
        {"cri-containerd-", "containerd"},
        {"crio-", "crio"},
    };
    for (const auto& [prefix, runtime] : kPrefixes) {
      if (starts_with(seg, prefix) && is_hex64(seg.substr(prefix.size()))) {
        return CgroupContainer{std::string(runtime), std::string(seg.substr(prefix.size()))};
      }
    }
    if (is_hex64(seg)) {
      std::string runtime = path.size() >= 7 && path.substr(path.size() - 7) == "/docker" ? "docker" : "";
      return CgroupContainer{runtime, std::string(seg)};
    }
  }
  return std::nullopt;
}

ProcCgroup parse_proc_cgroup(std::string_view content) {
  ProcCgroup out;
  while (!content.empty()) {
    size_t nl = content.find('\n');
    std::string_view line = content.substr(0, nl);
    content = nl == std::string_view::npos ? std::string_view() : content.substr(nl + 1);
    // hierarchy-id:controllers:path
    size_t c1 = line.find(':');
    if (c1 == std::string_view::npos) continue;
    size_t c2 = line.find(':', c1 + 1);
    if (c2 == std::string_view::npos) continue;
    std::string_view path = line.substr(c2 + 1);
    if (line.substr(0, c2 + 1) == "0::") out.unified_path = std::string(path);
    if (!out.container) out.container = container_from_cgroup_path(path);
    else if (line.substr(0, c2 + 1) == "0::") {
      if (auto c = container_from_cgroup_path(path)) out.container = c;  // v2 wins
    }
  }
  return out;
}

std::string overlay_upperdir(std::string_view mountinfo) {
  while (!mountinfo.empty()) {
    size_t nl = mountinfo.find('\n');
    std::string_view line = mountinfo.substr(0, nl);
    mountinfo = nl == std::string_view::npos ? std::string_view() : mountinfo.substr(nl + 1);
    // id parent maj:min root mountpoint opts ... - fstype source superopts
    size_t p = 0;
    std::string_view fields[5];
    bool ok = true;
    for (auto& f : fields) {
      size_t e = line.find(' ', p);
      if (e == std::string_view::npos) {
        ok = false;
        break;
      }
      f = line.substr(p, e - p);
      p = e + 1;
    }
    if (!ok || fields[4] != "/") continue;
    size_t dash = line.find(" - ");
    if (dash == std::string_view::npos) continue;
    std::string_view tail = line.substr(dash + 3);
    if (!starts_with(tail, "overlay ")) continue;
    size_t up = tail.find("upperdir=");
    if (up == std::string_view::npos) return {};
    std::string_view v = tail.substr(up + 9);
    v = v.substr(0, v.find(','));
    return unescape_mountinfo(v);
  }
  return {};
}

std::optional<uint64_t> parse_rfc3339_ns(std::string_view s) {
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  auto num = [&](size_t pos, size_t len, int& out) {
    out = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, se;
  if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) ||
      !num(17, 2, se)) {
    return std::nullopt;
  }
  if (y < 1970) return 0;  // the engine's zero time
  size_t i = 19;
  uint64_t frac = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (digits < 9) frac = frac * 10 + static_cast<uint64_t>(s[i] - '0'), ++digits;
      ++i;
    }
    for (; digits < 9; ++digits) frac *= 10;
  }
  int64_t offset_s = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-') && i + 6 <= s.size() && s[i + 3] == ':') {
    int oh, om;
    if (!num(i + 1, 2, oh) || !num(i + 4, 2, om)) return std::nullopt;
    offset_s = (oh * 3600 + om * 60) * (s[i] == '+' ? 1 : -1);
    i += 6;
  } else if (i < s.size() && s[i] == 'Z') {
    ++i;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  int64_t t = static_cast<int64_t>(timegm(&tm)) - offset_s;
  if (t < 0) return 0;
  return static_cast<uint64_t>(t) * 1000000000ull + frac;
}

Result<ContainerInfo> parse_inspect_json(std::string_view body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) return make_error(Errc::kCorrupt, "container inspect: not JSON");
  return parse_inspect(j);
}

Result<ContainerInfo> parse_inspect(const nlohmann::json& j) {
  try {
    if (!j.is_object()) return make_error(Errc::kCorrupt, "container inspect: not an object");
    ContainerInfo c;
    auto str = [](const nlohmann::json& o, const char* k) {
      auto it = o.find(k);
      return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    c.id = str(j, "Id");
    c.name = str(j, "Name");
    if (!c.name.empty() && c.name[0] == '/') c.name.erase(0, 1);
    c.image_id = str(j, "Image");
    if (auto cfg = j.find("Config"); cfg != j.end() && cfg->is_object()) {
      c.image = str(*cfg, "Image");
      if (auto l = cfg->find("Labels"); l != cfg->end() && l->is_object()) {
        for (auto it = l->begin(); it != l->end(); ++it) {
          if (it.value().is_string()) c.labels[it.key()] = it.value().get<std::string>();
        }
      }
    }
    if (auto hc = j.find("HostConfig"); hc != j.end() && hc->is_object()) {
      if (auto p = hc->find("Privileged"); p != hc->end() && p->is_boolean()) c.privileged = *p;
    }
    if (auto st = j.find("State"); st != j.end() && st->is_object()) {
      if (auto t = parse_rfc3339_ns(str(*st, "StartedAt"))) c.started_ns = *t;
    }
    auto label = [&](const char* k) {
      auto it = c.labels.find(k);
      return it == c.labels.end() ? std::string() : it->second;
    };
    c.pod_name = label("io.kubernetes.pod.name");
    c.pod_namespace = label("io.kubernetes.pod.namespace");
    c.pod_uid = label("io.kubernetes.pod.uid");
    c.metadata_complete = true;
    return c;
  } catch (const nlohmann::json::exception& e) {
    return make_error(Errc::kCorrupt, "container inspect: {}", e.what());
  }
}

std::unique_ptr<ContainerMetadataSource> make_engine_metadata_source(std::string docker_host) {
  return std::make_unique<EngineMetadataSource>(std::move(docker_host));
}

std::shared_ptr<const ContainerInfo> ContainerCache::host() {
  static const auto kHost = [] {
    auto c = std::make_shared<ContainerInfo>();
    c->id = "host";
    c->name = "host";
    c->metadata_complete = true;
    return std::shared_ptr<const ContainerInfo>(c);
  }();
  return kHost;
}

ContainerCache::ContainerCache(std::unique_ptr<ContainerMetadataSource> source, Options opts)
    : source_(std::move(source)), opts_(std::move(opts)) {
  if (opts_.cgroup2_root.empty()) opts_.cgroup2_root = find_cgroup2_root();
  struct stat st{};
  if (!opts_.cgroup2_root.empty() && stat(opts_.cgroup2_root.c_str(), &st) == 0) {
    root_cgroup_id_ = st.st_ino;
  }
}

uint64_t ContainerCache::key_for(uint64_t cgroup_id, uint32_t pidns_ino) const {
  if (cgroup_id != root_cgroup_id_ && cgroup_id != 0) return cgroup_id;
  return (1ull << 63) | pidns_ino;
}

std::string ContainerCache::cgroup_path_by_id(uint64_t cgroup_id) const {
  // cgroup v2 ids are the inode numbers of the cgroup directories: a bounded walk finds it.
  if (opts_.cgroup2_root.empty()) return {};
  std::vector<std::pair<std::string, int>> stack{{"", 0}};
  size_t visited = 0;
  while (!stack.empty() && visited < 50000) {
    auto [rel, depth] = stack.back();
    stack.pop_back();
    DIR* d = opendir((opts_.cgroup2_root + rel).c_str());
    if (!d) continue;
    while (dirent* e = readdir(d)) {
      if (e->d_type != DT_DIR || e->d_name[0] == '.') continue;
      ++visited;
      std::string sub = rel + "/" + e->d_name;
      if (e->d_ino == cgroup_id) {
        closedir(d);
        return sub;
      }
      if (depth < 10) stack.emplace_back(sub, depth + 1);
    }
    closedir(d);
  }
  return {};
}

ContainerCache::~ContainerCache() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    requests_.clear();
  }
  cv_.notify_all();
  if (resolver_.joinable()) resolver_.join();
}

void ContainerCache::request(uint64_t key, ContainerState& st) {
  uint64_t now = mono_ns();
  if (!source_ || now < source_down_until_ns_) {
    // The id alone until the engine is asked again (never, without a source).
    st.retry_at_ns = source_ ? source_down_until_ns_ : UINT64_MAX;
    return;
  }
  ++lookups_;
  st.pending = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(Lookup{key, st.info->id, st.info, make_error(Errc::kInternal, "")});
    if (!resolver_.joinable()) resolver_ = std::thread([this] { run_resolver(); });
  }
  cv_.notify_one();
}

void ContainerCache::run_resolver() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stopping_ || !requests_.empty(); });
    if (stopping_) return;
    Lookup l = std::move(requests_.front());
    requests_.pop_front();
    lock.unlock();
    l.answer = source_->inspect(l.id, opts_.timeout_ms);
    lock.lock();
    answers_.push_back(std::move(l));
    answered_.store(true, std::memory_order_release);
    done_cv_.notify_all();
  }
}

std::vector<ContainerUpdate> ContainerCache::poll() {
  // Called for every event: nothing answered is one atomic load, not a lock.
  if (!answered_.load(std::memory_order_acquire)) return {};
  std::vector<Lookup> done;
  {
    std::lock_guard<std::mutex> lock(mu_);
    done.swap(answers_);
    answered_.store(false, std::memory_order_relaxed);
  }
  std::vector<ContainerUpdate> out;
  out.reserve(done.size());
  uint64_t now = mono_ns();
  for (Lookup& l : done) {
    std::shared_ptr<const ContainerInfo> info;
    if (l.answer.ok()) {
      ContainerInfo c = std::move(l.answer).value();
      c.id = l.id;  // the cgroup's id is the key; engines may answer for a name
      if (c.started_ns == 0 && l.base) c.started_ns = l.base->started_ns;
      c.metadata_complete = true;
      info = std::make_shared<const ContainerInfo>(std::move(c));
    } else {
      ++failures_;
      // An unreachable engine is not asked again for every new container for a while.
      if (l.answer.error().code == Errc::kNetwork) {
        source_down_until_ns_ = now + std::min<uint64_t>(kFirstBackoffNs, opts_.retry_ns);
      }
      info = l.base;
    }
    auto it = entries_.find(l.key);
    if (it != entries_.end() && it->second.pending) {
      it->second.pending = false;
      it->second.info = info;
      ContainerState& st = it->second;
      if (info->metadata_complete) {
        st.retry_at_ns = st.backoff_ns = 0;
      } else {
        st.backoff_ns = std::min(st.backoff_ns ? 2 * st.backoff_ns : kFirstBackoffNs,
                                 opts_.retry_ns);
        st.retry_at_ns = now + st.backoff_ns;
      }
    }
    out.push_back(ContainerUpdate{l.key, std::move(info)});
  }
  return out;
}

std::vector<ContainerUpdate> ContainerCache::wait(int timeout_ms) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                      [&] { return !answers_.empty(); });
  }
  return poll();
}

const ContainerState& ContainerCache::resolve(uint64_t key, uint64_t cgroup_id, int32_t pid) {
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    ContainerState& st = it->second;
    if (st.info && !st.info->metadata_complete && !st.pending && st.info->id != "host" &&
        mono_ns() >= st.retry_at_ns) {
      request(key, st);
    }
    return st;
  }
  ContainerState st;
  std::string proc_dir = opts_.proc_root + "/" + std::to_string(pid);
  ProcCgroup pc = parse_proc_cgroup(read_file(proc_dir + "/cgroup", 64 * 1024));
  std::optional<CgroupContainer> cont = pc.container;
  st.cgroup_path = pc.unified_path;
  if (!cont && st.cgroup_path.empty() && key == cgroup_id) {
    // The process is gone already: find the cgroup by its id.
    st.cgroup_path = cgroup_path_by_id(cgroup_id);
    cont = container_from_cgroup_path(st.cgroup_path);
  }
  if (!cont) {
    st.info = host();
    return entries_.emplace(key, std::move(st)).first->second;
  }
  // Fallback start time: when the container's cgroup was created.
  auto base = std::make_shared<ContainerInfo>();
  base->id = cont->id;
  struct stat cst{};
  if (!st.cgroup_path.empty() && !opts_.cgroup2_root.empty() &&
      stat((opts_.cgroup2_root + st.cgroup_path).c_str(), &cst) == 0) {
    base->started_ns = static_cast<uint64_t>(cst.st_ctim.tv_sec) * 1000000000ull +
                       static_cast<uint64_t>(cst.st_ctim.tv_nsec);
  }
  st.info = base;
  ContainerState& added = entries_.emplace(key, std::move(st)).first->second;
  request(key, added);
  return added;
}

const std::string& ContainerCache::upperdir(uint64_t key, int32_t pid) {
  static const std::string kNone;
  auto it = entries_.find(key);
  if (it == entries_.end()) return kNone;
  ContainerState& st = it->second;
  if (st.upperdir.empty() && st.info != host()) {
    st.upperdir = overlay_upperdir(
        read_file(opts_.proc_root + "/" + std::to_string(pid) + "/mountinfo", 1 << 20));
  }
  return st.upperdir;
}

void ContainerCache::retain(uint64_t key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  ++it->second.live;
  it->second.idle_since_ns = 0;
}

bool ContainerCache::release(uint64_t key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  ContainerState& st = it->second;
  if (st.live > 0) --st.live;
  if (st.live > 0) return false;
  if (st.idle_since_ns == 0) st.idle_since_ns = mono_ns();
  return true;
}

size_t ContainerCache::sweep() {
  uint64_t now = mono_ns();
  size_t evicted = 0;
  for (auto it = entries_.begin(); it != entries_.end();) {
    const ContainerState& st = it->second;
    bool gone = false;
    if (st.live <= 0 && st.idle_since_ns != 0) {
      struct stat cst{};
      bool cgroup_exists = !st.cgroup_path.empty() && !opts_.cgroup2_root.empty() &&
                           stat((opts_.cgroup2_root + st.cgroup_path).c_str(), &cst) == 0;
      gone = !cgroup_exists || now - st.idle_since_ns >= opts_.idle_ns;
    }
    if (gone) {
      it = entries_.erase(it);
      ++evicted;
    } else {
      ++it;
    }
  }
  return evicted;
}

}  // namespace hivesec::runtime::sensor
