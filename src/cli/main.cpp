// hivesec: dispatches to subcommands (cli/*.cpp); nothing else lives here.
#include "cli/cli.h"

int main(int argc, char** argv) { return hivesec::cli::run(argc, argv); }
