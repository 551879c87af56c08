// Asset: something hivesec protects, with a stable id (DESIGN §1).
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace hivesec::model {

enum class AssetKind {
  kHost,
  kContainer,
  kImage,
  kLayer,
  kRegistry,
  kPod,
  kWorkload,
  kNamespace,
  kCluster,
  kFilesystem,
  kSbom
};

const char* asset_kind_name(AssetKind k);

struct Asset {
  AssetKind kind = AssetKind::kImage;
  // Stable id: image config digest, container id, "ns/kind/name", absolute path for a filesystem.
  std::string id;
  std::string name;  // what the user called it ("debian:12", "/srv/rootfs")
  std::map<std::string, std::string> labels;
};

void to_json(nlohmann::json& j, const Asset& a);

}  // namespace hivesec::model
