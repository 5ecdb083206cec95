#include "harness/runner/boot.h"

#include <fstream>

#include "harness/core/duration.h"
#include "harness/core/error.h"
#include "harness/runner/boot_plan_for.h"
#include "harness/timeline/timeline.h"
#include "harness/verdict/triage.h"
#include "harness/verdict/verdict_rules.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr std::size_t kTailLines = 25;
// A guest may call GuestRPC without end; the evidence keeps this many calls.
constexpr std::size_t kMaxGuestRpcCalls = 100'000;

double ms_since(Clock::time_point origin, Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(t - origin).count();
}

HttpExchange exchange_of(const RequestRecord& r, Clock::time_point origin) {
  return {.start_ms = ms_since(origin, r.start),
          .end_ms = r.complete ? ms_since(origin, r.end) : ms_since(origin, r.start),
          .method = r.method,
          .path = r.path,
          .status = r.status,
          .bytes = static_cast<long long>(r.bytes_sent),
          .complete = r.complete,
          .cut = r.cut,
          .fault = r.fault};
}

// /vmlinuz is the kernel the scenario chose (payload_kernel_file), so scripts
// and stages name one URL whichever kernel boots.
void add_linux_payload(BootServerConfig& config, const fs::path& payload_dir, LinuxKernel kernel) {
  const std::pair<std::string, std::string_view> served[] = {
      {"/vmlinuz", payload_kernel_file(kernel)}, {"/initrd.img", "initrd.img"}};
  for (const auto& [url, name] : served) {
    const fs::path file = payload_dir / name;
    if (!fs::exists(file)) {
      throw SetupError("Linux payload file '" + file.string() +
                       "' not found: run fixtures/payload/build-payload (ci/setup does)");
    }
    config.files[url] = file;
  }
}

FailureContext failure_context(const BootOutcome& outcome, const PreparedRom& rom,
                               const Scenario& s) {
  using K = BootOutcome::Kind;
  return {.vm_exited_early = outcome.kind == K::kVmExited,
          .timed_out = outcome.kind == K::kStageTimeout || outcome.kind == K::kTotalTimeout,
          .rom_size_bytes = rom.info.size_bytes,
          .opromsize_bytes = s.rom.opromsize,
          .rom_ids_match_nic = rom.ids_match_nic};
}

}  // namespace

Boot::Boot(const Scenario& s, const RunContext& ctx, BootPlan plan, PreparedRom rom,
           ScenarioResult& result)
    : s_(s), ctx_(ctx), plan_(std::move(plan)), rom_(std::move(rom)), r_(result) {}

Boot::~Boot() {
  try {
    stop_all();
  } catch (...) {
    // Keep the scenario's own error; the session's and server's destructors still stop.
  }
}

void Boot::run() {
  fs::create_directories(plan_.artifacts_dir);
  where_ = ctx_.backend->endpoints(plan_);
  start_servers();
  start_vm();
  watch();
  stop_all();
  collect();
}

void Boot::start_servers() {
  if (!where_.bind_is_loopback()) {
    throw SetupError("the boot server binds loopback only, but backend '" + ctx_.backend->name() +
                     "' wants it on '" + where_.server_bind + "'");
  }
  BootServerConfig config{.root = plan_.artifacts_dir / "www",
                          .log_file = plan_.artifacts_dir / "http.log"};
  fs::create_directories(config.root);
  if (!s_.payload.script.empty()) config.files["/boot.ipxe"] = s_.payload.script;
  if (s_.payload.linux_payload)
    add_linux_payload(config, ctx_.payload_dir, s_.payload.linux_kernel);
  for (const auto& [url, file] : s_.payload.files) config.files[url] = file;
  config.faults = s_.http_faults;
  server_.emplace(config);
  const auto variables = boot_variables(where_.guest_host, server_->port());
  for (const auto& [name, value] : variables) server_->set_variable(name, value);
  fill_addresses(plan_, s_, variables);
  if (!plan_.network.dns_names.empty() && !where_.dns_bind.empty()) {
    std::map<std::string, std::string> names;
    for (const auto& name : plan_.network.dns_names) names[name] = where_.guest_host;
    dns_.emplace(DnsResponderConfig{.bind_address = where_.dns_bind, .names = names});
  }
}

void Boot::start_vm() {
  vm_ = ctx_.backend->start(plan_, where_);
  r_.host = vm_->host();
}

// New console lines, HTTP arrivals and VM events go to the stage tracker in
// the order they happened, whichever source is read first: a stage matched
// on the console may wait for an HTTP request that arrived a moment before.
void Boot::take_evidence() {
  const Clock::time_point origin = vm_->started_at();
  struct Item {
    double at_ms;
    int source;  // 0 console, 1 http, 2 event
    std::size_t index;
  };
  std::vector<Item> fresh;
  const std::size_t console_from = evidence_.console.size();
  for (auto& line : vm_->console().lines_from(console_from))
    evidence_.console.push_back(std::move(line));
  for (std::size_t i = console_from; i < evidence_.console.size(); ++i) {
    fresh.push_back({evidence_.console[i].at_ms, 0, i});
  }
  const auto requests = server_->requests();
  for (std::size_t i = http_seen_; i < requests.size(); ++i) {
    fresh.push_back({ms_since(origin, requests[i].start), 1, i});
  }
  http_seen_ = requests.size();
  const std::size_t events_from = evidence_.events.size();
  for (auto& e : vm_->poll_events()) evidence_.events.push_back(std::move(e));
  for (std::size_t i = events_from; i < evidence_.events.size(); ++i) {
    fresh.push_back({evidence_.events[i].at_ms, 2, i});
  }
  std::stable_sort(fresh.begin(), fresh.end(),
                   [](const Item& a, const Item& b) { return a.at_ms < b.at_ms; });
  for (const Item& item : fresh) {
    if (item.source == 0) {
      tracker_.on_serial(item.at_ms, evidence_.console[item.index].text);
    } else if (item.source == 1) {
      tracker_.on_http(item.at_ms, requests[item.index].method, requests[item.index].path);
    } else {
      tracker_.on_event(evidence_.events[item.index]);
    }
  }
  if (auto flooded = vm_->console().flooded(); flooded && !evidence_.console_flooded) {
    evidence_.console_flooded = flooded;
    tracker_.on_flood(ms_since(origin, Clock::now()), *flooded);
  }
  for (auto& call : vm_->poll_guestrpc()) {
    if (evidence_.guestrpc.size() < kMaxGuestRpcCalls) {
      evidence_.guestrpc.push_back(std::move(call));
    } else {
      ++evidence_.guestrpc_dropped;
    }
  }
}

void Boot::follow_link(double now_ms) {
  if (!plan_.link_up_after || link_raised_) return;
  if (now_ms < static_cast<double>(plan_.link_up_after->count())) return;
  link_raised_ = true;
  vm_->set_link(true);
}

void Boot::report_stage(std::string& last_reported) {
  if (!ctx_.on_phase) return;
  const std::string seen = tracker_.last_stage_seen();
  if (seen == last_reported) return;
  last_reported = seen;
  ctx_.on_phase(s_.name, seen);
}

void Boot::watch() {
  std::string last_reported;
  const Clock::time_point origin = vm_->started_at();
  while (!tracker_.finished()) {
    if (ctx_.interrupted_now()) {
      interrupted_ = true;
      break;
    }
    if (ctx_.out_of_run_time()) {
      out_of_run_time_ = true;
      break;
    }
    take_evidence();
    if (auto how = vm_->exited()) {
      vm_->stop();  // joins the console reader: the last lines are in
      take_evidence();
      tracker_.on_exit(ms_since(origin, Clock::now()), *how);
    }
    const double now = ms_since(origin, Clock::now());
    tracker_.on_time(now);
    follow_link(now);
    report_stage(last_reported);
    vm_->console().wait_for_more(evidence_.console.size(), Clock::now() + kPollInterval);
  }
}

void Boot::stop_all() {
  if (vm_) vm_->stop();
  if (server_) server_->stop();
}

// After the boot, from the capture: a scenario's `mac:` must be the address
// the guest sent from (a field VM's MAC is what its DHCP reservations and
// firewall rules key on), and a static network must have carried no DHCP.
// Returns a failure; sets `unsupported` when the proof is missing.
std::string Boot::post_boot_check(std::string& unsupported) const {
  if (!s_.mac.empty() && evidence_.capture && evidence_.capture->packets > 0 &&
      !evidence_.capture->sent_from(s_.mac)) {
    std::string seen;
    for (const auto& mac : evidence_.capture->source_macs) seen += (seen.empty() ? "" : ", ") + mac;
    return "the guest never sent from its MAC " + s_.mac + " (capture.pcap has frames from " +
           seen + ")";
  }
  if (s_.network != NetworkMode::kStatic || s_.static_net.allow_dhcp) return "";
  if (!evidence_.capture) {
    unsupported = "the boot passed, but the proof that it sent no DHCP needs a packet capture: " +
                  evidence_.capture_missing;
    return "";
  }
  if (evidence_.capture->dhcp_client_packets == 0) return "";
  return "guest sent " + std::to_string(evidence_.capture->dhcp_client_packets) +
         " DHCP packet(s) on a static network (see capture.pcap)";
}

void Boot::collect() {
  take_evidence();
  const Clock::time_point origin = vm_->started_at();
  evidence_.http.clear();
  for (const auto& req : server_->requests()) evidence_.http.push_back(exchange_of(req, origin));
  if (dns_) evidence_.dns_queries = dns_->queries();
  if (auto capture = vm_->capture()) {
    evidence_.capture = summarise_capture(*capture);
  } else {
    evidence_.capture_missing = vm_->capture_missing();
  }
  r_.last_serial_lines = vm_->console().tail(kTailLines);
  const Timeline timeline = extract_timeline(evidence_);
  r_.phases = timeline.phases;
  r_.missing_phases = timeline.missing;
  record_artifacts();
  r_.stages = tracker_.stages();
  if (interrupted_) {
    r_.verdict = Verdict::kUnresolved;
    r_.reason = "interrupted before the boot finished";
    return;
  }
  if (out_of_run_time_) {
    const std::string last = tracker_.last_stage_seen();
    r_.verdict = Verdict::kTimeout;
    r_.stage_reached = last;
    r_.reason = "the run's --run-timeout of " + shown_duration(ctx_.run_timeout) +
                " ran out (reached stage '" + (last.empty() ? "(none)" : last) + "')";
    return;
  }
  std::string unsupported;
  const std::string extra = post_boot_check(unsupported);
  judge_boot(extra, unsupported);
}

void Boot::judge_boot(const std::string& extra_failure, const std::string& unsupported) {
  const BootOutcome& outcome = tracker_.outcome();
  const std::string last = tracker_.last_stage_seen();
  const Judgement j = judge(s_, outcome, last, extra_failure, evidence_.console_text());
  r_.verdict = j.verdict;
  r_.reason = j.reason;
  r_.stage_reached = last;
  if (!rom_.ids_match_nic) r_.reason += " (the ROM's PCI ids do not match NIC '" + s_.nic + "')";
  if (auto no_guest = vm_->no_guest()) {
    r_.verdict = Verdict::kUnsupported;
    r_.reason = "the boot part: " + *no_guest + " (reached stage '" +
                (last.empty() ? "(none)" : last) + "')";
    return;
  }
  if (j.verdict == Verdict::kPass && !unsupported.empty()) {
    r_.verdict = Verdict::kUnsupported;
    r_.reason = unsupported;
    return;
  }
  if (j.verdict != Verdict::kPass) {
    r_.failure = triage(evidence_, failure_context(outcome, rom_, s_)).failure;
  }
  r_.host_lost = outcome.kind == BootOutcome::Kind::kHostLost;
}

void Boot::record_artifacts() {
  const fs::path& dir = plan_.artifacts_dir;
  std::vector<Artifact> all = vm_->artifacts();
  // The console lines as decoded, with their times: for the HTML report and
  // for tools (tab-separated: milliseconds from VM start, text).
  {
    std::ofstream out(dir / "serial.tsv");
    for (const auto& l : evidence_.console) out << l.at_ms << '\t' << l.text << '\n';
  }
  all.push_back({"serial.tsv", dir / "serial.tsv"});
  all.push_back({"http.log", dir / "http.log"});
  if (dns_) {
    std::ofstream log(dir / "dns.log");
    for (const auto& name : evidence_.dns_queries) log << name << "\n";
    all.push_back({"dns.log", dir / "dns.log"});
  }
  for (const auto& a : all) {
    if (fs::exists(a.path)) r_.artifacts[a.name] = fs::relative(a.path, ctx_.report_dir).string();
  }
}

void judge_rejected_rom(const Scenario& s, const PreparedRom& rom, ScenarioResult& r) {
  const BootOutcome outcome{.kind = BootOutcome::Kind::kRejectedBeforeBoot,
                            .detail = *rom.rejected,
                            .waiting_for = s.stages.front().name};
  const Judgement j = judge(s, outcome, "", "", {});
  r.verdict = j.verdict;
  r.reason = j.reason;
  if (j.verdict != Verdict::kPass) r.failure = triage({}, failure_context(outcome, rom, s)).failure;
  if (r.failure.category.empty() || r.failure.category == "infrastructure") {
    r.failure.category = "rom";  // a ROM that fails its checks is the ROM's problem
  }
}

}  // namespace rh
