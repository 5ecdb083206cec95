// Small string helpers shared by the scenario loader and the runner.
#pragma once

#include <string>

namespace rh {

// Every occurrence of `from` in `text` replaced by `to` (left to right, no
// rescanning of what was inserted).
std::string replace_all(std::string text, const std::string& from, const std::string& to);

}  // namespace rh
