// `romharness repro SCENARIO`: rerun one scenario with every artifact kept,
// then print (and save as repro.sh) a bare QEMU command line and the boot
// server command that reproduce it by hand.
#pragma once

#include <ostream>

#include "harness/cli/run_command.h"

namespace rh {

// The run's options (run_options.cc adds the same ones to both commands);
// `paths` and `filter` must select exactly one scenario. Exit status as run's.
int repro_command(const RunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace rh
