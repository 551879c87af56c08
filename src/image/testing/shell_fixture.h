// Test helper: servers started by a fixture script (tests/integration/lib/*_fixture.sh) that
// takes `start DIR` / `stop DIR`, exits 77 when its tools are missing, and writes KEY=VALUE
// lines to DIR/env for the tests.
#pragma once

#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace hivesec::image::testing {

enum class FixtureState { kReady, kSkipped, kFailed };

// Runs `bash SCRIPT start DIR` (output in DIR/fixture.log) and reads DIR/env into `env`.
inline FixtureState start_shell_fixture(const std::string& script, const std::string& dir,
                                        std::map<std::string, std::string>& env) {
  std::string cmd = "bash " + script + " start " + dir + " >" + dir + "/fixture.log 2>&1";
  int rc = std::system(cmd.c_str());
  if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77) return FixtureState::kSkipped;
  if (rc != 0) return FixtureState::kFailed;
  std::ifstream in(dir + "/env");
  std::string line;
  while (std::getline(in, line)) {
    size_t eq = line.find('=');
    if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return FixtureState::kReady;
}

// Runs `bash SCRIPT stop DIR` and removes DIR. No-op for an empty DIR.
inline void stop_shell_fixture(const std::string& script, const std::string& dir) {
  if (dir.empty()) return;
  std::string cmd = "bash " + script + " stop " + dir + " >/dev/null 2>&1";
  (void)std::system(cmd.c_str());
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace hivesec::image::testing
