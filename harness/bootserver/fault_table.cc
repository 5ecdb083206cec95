#include "harness/bootserver/fault_table.h"

namespace rh {

FaultTable::FaultTable(std::vector<HttpFault> rules)
    : rules_(std::move(rules)), seen_(rules_.size(), 0) {}

const HttpFault* FaultTable::match(const std::string& url_path) {
  std::lock_guard lock(mutex_);
  const HttpFault* chosen = nullptr;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const HttpFault& rule = rules_[i];
    if (!rule.matches_path(url_path)) continue;
    const std::uint64_t index = seen_[i]++;  // 0-based among this rule's matches
    const bool active = index >= rule.after && (!rule.times || index - rule.after < *rule.times);
    if (active && chosen == nullptr) chosen = &rule;
  }
  return chosen;
}

}  // namespace rh
