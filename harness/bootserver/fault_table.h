// The HTTP fault rules of one boot server with their per-rule request
// counts (after/times). Thread-safe.
//
//   FaultTable table(scenario.http_faults);
//   const HttpFault* f = table.match("/initrd.img");  // counts the request
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "harness/scenario/http_fault.h"

namespace rh {

class FaultTable {
 public:
  explicit FaultTable(std::vector<HttpFault> rules);
  // Counts the request against every rule whose path matches and returns the
  // first rule that is active for it (after/times), or nullptr.
  const HttpFault* match(const std::string& url_path);

 private:
  std::mutex mutex_;
  std::vector<HttpFault> rules_;
  std::vector<std::uint64_t> seen_;
};

}  // namespace rh
