// One slice of a run for CI machines that split the scenarios between them:
// `--shard 2/3` is the second of three slices. Selection lives in shard.cc.
//
//   Shard s{.index = 2, .total = 3};   // 1 <= index <= total
#pragma once

namespace rh {

struct Shard {
  int index = 1;  // 1-based
  int total = 1;
};

}  // namespace rh
