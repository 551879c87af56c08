#include "image/source.h"

namespace hivesec::image {

Status SourceRegistry::add(SourceKind kind) {
  if (kind.name.empty() || !kind.open) {
    return make_error(Errc::kInternal, "image source needs a name and an open function");
  }
  if (find(kind.name) != nullptr) {
    return make_error(Errc::kInternal, "image source '{}' registered twice", kind.name);
  }
  kinds_.push_back(std::move(kind));
  return ok_status();
}

const SourceKind* SourceRegistry::find(std::string_view name) const {
  for (const auto& k : kinds_) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

Result<std::unique_ptr<ImageSource>> open_image(const SourceRegistry& registry,
                                                const std::string& ref, const SourceOptions& opts) {
  if (ref.empty()) return make_error(Errc::kInvalidArgument, "empty image reference");
  // Only a registered kind name counts as a prefix, so "localhost:5000/foo:1" or
  // "image.tar:repo:tag" are never mistaken for one.
  if (size_t colon = ref.find(':'); colon != std::string::npos) {
    if (const SourceKind* kind = registry.find(std::string_view(ref).substr(0, colon))) {
      std::string rest = ref.substr(colon + 1);
      if (rest.empty()) {
        return make_error(Errc::kInvalidArgument, "image reference '{}' names no image", ref);
      }
      auto r = kind->open(rest, opts);
      if (!r.ok()) return std::move(r).error();
      return std::move(r).value();
    }
  }
  std::string tried;
  for (const auto& kind : registry.all()) {
    if (!tried.empty()) tried += ", ";
    tried += kind.name;
    if (kind.detect && kind.detect(ref)) {
      auto r = kind.open(ref, opts);
      if (!r.ok()) return std::move(r).error();
      return std::move(r).value();
    }
  }
  return make_error(Errc::kNotFound, "no image source recognises '{}' (tried: {})", ref,
                    tried.empty() ? std::string("none registered") : tried);
}

}  // namespace hivesec::image
