// `--shard I/N` on the command line, e.g. "2/3" -> Shard{2, 3}.
#pragma once

#include <string>

#include "harness/runner/shard.h"

namespace rh {

// InputError naming the value unless it is "I/N" with 1 <= I <= N.
Shard parse_shard(const std::string& text);

}  // namespace rh
