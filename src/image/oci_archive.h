// The oci-archive source (kind "oci-archive"): an OCI image layout inside an uncompressed tar
// (`podman save --format oci-archive`, `docker save` of Docker 25+). Ref "file.tar" or
// "file.tar:name".
#pragma once

#include "image/source.h"

namespace hivesec::image {

SourceKind oci_archive_source_kind();

}  // namespace hivesec::image
