// The one visible list of version schemes.
#include "versions/builtins.h"

namespace hivesec::versions {

Status register_builtin_schemes(SchemeRegistry& r) {
  // OS package schemes
  HIVESEC_TRY_STATUS(r.add(make_dpkg_scheme()));
  HIVESEC_TRY_STATUS(r.add(make_rpm_scheme()));
  HIVESEC_TRY_STATUS(r.add(make_apk_scheme()));
  // Language schemes
  HIVESEC_TRY_STATUS(r.add(make_semver_scheme()));
  HIVESEC_TRY_STATUS(r.add(make_pep440_scheme()));
  HIVESEC_TRY_STATUS(r.add(make_go_scheme()));
  HIVESEC_TRY_STATUS(r.add(make_cargo_scheme()));
  HIVESEC_TRY_STATUS(r.add(make_maven_scheme()));
  HIVESEC_TRY_STATUS(r.add(make_nuget_scheme()));
  HIVESEC_TRY_STATUS(r.add(make_gem_scheme()));
  HIVESEC_TRY_STATUS(r.add(make_composer_scheme()));
  return ok_status();
}

}  // namespace hivesec::versions
