// The one visible list of image sources, in detection order.
#include "image/docker_archive.h"
#include "image/oci_archive.h"
#include "image/oci_dir.h"
#include "image/source.h"

namespace hivesec::image {

Status register_builtin_sources(SourceRegistry& r) {
  HIVESEC_TRY_STATUS(r.add(docker_archive_source_kind()));
  HIVESEC_TRY_STATUS(r.add(oci_archive_source_kind()));
  HIVESEC_TRY_STATUS(r.add(oci_dir_source_kind()));
  return ok_status();
}

}  // namespace hivesec::image
