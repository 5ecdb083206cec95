#include "harness/runner/shard_selection.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "harness/core/error.h"

namespace rh {
namespace {

std::optional<int> whole_number(std::string_view text) {
  int value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

ShardNumber checked(std::optional<int> index, std::optional<int> total, const std::string& text,
                    const std::string& source) {
  if (!index || !total || *total < 1 || *index < 1 || *index > *total) {
    throw InputError(source + ": '" + text +
                     "' is not a shard I/N with 1 <= I <= N (e.g. --shard 2/3)");
  }
  return {*index, *total, source};
}

}  // namespace

ShardNumber parse_shard(const std::string& text, const std::string& source) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return checked(std::nullopt, std::nullopt, text, source);
  const std::string_view view(text);
  return checked(whole_number(view.substr(0, slash)), whole_number(view.substr(slash + 1)), text,
                 source);
}

std::optional<ShardNumber> shard_from_environment(const Getenv& getenv) {
  // GitLab counts from 1; GoogleTest's variables count from 0.
  struct Convention {
    const char* index;
    const char* total;
    int base;
  };
  for (const Convention c : {Convention{"CI_NODE_INDEX", "CI_NODE_TOTAL", 1},
                             Convention{"GTEST_SHARD_INDEX", "GTEST_TOTAL_SHARDS", 0}}) {
    const char* index = getenv(c.index);
    const char* total = getenv(c.total);
    if (index == nullptr || total == nullptr) continue;
    const std::string source = std::string(c.index) + "/" + c.total;
    const std::string text = std::string(index) + "/" + total;
    auto parsed = whole_number(index);
    if (parsed) *parsed += 1 - c.base;
    return checked(parsed, whole_number(total), text, source);
  }
  return std::nullopt;
}

std::vector<Scenario> select_shard(const std::vector<Scenario>& all, const ShardNumber& shard) {
  std::vector<std::string> names;
  names.reserve(all.size());
  for (const auto& s : all) names.push_back(s.name);
  std::sort(names.begin(), names.end());
  std::set<std::string> mine;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (static_cast<int>(i % shard.total) == shard.index - 1) mine.insert(names[i]);
  }
  std::vector<Scenario> selected;
  for (const auto& s : all) {
    if (mine.count(s.name) != 0) selected.push_back(s);
  }
  return selected;
}

}  // namespace rh
