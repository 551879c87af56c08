#include "image/image.h"

#include <nlohmann/json.hpp>

#include "common/hash.h"
#include "image/json_util.h"

namespace hivesec::image {

using nlohmann::json;

namespace {

constexpr size_t kMaxHistory = 10000;
constexpr size_t kMaxDiffIds = 10000;

bool valid_platform_part(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string join_healthcheck(const std::vector<std::string>& test) {
  if (test.empty() || test[0] == "NONE") return {};
  size_t start = (test[0] == "CMD" || test[0] == "CMD-SHELL") ? 1 : 0;
  std::string out;
  for (size_t i = start; i < test.size(); ++i) {
    if (!out.empty()) out.push_back(' ');
    out += test[i];
  }
  return out;
}

void put_nonempty(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}

}  // namespace

std::string Platform::str() const {
  std::string s = os;
  if (!architecture.empty()) s += "/" + architecture;
  if (!variant.empty()) s += "/" + variant;
  return s;
}

Result<Platform> parse_platform(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t slash = s.find('/', start);
    parts.push_back(s.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
    if (parts.size() > 3) break;
  }
  if (parts.empty() || parts.size() > 3) {
    return make_error(Errc::kInvalidArgument, "invalid platform '{}' (want os/arch[/variant])", s);
  }
  for (auto p : parts) {
    if (!valid_platform_part(p)) {
      return make_error(Errc::kInvalidArgument, "invalid platform '{}' (want os/arch[/variant])",
                        s);
    }
  }
  Platform p;
  if (parts.size() == 1) {
    p.architecture = std::string(parts[0]);
  } else {
    p.os = std::string(parts[0]);
    p.architecture = std::string(parts[1]);
    if (parts.size() == 3) p.variant = std::string(parts[2]);
  }
  return p;
}

Status parse_image_config(std::string_view config_json, ImageMeta& meta) {
  HIVESEC_TRY(json j, detail::parse_json(config_json, "image config"));
  if (!j.is_object()) return make_error(Errc::kCorrupt, "image config: not a JSON object");
  try {
    using detail::opt_object_keys;
    using detail::opt_string;
    using detail::opt_string_list;
    std::string arch = opt_string(j, "architecture");
    std::string os = opt_string(j, "os");
    if (!arch.empty()) meta.platform.architecture = arch;
    if (!os.empty()) meta.platform.os = os;
    meta.platform.variant = opt_string(j, "variant");
    meta.created = opt_string(j, "created");

    auto cfg_it = j.find("config");
    if (cfg_it != j.end() && !cfg_it->is_null()) {
      const json& c = *cfg_it;
      if (!c.is_object()) return make_error(Errc::kCorrupt, "image config: config not an object");
      ImageConfig& out = meta.config;
      out.user = opt_string(c, "User");
      out.env = opt_string_list(c, "Env");
      out.entrypoint = opt_string_list(c, "Entrypoint");
      out.cmd = opt_string_list(c, "Cmd");
      out.working_dir = opt_string(c, "WorkingDir");
      out.exposed_ports = opt_object_keys(c, "ExposedPorts");
      out.volumes = opt_object_keys(c, "Volumes");
      out.stop_signal = opt_string(c, "StopSignal");
      out.labels.clear();
      if (auto it = c.find("Labels"); it != c.end() && !it->is_null()) {
        if (!it->is_object()) return make_error(Errc::kCorrupt, "image config: bad Labels");
        for (auto& [k, v] : it->items()) out.labels[k] = v.get<std::string>();
      }
      out.healthcheck.clear();
      if (auto it = c.find("Healthcheck"); it != c.end() && !it->is_null()) {
        out.healthcheck = join_healthcheck(opt_string_list(*it, "Test"));
      }
    }

    meta.history.clear();
    if (auto it = j.find("history"); it != j.end() && !it->is_null()) {
      if (!it->is_array()) return make_error(Errc::kCorrupt, "image config: history not a list");
      if (it->size() > kMaxHistory) {
        return make_error(Errc::kLimit, "image config: more than {} history entries", kMaxHistory);
      }
      for (const json& h : *it) {
        if (!h.is_object()) return make_error(Errc::kCorrupt, "image config: bad history entry");
        HistoryEntry e;
        e.created = opt_string(h, "created");
        e.created_by = opt_string(h, "created_by");
        e.comment = opt_string(h, "comment");
        if (auto el = h.find("empty_layer"); el != h.end() && !el->is_null()) {
          e.empty_layer = el->get<bool>();
        }
        meta.history.push_back(std::move(e));
      }
    }

    auto rootfs = j.find("rootfs");
    if (rootfs == j.end() || !rootfs->is_object()) {
      return make_error(Errc::kCorrupt, "image config: missing rootfs");
    }
    std::vector<std::string> diff_ids = opt_string_list(*rootfs, "diff_ids");
    if (diff_ids.size() > kMaxDiffIds) {
      return make_error(Errc::kLimit, "image config: more than {} layers", kMaxDiffIds);
    }
    for (const auto& d : diff_ids) {
      if (auto st = validate_digest(d); !st.ok()) return st.error().wrap("image config diff_id");
    }
    if (meta.layers.empty()) {
      meta.layers.resize(diff_ids.size());
    } else if (meta.layers.size() != diff_ids.size()) {
      return make_error(Errc::kCorrupt,
                        "image config lists {} diff_ids but the manifest has {} layers",
                        diff_ids.size(), meta.layers.size());
    }
    for (size_t i = 0; i < diff_ids.size(); ++i) meta.layers[i].diff_id = diff_ids[i];
  } catch (const json::exception& e) {
    return make_error(Errc::kCorrupt, "image config: {}", e.what());
  }
  return ok_status();
}

void to_json(json& j, const ImageMeta& m) {
  json cfg = json::object();
  put_nonempty(cfg, "user", m.config.user);
  if (!m.config.env.empty()) cfg["env"] = m.config.env;
  if (!m.config.entrypoint.empty()) cfg["entrypoint"] = m.config.entrypoint;
  if (!m.config.cmd.empty()) cfg["cmd"] = m.config.cmd;
  put_nonempty(cfg, "working_dir", m.config.working_dir);
  if (!m.config.exposed_ports.empty()) cfg["exposed_ports"] = m.config.exposed_ports;
  if (!m.config.labels.empty()) cfg["labels"] = m.config.labels;
  put_nonempty(cfg, "healthcheck", m.config.healthcheck);
  if (!m.config.volumes.empty()) cfg["volumes"] = m.config.volumes;
  put_nonempty(cfg, "stop_signal", m.config.stop_signal);

  json history = json::array();
  for (const auto& h : m.history) {
    json e = json::object();
    put_nonempty(e, "created", h.created);
    put_nonempty(e, "created_by", h.created_by);
    put_nonempty(e, "comment", h.comment);
    if (h.empty_layer) e["empty_layer"] = true;
    history.push_back(std::move(e));
  }
  json layers = json::array();
  for (const auto& l : m.layers) {
    json e = json{{"digest", l.digest}, {"diff_id", l.diff_id}, {"size", l.size}};
    put_nonempty(e, "media_type", l.media_type);
    layers.push_back(std::move(e));
  }
  j = json{{"name", m.name},
           {"source", m.source},
           {"image_id", m.image_id},
           {"manifest_digest", m.manifest_digest},
           {"repo_tags", m.repo_tags},
           {"repo_digests", m.repo_digests},
           {"platform", m.platform.str()},
           {"created", m.created},
           {"config", std::move(cfg)},
           {"history", std::move(history)},
           {"layers", std::move(layers)}};
}

}  // namespace hivesec::image
