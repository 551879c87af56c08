// Factories of the built-in analyzers; each is defined in its own file (dpkg.cpp, npm.cpp, ...).
#pragma once

#include <memory>

#include "analyze/analyzer.h"

namespace hivesec::analyze {

// One declaration per analyzer, in the order of register_builtins().

// Language ecosystems.
std::unique_ptr<Analyzer> make_npm_analyzer();         // npm.cpp
std::unique_ptr<Analyzer> make_python_analyzer();      // python.cpp
std::unique_ptr<Analyzer> make_cargo_lock_analyzer();  // cargo_lock.cpp
std::unique_ptr<Analyzer> make_gem_analyzer();         // ruby.cpp
std::unique_ptr<Analyzer> make_composer_analyzer();    // php.cpp
std::unique_ptr<Analyzer> make_dotnet_analyzer();      // dotnet.cpp
}  // namespace hivesec::analyze
