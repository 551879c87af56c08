// Checks on one build command (a Dockerfile RUN or the RUN step of an image's history), shared
// by the Dockerfile and image targets so the same problem gets the same id. One predicate per
// check id; each returns what it saw ("apt-get install without --no-install-recommends") or
// nullopt. Pure, thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/shell.h"

namespace hivesec::config {

struct RunCommand {
  std::vector<dockerfile::ShellCommand> commands;
  bool cache_mount = false;  // RUN --mount=type=cache: caches never reach the image
};

RunCommand make_run_command(std::string_view script, bool cache_mount = false);

using RunPredicate = std::optional<std::string> (*)(const RunCommand&);

// Check id -> predicate, for the ids whose Dockerfile/history form is a property of one RUN.
const std::map<std::string_view, RunPredicate>& run_predicates();

// Mode strings of chmod / COPY --chmod: "777", "u+s", "a+w,o-x".
bool mode_sets_id(std::string_view mode);
bool mode_world_writable(std::string_view mode);

}  // namespace hivesec::config
