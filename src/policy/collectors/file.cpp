// `file`: a file's content on the target, parsed by `format` (formats.h). For format sshd,
// `Include` directives are expanded in place (globs in the last component, paths relative to
// /etc/ssh) and parsing stops at the first `Match` block, so the values are the global ones.
#include <algorithm>
#include <cctype>

#include "policy/collectors/formats.h"
#include "policy/collectors/util.h"

namespace hivesec::policy::collectors {

namespace {

using nlohmann::json;

constexpr int kMaxIncludeDepth = 8;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Expands Include lines; returns a Fact on a read failure of the main file only (included
// files that do not exist are skipped like sshd does; unreadable/malformed ones are errors).
std::optional<Fact> expand_sshd(Host& host, const std::string& path, int depth, std::string* out) {
  std::string text;
  if (auto f = host.read_file(path, &text)) return f;
  for (const auto& raw : split_lines(text)) {
    std::string l = trim(raw);
    std::string key = lower(l.substr(0, l.find_first_of(" \t=")));
    if (key == "match") {
      *out += "\n";
      out->append("#hivesec-match-stop\n");
      continue;
    }
    if (key != "include") {
      *out += l + "\n";
      continue;
    }
    if (depth >= kMaxIncludeDepth) return Fact::error("Include nested too deeply", path);
    std::string rest = trim(l.substr(7));
    size_t pos = 0;
    while (pos < rest.size()) {
      size_t sp = rest.find_first_of(" \t", pos);
      if (sp == std::string::npos) sp = rest.size();
      std::string pat = rest.substr(pos, sp - pos);
      pos = rest.find_first_not_of(" \t", sp);
      if (pos == std::string::npos) pos = rest.size();
      if (pat.empty()) continue;
      if (pat[0] != '/') pat = "/etc/ssh/" + pat;
      size_t slash = pat.rfind('/');
      std::string dir = pat.substr(0, slash), glob = pat.substr(slash + 1);
      for (const auto& name : list_dir(host, dir.empty() ? "/" : dir, glob)) {
        std::string inc;
        auto f = expand_sshd(host, dir + "/" + name, depth + 1, &inc);
        if (f && f->state != FactState::kMissing)
          return Fact{f->state, nullptr, f->reason, dir + "/" + name, false};
        *out += inc;
      }
    }
  }
  return std::nullopt;
}

class FileCollector : public Collector {
 public:
  std::string_view name() const override { return "file"; }
  std::string_view description() const override {
    return "a file's content, parsed (path, format: "
           "json|yaml|keyvalue|sshd|sysctl|ini|systemd|flags|lines|text)";
  }
  Status validate(const json& p) const override {
    HIVESEC_TRY_STATUS(only_params(p, {"path", "format"}));
    HIVESEC_TRY_STATUS(require_param(p, "path", true));
    std::string fmt = param(p, "format");
    auto names = format_names();
    if (!fmt.empty() && std::find(names.begin(), names.end(), fmt) == names.end()) {
      return make_error(Errc::kInvalidArgument, "unknown format '{}'", fmt);
    }
    return ok_status();
  }
  Fact collect(const json& p, Host& host) const override {
    std::string path = param(p, "path");
    std::string fmt = param(p, "format");
    if (fmt.empty()) fmt = "text";
    std::string text;
    if (fmt == "sshd") {
      if (auto f = expand_sshd(host, path, 0, &text)) return *f;
      size_t stop = text.find("#hivesec-match-stop");
      if (stop != std::string::npos) text.resize(stop);
    } else if (auto f = host.read_file(path, &text)) {
      return *f;
    }
    auto parsed = parse_format(fmt, text);
    if (!parsed.ok()) return Fact::error(parsed.error().message, path);
    return Fact::ok(std::move(parsed).value(), path);
  }
};

}  // namespace

std::unique_ptr<Collector> make_file_collector() { return std::make_unique<FileCollector>(); }

}  // namespace hivesec::policy::collectors
