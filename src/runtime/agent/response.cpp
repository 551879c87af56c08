// Response policy parsing, the built-in actions and the responder thread.
#include "runtime/agent/response.h"

#include <signal.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "common/time.h"

namespace hivesec::runtime::agent {

namespace {

constexpr size_t kMaxQueue = 1000;

bool valid_container_id(std::string_view id) {
  if (id.empty() || id.size() > 128 || id == "host") return false;
  for (char c : id) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

class KillProcess final : public ResponseAction {
 public:
  std::string_view name() const override { return "kill_process"; }
  bool per_container() const override { return false; }
  Result<std::string> run(const ResponseTarget& t) const override {
    if (t.pid <= 1 || t.pid == ::getpid()) {
      return make_error(Errc::kInvalidArgument, "refusing to signal pid {}", t.pid);
    }
    if (t.container_id.empty() || t.container_id == "host") {
      return make_error(Errc::kInvalidArgument,
                        "pid {} ({}) is not in a container: host processes are never killed",
                        t.pid, t.proc_name);
    }
    if (::kill(t.pid, SIGKILL) != 0) {
      if (errno == ESRCH) return make_error(Errc::kNotFound, "pid {} had already exited", t.pid);
      return make_error(Errc::kIo, "kill({}, SIGKILL): {}", t.pid, std::strerror(errno));
    }
    return fmt::format("sent SIGKILL to pid {} ({})", t.pid, t.proc_name);
  }
};

// stop_container / pause_container through the Engine API.
class EngineAction final : public ResponseAction {
 public:
  EngineAction(std::string name, std::string path_fmt, std::shared_ptr<const engine::Client> e)
      : name_(std::move(name)), path_fmt_(std::move(path_fmt)), engine_(std::move(e)) {}
  std::string_view name() const override { return name_; }
  bool per_container() const override { return true; }
  Result<std::string> run(const ResponseTarget& t) const override {
    if (!valid_container_id(t.container_id)) {
      return make_error(Errc::kInvalidArgument, "the process is not in a known container");
    }
    if (!engine_) {
      return make_error(Errc::kUnsupported, "no container engine socket was found");
    }
    std::string path = fmt::format(fmt::runtime(path_fmt_), t.container_id);
    HIVESEC_TRY(engine::Reply reply, engine_->post(path));
    if (reply.status == 204 || reply.status == 304 || reply.status == 200) {
      return fmt::format("{} {} ({})", name_ == "stop_container" ? "stopped" : "paused",
                         t.container_name.empty() ? t.container_id.substr(0, 12) : t.container_name,
                         t.container_id.substr(0, 12));
    }
    return make_error(Errc::kNetwork, "engine answered HTTP {}: {}", reply.status,
                      engine::error_message(reply.body));
  }

 private:
  std::string name_, path_fmt_;
  std::shared_ptr<const engine::Client> engine_;
};

Result<ResponseRule> entry_from_yaml(const YAML::Node& n, const std::string& where) {
  if (!n.IsMap()) return make_error(Errc::kInvalidArgument, "{}: an entry must be a mapping", where);
  ResponseRule r;
  r.origin = where;
  for (const auto& kv : n) {
    std::string key = kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    if (key == "rule") {
      if (!v.IsScalar()) return make_error(Errc::kInvalidArgument, "{}: rule must be text", where);
      r.rule = v.as<std::string>();
    } else if (key == "tags") {
      if (v.IsScalar()) {
        r.tags.push_back(v.as<std::string>());
      } else if (v.IsSequence()) {
        for (const auto& t : v) {
          if (!t.IsScalar()) return make_error(Errc::kInvalidArgument, "{}: tags must be text", where);
          r.tags.push_back(t.as<std::string>());
        }
      } else {
        return make_error(Errc::kInvalidArgument, "{}: tags must be a list", where);
      }
    } else if (key == "priority") {
      rules::Priority p;
      if (!v.IsScalar() || !rules::parse_priority(v.as<std::string>(), p)) {
        return make_error(Errc::kInvalidArgument, "{}: unknown priority", where);
      }
      r.priority = p;
    } else if (key == "action") {
      if (!v.IsScalar()) return make_error(Errc::kInvalidArgument, "{}: action must be text", where);
      r.action = v.as<std::string>();
    } else {
      return make_error(Errc::kInvalidArgument,
                        "{}: unknown key '{}' (rule, tags, priority, action)", where, key);
    }
  }
  if (r.action.empty()) return make_error(Errc::kInvalidArgument, "{}: missing action", where);
  if (r.rule.empty() && r.tags.empty() && !r.priority) {
    return make_error(Errc::kInvalidArgument,
                      "{}: give at least one of rule, tags, priority (an action for every alert "
                      "is too dangerous to be a default)",
                      where);
  }
  return r;
}

}  // namespace

std::vector<std::string> ResponsePolicy::actions_for(const rules::Rule& rule) const {
  std::vector<std::string> out;
  for (const auto& e : entries) {
    if (!e.rule.empty() && e.rule != rule.name) continue;
    if (e.priority && static_cast<int>(rule.priority) > static_cast<int>(*e.priority)) continue;
    if (!e.tags.empty()) {
      bool any = false;
      for (const auto& t : e.tags) {
        for (const auto& rt : rule.tags) any = any || rt == t;
      }
      if (!any) continue;
    }
    if (std::find(out.begin(), out.end(), e.action) == out.end()) out.push_back(e.action);
  }
  return out;
}

Result<ResponsePolicy> parse_response_policy(std::string_view yaml, const std::string& name) {
  if (yaml.size() > (1u << 20)) {
    return make_error(Errc::kLimit, "{}: response policy larger than 1 MiB", name);
  }
  ResponsePolicy policy;
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    if (!root.IsMap() || !root["responses"] || !root["responses"].IsSequence()) {
      return make_error(Errc::kInvalidArgument, "{}: expected a 'responses:' list", name);
    }
    for (const auto& n : root["responses"]) {
      std::string where = fmt::format("{}:{}", name, n.Mark().line + 1);
      HIVESEC_TRY(ResponseRule r, entry_from_yaml(n, where));
      policy.entries.push_back(std::move(r));
    }
  } catch (const YAML::Exception& e) {
    return make_error(Errc::kInvalidArgument, "{}:{}: {}", name, e.mark.line + 1, e.msg);
  }
  return policy;
}

Result<ResponseRule> parse_respond_flag(std::string_view spec) {
  size_t colon = spec.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == spec.size()) {
    return make_error(Errc::kInvalidArgument,
                      "--respond '{}': expected ACTION:RULE (e.g. kill_process:Reverse shell)",
                      spec);
  }
  ResponseRule r;
  r.action = std::string(spec.substr(0, colon));
  r.rule = std::string(spec.substr(colon + 1));
  r.origin = "--respond";
  return r;
}

Status ActionRegistry::add(std::unique_ptr<ResponseAction> a) {
  if (find(a->name())) {
    return make_error(Errc::kInvalidArgument, "action {} registered twice", a->name());
  }
  actions_.push_back(std::move(a));
  return ok_status();
}

const ResponseAction* ActionRegistry::find(std::string_view name) const {
  for (const auto& a : actions_) {
    if (a->name() == name) return a.get();
  }
  return nullptr;
}

std::vector<std::string> ActionRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& a : actions_) out.emplace_back(a->name());
  return out;
}

Status register_builtin_actions(ActionRegistry& registry,
                                std::shared_ptr<const engine::Client> engine) {
  HIVESEC_TRY_STATUS(registry.add(std::make_unique<KillProcess>()));
  HIVESEC_TRY_STATUS(registry.add(
      std::make_unique<EngineAction>("stop_container", "/containers/{}/stop?t=0", engine)));
  HIVESEC_TRY_STATUS(registry.add(
      std::make_unique<EngineAction>("pause_container", "/containers/{}/pause", engine)));
  return ok_status();
}

Responder::Responder(ResponsePolicy policy, const ActionRegistry& actions, std::string hostname,
                     Report report)
    : policy_(std::move(policy)),
      actions_(actions),
      hostname_(std::move(hostname)),
      report_(std::move(report)) {
  thread_ = std::thread([this] { loop(); });
}

Result<std::unique_ptr<Responder>> Responder::create(ResponsePolicy policy,
                                                     const ActionRegistry& actions,
                                                     std::string hostname, Report report) {
  for (const auto& e : policy.entries) {
    if (!actions.find(e.action)) {
      std::string known;
      for (const auto& n : actions.names()) known += (known.empty() ? "" : ", ") + n;
      return make_error(Errc::kInvalidArgument, "{}: unknown action '{}' (known: {})", e.origin,
                        e.action, known);
    }
  }
  return std::unique_ptr<Responder>(
      new Responder(std::move(policy), actions, std::move(hostname), std::move(report)));
}

Responder::~Responder() {
  drain(std::chrono::seconds(30));
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

size_t Responder::submit(const rules::Rule& rule, const Event& ev, uint64_t alert_time_ns) {
  std::vector<std::string> names = policy_.actions_for(rule);
  if (names.empty()) return 0;
  ResponseTarget t;
  t.pid = ev.proc.pid;
  t.proc_start_ns = ev.proc.start_ns;
  t.proc_name = ev.proc.name;
  t.cmdline = ev.proc.exe;
  for (const auto& a : ev.proc.args) t.cmdline += " " + a;
  if (ev.container) {
    t.container_id = ev.container->id;
    t.container_name = ev.container->name;
    t.image = ev.container->image;
  }
  t.rule = rule.name;
  t.alert_time_ns = alert_time_ns;
  size_t queued = 0;
  std::lock_guard lock(mu_);
  for (const auto& n : names) {
    const ResponseAction* a = actions_.find(n);
    if (!a || queue_.size() >= kMaxQueue) continue;
    if (a->per_container()) {
      // Stop or pause a container once, not once per alert of the same attack.
      auto key = std::string(a->name()) + "/" + t.container_id;
      auto now = std::chrono::steady_clock::now();
      auto it = acted_.find(key);
      if (it != acted_.end() && now - it->second < kContainerCooldown) continue;
      acted_[key] = now;
    }
    queue_.push_back({a, t});
    ++queued;
  }
  if (queued) cv_.notify_one();
  return queued;
}

void Responder::drain(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  idle_cv_.wait_for(lock, timeout, [&] { return queue_.empty() && !busy_; });
}

std::string Responder::outcome_line(const ResponseAction& a, const ResponseTarget& t, bool ok,
                                    const std::string& detail) const {
  uint64_t now_ns = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
  nlohmann::json j;
  j["time"] = rfc3339_nanos(now_ns);
  j["rule"] = "hivesec response";
  j["priority"] = ok ? "Notice" : "Error";
  j["source"] = "response";
  j["hostname"] = hostname_;
  j["tags"] = {"response", std::string(a.name())};
  j["output"] = fmt::format("response {} {} for rule '{}': {}", a.name(), ok ? "done" : "failed",
                            t.rule, detail);
  j["output_fields"] = {{"response.action", a.name()},
                        {"response.result", ok ? "ok" : "failed"},
                        {"response.detail", detail},
                        {"response.rule", t.rule},
                        {"response.latency_ms", t.alert_time_ns && now_ns > t.alert_time_ns
                                                    ? (now_ns - t.alert_time_ns) / 1000000
                                                    : 0},
                        {"proc.pid", t.pid},
                        {"proc.name", t.proc_name},
                        {"proc.cmdline", t.cmdline},
                        {"container.id", t.container_id.substr(0, 12)},
                        {"container.name", t.container_name},
                        {"container.image", t.image}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void Responder::loop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stop_ and nothing left
    Job job = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    auto r = job.action->run(job.target);
    (r.ok() ? ok_ : failed_)++;
    if (report_) report_(outcome_line(*job.action, job.target, r.ok(), r.ok() ? *r : r.error().message));
    lock.lock();
    busy_ = false;
    idle_cv_.notify_all();
  }
}

}  // namespace hivesec::runtime::agent
