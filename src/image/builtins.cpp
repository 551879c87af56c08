// The one visible list of image sources, in detection order.
#include "image/source.h"

namespace hivesec::image {

Status register_builtin_sources(SourceRegistry& r) {
  (void)r;
  return ok_status();
}

}  // namespace hivesec::image
