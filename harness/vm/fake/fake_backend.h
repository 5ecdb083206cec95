// A backend whose guest follows a script instead of running firmware: at set
// delays it writes console bytes, sends real HTTP requests to the boot
// server, reports VM events and GuestRPC calls, and exits or hangs. It lets
// the runner, the verdict rules, timeouts, triage and the reports be tested
// end to end without QEMU (the QEMU backend has its own boot tests).
//
//   FakeBackend backend([](const BootPlan& plan) {
//     return FakeScript{}.console("SeaBIOS (version 1.16)\n").http("GET", "/boot.ipxe")
//                        .console("ROMHARNESS-USERSPACE\n").exit("exit status 0");
//   });
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "harness/vm/vm_backend.h"

namespace rh {

struct FakeStep {
  enum class Kind { kConsole, kHttp, kEvent, kGuestRpc, kExit };
  Kind kind = Kind::kConsole;
  std::chrono::milliseconds delay{0};  // after the previous step
  std::string text;                    // console bytes; HTTP path; exit description
  std::string method;                  // HTTP
  VmEvent event;                       // kEvent
  GuestRpcCall call;                   // kGuestRpc (at_ms is replaced by the real time)
};

// Steps in order; a script that ends without exit() leaves the guest hanging.
struct FakeScript {
  // A recorded boot played back: `<name>.serial.tsv` (ms TAB raw console
  // line) and `<name>.http.tsv` (start ms, end ms, method, path, ...) as in
  // harness/timeline/testdata, interleaved by time, times scaled by `scale`.
  // Throws SetupError when the serial file cannot be read.
  static FakeScript replay(const std::filesystem::path& recording_prefix, double scale);

  std::vector<FakeStep> steps;
  FakeScript& wait(std::chrono::milliseconds d);
  FakeScript& console(std::string bytes);
  FakeScript& http(std::string method, std::string path);
  FakeScript& event(VmEvent e);
  FakeScript& guestrpc(std::string kind, std::string text);
  FakeScript& exit(std::string how);

 private:
  std::chrono::milliseconds pending_{0};
  FakeScript& add(FakeStep step);
};

struct FakeOptions {
  std::map<Capability, std::string> lacking;  // capability -> reason it is missing
  std::string check_error;                    // non-empty: check() refuses every plan
  std::string start_error;                    // non-empty: start() throws SetupError
  int start_error_times = -1;                 // ... that many times (-1: always)
  bool capture = true;                        // sessions have a synthetic capture
  // The source MAC of the capture's one frame (an ARP request); empty: the
  // plan's MAC, or the fake's default when the plan has none.
  std::string sends_from;
  std::string no_guest;  // non-empty: sessions say no guest runs
};

class FakeBackend : public VmBackend {
 public:
  using Scripter = std::function<FakeScript(const BootPlan&)>;
  explicit FakeBackend(Scripter scripter, FakeOptions options = {});

  std::string name() const override { return "fake"; }
  std::string describe() const override { return "scripted fake guests"; }
  std::string accel() const override { return "none"; }
  std::optional<std::string> lacks(Capability cap) const override;
  std::optional<std::string> check(const BootPlan& plan) const override;
  BootEndpoints endpoints(const BootPlan& plan) override;
  std::unique_ptr<VmSession> start(const BootPlan& plan, const BootEndpoints& where) override;
  // Plans started so far, for tests to inspect (thread-safe copy).
  std::vector<BootPlan> started_plans() const;

 private:
  Scripter scripter_;
  FakeOptions options_;
  mutable std::mutex mu_;
  std::vector<BootPlan> started_;
  int start_errors_ = 0;
};

}  // namespace rh
