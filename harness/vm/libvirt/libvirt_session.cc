#include "harness/vm/libvirt/libvirt_session.h"

#include <atomic>
#include <fstream>

#include "harness/core/error.h"
#include "harness/vm/dns_address.h"
#include "harness/vm/emulator/guestrpc_log.h"
#include "harness/vm/libvirt/domain_owner.h"
#include "harness/vm/libvirt/private_resolver.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

// Where libvirtd (Debian's default) keeps each domain's QEMU stderr.
const fs::path kQemuLogDir = "/var/log/libvirt/qemu";

std::atomic<int> next_seq{0};

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out) throw SetupError("libvirt: cannot write '" + path.string() + "'");
}

}  // namespace

LibvirtSession::LibvirtSession(HostPool::Lease lease, const BootPlan& plan)
    : lease_(std::move(lease)),
      host_(lease_->host()),
      uri_(host_.uri),
      artifacts_dir_(plan.artifacts_dir) {}

std::unique_ptr<LibvirtSession> LibvirtSession::start(std::unique_ptr<LibvirtConnection> conn,
                                                      HostPool::Lease lease, const BootPlan& plan,
                                                      const SessionSetup& setup,
                                                      const std::string& dns_server) {
  std::unique_ptr<LibvirtSession> s(new LibvirtSession(std::move(lease), plan));
  try {
    s->stage_and_start(std::move(conn), plan, setup, dns_server);
  } catch (...) {
    s->stop();
    throw;
  }
  if (plan.link_up_after) s->raise_link_later(*plan.link_up_after);
  return s;
}

LibvirtSession::~LibvirtSession() { stop(); }

void LibvirtSession::stage_and_start(std::unique_ptr<LibvirtConnection> conn, const BootPlan& plan,
                                     const SessionSetup& setup, const std::string& dns_server) {
  const DomainOwner owner = DomainOwner::self(setup.run_id, plan.name);
  name_ = domain_name(owner, ++next_seq, plan.name);
  const bool local_stage = host_.pool.empty();
  if (local_stage) {
    stage_ = LocalStage::create(setup.stage_root, name_, qemu_user(conn->get(), setup.type));
  } else {
    stage_ = std::make_unique<PoolStage>(conn->get(), host_.pool, name_);
  }
  const HostFiles files{.emulator = host_.emulator.empty() ? setup.local_emulator : host_.emulator,
                        .efi_loader = host_.ovmf.empty() ? setup.local_ovmf : host_.ovmf,
                        .outputs = local_stage};
  const StagedFiles staged = stage_plan(plan, *stage_, setup.guestinfo, files);
  wants_guestrpc_log_ = !staged.guestrpc_log.empty();
  if (wants_guestrpc_log_ && local_stage) guestrpc_.emplace(staged.guestrpc_log);
  const std::string xml = build_domain_xml(domain_spec(
      plan, {.name = name_, .metadata_xml = owner_metadata(owner), .type = setup.type}, staged));
  fs::create_directories(artifacts_dir_);
  write_text(artifacts_dir_ / "domain.xml", xml);
  artifacts_.push_back({"domain.xml", artifacts_dir_ / "domain.xml"});
  if (host_.local()) qemu_log_.emplace(kQemuLogDir / (name_ + ".log"));

  HostPool* pool = setup.pool;
  const std::string uri = uri_;
  domain_ = LibvirtDomain::start(std::move(conn),
                                 {.name = name_,
                                  .xml = xml,
                                  .console_file = artifacts_dir_ / "serial.log",
                                  .console_limits = {.wrap_columns = plan.console_wrap_columns()},
                                  .on_host_lost =
                                      [pool, uri](const std::string& why) {
                                        if (pool != nullptr) pool->mark_dead(uri, why);
                                      },
                                  .before_resume = private_resolver(plan, dns_server)});
  artifacts_.push_back({"serial.log", artifacts_dir_ / "serial.log"});
  // libvirt's completed XML (PCI addresses, the machine's full name).
  write_text(artifacts_dir_ / "domain-live.xml", domain_->live_xml());
  artifacts_.push_back({"domain-live.xml", artifacts_dir_ / "domain-live.xml"});
}

// The resolv.conf the domain's QEMU will see (kept for the report too), and
// what mounts it there while the domain is paused; empty without a server.
std::function<void()> LibvirtSession::private_resolver(const BootPlan& plan,
                                                       const std::string& dns_server) {
  if (dns_server.empty()) return {};
  if (!host_.local()) throw SetupError("libvirt: dns_names need a local host, not '" + uri_ + "'");
  const std::string conf = resolv_conf_text(plan.name, dns_server);
  write_text(artifacts_dir_ / "resolv.conf", conf);
  artifacts_.push_back({"resolv.conf", artifacts_dir_ / "resolv.conf"});
  const fs::path staged = stage_->put_bytes(conf, "resolv.conf");
  return [domain = name_, staged] { give_private_resolv_conf(domain, staged); };
}

void LibvirtSession::raise_link_later(std::chrono::milliseconds after) {
  link_thread_ = std::thread([this, after] {
    std::unique_lock lock(link_mu_);
    if (link_cv_.wait_for(lock, after, [this] { return link_cancel_; })) return;
    lock.unlock();
    try {
      domain_->set_link(true);
    } catch (const SetupError& e) {
      lock.lock();
      own_events_.push_back({.at_ms = std::chrono::duration<double, std::milli>(
                                          std::chrono::steady_clock::now() - started_at())
                                          .count(),
                             .kind = VmEvent::Kind::kEmulatorError,
                             .name = "infrastructure",
                             .text = e.what()});
    }
  });
}

std::chrono::steady_clock::time_point LibvirtSession::started_at() const {
  return domain_->started_at();
}

// QEMU's stderr lines, from libvirt's per-domain log (local hosts only:
// libvirt has no API that streams it).
void LibvirtSession::read_qemu_log(std::vector<VmEvent>& out) {
  if (!qemu_log_) return;
  const double at =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_at())
          .count();
  for (const auto& line : stopped_ ? qemu_log_->rest() : qemu_log_->new_lines()) {
    // QEMU's own lines carry its name after libvirt's timestamp; the rest is
    // libvirt's (the command line, "shutting down").
    const auto at_name = line.find("Z qemu-system-");
    if (at_name != std::string::npos) {
      out.push_back(
          {.at_ms = at, .kind = VmEvent::Kind::kStderr, .text = line.substr(at_name + 2)});
    }
  }
}

// The calls as the emulator logs them, read while the domain runs (the log
// is on this machine's stage; a remote host's comes back only at stop).
std::vector<GuestRpcCall> LibvirtSession::poll_guestrpc() {
  std::vector<GuestRpcCall> out;
  if (!guestrpc_) return out;
  for (const auto& line : guestrpc_->new_lines()) {
    GuestRpcCall call;
    if (parse_guestrpc_line(line, started_at(), call)) out.push_back(std::move(call));
  }
  return out;
}

std::vector<VmEvent> LibvirtSession::poll_events() {
  std::vector<VmEvent> events = domain_->poll_events();
  {
    std::lock_guard lock(link_mu_);
    events.insert(events.end(), own_events_.begin(), own_events_.end());
    own_events_.clear();
  }
  read_qemu_log(events);
  return events;
}

void LibvirtSession::collect_outputs() {
  if (stage_ == nullptr) return;
  if (stage_->collect("capture.pcap", artifacts_dir_ / "capture.pcap")) {
    capture_ = artifacts_dir_ / "capture.pcap";
    artifacts_.push_back({"capture.pcap", *capture_});
  }
  if (wants_guestrpc_log_ && stage_->collect("guestrpc.log", artifacts_dir_ / "guestrpc.log")) {
    artifacts_.push_back({"guestrpc.log", artifacts_dir_ / "guestrpc.log"});
  }
  std::error_code ec;
  const fs::path log = kQemuLogDir / (name_ + ".log");
  if (host_.local() &&
      fs::copy_file(log, artifacts_dir_ / "qemu.log", fs::copy_options::overwrite_existing, ec)) {
    artifacts_.push_back({"qemu.log", artifacts_dir_ / "qemu.log"});
  }
}

std::string LibvirtSession::stop() {
  if (stopped_) return *stopped_;
  {
    std::lock_guard lock(link_mu_);
    link_cancel_ = true;
  }
  link_cv_.notify_all();
  if (link_thread_.joinable()) link_thread_.join();
  std::string how = domain_ ? domain_->stop() : "domain never started";
  collect_outputs();
  if (stage_) stage_->remove();
  lease_.reset();  // the host's slot is free again
  stopped_ = how;
  return how;
}

std::optional<fs::path> LibvirtSession::capture() const { return capture_; }

std::string LibvirtSession::capture_missing() const {
  if (capture_) return "";
  if (!host_.pool.empty()) {
    return "QEMU ran on " + uri_ +
           ", where its capture would stay: the libvirt backend brings files back only from "
           "local hosts";
  }
  if (!stopped_) return "the capture is collected when the VM stops";
  return "QEMU wrote no capture (no NIC, or it failed before the network came up)";
}

std::vector<Artifact> LibvirtSession::artifacts() const { return artifacts_; }

}  // namespace rh
