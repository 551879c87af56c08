// Re-matching the stored inventories and printing what changed, shared by `db rematch` and
// `db update`.
#pragma once

#include <string>

namespace hivesec::cli {

// Re-matches every stored asset against the database at `db_path` and prints, per asset, how
// many findings are new and resolved (with their ids). Returns the exit status.
int rematch_and_report(const std::string& db_path, const std::string& store_path);

}  // namespace hivesec::cli
