#include "policy/collector.h"

#include <algorithm>
#include <thread>

namespace hivesec::policy {

Status CollectorRegistry::add(std::unique_ptr<Collector> c) {
  if (find(c->name())) {
    return make_error(Errc::kInvalidArgument, "collector '{}' registered twice", c->name());
  }
  collectors_.push_back(std::move(c));
  return ok_status();
}

const Collector* CollectorRegistry::find(std::string_view name) const {
  for (const auto& c : collectors_) {
    if (c->name() == name) return c.get();
  }
  return nullptr;
}

std::vector<std::string> CollectorRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& c : collectors_) out.emplace_back(c->name());
  return out;
}

namespace {

std::string cache_key(const Collector& c, const nlohmann::json& params) {
  return std::string(c.name()) + "\n" + params.dump();
}

Fact collect_guarded(const Collector& c, const nlohmann::json& params, Host& host) {
  try {
    return c.collect(params, host);
  } catch (const std::exception& e) {
    return Fact::error(std::string("collector failed: ") + e.what(), std::string(c.name()));
  }
}

}  // namespace

void prefetch(const std::vector<std::pair<const Collector*, nlohmann::json>>& facts, Host& host) {
  std::vector<std::pair<const Collector*, const nlohmann::json*>> todo;
  std::vector<std::string> keys;
  for (const auto& [c, params] : facts) {
    if (!c || !c->concurrent()) continue;
    std::string key = cache_key(*c, params);
    if (host.cache().count(key) || std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    keys.push_back(key);
    todo.emplace_back(c, &params);
  }
  std::vector<Fact> out(todo.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < todo.size(); ++i) {
    threads.emplace_back(
        [&, i] { out[i] = collect_guarded(*todo[i].first, *todo[i].second, host); });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < todo.size(); ++i) host.cache().emplace(keys[i], std::move(out[i]));
}

const Fact* find_cached(const Collector& c, const nlohmann::json& params, Host& host) {
  auto it = host.cache().find(cache_key(c, params));
  return it == host.cache().end() ? nullptr : &it->second;
}

const Fact& collect_cached(const Collector& c, const nlohmann::json& params, Host& host) {
  std::string key = cache_key(c, params);
  auto& cache = host.cache();
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  return cache.emplace(std::move(key), collect_guarded(c, params, host)).first->second;
}

}  // namespace hivesec::policy
