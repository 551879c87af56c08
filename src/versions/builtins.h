// Factories of the built-in version schemes, one per file.
#pragma once

#include <memory>

#include "versions/scheme.h"

namespace hivesec::versions {

// OS package schemes
std::unique_ptr<Scheme> make_dpkg_scheme();  // "dpkg": Debian policy, as dpkg --compare-versions
std::unique_ptr<Scheme> make_rpm_scheme();   // "rpm": [epoch:]version[-release], rpmvercmp
std::unique_ptr<Scheme> make_apk_scheme();   // "apk": Alpine apk-tools ordering

}  // namespace hivesec::versions
