// Kubernetes manifests as text -> objects: splits a file into YAML documents (so one broken
// document does not hide the others), parses each within size, depth, node and alias bounds,
// and expands `kind: List` items. The checks (k8s_checks.h) work on the resulting set.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hivesec::config {

struct ManifestLimits {
  size_t max_file_bytes = 64u << 20;      // config_scan does not read larger files
  size_t max_document_bytes = 8u << 20;   // one YAML document
  size_t max_documents = 20'000;          // per file
  int max_depth = 64;                     // nesting of maps and sequences
  size_t max_nodes = 200'000;             // scalars, maps and sequences per document (~500 B each in yaml-cpp)
  size_t max_aliases = 1'000;             // *alias uses per document
  size_t max_list_items = 20'000;         // items of one `kind: List`
};

// One Kubernetes object. Lines are 1-based lines of the file.
struct ManifestObject {
  std::string file;       // as given ("-" for standard input)
  int document = 0;       // 0-based index among the file's non-empty documents
  int document_line = 0;  // line where the document's content starts
  std::string base_path;  // the object's YAML path in its document: "" or "items[3]"
  YAML::Node node;        // the object (a map); read it through const references only
  std::string api_version, kind, name, ns;  // "" when absent (ns: metadata.namespace)
  int line = 0;           // line where the object starts
  int line_base = 0;      // 0-based file line of the document's text (for line_of)

  ManifestObject() = default;
  ManifestObject(const ManifestObject&) = default;
  // Rebinds `node` (YAML::Node's own operator= would assign through to the document).
  ManifestObject& operator=(const ManifestObject& o);

  // The file line of a node of this object's document; 0 for an undefined node.
  int line_of(const YAML::Node& n) const;
  // "Deployment/prod/web", "ClusterRole/admin" (no namespace), "Pod/<unnamed>".
  std::string display() const;
};

// A document that could not be used, with the reason (parse error, limit, not an object).
struct ManifestError {
  std::string file;
  int document = 0;
  int line = 0;  // of the error where the parser says, else of the document start
  std::string message;
};

struct ManifestSet {
  std::vector<ManifestObject> objects;  // in file, document, item order
  std::vector<ManifestError> errors;
};

// Content sniffing: some document has top-level `apiVersion:` and `kind:` keys (block or JSON
// style). Cheap; reads the text only.
bool looks_like_kubernetes(std::string_view content);

// Adds the objects and per-document errors of one file to `set`. The whole file fails only
// when it is binary (NUL byte or invalid UTF-8: kInvalidArgument "line N: binary content") or
// over the file size limit (kLimit). Never throws. Not thread-safe on one set.
Status add_manifests(ManifestSet& set, std::string_view file, std::string_view content,
                     const ManifestLimits& limits = {});

}  // namespace hivesec::config
