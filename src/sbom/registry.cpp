#include "sbom/format.h"

namespace hivesec::sbom {

Status FormatRegistry::add(std::unique_ptr<FormatReader> reader) {
  for (const auto& r : readers_) {
    if (r->name() == reader->name()) {
      return make_error(Errc::kInternal, "SBOM format '{}' registered twice", reader->name());
    }
  }
  readers_.push_back(std::move(reader));
  return ok_status();
}

const FormatReader* FormatRegistry::detect(const SbomInput& in) const {
  for (const auto& r : readers_) {
    if (r->detect(in)) return r.get();
  }
  return nullptr;
}

std::vector<std::string> FormatRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& r : readers_) out.emplace_back(r->name());
  return out;
}

}  // namespace hivesec::sbom
