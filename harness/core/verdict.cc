#include "harness/core/verdict.h"

#include <array>
#include <utility>

namespace rh {
namespace {
constexpr std::array<std::pair<Verdict, std::string_view>, 8> kNames{{
    {Verdict::kPass, "PASS"},
    {Verdict::kFail, "FAIL"},
    {Verdict::kTimeout, "TIMEOUT"},
    {Verdict::kUnresolved, "UNRESOLVED"},
    {Verdict::kUnsupported, "UNSUPPORTED"},
    {Verdict::kXFail, "XFAIL"},
    {Verdict::kXPass, "XPASS"},
    {Verdict::kFlaky, "FLAKY"},
}};
}  // namespace

std::string_view to_string(Verdict v) {
  for (const auto& [verdict, name] : kNames) {
    if (verdict == v) return name;
  }
  return "UNKNOWN";
}

std::optional<Verdict> verdict_from_string(std::string_view s) {
  for (const auto& [verdict, name] : kNames) {
    if (name == s) return verdict;
  }
  return std::nullopt;
}

bool is_failure(Verdict v, bool allow_flaky) {
  switch (v) {
    case Verdict::kPass:
    case Verdict::kXFail:
    case Verdict::kUnsupported:
      return false;
    case Verdict::kFlaky:
      return !allow_flaky;
    default:
      return true;
  }
}

}  // namespace rh
