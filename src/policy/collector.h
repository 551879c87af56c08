// Fact collectors: one typed collector per kind of fact (file, stat, sysctl, process, ...),
// registered by name in a CollectorRegistry (STYLE §4). A check's `facts:` entries name a
// collector and give it parameters; the loader validates them, the engine calls collect().
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "policy/fact.h"

namespace hivesec::policy {

class Collector {
 public:
  virtual ~Collector() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view description() const = 0;  // one line for the docs
  // Checks the parameters at load time: kInvalidArgument with a one-line reason.
  virtual Status validate(const nlohmann::json& params) const = 0;
  // Collects the fact. Never throws; failures are carried in the Fact's state.
  virtual Fact collect(const nlohmann::json& params, Host& host) const = 0;
  // True when collect() may run on several threads at once (it reads only host.options(), never
  // the Host's caches or files through it): such facts are collected concurrently up front
  // (prefetch) - they are slow remote calls (the engine API), not file reads.
  virtual bool concurrent() const { return false; }
};

class CollectorRegistry {
 public:
  Status add(std::unique_ptr<Collector> c);  // kInvalidArgument on a duplicate name
  const Collector* find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<Collector>> collectors_;
};

// Every built-in collector (collectors/*.cpp), listed in collectors/builtins.cpp.
Status register_builtin_collectors(CollectorRegistry& registry);

// Collects through the host's cache: the same collector + parameters is read once per run.
const Fact& collect_cached(const Collector& c, const nlohmann::json& params, Host& host);

// The cached fact for the collector + parameters; nullptr when not collected yet.
const Fact* find_cached(const Collector& c, const nlohmann::json& params, Host& host);

// Collects the distinct (collector, params) pairs whose collector is concurrent() and that are
// not cached yet, each on its own thread, and stores them in the host's cache. Call from one
// thread; returns when all are done.
void prefetch(const std::vector<std::pair<const Collector*, nlohmann::json>>& facts, Host& host);

}  // namespace hivesec::policy
