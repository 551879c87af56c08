// The one visible list of version schemes.
#include "versions/builtins.h"

namespace hivesec::versions {

Status register_builtin_schemes(SchemeRegistry& r) {
  (void)r;
  return ok_status();
}

}  // namespace hivesec::versions
