#include "harness/timeline/timeline.h"

#include <algorithm>
#include <optional>
#include <regex>

namespace rh {
namespace {

// One serial phase: the first cleaned line matching `pattern`.
struct SerialRule {
  const char* phase;
  std::regex pattern;
};

const std::vector<SerialRule>& serial_rules() {
  static const std::vector<SerialRule> rules = [] {
    auto re = [](const char* p) { return std::regex(p, std::regex::ECMAScript); };
    return std::vector<SerialRule>{
        // iPXE's POST banner (BIOS), its first line under EFI, its version
        // banner, or another vendor's PXE ROM.
        {phase::kRomBanner,
         re(R"(iPXE \(http://ipxe\.org\)|iPXE initialising devices|^iPXE \d+\.\d+|)"
            R"(Boot Agent|^PXE-[A-Z]?\d\d|PXE \d\.\d+ \(build)")},
        {phase::kRomStart, re(R"(iPXE \(PCI [0-9A-Fa-f:.]+\) starting execution)")},
        {phase::kNetworkConfigured, re(R"(^net\d+: \d+\.\d+\.\d+\.\d+/\d+\.\d+\.\d+\.\d+|)"
                                       R"(^(Configuring|DHCP) \(net\d+ [^)]*\)[. ]*ok\b)")},
        {phase::kKernelStart,
         re(R"(Linux version \d|Decompressing Linux|Booting the kernel|EFI stub: |Probing EDD)")},
        {phase::kUserspaceMarker, re(R"(ROMHARNESS-USERSPACE)")},
    };
  }();
  return rules;
}

// "iPXE initialising devices...ok" is one line when the console keeps the
// line open; a console that breaks it leaves "ok" at the start of a later line.
std::optional<double> devices_initialised(const std::vector<ConsoleLine>& console) {
  static const std::regex same_line(R"(initialising devices\.*\s*ok\b)");
  static const std::regex started(R"(initialising devices)");
  static const std::regex ok_line(R"(^\.*\s*ok\b)");
  bool waiting_for_ok = false;
  for (const auto& line : console) {
    if (std::regex_search(line.text, same_line)) return line.at_ms;
    if (waiting_for_ok && std::regex_search(line.text, ok_line)) return line.at_ms;
    if (std::regex_search(line.text, started)) waiting_for_ok = true;
  }
  return std::nullopt;
}

void add_serial_phases(const BootEvidence& in, std::vector<Phase>& out) {
  if (!in.console.empty()) {
    out.push_back({phase::kFirmwareFirstOutput, in.console.front().at_ms, "serial"});
  }
  for (const auto& rule : serial_rules()) {
    for (const auto& line : in.console) {
      if (std::regex_search(line.text, rule.pattern)) {
        out.push_back({rule.phase, line.at_ms, "serial"});
        break;
      }
    }
  }
  if (auto at = devices_initialised(in.console)) {
    out.push_back({phase::kIpxeDevicesInitialised, *at, "serial"});
  }
}

void add_guestrpc_phases(const BootEvidence& in, std::vector<Phase>& out) {
  for (const auto& ev : in.guestrpc) {
    if (ev.kind == "request" && ev.text.starts_with("info-get guestinfo.")) {
      out.push_back({phase::kFirstGuestinfoRead, ev.at_ms, "guestrpc"});
      return;
    }
  }
}

void add_http_phases(const BootEvidence& in, std::vector<Phase>& out) {
  if (in.http.empty()) return;
  auto first = std::min_element(in.http.begin(), in.http.end(),
                                [](auto& a, auto& b) { return a.start_ms < b.start_ms; });
  out.push_back({phase::kFirstHttpRequest, first->start_ms, "http"});
  std::vector<Phase> done;
  for (const auto& req : in.http) {
    if (!req.complete || req.cut || req.status < 200 || req.status > 299) continue;
    std::string name = std::string(phase::kDownloadDone) + ":" + req.path;
    auto same = [&](const Phase& p) { return p.name == name; };
    auto it = std::find_if(done.begin(), done.end(), same);
    if (it == done.end()) {
      done.push_back({name, req.end_ms, "http"});
    } else {
      it->at_ms = std::min(it->at_ms, req.end_ms);  // a retried download: first success
    }
  }
  out.insert(out.end(), done.begin(), done.end());
}

void add_power_phases(const BootEvidence& in, std::vector<Phase>& out) {
  for (const auto& ev : in.events) {
    if (ev.kind == VmEvent::Kind::kPower && ev.name == "shutdown") {
      out.push_back({phase::kVmShutdown, ev.at_ms, "vm"});
      return;
    }
  }
}

int boot_order(const std::string& name) {
  const auto& names = expected_phase_names();
  std::string base = name.substr(0, name.find(':'));
  auto it = std::find(names.begin(), names.end(), base);
  return static_cast<int>(it - names.begin());  // vm-shutdown sorts last
}

std::vector<std::string> missing_phases(const std::vector<Phase>& found) {
  std::vector<std::string> missing;
  for (const auto& name : expected_phase_names()) {
    bool seen = std::any_of(found.begin(), found.end(), [&](const Phase& p) {
      return p.name == name || p.name.starts_with(name + ":");
    });
    if (!seen) missing.push_back(name);
  }
  return missing;
}

}  // namespace

const std::vector<std::string>& expected_phase_names() {
  static const std::vector<std::string> names = {
      phase::kVmStart,           phase::kFirmwareFirstOutput,    phase::kRomBanner,
      phase::kRomStart,          phase::kIpxeDevicesInitialised, phase::kFirstGuestinfoRead,
      phase::kNetworkConfigured, phase::kFirstHttpRequest,       phase::kDownloadDone,
      phase::kKernelStart,       phase::kUserspaceMarker};
  return names;
}

Timeline extract_timeline(const BootEvidence& in) {
  Timeline t;
  t.phases.push_back({phase::kVmStart, 0, "harness"});
  add_serial_phases(in, t.phases);
  add_guestrpc_phases(in, t.phases);
  add_http_phases(in, t.phases);
  add_power_phases(in, t.phases);
  // By time; phases at the same instant keep boot order.
  std::stable_sort(t.phases.begin(), t.phases.end(), [](const Phase& a, const Phase& b) {
    if (a.at_ms != b.at_ms) return a.at_ms < b.at_ms;
    return boot_order(a.name) < boot_order(b.name);
  });
  t.missing = missing_phases(t.phases);
  return t;
}

}  // namespace rh
