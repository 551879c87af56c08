// The "password" analyzer (scanner "password"): a white-box weak-password check of the accounts
// in etc/passwd and etc/shadow. See passwords.cpp and docs/commands/passwords.md.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyze/analyzer.h"
#include "analyze/builtins.h"

namespace hivesec::analyze {

// make_password_analyzer(options) is declared in builtins.h: it uses the bundled list
// (rules/passwords/common.yaml) and owns the image's time budget (options.password_budget_ms,
// shared by all layers and threads), so build one per scan.

// The bundled common passwords, most popular first.
const std::vector<std::string>& common_passwords();

// Post-pass over the merged findings: a common-password finding on an account that etc/passwd
// gives uid 0 (a "weak-password:extra-uid0" finding) is raised to critical. The shadow file
// alone does not know uids, so this needs the final image's passwd. Not thread-safe on `findings`.
void raise_uid0_password_findings(std::vector<model::Finding>& findings);

}  // namespace hivesec::analyze
