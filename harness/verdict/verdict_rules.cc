#include "harness/verdict/verdict_rules.h"

#include <algorithm>
#include <cstdio>

#include "harness/field/ipxe_error.h"

namespace rh {
namespace {

Judgement actual(const Scenario& s, const BootOutcome& o, const std::string& extra_failure) {
  using K = BootOutcome::Kind;
  if (o.kind == K::kAllStagesSeen) {
    if (!extra_failure.empty()) return {Verdict::kFail, extra_failure};
    return {Verdict::kPass, describe_outcome(o, s)};
  }
  if (o.kind == K::kStageTimeout || o.kind == K::kTotalTimeout) {
    return {Verdict::kTimeout, describe_outcome(o, s)};
  }
  if (o.kind == K::kEmulatorFailure || o.kind == K::kHostLost) {
    return {Verdict::kUnresolved, describe_outcome(o, s)};
  }
  return {Verdict::kFail, describe_outcome(o, s)};
}

// What of the stated failure did not happen; empty when all of it did.
std::string unmet_expectation(const ExpectSpec& e, const std::string& last_stage,
                              const std::vector<std::string>& serial, const std::string& reason) {
  if (e.reason && !e.reason->search(reason)) {
    return "the reason did not match /" + e.reason->text + "/";
  }
  if (!e.reached.empty() && e.reached != last_stage) {
    return "it stopped after stage '" + (last_stage.empty() ? "(none)" : last_stage) + "', not '" +
           e.reached + "'";
  }
  if (e.serial && std::none_of(serial.begin(), serial.end(),
                               [&](const std::string& l) { return e.serial->search(l); })) {
    return "serial never matched /" + e.serial->text + "/";
  }
  if (!e.ipxe_error.empty()) {
    const auto codes = ipxe_error_codes(serial);
    if (std::find(codes.begin(), codes.end(), e.ipxe_error) == codes.end()) {
      std::string seen;
      for (const auto& c : codes) seen += (seen.empty() ? "" : ", ") + c;
      return "iPXE error " + e.ipxe_error +
             " not printed (printed: " + (seen.empty() ? "none" : seen) + ")";
    }
  }
  return "";
}

}  // namespace

Judgement judge(const Scenario& s, const BootOutcome& outcome, const std::string& last_stage,
                const std::string& extra_failure, const std::vector<std::string>& serial) {
  const Judgement j = actual(s, outcome, extra_failure);
  // The harness or its host failed: no expectation about the ROM can apply.
  if (!s.expect.fail || j.verdict == Verdict::kUnresolved) return j;
  if (j.verdict == Verdict::kPass) {
    return {Verdict::kXPass, "expected to " + s.expect.describe() + ", but it passed"};
  }
  const std::string unmet = unmet_expectation(s.expect, last_stage, serial, j.reason);
  if (unmet.empty()) return {Verdict::kXFail, "failed as expected: " + j.reason};
  return {Verdict::kFail, "expected to " + s.expect.describe() + ", but " + unmet + " (" +
                              std::string(to_string(j.verdict)) + ": " + j.reason + ")"};
}

std::vector<std::string> ipxe_error_codes(const std::vector<std::string>& serial) {
  std::vector<std::string> out;
  for (const auto& mention : find_ipxe_errors(serial)) {
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", mention.code);
    out.emplace_back(hex);
  }
  return out;
}

}  // namespace rh
