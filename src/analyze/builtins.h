// Factories of the built-in analyzers; each is defined in its own file (dpkg.cpp, npm.cpp, ...).
#pragma once

#include <memory>

#include "analyze/analyzer.h"

namespace hivesec::analyze {

// One declaration per analyzer, in the order of register_builtins().

// Binaries and archives.
std::unique_ptr<Analyzer> make_gobinary_analyzer();         // gobinary.cpp
std::unique_ptr<Analyzer> make_java_analyzer();             // java.cpp
std::unique_ptr<Analyzer> make_cargo_auditable_analyzer();  // cargo_auditable.cpp
}  // namespace hivesec::analyze
