// "did you mean" for misspelt commands and options: the nearest name by edit
// distance, if it is near enough to be a likely typo.
//
//   nearest("--acel", {"--accel", "--filter"});   // "--accel"
//   nearest("boot", {"run", "list"});             // "" (nothing close)
#pragma once

#include <string>
#include <vector>

#include "harness/core/edit_distance.h"

namespace rh {

// The closest candidate within max(2, size/3) edits; "" when none is.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace rh
