// hivesec: dispatches to subcommands (cli/*.cpp); nothing else lives here.
#include <malloc.h>

#include "cli/cli.h"

int main(int argc, char** argv) {
  // File buffers of several MB come and go per layer; a fixed mmap threshold returns them to the
  // OS at once instead of letting glibc's adaptive threshold keep them in the heap.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  // That also freezes the trim threshold at 128 KiB, and the worker threads' arenas then give
  // pages back with madvise() thousands of times per image (each a TLB shootdown across cores,
  // then page faults to get them again): measured 8,400 madvise calls and twice the system time
  // on bench-small. Freed memory below 64 MiB per arena stays for reuse instead.
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  return hivesec::cli::run(argc, argv);
}
