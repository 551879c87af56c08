// Image metadata: what an image says about itself (manifest + config), independent of where it
// came from.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"

namespace hivesec::image {

struct Platform {
  std::string os = "linux";
  std::string architecture;  // "amd64", "arm64"
  std::string variant;       // "v8"
  std::string str() const;   // "linux/arm64/v8"
};

// Parses "linux/amd64", "linux/arm64/v8", "amd64". kInvalidArgument on garbage.
Result<Platform> parse_platform(std::string_view s);

struct LayerInfo {
  std::string digest;      // blob digest as stored (compressed for registries/OCI)
  std::string diff_id;     // sha256 of the uncompressed tar (from the config)
  int64_t size = -1;       // blob size, -1 when unknown
  std::string media_type;  // as declared
};

struct HistoryEntry {
  std::string created;
  std::string created_by;
  std::string comment;
  bool empty_layer = false;
};

struct ImageConfig {
  std::string user;
  std::vector<std::string> env;
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::string working_dir;
  std::vector<std::string> exposed_ports;
  std::map<std::string, std::string> labels;
  std::string healthcheck;  // joined test command, "" when none
  std::vector<std::string> volumes;
  std::string stop_signal;
};

struct ImageMeta {
  std::string name;             // the reference the user gave
  std::string source;           // "docker-archive", "oci-dir", "oci-archive", "daemon", "registry"
  std::string image_id;         // config digest
  std::string manifest_digest;  // "" when the source has no manifest blob (docker-archive)
  std::vector<std::string> repo_tags;
  std::vector<std::string> repo_digests;
  Platform platform;
  std::string created;
  ImageConfig config;
  std::vector<HistoryEntry> history;
  std::vector<LayerInfo> layers;
};

// Parses an image config blob (OCI image config / Docker image JSON) into `meta` (platform,
// config, history, and diff_ids into meta.layers, which must already have one entry per layer
// or be empty to be filled). kCorrupt with a reason on malformed input.
Status parse_image_config(std::string_view config_json, ImageMeta& meta);

void to_json(nlohmann::json& j, const ImageMeta& m);

}  // namespace hivesec::image
