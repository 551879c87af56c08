// VEX documents (OpenVEX v0.2.0 JSON and CycloneDX JSON BOMs with vulnerabilities[]): what a
// supplier says about whether a vulnerability affects a product, and the matching of those
// statements against findings.
//
// Matching rules (also in docs/commands/ignore-and-vex.md):
//  - A statement applies to a finding when one of its vulnerability ids (name, @id, aliases;
//    CycloneDX id and references) equals, ASCII case-insensitively, the finding's rule id, an
//    alias or a merged advisory id, and one of its products matches.
//  - A package product (a purl) matches the finding's package purl (evidence.package) by
//    type/namespace/name under the type's case rules; a product without version matches every
//    version; qualifiers and subpaths are ignored. Subcomponents of a package product match
//    too.
//  - An image-level product (pkg:oci, pkg:docker, a bare "sha256:..." id, or a product with
//    only hashes) matches when it names the scanned image (by digest, or by repository name
//    when it has no version); it then applies to every finding in that image, or only to the
//    packages its subcomponents name when it lists some.
//  - Of all statements that apply, the latest wins (statement last_updated, else timestamp,
//    else the document's timestamp; ties go to the later statement / later document). A
//    statement without any timestamp is older than any with one.
//  - The winner suppresses when its status is not_affected (CycloneDX: not_affected,
//    false_positive), or fixed (CycloneDX: resolved, resolved_with_pedigree) and the match
//    was pinned to the installed version or the image digest. affected / under_investigation
//    (exploitable, in_triage) never suppress, and override older statements that would.
//  - A CycloneDX winner that does not suppress and whose analysis.response says will_not_fix
//    or can_not_fix is the supplier saying no fix will come: the verdict says wont_fix (the
//    filter then marks a finding without a fixed version "wont-fix"). OpenVEX has no
//    structured equivalent (its action_statement is prose).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "model/finding.h"
#include "model/purl.h"
#include "model/scan_result.h"
#include "suppress/dates.h"

namespace hivesec::suppress {

// Upper bound on products plus subcomponents in one document (hostile-input bound).
inline constexpr size_t kMaxVexProducts = 1'000'000;

enum class VexStatus { kNotAffected, kAffected, kFixed, kUnderInvestigation };
const char* vex_status_name(VexStatus s);  // OpenVEX spelling: "not_affected", ...

// A product or subcomponent a statement is about.
struct VexProduct {
  std::string id;                         // as written: @id, bom-ref, ref
  std::optional<model::Purl> purl;        // from the id or identifiers.purl / the component
  std::vector<std::string> digests;       // "sha256:<hex>" (lowercase) from the id or hashes
  std::vector<VexProduct> subcomponents;  // OpenVEX only; one level
};

struct VexStatement {
  std::vector<std::string> vulnerability_ids;  // [0] is the main name
  std::vector<VexProduct> products;
  VexStatus status = VexStatus::kUnderInvestigation;
  std::string status_text;    // as written: "not_affected", "false_positive", "resolved", ...
  std::string justification;  // as written, "" when none
  std::string detail;         // impact_statement / analysis.detail
  bool will_not_fix = false;  // CycloneDX analysis.response has will_not_fix or can_not_fix
  std::optional<Instant> time;
  size_t index = 0;  // 1-based position in the document (statements[] / vulnerabilities[])
};

struct VexDocument {
  std::string source;  // the path or name it was read from
  std::string format;  // "openvex" or "cyclonedx"
  std::vector<VexStatement> statements;
  size_t unresolved_refs = 0;  // CycloneDX affects[].ref that named no purl
};

// Parses a VEX document, detecting its format. Errors are one line starting with `source`:
// kCorrupt for invalid JSON or a document of neither format, kInvalidArgument for a statement
// that breaks the format (no vulnerability, unknown status, bad purl or timestamp, wrong JSON
// types), kLimit beyond kMaxJsonDepth nesting or kMaxVexProducts. Never throws.
[[nodiscard]] Result<VexDocument> parse_vex(std::string_view content, std::string_view source);

// Reads (at most kMaxInputBytes) and parses the file at `path`.
[[nodiscard]] Result<VexDocument> load_vex(const std::string& path);

// What identifies the scanned asset, for image-level products. Empty for filesystems.
struct AssetIdentity {
  std::vector<std::string> digests;       // lowercase "sha256:..." (manifest, config, repo digests)
  std::vector<std::string> repositories;  // lowercase "docker.io/library/nginx", "nginx", ...
  std::vector<std::pair<std::string, std::string>> tags;  // (repository, tag)

  static AssetIdentity from(const model::ScanResult& r);
};

struct VexVerdict {
  size_t document = 0;   // index into VexSet::documents()
  size_t statement = 0;  // index into that document's statements
  bool suppress = false;
  bool wont_fix = false;  // not suppressed, and the supplier says it will not (cannot) fix it
  std::string reason;     // "openvex.json statement 3: not_affected (vulnerable_code_not_present)"
};

// Several VEX documents with an index by vulnerability id. Not thread-safe to add to; const
// methods are safe to call concurrently.
class VexSet {
 public:
  void add(VexDocument doc);

  // The verdict of the latest statement that applies to `f` (see the rules above); nullopt
  // when none does.
  std::optional<VexVerdict> evaluate(const model::Finding& f, const AssetIdentity& asset) const;

  const std::vector<VexDocument>& documents() const { return docs_; }

 private:
  std::vector<VexDocument> docs_;
  // lowercase vulnerability id -> (document, statement)
  std::unordered_map<std::string, std::vector<std::pair<size_t, size_t>>> by_id_;
};

}  // namespace hivesec::suppress
