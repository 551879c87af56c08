#include "secrets/image_config.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace hivesec::secrets {

namespace {

constexpr std::array<std::string_view, 8> kSecretNameParts = {
    "PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "ACCESS_KEY", "PRIVATE_KEY"};
constexpr std::array<std::string_view, 9> kReferenceSuffixes = {
    "_FILE", "_PATH", "_DIR", "_URL", "_HOST", "_PORT", "_USER", "_NAME", "_VERSION"};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool secret_name(std::string_view key) {
  std::string k = upper(key);
  for (auto suffix : kReferenceSuffixes) {
    if (std::string_view(k).ends_with(suffix)) return false;
  }
  return std::any_of(kSecretNameParts.begin(), kSecretNameParts.end(),
                     [&](std::string_view p) { return k.find(p) != std::string::npos; });
}

bool placeholder(const RuleSet& rules, std::string_view value) {
  if (value.empty()) return true;
  for (const auto& re : rules.allow.values) {
    auto compiled = compile_plain_regex(re);
    if (compiled.ok() &&
        re2::RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), **compiled)) {
      return true;
    }
  }
  std::string lower(value);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::any_of(rules.allow.stopwords.begin(), rules.allow.stopwords.end(),
                     [&](const std::string& w) { return lower.find(w) != std::string::npos; });
}

// Rules on one string, which is then masked in place; returns how many findings it added.
// `line` > 0 replaces the line within the text (ENV entries are numbered by position).
Result<size_t> scan_text(const Engine& engine, std::string& text, const std::string& path,
                         const std::string& layer, int line, std::vector<model::Finding>& out) {
  StreamOptions o;
  o.ignore_paths = true;
  o.text = true;
  HIVESEC_TRY(auto result, engine.scan(path, text, o));
  // Mask from the end so earlier offsets stay valid; overlapping secrets are covered once.
  uint64_t limit = text.size();
  for (auto it = result.matches.rbegin(); it != result.matches.rend(); ++it) {
    if (it->offset + it->length > limit) continue;
    text.replace(it->offset, it->length, it->masked);
    limit = it->offset;
  }
  for (auto& m : result.matches) {
    auto f = make_finding(engine.rules().rules[m.rule], path, line > 0 ? line : m.line,
                          std::move(m.masked));
    f.evidence.layer = layer;
    out.push_back(std::move(f));
  }
  return result.matches.size();
}

}  // namespace

Status scan_image_config(const Engine& engine, model::ScanResult& result) {
  if (!result.image) return ok_status();
  image::ImageMeta& meta = *result.image;
  std::vector<model::Finding>& out = result.findings;
  const RuleSet& rules = engine.rules();
  bool env_rule = std::find(rules.disabled.begin(), rules.disabled.end(), kEnvRuleId) ==
                  rules.disabled.end();
  Rule env;
  env.id = std::string(kEnvRuleId);
  env.title = "Secret in an image ENV variable";
  env.severity = model::Severity::kHigh;
  env.remediation =
      "Do not set secrets with ENV (or ARG): they are stored in the image config and history for "
      "anyone who can pull the image. Pass them at run time (docker run -e / --env-file, "
      "orchestrator secrets) or use build secrets (RUN --mount=type=secret), and rotate this one.";

  for (size_t i = 0; i < meta.config.env.size(); ++i) {
    std::string& entry = meta.config.env[i];
    HIVESEC_TRY(size_t n, scan_text(engine, entry, "image config: ENV", "", static_cast<int>(i + 1), out));
    if (n > 0 || !env_rule) continue;
    size_t eq = entry.find('=');
    if (eq == std::string::npos) continue;
    std::string key = entry.substr(0, eq);
    std::string_view value = std::string_view(entry).substr(eq + 1);
    if (!secret_name(key) || placeholder(rules, value)) continue;
    entry = key + "=" + mask_secret(value);
    auto f = make_finding(env, "image config: ENV", static_cast<int>(i + 1), entry);
    f.evidence.extra["variable"] = key;
    out.push_back(std::move(f));
  }
  for (auto& [key, value] : meta.config.labels) {
    std::string text = key + "=" + value;
    HIVESEC_TRY(size_t n, scan_text(engine, text, "image config: label " + key, "", 0, out));
    if (n > 0 && text.starts_with(key + "=")) value = text.substr(key.size() + 1);
  }
  size_t layer = 0;
  for (size_t i = 0; i < meta.history.size(); ++i) {
    auto& h = meta.history[i];
    std::string diff_id;
    if (!h.empty_layer) {
      if (layer < meta.layers.size()) diff_id = meta.layers[layer].diff_id;
      ++layer;
    }
    std::string original = h.created_by;
    HIVESEC_TRY(size_t n, scan_text(engine, h.created_by,
                                    "image history: layer " + std::to_string(i + 1), diff_id, 0, out));
    if (n == 0) continue;
    for (auto& l : result.layers) {
      if (l.created_by == original) l.created_by = h.created_by;
    }
  }
  return ok_status();
}

void fold_binary_notes(std::vector<std::string>& notes) {
  std::string prefix = "secrets: " + std::string(kBinarySkippedNote);
  size_t count = 0;
  std::string first;
  std::vector<std::string> kept;
  kept.reserve(notes.size());
  for (auto& n : notes) {
    if (n.starts_with(prefix)) {
      if (count++ == 0) first = n.substr(prefix.size());
    } else {
      kept.push_back(std::move(n));
    }
  }
  if (count > 0) {
    kept.push_back(fmt::format(
        "secrets: {} binary file{} not scanned for secrets (NUL bytes in the first 8 KiB), e.g. {}",
        count, count == 1 ? "" : "s", first));
  }
  notes = std::move(kept);
}

}  // namespace hivesec::secrets
