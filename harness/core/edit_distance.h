// Levenshtein distance, for "did you mean ...?" on a misspelt option,
// command or scenario key.
#pragma once

#include <cstddef>
#include <string>

namespace rh {

std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace rh
