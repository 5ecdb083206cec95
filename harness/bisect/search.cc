#include "harness/bisect/search.h"

#include <cstdlib>
#include <stdexcept>

namespace rh {

std::string to_string(StepVerdict v) {
  switch (v) {
    case StepVerdict::kGood:
      return "good";
    case StepVerdict::kBad:
      return "bad";
    case StepVerdict::kSkip:
      return "skip";
  }
  return "?";
}

BisectSearch::BisectSearch(std::size_t candidates)
    : n_(candidates), first_bad_(candidates), verdicts_(candidates + 1) {
  if (candidates == 0) throw std::invalid_argument("BisectSearch needs at least one candidate");
}

// Untested candidates strictly between the last good and the first bad, the
// one nearest the middle (the lower on a tie): halves what is left, and
// steps around skipped commits as git bisect does.
std::optional<std::size_t> BisectSearch::nearest_untested_to_middle() const {
  std::optional<std::size_t> best;
  long best_distance = 0;
  const long twice_middle = static_cast<long>(last_good_ + first_bad_);
  for (std::size_t p = last_good_ + 1; p < first_bad_; ++p) {
    if (tested(p)) continue;
    const long distance = std::labs(2 * static_cast<long>(p) - twice_middle);
    if (!best || distance < best_distance) {
      best = p;
      best_distance = distance;
    }
  }
  return best;
}

std::optional<std::size_t> BisectSearch::next() const {
  if (contradiction_) return std::nullopt;
  if (const auto middle = nearest_untested_to_middle()) return middle;
  if (first_bad_ - last_good_ > 1) return std::nullopt;  // only skipped ones left
  // The answer is first_bad_; it is named only once it and its parent were seen.
  if (!tested(first_bad_)) return first_bad_;
  if (!tested(last_good_)) return last_good_;
  return std::nullopt;
}

void BisectSearch::mark(std::size_t position, StepVerdict verdict) {
  if (position > n_) throw std::out_of_range("BisectSearch::mark: no such position");
  verdicts_[position] = verdict;
  if (position == n_ && verdict == StepVerdict::kGood) {
    contradiction_ = SearchOutcome::Kind::kBadIsGood;
  } else if (position == 0 && verdict == StepVerdict::kBad) {
    contradiction_ = SearchOutcome::Kind::kGoodIsBad;
  } else if (verdict == StepVerdict::kGood && position > last_good_ && position < first_bad_) {
    last_good_ = position;
  } else if (verdict == StepVerdict::kBad && position > last_good_ && position < first_bad_) {
    first_bad_ = position;
  }
}

SearchOutcome BisectSearch::outcome() const {
  if (contradiction_) return {.kind = *contradiction_};
  if (first_bad_ - last_good_ > 1) {
    SearchOutcome out{.kind = SearchOutcome::Kind::kAmbiguous};
    for (std::size_t p = last_good_ + 1; p <= first_bad_; ++p) out.range.push_back(p);
    return out;
  }
  const auto skipped = [&](std::size_t p) { return verdicts_[p] == StepVerdict::kSkip; };
  return {.kind = SearchOutcome::Kind::kFound,
          .first_bad = first_bad_,
          .unverified = skipped(first_bad_) || skipped(last_good_)};
}

}  // namespace rh
