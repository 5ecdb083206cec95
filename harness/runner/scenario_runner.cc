#include "harness/runner/scenario_runner.h"

#include <unistd.h>

#include <atomic>
#include <fstream>

#include "harness/bootserver/boot_server.h"
#include "harness/bootserver/dns_responder.h"
#include "harness/core/error.h"
#include "harness/core/hash.h"
#include "harness/core/text.h"
#include "harness/evidence/pcap.h"
#include "harness/field/ipxe_error.h"
#include "harness/rom/budget.h"
#include "harness/rom/builder.h"
#include "harness/rom/option_rom.h"
#include "harness/runner/evidence.h"
#include "harness/runner/stage_tracker.h"
#include "harness/runner/verdict_rules.h"
#include "harness/timeline/timeline.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr std::size_t kTailLines = 25;
// What the guest sees as the host under QEMU's default user network.
constexpr const char* kDefaultHostAddress = "10.0.2.2";

std::optional<std::string> unsupported_reason(const Scenario& s, const RunContext& ctx) {
  const VmBackend& b = *ctx.backend;
  for (const auto& cap : s.requires_caps) {
    std::optional<std::string> why;
    if (cap == "guestrpc") why = b.lacks(Capability::kGuestRpc);
    if (cap == "kvm") why = b.lacks(Capability::kKvm);
    if (cap == "lab") why = b.lacks(Capability::kLab);
    if (cap == "ipxe-src" && ctx.ipxe_src.empty()) why = "needs an iPXE tree: pass --ipxe-src";
    if (why) return "requires " + cap + ": " + *why;
  }
  if (!s.guestinfo.empty()) {
    if (auto why = b.lacks(Capability::kGuestRpc)) return "guestinfo needs GuestRPC: " + *why;
  }
  if (s.firmware == Firmware::kEfi) {
    if (auto why = b.lacks(Capability::kEfi)) return *why;
  }
  if (!s.dns_names.empty() && ::geteuid() != 0) {
    return "dns_names needs root (a DNS responder on port 53 and QEMU in a private mount "
           "namespace with its own resolv.conf)";
  }
  if (!s.rom.variant.empty() && ctx.ipxe_src.empty()) {
    return "ROM variant '" + s.rom.variant + "' (" + s.rom.variant_nic +
           ") must be built from an iPXE tree, which this run does not have: pass --ipxe-src "
           "PATH|GIT_URL to build it, or --rom " +
           s.rom.variant + "/" + s.rom.variant_nic + "=FILE to use a ROM you built";
  }
  return std::nullopt;
}

// Writes the ROM with the scenario's damage applied next to its artifacts.
fs::path damaged_copy(const fs::path& rom, const RomFault& fault, const fs::path& dir) {
  std::ifstream in(rom, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (fault.corrupt_checksum && bytes.size() > 2) {
    // The first image's last byte: inside the checksummed range, past the code.
    const std::size_t image = static_cast<unsigned char>(bytes[2]) * 512u;
    const std::size_t at = std::min(bytes.size(), image == 0 ? bytes.size() : image) - 1;
    bytes[at] = static_cast<char>(bytes[at] ^ 0x5a);
  }
  if (fault.truncate && static_cast<std::size_t>(*fault.truncate) < bytes.size()) {
    bytes.resize(static_cast<std::size_t>(*fault.truncate));
  }
  if (fault.pad_to && static_cast<std::size_t>(*fault.pad_to) > bytes.size()) {
    bytes.resize(static_cast<std::size_t>(*fault.pad_to), '\xff');
  }
  const fs::path out = dir / ("damaged-" + rom.filename().string());
  std::ofstream(out, std::ios::binary) << bytes;
  return out;
}

class Boot {
 public:
  Boot(const Scenario& s, const RunContext& ctx, ScenarioResult& r)
      : s_(s), ctx_(ctx), r_(r), dir_(artifacts_dir_for(ctx.report_dir, s.name, ctx.attempt)) {}

  void run() {
    fs::create_directories(dir_);
    if (auto rejected = inspect_rom()) return judge_outcome(*rejected, "");
    start_server();
    start_vm();
    watch();
    stop_all();
    collect();
  }

  ~Boot() {
    try {
      stop_all();
    } catch (...) {
      // Keep the scenario's own error; Process and QemuVm destructors still kill.
    }
  }

 private:
  // Builds a variant when the scenario names one, then holds the ROM to its
  // size limits before anything boots (ESXi refuses an oversized ROM; QEMU
  // would too, with a less helpful message).
  std::optional<BootOutcome> inspect_rom() {
    if (!s_.rom.variant.empty()) build_variant();
    if (s_.rom_fault.any()) rom_file_ = damaged_copy(rom_file_, s_.rom_fault, dir_);
    r_.rom.path = rom_file_.string();
    r_.rom.size_bytes = static_cast<long long>(fs::file_size(rom_file_));
    r_.rom.sha256 = sha256_file_hex(rom_file_);
    OptionRom rom;
    try {
      rom = read_option_rom(rom_file_);
    } catch (const InputError& e) {
      return BootOutcome{BootOutcome::Kind::kRejectedBeforeBoot,
                         std::string(e.what()) + "; never booted", s_.stages.front().name, 0};
    }
    RomLimits limits{.firmware = s_.firmware == Firmware::kEfi ? "efi" : "", .nic = s_.nic};
    if (r_.rom.budget_bytes) limits.budget = static_cast<std::size_t>(*r_.rom.budget_bytes);
    if (s_.rom.opromsize) limits.opromsize = static_cast<std::size_t>(*s_.rom.opromsize);
    const BudgetReport report = check_rom(rom, limits);
    for (const auto& check : report.checks) {
      // The firmware decides what a wrong-id ROM does; the boot shows it.
      if (check.kind == "nic" && !check.ok) ids_match_ = false;
      if (check.kind == "nic" || check.ok) continue;
      return BootOutcome{BootOutcome::Kind::kRejectedBeforeBoot, check.message + "; never booted",
                         s_.stages.front().name, 0};
    }
    return std::nullopt;
  }

  void build_variant() {
    BuildContext build{.ipxe_src = ctx_.ipxe_src.string(), .jobs = 2};
    const BuiltRom built = find_or_build(
        {s_.rom.variant, s_.rom.variant_nic, std::string(to_string(s_.firmware))}, build);
    rom_file_ = built.path;
    if (built.budget) r_.rom.budget_bytes = static_cast<long long>(*built.budget);
    r_.rom.provenance = built.provenance;
  }

  void start_server() {
    BootServerConfig config{.root = dir_ / "www", .log_file = dir_ / "http.log"};
    fs::create_directories(config.root);
    if (!s_.payload.script.empty()) config.files["/boot.ipxe"] = s_.payload.script;
    if (s_.payload.linux_payload) add_linux_payload(config);
    for (const auto& [url, file] : s_.payload.files) config.files[url] = file;
    config.faults = s_.http_faults;
    server_.emplace(config);
    const BootAddresses addresses = boot_addresses(s_, server_->port());
    server_address_ = addresses.server;
    variables_ = addresses.variables;
    for (const auto& [name, value] : variables_) server_->set_variable(name, value);
  }

  void add_linux_payload(BootServerConfig& config) const {
    for (const char* name : {"vmlinuz", "initrd.img"}) {
      const fs::path file = ctx_.payload_dir / name;
      if (!fs::exists(file)) {
        throw SetupError("Linux payload file '" + file.string() +
                         "' not found: run fixtures/payload/build-payload (ci/setup does)");
      }
      config.files["/" + std::string(name)] = file;
    }
  }

  VmConfig vm_config() const {
    return vm_config_for(s_, {.rom = rom_file_, .artifacts_dir = dir_, .variables = variables_});
  }

  // Names the scenario declares are answered by a responder on a loopback
  // address of this scenario's own, which QEMU (with a private resolv.conf)
  // forwards the guest's queries to.
  void start_dns(VmConfig& c) {
    if (s_.dns_names.empty()) return;
    static std::atomic<unsigned> next{0};
    const unsigned n = next++ % 60000;
    const std::string address =
        "127.77." + std::to_string(n / 250) + "." + std::to_string(n % 250 + 2);
    std::map<std::string, std::string> names;
    for (const auto& name : s_.dns_names) names[name] = variables_.at("host");
    dns_.emplace(address, names);
    c.resolv_conf = dir_ / "resolv.conf";
    std::ofstream(c.resolv_conf) << "# romharness: DNS for " << s_.name << "\nnameserver "
                                 << address << "\n";
  }

  void start_vm() {
    VmConfig c = vm_config();
    start_dns(c);
    vm_ = ctx_.backend->start(c);
    origin_ = vm_->started_at();
  }

  void feed_new_evidence() {
    for (const auto& line : vm_->serial().lines_from(serial_seen_)) {
      ++serial_seen_;
      tracker_.on_serial(line.at_ms, line.text);
    }
    const auto requests = server_->requests();
    for (; http_seen_ < requests.size(); ++http_seen_) {
      const auto& req = requests[http_seen_];
      tracker_.on_http(ms_since(origin_, req.start), req.method, req.path);
    }
  }

  void watch() {
    std::string last_reported;
    while (!tracker_.finished()) {
      if (ctx_.interrupted != nullptr && ctx_.interrupted->load()) {
        interrupted_ = true;
        break;
      }
      feed_new_evidence();
      if (auto how = vm_->exited()) {
        vm_->stop();  // joins the serial reader: the last lines are in
        feed_new_evidence();
        tracker_.on_exit(ms_since(origin_, Clock::now()), *how);
      }
      tracker_.on_time(ms_since(origin_, Clock::now()));
      report_phase(last_reported);
      vm_->serial().wait_for_more(serial_seen_, Clock::now() + kPollInterval);
    }
  }

  void report_phase(std::string& last_reported) {
    if (!ctx_.on_phase) return;
    const std::string seen = tracker_.last_stage_seen();
    if (seen != last_reported) {
      last_reported = seen;
      ctx_.on_phase(s_.name, seen);
    }
  }

  void stop_all() {
    if (vm_) vm_->stop();
    if (server_) server_->stop();
  }

  std::string static_network_check() const {
    if (s_.network != NetworkMode::kStatic || s_.static_net.allow_dhcp ||
        !fs::exists(dir_ / "capture.pcap")) {
      return "";
    }
    const CaptureSummary c = summarise_capture(dir_ / "capture.pcap");
    if (c.dhcp_client_packets == 0) return "";
    return "guest sent " + std::to_string(c.dhcp_client_packets) +
           " DHCP packet(s) on a static network (see capture.pcap)";
  }

  void collect() {
    const auto lines = vm_->serial().lines_from(0);
    write_timed_serial(lines);
    if (dns_) {
      std::ofstream log(dir_ / "dns.log");
      for (const auto& name : dns_->queries()) log << name << "\n";
    }
    std::vector<std::string> texts;
    for (const auto& l : lines) texts.push_back(l.text);
    r_.last_serial_lines = vm_->serial().tail(kTailLines);
    const auto guestrpc = read_guestrpc_log(dir_ / "guestrpc.log", origin_);
    const Timeline timeline =
        extract_timeline(timeline_inputs(lines, server_->requests(), guestrpc, origin_));
    r_.phases = timeline.phases;
    r_.missing_phases = timeline.missing;
    if (interrupted_) {
      r_.stages = tracker_.stages();
      r_.verdict = Verdict::kUnresolved;
      r_.reason = "interrupted before the boot finished";
      return;
    }
    judge_outcome(tracker_.outcome(), static_network_check(), texts);
  }

  void write_timed_serial(const std::vector<TimedLine>& lines) const {
    std::ofstream out(dir_ / "serial.tsv");
    for (const auto& l : lines) out << l.at_ms << '\t' << l.text << '\n';
  }

  void judge_outcome(const BootOutcome& outcome, const std::string& extra,
                     const std::vector<std::string>& serial = {}) {
    const std::string last = tracker_.last_stage_seen();
    const Judgement j = judge(s_, outcome, last, extra, serial);
    r_.verdict = j.verdict;
    r_.reason = j.reason;
    r_.stage_reached = last;
    r_.stages = tracker_.stages();
    if (!ids_match_) r_.reason += " (the ROM's PCI ids do not match NIC '" + s_.nic + "')";
    if (j.verdict != Verdict::kPass) triage_failure(outcome, serial);
  }

  void triage_failure(const BootOutcome& outcome, const std::vector<std::string>& serial) {
    FailureContext context{.vm_exited_early = outcome.kind == BootOutcome::Kind::kVmExited,
                           .timed_out = outcome.kind == BootOutcome::Kind::kStageTimeout ||
                                        outcome.kind == BootOutcome::Kind::kTotalTimeout,
                           .rom_size_bytes = r_.rom.size_bytes,
                           .opromsize_bytes = s_.rom.opromsize,
                           .rom_ids_match_nic = ids_match_};
    r_.failure = classify(serial, context);
  }

  const Scenario& s_;
  const RunContext& ctx_;
  ScenarioResult& r_;
  fs::path dir_;
  fs::path rom_file_ = s_.rom.file;
  bool ids_match_ = true;
  StageTracker tracker_{s_};
  std::optional<BootServer> server_;
  std::optional<DnsResponder> dns_;
  std::string server_address_;
  std::map<std::string, std::string> variables_;  // {{server}}, {{host}}, {{port}}
  std::unique_ptr<Vm> vm_;
  Clock::time_point origin_;
  std::size_t serial_seen_ = 0;
  std::size_t http_seen_ = 0;
  bool interrupted_ = false;
};

ScenarioResult base_result(const Scenario& s, const RunContext& ctx) {
  ScenarioResult r;
  r.name = s.name;
  r.file = s.file.string();
  r.nic = s.nic;
  r.firmware = std::string(to_string(s.firmware));
  r.backend = ctx.backend->name();
  r.accel = ctx.backend->accel();
  r.rom.path = s.rom.file.string();
  r.rom.variant = s.rom.variant;
  for (const auto& st : s.stages) r.stages.push_back({st.name, st.describe(), {}});
  return r;
}

void record_artifacts(ScenarioResult& r, const fs::path& report_dir, int attempt) {
  const fs::path dir = artifacts_dir_for(report_dir, r.name, attempt);
  for (const char* name : {"serial.log", "serial.tsv", "qemu.argv", "qemu.stderr", "http.log",
                           "capture.pcap", "guestrpc.log", "dns.log"}) {
    if (fs::exists(dir / name)) r.artifacts[name] = fs::relative(dir / name, report_dir).string();
  }
}

}  // namespace

BootAddresses boot_addresses(const Scenario& s, int port) {
  const std::string host =
      s.network == NetworkMode::kStatic ? s.static_net.gateway : kDefaultHostAddress;
  const std::string server = host + ":" + std::to_string(port);
  return {server, {{"server", server}, {"host", host}, {"port", std::to_string(port)}}};
}

VmConfig vm_config_for(const Scenario& s, const VmPlacement& where) {
  VmConfig c{.name = s.name,
             .nic_model = s.nic,
             .firmware = s.firmware,
             .machine = s.machine,
             .memory_mb = s.memory_mb,
             .cpus = s.cpus,
             .rom = where.rom,
             .romsize = s.rom.opromsize,
             .network = s.network,
             .static_net = s.static_net,
             .firmware_serial_console = !s.rom_serial_console,
             .artifacts_dir = where.artifacts_dir};
  const auto server = where.variables.find("server");
  if (s.network == NetworkMode::kDhcp && !s.payload.script.empty() &&
      server != where.variables.end()) {
    c.bootfile_url = "http://" + server->second + "/boot.ipxe";
  }
  for (const auto& [key, value] : s.guestinfo) {
    std::string filled = value;
    for (const auto& [name, v] : where.variables) {
      filled = replace_all(filled, "{{" + name + "}}", v);
    }
    c.guestinfo[key] = filled;
  }
  return c;
}

fs::path artifacts_dir_for(const fs::path& report_dir, const std::string& scenario_name,
                           int attempt) {
  const fs::path dir = report_dir / scenario_name;
  return attempt == 0 ? dir : dir / ("attempt-" + std::to_string(attempt));
}

// A variant the user supplied as a file (--rom) boots like a file ROM.
Scenario with_rom_file(const Scenario& s, const RunContext& ctx) {
  if (s.rom.variant.empty()) return s;
  for (const std::string& key : {s.rom.variant + "/" + s.rom.variant_nic, s.rom.variant}) {
    if (auto it = ctx.rom_files.find(key); it != ctx.rom_files.end()) {
      Scenario copy = s;
      copy.rom.file = it->second;
      copy.rom.variant.clear();
      return copy;
    }
  }
  return s;
}

ScenarioResult run_scenario(const Scenario& original, const RunContext& ctx) {
  const Scenario s = with_rom_file(original, ctx);
  ScenarioResult r = base_result(s, ctx);
  r.rom.variant = original.rom.variant;
  const auto start = Clock::now();
  try {
    if (auto why = unsupported_reason(s, ctx)) {
      r.verdict = Verdict::kUnsupported;
      r.reason = *why;
    } else {
      Boot(s, ctx, r).run();
    }
  } catch (const std::exception& e) {
    r.verdict = Verdict::kUnresolved;
    r.reason = e.what();
    r.failure = classify({}, FailureContext{.harness_error = e.what()});
  }
  record_artifacts(r, ctx.report_dir, ctx.attempt);
  r.duration_ms = ms_since(start, Clock::now());
  return r;
}

}  // namespace rh
