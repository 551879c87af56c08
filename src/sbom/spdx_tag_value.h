// Private to src/sbom: SPDX 2.x tag-value text converted to the shape of an SPDX 2.3 JSON
// document, so one reader (spdx_reader.cpp) handles both serializations.
//
// Kept: the document's spdxVersion, name, documentDescribes (from DESCRIBES relationships),
// packages (SPDXID, name, versionInfo, externalRefs, licenseDeclared, licenseConcluded,
// primaryPackagePurpose, sourceInfo, comment, description, homepage, annotations), relationships
// and hasExtractedLicensingInfos. Files and snippets are skipped. Multi-line values use
// <text>...</text>. Pure function, thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "common/result.h"

namespace hivesec::sbom {

// kInvalidArgument (one line, with the line number) for a line that is not "Tag: value", an
// unterminated <text>, or a document that does not start with SPDXVersion.
Result<nlohmann::json> spdx_tag_value_to_json(std::string_view text);

// True when the first line that is neither blank nor a comment is "SPDXVersion: ...".
bool looks_like_spdx_tag_value(std::string_view text);

}  // namespace hivesec::sbom
