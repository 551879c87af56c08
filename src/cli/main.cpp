// hivesec: dispatches to subcommands (cli/*.cpp); nothing else lives here.
#include <malloc.h>

#include "cli/cli.h"

int main(int argc, char** argv) {
  // File buffers of several MB come and go per layer; a fixed mmap threshold returns them to the
  // OS at once instead of letting glibc's adaptive threshold keep them in the heap.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  return hivesec::cli::run(argc, argv);
}
