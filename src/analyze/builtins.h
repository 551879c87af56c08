// Factories of the built-in analyzers; each is defined in its own file (dpkg.cpp, npm.cpp, ...).
#pragma once

#include <memory>

#include "analyze/analyzer.h"

namespace hivesec::analyze {

// One declaration per analyzer, in the order of register_builtins().

// OS and OS packages.
std::unique_ptr<Analyzer> make_os_release_analyzer();  // "os": os-release, release files
std::unique_ptr<Analyzer> make_dpkg_analyzer();        // "dpkg": status, status.d, .list, copyright
std::unique_ptr<Analyzer> make_apk_analyzer();         // "apk": lib/apk/db/installed
std::unique_ptr<Analyzer> make_rpm_analyzer();         // "rpm": rpmdb.sqlite, Packages (BDB), ndb

// Language ecosystems.
std::unique_ptr<Analyzer> make_npm_analyzer();         // npm.cpp
std::unique_ptr<Analyzer> make_python_analyzer();      // python.cpp
std::unique_ptr<Analyzer> make_cargo_lock_analyzer();  // cargo_lock.cpp
std::unique_ptr<Analyzer> make_gem_analyzer();         // ruby.cpp
std::unique_ptr<Analyzer> make_composer_analyzer();    // php.cpp
std::unique_ptr<Analyzer> make_dotnet_analyzer();      // dotnet.cpp

// Binaries and archives.
std::unique_ptr<Analyzer> make_gobinary_analyzer();         // gobinary.cpp
std::unique_ptr<Analyzer> make_java_analyzer();             // java.cpp
std::unique_ptr<Analyzer> make_cargo_auditable_analyzer();  // cargo_auditable.cpp

// Findings in image contents (run only when their scanner is selected).
std::unique_ptr<Analyzer> make_sensitive_files_analyzer();  // sensitive_files.cpp ("file")
// secrets.cpp ("secret"); fails on a bad --secret-rules file ("FILE:LINE: rule ID: reason").
Result<std::unique_ptr<Analyzer>> make_secrets_analyzer(const AnalyzerOptions& options);
// passwords.cpp ("password"); owns the per-image time budget: one per scan.
std::unique_ptr<Analyzer> make_password_analyzer(const AnalyzerOptions& options);
// malware.cpp ("malware"): compiles YARA rules (bundled + --yara-rules), loads deny-lists and,
// with --clamav-db, ClamAV. Errors: a rule that does not compile ("FILE:LINE: reason"), a bad
// deny-list or ClamAV database.
Result<std::unique_ptr<Analyzer>> make_malware_analyzer(const AnalyzerOptions& options);
Result<std::unique_ptr<Analyzer>> make_config_files_analyzer();  // config_files.cpp ("config")

}  // namespace hivesec::analyze
