// Secrets in an image's configuration and history, and the secret scanner's note summary.
//
// The same rules as for files are applied to each ENV entry ("KEY=value"), each label
// ("key=value") and each history `created_by` line. In addition, an ENV entry whose name says it
// holds a secret (contains PASSWORD, PASSWD, SECRET, TOKEN, API_KEY, APIKEY, ACCESS_KEY,
// PRIVATE_KEY; names ending in _FILE, _PATH, _DIR, _URL, _HOST, _PORT, _USER, _NAME, _VERSION
// point elsewhere and are left alone) and whose value is not empty and not a placeholder is
// reported as rule "image-config-env-secret" (turned off with `disable:` like any rule), unless
// another rule already reported that entry.
//
// Every secret found there is also masked in place in the result's image metadata (config env,
// labels, history) and layer summaries, so that no report prints it.
//
// evidence.path: "image config: ENV" (evidence.line: the entry's position, from 1), "image config: label KEY", "image history: layer N"
// (N counts history entries from 1); evidence.layer: the diff_id of the layer a history entry
// created, when it created one. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "model/scan_result.h"
#include "secrets/engine.h"

namespace hivesec::secrets {

inline constexpr std::string_view kEnvRuleId = "image-config-env-secret";

// Adds the findings to result.findings; nothing to do without result.image.
Status scan_image_config(const Engine& engine, model::ScanResult& result);

// Replaces the analyzer's per-file "binary file not scanned" notes by one summary note.
void fold_binary_notes(std::vector<std::string>& notes);

}  // namespace hivesec::secrets
