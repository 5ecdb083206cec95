// The bisection itself, as pure logic over positions: which commit to test
// next, and what the verdicts so far prove. It knows nothing of git, builds
// or boots, so it is tested with a fake oracle.
//
// Positions 0..n: 0 is the good revision, n the bad one, 1..n the candidates
// (`git rev-list --first-parent --reverse good..bad`, so n is the bad
// revision itself). Like `git bisect`, it tests the candidate nearest the
// middle of what is left and steps around skipped ones. Unlike it, a commit
// is only named when it was seen bad and its parent seen good: the given
// endpoints are tested when the answer rests on them (once at most, n > 1).
//
//   BisectSearch search(7);
//   while (auto at = search.next()) search.mark(*at, verdict_of(*at));
//   search.outcome();   // {kFound, first_bad = 5} or kAmbiguous with the range
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace rh {

enum class StepVerdict { kGood, kBad, kSkip };
std::string to_string(StepVerdict v);  // "good", "bad", "skip"

struct SearchOutcome {
  enum class Kind {
    kFound,      // first_bad is the first bad candidate
    kAmbiguous,  // only skipped candidates left: the first bad is one of `range`
    kBadIsGood,  // the bad revision tested good: nothing broke in between
    kGoodIsBad,  // the good revision tested bad: the breakage is older
  };
  Kind kind = Kind::kFound;
  std::size_t first_bad = 0;       // kFound
  std::vector<std::size_t> range;  // kAmbiguous: positions, in order (the last one bad)
  bool unverified = false;         // kFound resting on an endpoint that was skipped
};

class BisectSearch {
 public:
  explicit BisectSearch(std::size_t candidates);  // n >= 1

  // The position to test next; empty when the search is over.
  std::optional<std::size_t> next() const;
  // Records a verdict for a position next() gave. A verdict outside what is
  // left (a good one above a bad one) changes nothing: history is assumed
  // to break once, as git bisect assumes.
  void mark(std::size_t position, StepVerdict verdict);
  // What the verdicts prove; only meaningful once next() is empty.
  SearchOutcome outcome() const;

 private:
  std::optional<std::size_t> nearest_untested_to_middle() const;
  bool tested(std::size_t position) const { return verdicts_[position].has_value(); }

  std::size_t n_;
  std::size_t last_good_ = 0;                         // highest position known (or assumed) good
  std::size_t first_bad_;                             // lowest position known (or assumed) bad
  std::vector<std::optional<StepVerdict>> verdicts_;  // per position 0..n
  std::optional<SearchOutcome::Kind> contradiction_;  // an endpoint disagreed
};

// Runs a whole search with `oracle` giving each tested position's verdict.
template <typename Oracle>
SearchOutcome bisect_positions(std::size_t candidates, Oracle&& oracle) {
  BisectSearch search(candidates);
  while (const auto at = search.next()) search.mark(*at, oracle(*at));
  return search.outcome();
}

}  // namespace rh
