// Response actions: what the agent does, beyond alerting, when a rule matches - kill the
// process, stop or pause its container. Which rules trigger which action is a policy (a YAML
// file, or --respond ACTION:RULE on the command line); the actions themselves are registered
// by name (kill_process, stop_container, pause_container).
//
// Policy file:
//   responses:
//     - rule: Reverse shell in container     # exact rule name (optional)
//       tags: [T1496]                        # any of these tags (optional)
//       priority: critical                   # at least this severe (optional)
//       action: kill_process
// An entry needs an action and at least one selector; every selector given must hold.
//
// Actions run on their own thread so a slow engine never delays detection; each outcome is
// reported through a callback as a Falco-style JSON line (rule "hivesec response", source
// "response"). A container is stopped or paused at most once per kContainerCooldown.
//
// Thread-safety: Responder::submit() is called from the agent's event thread; outcomes are
// reported from the responder's thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "engine/engine.h"
#include "runtime/event.h"
#include "runtime/rules/ruleset.h"

namespace hivesec::runtime::agent {

struct ResponseRule {
  std::string rule;               // "" = any
  std::vector<std::string> tags;  // empty = any
  std::optional<rules::Priority> priority;
  std::string action;
  std::string origin;  // "policy.yaml:3" or "--respond"
};

struct ResponsePolicy {
  std::vector<ResponseRule> entries;
  // Actions for an alert of `rule`, in policy order, without duplicates.
  std::vector<std::string> actions_for(const rules::Rule& rule) const;
};

// Parses a policy file's text. Errors name the file and line (kInvalidArgument).
Result<ResponsePolicy> parse_response_policy(std::string_view yaml, const std::string& name);
// "kill_process:Reverse shell in container" -> an entry matching that rule.
Result<ResponseRule> parse_respond_flag(std::string_view spec);

// What an action needs from the triggering event (copied: the event is reused).
struct ResponseTarget {
  int32_t pid = 0;
  uint64_t proc_start_ns = 0;
  std::string proc_name, cmdline;
  std::string container_id, container_name, image;
  std::string rule;
  uint64_t alert_time_ns = 0;
};

class ResponseAction {
 public:
  virtual ~ResponseAction() = default;
  virtual std::string_view name() const = 0;
  // Carries the action out; the returned text says what was done ("sent SIGKILL to 1234").
  virtual Result<std::string> run(const ResponseTarget& target) const = 0;
  // true when the action works on the container (cooldown applies per container).
  virtual bool per_container() const = 0;
};

class ActionRegistry {
 public:
  Status add(std::unique_ptr<ResponseAction> a);  // duplicate -> error
  const ResponseAction* find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<ResponseAction>> actions_;
};

// kill_process (signals), stop_container and pause_container (Engine API through `engine`;
// null: those two fail with a clear reason when used).
Status register_builtin_actions(ActionRegistry& registry,
                                std::shared_ptr<const engine::Client> engine);

class Responder {
 public:
  using Report = std::function<void(const std::string& json_line)>;
  static constexpr std::chrono::seconds kContainerCooldown{30};

  // Checks that every action the policy names exists (kInvalidArgument otherwise).
  static Result<std::unique_ptr<Responder>> create(ResponsePolicy policy,
                                                   const ActionRegistry& actions,
                                                   std::string hostname, Report report);
  ~Responder();  // finishes queued actions (bounded by their own timeouts)

  // Queues the policy's actions for this alert; returns how many were queued.
  size_t submit(const rules::Rule& rule, const Event& ev, uint64_t alert_time_ns);
  // Waits until the queue is empty and no action runs (at most timeout).
  void drain(std::chrono::milliseconds timeout);
  uint64_t succeeded() const { return ok_.load(); }
  uint64_t failed() const { return failed_.load(); }

 private:
  Responder(ResponsePolicy policy, const ActionRegistry& actions, std::string hostname,
            Report report);
  void loop();
  std::string outcome_line(const ResponseAction& a, const ResponseTarget& t, bool ok,
                           const std::string& detail) const;

  ResponsePolicy policy_;
  const ActionRegistry& actions_;
  std::string hostname_;
  Report report_;
  struct Job {
    const ResponseAction* action;
    ResponseTarget target;
  };
  std::mutex mu_;
  std::condition_variable cv_, idle_cv_;
  std::deque<Job> queue_;
  bool busy_ = false, stop_ = false;
  std::map<std::string, std::chrono::steady_clock::time_point> acted_;  // container+action
  std::atomic<uint64_t> ok_{0}, failed_{0};
  std::thread thread_;
};

}  // namespace hivesec::runtime::agent
