#include "versions/scheme.h"

namespace hivesec::versions {

Status SchemeRegistry::add(std::unique_ptr<Scheme> scheme) {
  if (!scheme) return make_error(Errc::kInternal, "null version scheme registered");
  if (find(scheme->name())) {
    return make_error(Errc::kInternal, "version scheme '{}' registered twice", scheme->name());
  }
  schemes_.push_back(std::move(scheme));
  return ok_status();
}

const Scheme* SchemeRegistry::find(std::string_view name) const {
  for (const auto& s : schemes_) {
    if (s->name() == name) return s.get();
  }
  return nullptr;
}

std::vector<std::string> SchemeRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& s : schemes_) out.emplace_back(s->name());
  return out;
}

bool Scheme::equals_any(std::string_view v, std::span<const std::string> list) const {
  for (const std::string& listed : list) {
    if (listed == v || (validate(listed).ok() && compare(listed, v) == 0)) return true;
  }
  return false;
}

Result<int> compare_versions(const Scheme& scheme, std::string_view a, std::string_view b) {
  if (auto st = scheme.validate(a); !st.ok()) {
    return make_error(Errc::kInvalidArgument, "invalid {} version '{}': {}", scheme.name(), a,
                      st.error().message);
  }
  if (auto st = scheme.validate(b); !st.ok()) {
    return make_error(Errc::kInvalidArgument, "invalid {} version '{}': {}", scheme.name(), b,
                      st.error().message);
  }
  int c = scheme.compare(a, b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

}  // namespace hivesec::versions
