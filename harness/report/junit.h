// JUnit XML for Jenkins and GitLab: one <testsuite name="romharness">, one
// <testcase> per scenario. "smoke/dhcp-linux/vmxnet3-bios" becomes
// classname "smoke.dhcp-linux", name "vmxnet3-bios".
//   FAIL, TIMEOUT, XPASS, FLAKY -> <failure message=reason> with the last serial lines
//   UNRESOLVED                  -> <error message=reason>
//   UNSUPPORTED                 -> <skipped message=reason>
//   PASS, XFAIL                 -> passed (XFAIL says so in <system-out>)
// Per-scenario ROM size/sha256, NIC, firmware and accelerator are testcase
// <properties> (the pytest/Testmo convention) and repeated in <system-out>.
//
//   write_junit(run, dir / "junit.xml");
#pragma once

#include <filesystem>
#include <string>
#include <utility>

#include "harness/core/result.h"

namespace rh {

std::string junit_xml(const RunResult& run);
void write_junit(const RunResult& run, const std::filesystem::path& path);  // atomic

// {"smoke.dhcp-linux", "vmxnet3-bios"} from "smoke/dhcp-linux/vmxnet3-bios".
std::pair<std::string, std::string> junit_names(const std::string& scenario_name);

}  // namespace rh
