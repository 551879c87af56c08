// "json": the documented hivesec JSON document (docs/json-schema.md,
// docs/hivesec-report.schema.json). Change the three together.
#include <nlohmann/json.hpp>
#include <sstream>

#include "report/util.h"

namespace hivesec::report {

namespace {

using nlohmann::json;

constexpr int kSchemaVersion = 1;

json size_json(int64_t size) { return size < 0 ? json(nullptr) : json(size); }

// Serialized here rather than through image::to_json so the report's field names are owned by
// the report schema.
json image_json(const image::ImageMeta& m) {
  const image::ImageConfig& c = m.config;
  json history = json::array();
  for (const auto& h : m.history) {
    history.push_back({{"created", h.created},
                       {"created_by", h.created_by},
                       {"comment", h.comment},
                       {"empty_layer", h.empty_layer}});
  }
  json layers = json::array();
  for (const auto& l : m.layers) {
    layers.push_back({{"digest", l.digest},
                      {"diff_id", l.diff_id},
                      {"size", size_json(l.size)},
                      {"media_type", l.media_type}});
  }
  return {
      {"name", m.name},
      {"source", m.source},
      {"image_id", m.image_id},
      {"manifest_digest", m.manifest_digest},
      {"repo_tags", m.repo_tags},
      {"repo_digests", m.repo_digests},
      {"platform",
       {{"os", m.platform.os},
        {"architecture", m.platform.architecture},
        {"variant", m.platform.variant}}},
      {"created", m.created},
      {"config",
       {{"user", c.user},
        {"env", c.env},
        {"entrypoint", c.entrypoint},
        {"cmd", c.cmd},
        {"working_dir", c.working_dir},
        {"exposed_ports", c.exposed_ports},
        {"labels", c.labels},
        {"healthcheck", c.healthcheck},
        {"volumes", c.volumes},
        {"stop_signal", c.stop_signal}}},
      {"history", std::move(history)},
      {"layers", std::move(layers)},
  };
}

json document(const model::ScanResult& r) {
  json layers = json::array();
  for (const auto& l : r.layers) {
    layers.push_back({{"digest", l.digest},
                      {"diff_id", l.diff_id},
                      {"size", size_json(l.size)},
                      {"created_by", l.created_by},
                      {"cached", l.cached}});
  }
  return {
      {"schema_version", kSchemaVersion},
      {"tool", {{"name", "hivesec"}, {"version", r.tool_version}}},
      {"scanned_at", r.scanned_at},
      {"asset", r.asset},
      {"image", r.image ? image_json(*r.image) : json(nullptr)},
      {"os", r.os.empty() ? json(nullptr) : json(r.os)},
      {"layers", std::move(layers)},
      {"packages", r.packages},
      {"findings", r.findings},
      {"notes", r.notes},
      {"scanners", r.scanners},
  };
}

class JsonWriter final : public Writer {
 public:
  std::string_view name() const override { return "json"; }
  std::string_view description() const override {
    return "hivesec JSON document (docs/json-schema.md)";
  }
  Status write(const model::ScanResult& result, std::ostream& out) const override {
    std::string text;
    try {
      // Invalid UTF-8 from hostile input is replaced (U+FFFD) rather than failing the report.
      text = document(result).dump(2, ' ', false, json::error_handler_t::replace);
    } catch (const std::exception& e) {
      return make_error(Errc::kInternal, "json report: {}", e.what());
    }
    text.push_back('\n');
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) return make_error(Errc::kIo, "json report: write failed");
    return ok_status();
  }
};

}  // namespace

std::unique_ptr<Writer> make_json_writer() { return std::make_unique<JsonWriter>(); }

}  // namespace hivesec::report
