// The command line: each subcommand is one file registering itself with register_commands.
#pragma once

namespace hivesec::cli {

// Parses argv and runs the chosen subcommand. Returns the process exit status:
// 0 success, 1 findings over the --exit-code threshold (later), 2 bad input or usage, 3 bug.
int run(int argc, char** argv);

}  // namespace hivesec::cli
