// Factories of the built-in version schemes, one per file.
#pragma once

#include <memory>

#include "versions/scheme.h"

namespace hivesec::versions {

// OS package schemes
std::unique_ptr<Scheme> make_dpkg_scheme();  // "dpkg": Debian policy, as dpkg --compare-versions
std::unique_ptr<Scheme> make_rpm_scheme();   // "rpm": [epoch:]version[-release], rpmvercmp
std::unique_ptr<Scheme> make_apk_scheme();   // "apk": Alpine apk-tools ordering
// Language schemes
std::unique_ptr<Scheme> make_semver_scheme();    // semver.cpp
std::unique_ptr<Scheme> make_pep440_scheme();    // pep440.cpp
std::unique_ptr<Scheme> make_go_scheme();        // go.cpp
std::unique_ptr<Scheme> make_cargo_scheme();     // cargo.cpp
std::unique_ptr<Scheme> make_maven_scheme();     // maven.cpp
std::unique_ptr<Scheme> make_nuget_scheme();     // nuget.cpp
std::unique_ptr<Scheme> make_gem_scheme();       // gem.cpp
std::unique_ptr<Scheme> make_composer_scheme();  // composer.cpp

}  // namespace hivesec::versions
