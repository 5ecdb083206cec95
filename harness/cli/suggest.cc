#include "harness/cli/suggest.h"

#include <algorithm>

namespace rh {

std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  // Two edits catch most typos; longer names tolerate a few more.
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace rh
