#include "policy/collector.h"

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

const Fact& collect_cached(const Collector& c, const nlohmann::json& params, Host& host) {
  std::string key = std::string(c.name()) + "\n" + params.dump();
  auto& cache = host.cache();
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  Fact f;
  try {
    f = c.collect(params, host);
  } catch (const std::exception& e) {
    f = Fact::error(std::string("collector failed: ") + e.what(), std::string(c.name()));
  }
  return cache.emplace(std::move(key), std::move(f)).first->second;
}

}  // namespace hivesec::policy
