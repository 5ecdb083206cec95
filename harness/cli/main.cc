// romharness: end-to-end tests for iPXE network-boot ROMs (see --help).
#include <malloc.h>

#include <iostream>
#include <string>
#include <vector>

#include "harness/cli/app.h"

int main(int argc, char** argv) {
  // Every boot starts short-lived threads (console reader, boot server, QMP),
  // and glibc gives threads their own arenas, up to 8 per core, whose touched
  // pages stay resident: a 200-boot run grew by 53 MiB with no live heap
  // behind it (bench/soak; heaptrack: peak heap 4.8 MB); with two arenas it
  // still grew by 25 MiB. None of these threads allocate in a hot loop, so
  // they all share the main arena.
  ::mallopt(M_ARENA_MAX, 1);
  return rh::run_cli(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
