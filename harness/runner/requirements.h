// Whether this run can give a scenario what it needs, asked of the one
// capability table (core/capability.h): what `requires:` names, and what the
// scenario implies (guestinfo needs GuestRPC, EFI firmware needs EFI, ...).
// The backend's own limits (VmBackend::check) come last.
//
//   if (auto why = unsupported_reason(scenario, plan, context)) -> UNSUPPORTED, *why
#pragma once

#include <optional>
#include <string>

#include "harness/runner/run_context.h"
#include "harness/scenario/scenario.h"
#include "harness/vm/boot_plan.h"

namespace rh {

std::optional<std::string> unsupported_reason(const Scenario& s, const BootPlan& plan,
                                              const RunContext& ctx);

// Before any ROM is built: a variant this run cannot build or was not given.
std::optional<std::string> missing_rom_source(const Scenario& s, const RunContext& ctx);

}  // namespace rh
