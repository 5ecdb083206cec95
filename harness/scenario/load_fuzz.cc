// libFuzzer: any bytes as a scenario file. The loader may only throw
// InputError, and what it accepts must hold what it checked: stage timeouts
// within the scenario's, guestinfo within ESXi's limits, a normalized MAC.
// CI: load_fuzz -max_total_time=60 (ci/fuzz seeds it from scenarios/).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "harness/core/error.h"
#include "harness/core/guestinfo_limits.h"
#include "harness/core/nic.h"
#include "harness/scenario/load.h"

namespace {

void check_accepted(const rh::Scenario& s) {
  if (s.name.empty() || s.stages.empty()) std::abort();
  for (const rh::StageSpec& st : s.stages) {
    if (st.timeout && *st.timeout > s.timeout) std::abort();
  }
  for (const auto& [key, value] : s.guestinfo) {
    if (rh::guestinfo_limit_error(key, value)) std::abort();
  }
  if (rh::guestinfo_total_error(s.guestinfo)) std::abort();
  if (!s.mac.empty() && rh::normalized_mac(s.mac) != s.mac) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    // Relative paths resolve from the working directory's fuzz/ (absent).
    for (const rh::Scenario& s : rh::load_scenario_text(text, "fuzz/scenario.yaml")) {
      check_accepted(s);
    }
  } catch (const rh::InputError&) {
  }
  return 0;
}
