#include "config/k8s_manifest.h"

#include <fmt/format.h>

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace hivesec::config {

namespace {

// NUL bytes and invalid UTF-8 mean the file is not YAML text; kInvalidArgument with the line.
Status check_text(std::string_view text) {
  int line = 1;
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') ++line;
    if (c == 0) return make_error(Errc::kInvalidArgument, "line {}: binary content (NUL byte)", line);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len != 0 && i + len <= text.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(text[i + k]) >> 6) == 2;
    if (!ok) return make_error(Errc::kInvalidArgument, "line {}: binary content (not UTF-8 text)", line);
    i += len;
  }
  return ok_status();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// "---" or "..." at column 0, alone or followed by blanks (and, for "---", content).
bool marker(std::string_view line, std::string_view m) {
  return line.starts_with(m) && (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
}

struct Chunk {
  std::string_view text;
  int first_line = 0;    // 0-based file line of text's first line
  int content_line = 0;  // 0-based file line of the first content (-1: empty document)
};

// Splits at document markers. A chunk keeps its "---" line (yaml-cpp accepts it, and content
// after the marker stays on its line) and its closing "...".
std::vector<Chunk> split_documents(std::string_view text) {
  std::vector<Chunk> out;
  Chunk cur{text.substr(0, 0), 0, -1};
  size_t start = 0;
  int line_no = 0;
  auto close = [&](size_t end) {
    cur.text = text.substr(start, end - start);
    out.push_back(cur);
  };
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    std::string_view line = text.substr(pos, (nl == std::string_view::npos ? text.size() : nl) - pos);
    if (marker(line, "---") && pos != start) {
      close(pos);
      start = pos;
      cur = Chunk{{}, line_no, -1};
    }
    std::string_view t = trim(line);
    bool content = !t.empty() && t.front() != '#' && t.front() != '%';
    if (content && (marker(line, "---") || marker(line, "..."))) {
      std::string_view rest = trim(line.substr(3));
      content = !rest.empty() && rest.front() != '#';
    }
    if (content && cur.content_line < 0) cur.content_line = line_no;
    pos = end;
    ++line_no;
    if (marker(line, "...")) {
      close(pos);
      start = pos;
      cur = Chunk{{}, line_no, -1};
    }
  }
  if (start < text.size()) close(text.size());
  return out;
}

struct LimitHit : std::runtime_error {
  int line;
  LimitHit(const std::string& m, int l) : std::runtime_error(m), line(l) {}
};

// Walks the parser's events before the tree is built, so a hostile document is refused while
// the parser's recursion is still shallow and before any node is allocated.
class Guard : public YAML::EventHandler {
 public:
  explicit Guard(const ManifestLimits& l) : l_(l) {}
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { node(m); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override {
    node(m);
    if (++aliases_ > l_.max_aliases) throw LimitHit(fmt::format("more than {} aliases", l_.max_aliases), m.line);
  }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string&) override { node(m); }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(m);
  }
  void OnSequenceEnd() override { --depth_; }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(m);
  }
  void OnMapEnd() override { --depth_; }

 private:
  void node(const YAML::Mark& m) {
    if (++nodes_ > l_.max_nodes) throw LimitHit(fmt::format("more than {} nodes", l_.max_nodes), m.line);
  }
  void open(const YAML::Mark& m) {
    node(m);
    if (++depth_ > l_.max_depth) throw LimitHit(fmt::format("nested deeper than {} levels", l_.max_depth), m.line);
  }
  const ManifestLimits& l_;
  int depth_ = 0;
  size_t nodes_ = 0, aliases_ = 0;
};

std::string scalar(const YAML::Node& n, const char* key) {
  if (!n.IsMap()) return "";
  const YAML::Node v = n[key];
  return v.IsDefined() && v.IsScalar() ? v.Scalar() : "";
}

// Fills the identity fields from the node; false when it is not an object (no apiVersion/kind).
bool identify(ManifestObject& o) {
  if (!o.node.IsMap()) return false;
  o.api_version = scalar(o.node, "apiVersion");
  o.kind = scalar(o.node, "kind");
  if (o.api_version.empty() || o.kind.empty()) return false;
  const YAML::Node& node = o.node;  // const: a lookup must never insert
  const YAML::Node meta = node["metadata"];
  if (meta.IsDefined() && meta.IsMap()) {
    o.name = scalar(meta, "name");
    if (o.name.empty()) {
      std::string g = scalar(meta, "generateName");
      if (!g.empty()) o.name = g + "*";
    }
    o.ns = scalar(meta, "namespace");
  }
  o.line = o.line_of(o.node);
  return true;
}

}  // namespace

ManifestObject& ManifestObject::operator=(const ManifestObject& o) {
  if (this == &o) return *this;
  file = o.file;
  document = o.document;
  document_line = o.document_line;
  base_path = o.base_path;
  node.reset(o.node);
  api_version = o.api_version;
  kind = o.kind;
  name = o.name;
  ns = o.ns;
  line = o.line;
  line_base = o.line_base;
  return *this;
}

int ManifestObject::line_of(const YAML::Node& n) const {
  if (!n.IsDefined()) return 0;
  YAML::Mark m = n.Mark();
  return m.line < 0 ? 0 : line_base + m.line + 1;
}

std::string ManifestObject::display() const {
  std::string n = name.empty() ? "<unnamed>" : name;
  return ns.empty() ? kind + "/" + n : kind + "/" + ns + "/" + n;
}

bool looks_like_kubernetes(std::string_view content) {
  bool api = false, kind = false;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t nl = content.find('\n', pos);
    std::string_view line = content.substr(pos, (nl == std::string_view::npos ? content.size() : nl) - pos);
    pos = nl == std::string_view::npos ? content.size() : nl + 1;
    if (marker(line, "---")) {
      api = kind = false;
      continue;
    }
    // Block style at column 0, or JSON style ("apiVersion": at any indentation of a one-object file).
    std::string_view t = trim(line);
    if (line.starts_with("apiVersion:") || t.starts_with("\"apiVersion\":") || t.starts_with("{\"apiVersion\":")) api = true;
    if (line.starts_with("kind:") || t.starts_with("\"kind\":") || t.starts_with("{\"kind\":")) kind = true;
    if (t.find("\"apiVersion\"") != std::string_view::npos && t.find("\"kind\"") != std::string_view::npos) api = kind = true;
    if (api && kind) return true;
  }
  return false;
}

Status add_manifests(ManifestSet& set, std::string_view file, std::string_view content,
                     const ManifestLimits& limits) {
  if (content.size() > limits.max_file_bytes) {
    return make_error(Errc::kLimit, "{} bytes exceeds the {} byte limit", content.size(), limits.max_file_bytes);
  }
  HIVESEC_TRY_STATUS(check_text(content));
  int index = 0;
  for (const Chunk& c : split_documents(content)) {
    if (c.content_line < 0) continue;
    int doc = index++;
    int doc_line = c.content_line + 1;
    auto fail = [&](int line, std::string msg) {
      set.errors.push_back({std::string(file), doc, line > 0 ? line : doc_line, std::move(msg)});
    };
    if (index > static_cast<int>(limits.max_documents)) {
      fail(doc_line, fmt::format("more than {} documents; the rest of the file is not scanned", limits.max_documents));
      break;
    }
    if (c.text.size() > limits.max_document_bytes) {
      fail(doc_line, fmt::format("document of {} bytes exceeds the {} byte limit", c.text.size(),
                                 limits.max_document_bytes));
      continue;
    }
    YAML::Node root;
    try {
      std::string text(c.text);
      {
        std::istringstream in(text);
        YAML::Parser parser(in);
        Guard guard(limits);
        while (parser.HandleNextDocument(guard)) {
        }
      }
      root = YAML::Load(text);
    } catch (const LimitHit& e) {
      fail(c.first_line + e.line + 1, fmt::format("limit: {}", e.what()));
      continue;
    } catch (const YAML::Exception& e) {
      // The parser may point one past the document (end of input); keep the line inside it.
      int last = c.first_line + static_cast<int>(std::count(c.text.begin(), c.text.end(), '\n')) -
                 (c.text.ends_with('\n') ? 1 : 0) + 1;
      fail(e.mark.line >= 0 ? std::min(c.first_line + e.mark.line + 1, last) : doc_line, e.msg);
      continue;
    } catch (const std::exception& e) {
      fail(doc_line, e.what());
      continue;
    }
    if (!root.IsDefined() || root.IsNull()) continue;  // e.g. a template that rendered nothing
    ManifestObject o;
    o.file = std::string(file);
    o.document = doc;
    o.document_line = doc_line;
    o.line_base = c.first_line;
    o.node.reset(root);
    if (!identify(o)) {
      fail(doc_line, "not a Kubernetes object (no apiVersion and kind)");
      continue;
    }
    const YAML::Node& croot = root;
    const YAML::Node items = croot["items"];
    bool list = o.kind.size() >= 4 && o.kind.ends_with("List") && items.IsDefined() && items.IsSequence();
    if (!list) {
      set.objects.push_back(std::move(o));
      continue;
    }
    size_t i = 0;
    for (const auto& item : items) {
      if (i >= limits.max_list_items) {
        fail(o.line_of(item), fmt::format("more than {} List items; the rest are not scanned", limits.max_list_items));
        break;
      }
      ManifestObject it;
      it.file = o.file;
      it.document = doc;
      it.document_line = doc_line;
      it.line_base = c.first_line;
      it.base_path = fmt::format("items[{}]", i++);
      it.node.reset(item);
      if (!identify(it)) {
        fail(o.line_of(item), it.base_path + ": not a Kubernetes object (no apiVersion and kind)");
        continue;
      }
      if (it.kind.ends_with("List") && item["items"].IsDefined()) {
        fail(it.line, it.base_path + ": nested List is not expanded");
        continue;
      }
      set.objects.push_back(std::move(it));
    }
  }
  return ok_status();
}

}  // namespace hivesec::config
