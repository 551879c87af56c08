// The one visible list of SBOM input formats. Order matters only for documents two readers
// could claim; none of these overlap.
#include "sbom/format.h"

namespace hivesec::sbom {

Status register_builtin_formats(FormatRegistry& r) {
  HIVESEC_TRY_STATUS(r.add(make_cyclonedx_json_reader()));
  HIVESEC_TRY_STATUS(r.add(make_cyclonedx_xml_reader()));
  HIVESEC_TRY_STATUS(r.add(make_spdx_json_reader()));
  HIVESEC_TRY_STATUS(r.add(make_spdx_tag_value_reader()));
  return ok_status();
}

}  // namespace hivesec::sbom
