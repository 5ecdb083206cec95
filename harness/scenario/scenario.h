// The scenario model: one fully expanded boot to run (a matrix row).
//
//   std::vector<Scenario> all = load_scenarios({"scenarios/smoke"});
//   all[0].name;      // "smoke/dhcp-linux/vmxnet3-bios"
//   all[0].stages;    // expected stages, in order
//
// Files are parsed and validated up front (load.h); nothing here touches a VM.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/capability.h"
#include "harness/core/vm_terms.h"
#include "harness/scenario/http_fault.h"

namespace rh {

// A compiled regular expression that remembers its source text.
struct Pattern {
  std::string text;
  std::regex re;
  bool search(const std::string& s) const { return std::regex_search(s, re); }
};

struct StageSpec {
  enum class Kind { kSerial, kHttp };
  std::string name;
  Kind kind = Kind::kSerial;
  Pattern serial;                                    // kSerial
  std::string http_method;                           // kHttp, e.g. "GET"
  std::string http_path;                             // kHttp, exact path or glob (fnmatch)
  std::optional<std::chrono::milliseconds> timeout;  // from the previous stage
  std::string describe() const;                      // "serial /iPXE/" or "HTTP GET /boot.ipxe"
};

struct RomSpec {
  std::filesystem::path file;  // resolved path, or empty when a variant is named
  std::string variant;
  std::string variant_nic;
  std::optional<long long> opromsize;
};

// A ROM damaged on purpose before it boots (a copy; the file is untouched):
// what a bad flash, a truncated upload or a padded image looks like.
struct RomFault {
  bool corrupt_checksum = false;      // flip the last byte of the first image
  std::optional<long long> truncate;  // keep only this many bytes
  std::optional<long long> pad_to;    // append 0xff up to this size
  bool any() const { return corrupt_checksum || truncate || pad_to; }
};

// Which kernel of the payload is served as /vmlinuz. The fast one (built
// from Debian's linux-source with fixtures/payload/fast-kernel.config)
// reaches userspace in a fraction of the distribution kernel's time under
// TCG; `linux: debian` keeps the distribution kernel's path covered.
enum class LinuxKernel { kFast, kDebian };

// The file in the payload directory that holds the kernel.
std::string_view payload_kernel_file(LinuxKernel k);

struct PayloadSpec {
  std::filesystem::path script;                        // served as /boot.ipxe
  bool linux_payload = false;                          // /vmlinuz and /initrd.img from the cache
  LinuxKernel linux_kernel = LinuxKernel::kFast;       // `linux: fast|debian`; `true` is fast
  std::map<std::string, std::filesystem::path> files;  // URL path -> local file
};

// The network's addresses for `network: static`. Derived from guestinfo
// unless the scenario gives them: the network as it really is, which a
// misconfigured guestinfo may disagree with.
struct StaticNet {
  std::string subnet;   // "10.0.0.0/24"
  std::string gateway;  // the router; the boot server is reached through it
  std::string dns;
  // A static boot must not send DHCP (checked from the capture) unless the
  // scenario says its flow falls back to DHCP (iPXE's autoboot does).
  bool allow_dhcp = false;
};

struct ExpectSpec {
  bool fail = false;
  std::string reached;            // last stage that must have been seen
  std::optional<Pattern> serial;  // must appear in the serial log
  std::string ipxe_error;         // 8 hex digits iPXE must have printed
  std::optional<Pattern> reason;  // must match the failure's reason (pre-boot checks)
  std::string describe() const;
};

struct Scenario {
  std::string name;       // "<dir>/<name>/<nic>-<firmware>"
  std::string base_name;  // the file's `name:`
  std::filesystem::path file;
  int line = 0;
  std::string description;
  std::vector<Capability> requires_caps;  // `requires:`, checked against core/capability.h
  RomSpec rom;
  std::string nic;
  std::string mac;  // `mac:`, normalized "00:50:56:aa:bb:cc"; empty: the backend's default
  Firmware firmware = Firmware::kBios;
  std::string machine;  // chipset; empty: the backend's default (a backend checks the name)
  int memory_mb = 256;
  int cpus = 1;
  NetworkMode network = NetworkMode::kDhcp;
  StaticNet static_net;
  // Who puts the ROM's console on the serial port: the firmware (it copies
  // the screen; any ROM) or the ROM itself (CONSOLE_SERIAL; with the
  // firmware's copy too, every character would arrive twice).
  ConsoleSource console = ConsoleSource::kFirmware;
  std::map<std::string, std::string> guestinfo;  // keys without "guestinfo."
  // Host names the network's DNS server answers with the boot server's
  // address, for scriptlets that chain by name.
  std::vector<std::string> dns_names;
  PayloadSpec payload;
  std::vector<StageSpec> stages;
  std::vector<Pattern> fail_on;
  std::chrono::milliseconds timeout{std::chrono::seconds(120)};
  ExpectSpec expect;
  std::vector<HttpFault> http_faults;  // faults: {http: [...]}
  RomFault rom_fault;                  // faults: {rom: ...}
};

}  // namespace rh
