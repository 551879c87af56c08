// `kernel_config`: the kernel build configuration as {CONFIG_X: "y"|"m"|"n"|value} ("# CONFIG_X
// is not set" -> "n"); `option` selects one entry (kMissing when absent). Source: boot/config-
// <release> of the running kernel (live: uname; offline: proc/sys/kernel/osrelease, else the
// newest boot/config-*), else proc/config.gz. None found: kUnavailable.
// `kernel_release`: {running, installed (from boot/vmlinuz-* and lib/modules/*), newest,
// outdated}; offline, `running` comes from proc/sys/kernel/osrelease when present.
#include <sys/utsname.h>
#include <zlib.h>

#include <algorithm>
#include <set>

#include "policy/collectors/util.h"

namespace hivesec::policy::collectors {

namespace {

using nlohmann::json;

std::optional<std::string> running_release(Host& host) {
  if (host.live() && host.options().root == "/") {
    utsname u{};
    if (::uname(&u) == 0) return std::string(u.release);
  }
  std::string text;
  if (!host.read_file("/proc/sys/kernel/osrelease", &text)) return trim(text);
  return std::nullopt;
}

Result<std::string> gunzip(const std::string& in, size_t limit) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return make_error(Errc::kInternal, "zlib init");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[65536];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      return make_error(Errc::kCorrupt, "corrupt gzip data");
    }
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > limit) {
      inflateEnd(&z);
      return make_error(Errc::kLimit, "decompresses to more than {} bytes", limit);
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      inflateEnd(&z);
      return make_error(Errc::kCorrupt, "truncated gzip data");
    }
  }
  inflateEnd(&z);
  return out;
}

Result<json> parse_config(const std::string& text) {
  json o = json::object();
  int n = 0;
  for (const auto& raw : split_lines(text)) {
    ++n;
    std::string l = trim(raw);
    if (l.empty()) continue;
    if (l[0] == '#') {
      const std::string suffix = " is not set";
      if (l.starts_with("# CONFIG_") && l.ends_with(suffix))
        o[l.substr(2, l.size() - 2 - suffix.size())] = "n";
      continue;
    }
    size_t eq = l.find('=');
    if (!l.starts_with("CONFIG_") || eq == std::string::npos) {
      return make_error(Errc::kCorrupt, "line {}: not a kernel config line", n);
    }
    std::string v = l.substr(eq + 1);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    o[l.substr(0, eq)] = v;
  }
  return o;
}

class KernelConfigCollector : public Collector {
 public:
  std::string_view name() const override { return "kernel_config"; }
  std::string_view description() const override {
    return "kernel build options from boot/config-<release> or proc/config.gz (option optional)";
  }
  Status validate(const json& p) const override { return only_params(p, {"option"}); }
  Fact collect(const json& p, Host& host) const override {
    std::string option = param(p, "option");
    std::string src = "kernel config";
    std::vector<std::string> candidates;
    if (auto r = running_release(host)) candidates.push_back("/boot/config-" + *r);
    if (!host.live()) {
      auto all = list_dir(host, "/boot", "config-*");
      std::sort(all.begin(), all.end(),
                [](const std::string& a, const std::string& b) { return version_less(b, a); });
      for (const auto& n : all) candidates.push_back("/boot/" + n);
    }
    candidates.push_back("/proc/config.gz");
    for (const auto& path : candidates) {
      std::string text;
      if (auto f = host.read_file(path, &text)) {
        if (f->state == FactState::kMissing) continue;
        return *f;
      }
      if (path.ends_with(".gz")) {
        auto plain = gunzip(text, 32u << 20);
        if (!plain.ok()) return Fact::error(plain.error().message, path);
        text = std::move(plain).value();
      }
      auto cfg = parse_config(text);
      if (!cfg.ok()) return Fact::error(cfg.error().message, path);
      if (option.empty()) return Fact::ok(std::move(cfg).value(), path);
      if (!cfg->contains(option))
        return Fact::missing(option + " is not in the kernel config", path);
      return Fact::ok((*cfg)[option], path);
    }
    return Fact::unavailable("no kernel config found (boot/config-<release>, proc/config.gz)", src);
  }
};

class KernelReleaseCollector : public Collector {
 public:
  std::string_view name() const override { return "kernel_release"; }
  std::string_view description() const override {
    return "running kernel release, installed kernels (boot, lib/modules), newest, outdated";
  }
  Status validate(const json& p) const override { return only_params(p, {}); }
  Fact collect(const json&, Host& host) const override {
    std::set<std::string> installed;
    for (const auto& n : list_dir(host, "/boot", "vmlinuz-*")) installed.insert(n.substr(8));
    for (const char* dir : {"/lib/modules", "/usr/lib/modules"}) {
      for (const auto& n : list_dir(host, dir)) {
        if (!list_dir(host, std::string(dir) + "/" + n, "modules.dep").empty()) installed.insert(n);
      }
    }
    json v = {{"installed", json::array()}};
    std::string newest;
    for (const auto& k : installed) {
      v["installed"].push_back(k);
      if (newest.empty() || version_less(newest, k)) newest = k;
    }
    auto running = running_release(host);
    v["running"] = running ? json(*running) : json(nullptr);
    v["newest"] = newest.empty() ? json(nullptr) : json(newest);
    v["outdated"] = running && !newest.empty() && version_less(*running, newest);
    return Fact::ok(std::move(v), "kernel release");
  }
};

}  // namespace

std::unique_ptr<Collector> make_kernel_config_collector() {
  return std::make_unique<KernelConfigCollector>();
}
std::unique_ptr<Collector> make_kernel_release_collector() {
  return std::make_unique<KernelReleaseCollector>();
}

}  // namespace hivesec::policy::collectors
