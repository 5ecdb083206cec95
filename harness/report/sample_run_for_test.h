// Test-only: a RunResult with one scenario of every verdict and awkward text
// (invalid UTF-8, ANSI escapes, "]]>", control characters) for the reporters.
#pragma once

#include "harness/core/result.h"

namespace rh::testing {

inline ScenarioResult sample_scenario(const std::string& name, Verdict v, double kernel_ms = 1500,
                                      long long rom_size = 73728) {
  ScenarioResult s;
  s.name = name;
  s.file = "scenarios/smoke/dhcp-linux.yaml";
  s.verdict = v;
  s.nic = "vmxnet3";
  s.firmware = "bios";
  s.accel = "tcg";
  s.backend = "fake";
  s.rom = {"/roms/pxe-vmxnet3.rom",
           "",
           rom_size,
           "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
           262144,
           {{"ipxe_commit", "36a4c85"}, {"compiler", "gcc 12.2"}}};
  s.stages = {{"firmware", "serial /Firmware/", 130.5},
              {"script", "HTTP GET /boot.ipxe", 900.25},
              {"userspace", "serial /ROMHARNESS-USERSPACE/", std::nullopt}};
  s.phases = {{"vm-start", 0, "harness"},
              {"firmware-first-output", 130.5, "serial"},
              {"rom-banner", 140, "serial"},
              {"first-http-request", 880, "http"},
              {"kernel-start", kernel_ms, "serial"}};
  s.missing_phases = {"first-guestinfo-read", "userspace-marker"};
  s.stage_reached = "script";
  s.last_serial_lines = {"\x1b[0;1miPXE 1.0.0\x1b[0m -- Open Source", "bad byte \xff\xfe here",
                         "ctrl \x01\x02\x07 chars", "cdata end ]]> inside", "<tag> & \"quote\""};
  s.artifacts = {{"serial", "smoke/dhcp-linux/vmxnet3-bios/serial.log"}};
  s.duration_ms = 4321.5;
  if (v != Verdict::kPass) s.reason = "stage 'userspace' not seen <in time> & \x01 \xc3\x28";
  return s;
}

inline RunResult sample_run() {
  RunResult run;
  run.run_id = "20261129-013624-4f2a";
  run.started_at = "2026-11-29T01:36:24Z";
  run.finished_at = "2026-11-29T01:37:01Z";
  run.host = "build-1";
  run.command_line = {"romharness", "run", "scenarios/smoke"};
  const std::pair<const char*, Verdict> rows[] = {
      {"smoke/dhcp-linux/vmxnet3-bios", Verdict::kPass},
      {"smoke/dhcp-linux/e1000-bios", Verdict::kFail},
      {"smoke/dhcp-linux/e1000e-bios", Verdict::kTimeout},
      {"smoke/dhcp-linux/vmxnet3-efi", Verdict::kUnresolved},
      {"smoke/lab/vmxnet3-bios", Verdict::kUnsupported},
      {"smoke/wrong-ids/e1000-bios", Verdict::kXFail},
      {"smoke/wrong-ids/e1000e-bios", Verdict::kXPass},
      {"flat", Verdict::kFlaky},
  };
  for (const auto& [name, v] : rows) run.scenarios.push_back(sample_scenario(name, v));
  run.scenarios.back().attempts = 3;
  run.scenarios.back().phase_samples = {{"kernel-start", {1500, 1400, 2600}}};
  run.scenarios[1].failure = {"rom", "0x3c092003", "No such file or directory"};
  run.scenarios[4].rom.size_bytes.reset();
  run.scenarios[4].rom.budget_bytes.reset();
  return run;
}

}  // namespace rh::testing
