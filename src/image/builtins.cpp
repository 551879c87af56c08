// The one visible list of image sources, in detection order.
#include "image/docker_archive.h"
#include "image/oci_archive.h"
#include "image/oci_dir.h"
#include "image/remote_sources.h"
#include "image/source.h"

namespace hivesec::image {

Status register_builtin_sources(SourceRegistry& r) {
  HIVESEC_TRY_STATUS(r.add(docker_archive_source_kind()));
  HIVESEC_TRY_STATUS(r.add(oci_archive_source_kind()));
  HIVESEC_TRY_STATUS(r.add(oci_dir_source_kind()));
  // Remote sources, after the local ones: the engine (one cheap inspect call), then the
  // registry as the last resort.
  HIVESEC_TRY_STATUS(r.add(engine_source_kind("docker")));
  HIVESEC_TRY_STATUS(r.add(engine_source_kind("podman")));
  HIVESEC_TRY_STATUS(r.add(registry_source_kind()));
  return ok_status();
}

}  // namespace hivesec::image
