// The one visible list of built-in analyzers (STYLE §4). Adding an analyzer is adding its file
// and one line here.
#include "analyze/builtins.h"

#include "analyze/analyzer.h"

namespace hivesec::analyze {

Status register_builtins(Registry& r, const AnalyzerOptions& options) {
  // OS and OS packages
  HIVESEC_TRY_STATUS(r.add(make_os_release_analyzer()));
  HIVESEC_TRY_STATUS(r.add(make_dpkg_analyzer()));
  HIVESEC_TRY_STATUS(r.add(make_apk_analyzer()));
  HIVESEC_TRY_STATUS(r.add(make_rpm_analyzer()));
  // Language ecosystems
  HIVESEC_TRY_STATUS(r.add(make_npm_analyzer()));
  HIVESEC_TRY_STATUS(r.add(make_python_analyzer()));
  HIVESEC_TRY_STATUS(r.add(make_cargo_lock_analyzer()));
  HIVESEC_TRY_STATUS(r.add(make_gem_analyzer()));
  HIVESEC_TRY_STATUS(r.add(make_composer_analyzer()));
  HIVESEC_TRY_STATUS(r.add(make_dotnet_analyzer()));
  // Binaries
  HIVESEC_TRY_STATUS(r.add(make_gobinary_analyzer()));
  HIVESEC_TRY_STATUS(r.add(make_java_analyzer()));
  HIVESEC_TRY_STATUS(r.add(make_cargo_auditable_analyzer()));
  // Findings in image contents: built only for the selected scanners.
  if (options.wants("file")) HIVESEC_TRY_STATUS(r.add(make_sensitive_files_analyzer()));
  if (options.wants("secret")) {
    HIVESEC_TRY(auto secrets, make_secrets_analyzer(options));
    HIVESEC_TRY_STATUS(r.add(std::move(secrets)));
  }
  if (options.wants("password")) HIVESEC_TRY_STATUS(r.add(make_password_analyzer(options)));
  if (options.wants("malware")) {
    HIVESEC_TRY(auto malware, make_malware_analyzer(options));
    HIVESEC_TRY_STATUS(r.add(std::move(malware)));
  }
  if (options.wants("config")) {
    HIVESEC_TRY(auto config_files, make_config_files_analyzer());
    HIVESEC_TRY_STATUS(r.add(std::move(config_files)));
  }
  return ok_status();
}

}  // namespace hivesec::analyze
