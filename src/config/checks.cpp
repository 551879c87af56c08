#include "config/checks.h"

#include <algorithm>
#include <set>

#include "common/embedded.h"
#include "config/dockerfile_checks.h"
#include "config/image_checks.h"
#include "config/layer_checks.h"

namespace hivesec::config {

namespace {

constexpr std::string_view kCatalogueFile = "config/image-checks.yaml";

std::set<std::string_view> ids_of(Target t) {
  std::set<std::string_view> ids;
  auto add = [&](const auto& registry) {
    for (const auto& [id, fn] : registry) ids.insert(id);
  };
  switch (t) {
    case Target::kLayer: add(layer_checks()); break;
    case Target::kImage: add(image_checks()); break;
    case Target::kDockerfile: add(dockerfile_checks()); break;
  }
  return ids;
}

}  // namespace

Status verify_registries(const Catalogue& cat) {
  for (Target t : {Target::kLayer, Target::kImage, Target::kDockerfile}) {
    std::set<std::string_view> code = ids_of(t);
    for (const CheckMeta& m : cat.all()) {
      if (m.has_target(t) && !code.count(m.id)) {
        return make_error(Errc::kInternal, "{}: target {} has no code", m.id, target_name(t));
      }
    }
    for (std::string_view id : code) {
      const CheckMeta* m = cat.find(id);
      if (!m) return make_error(Errc::kInternal, "{}: code for target {} but no catalogue entry", id, target_name(t));
      if (!m->has_target(t)) {
        return make_error(Errc::kInternal, "{}: code for target {} not listed in its targets", id,
                          target_name(t));
      }
    }
  }
  return ok_status();
}

Result<const Catalogue*> builtin_catalogue() {
  static const Result<Catalogue> kCatalogue = []() -> Result<Catalogue> {
    HIVESEC_TRY(Catalogue c, Catalogue::parse(embedded_rule_file(kCatalogueFile), kCatalogueFile));
    HIVESEC_TRY_STATUS(verify_registries(c));
    return c;
  }();
  if (!kCatalogue.ok()) {
    return make_error(Errc::kInternal, "bundled {}: {}", kCatalogueFile, kCatalogue.error().message);
  }
  return &kCatalogue.value();
}

Status run_image_checks(model::ScanResult& result) {
  HIVESEC_TRY(const Catalogue* cat, builtin_catalogue());
  std::vector<model::Finding> found;
  for (const CheckMeta& m : cat->all()) {
    if (!m.has_target(Target::kImage)) continue;
    image_checks().at(m.id)(m.id, *cat, result, found);
  }
  for (auto& f : found) {
    if (f.asset_id.empty()) f.asset_id = result.asset.id;
    result.findings.push_back(std::move(f));
  }
  return ok_status();
}

Result<std::vector<model::Finding>> check_dockerfile(const dockerfile::Dockerfile& df,
                                                     std::string_view path) {
  HIVESEC_TRY(const Catalogue* cat, builtin_catalogue());
  std::vector<model::Finding> found;
  for (const CheckMeta& m : cat->all()) {
    if (!m.has_target(Target::kDockerfile)) continue;
    dockerfile_checks().at(m.id)(m.id, *cat, df, found);
  }
  for (auto& f : found) f.evidence.path = std::string(path);
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.evidence.line < b.evidence.line;
  });
  return found;
}

}  // namespace hivesec::config
