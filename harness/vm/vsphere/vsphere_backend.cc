#include "harness/vm/vsphere/vsphere_backend.h"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <ctime>
#include <mutex>

#include "harness/core/error.h"
#include "harness/core/owner.h"
#include "harness/vm/vsphere/lab_file.h"
#include "harness/vm/vsphere/sweep.h"
#include "harness/vm/vsphere/vsphere_session.h"

namespace rh {
namespace {

using vsphere::LabConfig;

// At most `concurrency` lab VMs at once; start() waits for a slot.
class Slots {
 public:
  explicit Slots(int n) : free_(n) {}
  void acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return free_ > 0; });
    --free_;
  }
  void release() {
    {
      std::lock_guard lock(mu_);
      ++free_;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int free_;
};

std::string default_run_id() {
  std::time_t now = std::time(nullptr);
  char stamp[32] = {};
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::gmtime(&now));
  return std::string(stamp) + "-" + std::to_string(getpid());
}

bool is_loopback(const std::string& address) {
  return address.empty() || address == "localhost" || address.starts_with("127.") ||
         address == "::1";
}

class VsphereBackend : public VmBackend {
 public:
  VsphereBackend(LabConfig lab, const BackendOptions& options)
      : lab_(std::move(lab)),
        options_(options),
        run_id_(options.run_id.empty() ? default_run_id() : options.run_id),
        slots_(std::make_shared<Slots>(lab_.concurrency)) {}

  std::string name() const override { return "vsphere"; }
  std::string describe() const override {
    return "vSphere lab " + vsphere::url_for_messages(lab_.endpoint) + " (datacenter '" +
           lab_.datacenter + "', datastore '" + lab_.datastore + "', network '" + lab_.network +
           "'), " + std::to_string(lab_.concurrency) + " VM(s) at once";
  }
  std::string accel() const override { return "esxi"; }
  std::optional<std::string> lacks(Capability cap) const override;
  std::optional<std::string> check(const BootPlan& plan) const override {
    return vsphere::lab_cannot_boot(plan, lab_);
  }
  BootEndpoints endpoints(const BootPlan& plan) override;
  std::unique_ptr<VmSession> start(const BootPlan& plan, const BootEndpoints& where) override;
  std::vector<std::string> notices() const override;
  std::vector<std::string> sweep_leftovers() override {
    std::vector<std::string> lines;
    for (const auto& name : sweep_lab_leftovers(lab_).removed) {
      lines.push_back("removed lab VM '" + name + "' (its owner is gone)");
    }
    return lines;
  }

 private:
  void connect_once();
  std::string server_bind() const;

  LabConfig lab_;
  BackendOptions options_;
  std::string run_id_;
  std::shared_ptr<Slots> slots_;
  std::atomic<int> started_{0};
  std::mutex connect_mu_;
  std::unique_ptr<vsphere::VimClient> vim_;
  vsphere::LabPlacement where_;
};

std::optional<std::string> VsphereBackend::lacks(Capability cap) const {
  switch (cap) {
    case Capability::kKvm:
      return "a lab VM runs on ESXi, not KVM";
    case Capability::kPacketCapture:
      return "romharness takes no packet capture of a lab VM's NIC";
    case Capability::kGuestRpcLog:
      return "ESXi's vmware.log keeps the guest's log calls, not each GuestRPC call";
    case Capability::kDnsNames:
      return "the lab network's DNS server is not the harness's: it cannot answer the "
             "scenario's names";
    case Capability::kFirmwareConsole:
      return "VMware's BIOS does not copy the screen to the serial port: the ROM must write to "
             "it (CONSOLE_SERIAL), or log to vmware.log (CONSOLE_VMWARE)";
    case Capability::kLinkControl:
      return "the lab backend does not set a NIC's link";
    default:
      return std::nullopt;  // VMware's own GuestRPC, EFI, a real lab, real guests
  }
}

std::string VsphereBackend::server_bind() const {
  if (!options_.server_bind.empty()) return options_.server_bind;
  return lab_.boot_server_bind.empty() ? "127.0.0.1" : lab_.boot_server_bind;
}

BootEndpoints VsphereBackend::endpoints(const BootPlan& /*plan*/) {
  BootEndpoints e;
  e.server_bind = server_bind();
  e.guest_host =
      options_.server_advertise.empty() ? lab_.boot_server_address : options_.server_advertise;
  return e;
}

std::vector<std::string> VsphereBackend::notices() const {
  std::vector<std::string> lines;
  std::string bind = server_bind();
  if (!is_loopback(bind)) {
    std::string source = options_.server_bind.empty()
                             ? "boot_server.bind at " + lab_.where.at("boot_server.bind")
                             : "--server-bind";
    lines.push_back("the boot server listened on " + bind +
                    ", beyond loopback, for the lab's "
                    "VMs (" +
                    source + ")");
  }
  if (lab_.tls.insecure) {
    auto at = lab_.where.find("tls.insecure");
    lines.push_back("TLS verification of " + vsphere::url_for_messages(lab_.endpoint) +
                    " was off (tls.insecure" + (at == lab_.where.end() ? "" : " at " + at->second) +
                    ")");
  }
  return lines;
}

void VsphereBackend::connect_once() {
  std::lock_guard lock(connect_mu_);
  if (vim_) return;
  auto vim = std::make_unique<vsphere::VimClient>(lab_.endpoint, lab_.tls,
                                                  vsphere::read_credentials(lab_));
  vim->login();
  where_ = vsphere::resolve_placement(*vim, lab_);
  vim_ = std::move(vim);
}

std::unique_ptr<VmSession> VsphereBackend::start(const BootPlan& plan,
                                                 const BootEndpoints& /*where*/) {
  connect_once();
  slots_->acquire();
  std::shared_ptr<Slots> slots = slots_;
  vsphere::SessionSetup setup{
      .vim = vim_.get(),
      .lab = &lab_,
      .where = &where_,
      .id = {.vm_name = vsphere::lab_vm_name(lab_.vm_prefix, run_id_, ++started_, plan.name),
             .rom_file = plan.rom.empty() ? "" : "romharness-" + plan.nic + ".rom",
             .run_id = run_id_,
             .owner = this_process_owner()},
      .release_slot = [slots] { slots->release(); }};
  return vsphere::VsphereSession::open(plan, std::move(setup));
}

}  // namespace

std::unique_ptr<VmBackend> make_vsphere_backend(const BackendOptions& options) {
  if (options.lab_file.empty()) {
    throw InputError("the vsphere backend needs a lab file (--lab FILE)");
  }
  return std::make_unique<VsphereBackend>(vsphere::load_lab_file(options.lab_file), options);
}

}  // namespace rh
