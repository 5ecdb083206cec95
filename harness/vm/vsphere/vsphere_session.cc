#include "harness/vm/vsphere/vsphere_session.h"

#include <fstream>
#include <sstream>

#include "harness/core/error.h"
#include "harness/vm/vsphere/vmware_log.h"

namespace rh::vsphere {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string read_rom(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SetupError("cannot read the ROM '" + path.string() + "' to upload it");
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace

VsphereSession::VsphereSession(const BootPlan& plan, SessionSetup setup)
    : setup_(std::move(setup)), dir_(plan.artifacts_dir) {
  if (dir_.empty()) dir_ = fs::temp_directory_path() / ("romharness-" + setup_.id.vm_name);
  fs::create_directories(dir_);
}

std::unique_ptr<VsphereSession> VsphereSession::open(const BootPlan& plan, SessionSetup setup) {
  std::unique_ptr<VsphereSession> s(new VsphereSession(plan, std::move(setup)));
  s->create_and_power_on(plan);  // on a throw, the destructor destroys what exists
  return s;
}

void VsphereSession::create_and_power_on(const BootPlan& plan) {
  const LabPlacement& where = *setup_.where;
  files_ =
      std::make_unique<DatastoreFiles>(*setup_.vim, where.datacenter_path, where.datastore_name);
  vm_ = LabVm::create(*setup_.vim, *files_, where, vm_spec_for(plan, *setup_.lab, where, setup_.id),
                      setup_.lab->task_timeout);
  if (!plan.rom.empty()) vm_->upload(setup_.id.rom_file, read_rom(plan.rom));
  if (vm_->extra_config().count("govcsim") != 0) {
    no_guest_ = "the simulator runs no guest";  // govmomi's vcsim tags its VMs govcsim=TRUE
  }
  write_vm_record();
  started_ = Clock::now();
  console_ = std::make_unique<ConsoleLog>(dir_ / "serial.log", started_);
  vm_->power_on();
  event(VmEvent::Kind::kPower, "running", "powered on " + vm_->what());
  serial_ = std::make_unique<FileFollower>(
      *files_, vm_->serial_file(),
      [this](std::string_view bytes) { console_->append(bytes, Clock::now()); });
  vmware_log_ = std::make_unique<FileFollower>(*files_, vm_->dir() + "/vmware.log",
                                               [this](std::string_view b) { on_vmware_log(b); });
}

VsphereSession::~VsphereSession() { stop(); }

double VsphereSession::ms_now() const {
  return std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
}

void VsphereSession::event(VmEvent::Kind kind, std::string name, std::string text) {
  std::lock_guard lock(mu_);
  events_.push_back(
      {.at_ms = ms_now(), .kind = kind, .name = std::move(name), .text = std::move(text)});
}

// CONSOLE_VMWARE's `log` calls, as vmware.log shows them.
void VsphereSession::on_vmware_log(std::string_view bytes) {
  std::lock_guard lock(mu_);
  log_partial_ += bytes;
  std::size_t end = log_partial_.rfind('\n');
  if (end == std::string::npos) return;
  for (std::string& line : guest_log_lines(std::string_view(log_partial_).substr(0, end + 1))) {
    guestrpc_.push_back({.at_ms = ms_now(), .kind = "request", .text = "log " + line});
  }
  log_partial_.erase(0, end + 1);
}

std::vector<VmEvent> VsphereSession::poll_events() {
  // A failed read of the serial file or vmware.log is waited out, but said.
  for (FileFollower* f : {serial_.get(), vmware_log_.get()}) {
    std::optional<std::string> error = f != nullptr ? f->last_error() : std::nullopt;
    if (error && *error != last_follow_error_) {
      last_follow_error_ = *error;
      event(VmEvent::Kind::kStderr, "follower", *error);
    }
  }
  std::lock_guard lock(mu_);
  return std::exchange(events_, {});
}

std::vector<GuestRpcCall> VsphereSession::poll_guestrpc() {
  std::lock_guard lock(mu_);
  return std::exchange(guestrpc_, {});
}

std::optional<std::string> VsphereSession::exited() {
  if (exited_ || !vm_) return exited_;
  // One power-state question a second at most, however often the runner asks.
  if (Clock::now() - last_power_check_ < std::chrono::seconds(1)) return std::nullopt;
  last_power_check_ = Clock::now();
  try {
    if (vm_->power_state() == "poweredOff") {
      exited_ = "powered off (the guest shut it down)";
      event(VmEvent::Kind::kPower, "shutdown", *exited_);
    }
  } catch (const SetupError& e) {
    exited_ = std::string("lost the lab: ") + e.what();
    event(VmEvent::Kind::kHostLost, "lab", e.what());
  }
  return exited_;
}

void VsphereSession::keep_vmware_log() {
  std::optional<std::string> log = vm_->fetch("vmware.log");
  if (!log) return;
  write_file(dir_ / "vmware.log", *log);
  artifacts_.push_back({"vmware.log", dir_ / "vmware.log"});
}

void VsphereSession::write_vm_record() {
  std::string text = "vm: " + vm_->name() + " (" + vm_->ref().describe() + ")\ndirectory: [" +
                     files_->datastore_name() + "] " + vm_->dir() + "\nextraConfig:\n";
  for (const auto& [key, value] : vm_->extra_config()) {
    text.append("  ").append(key).append(" = ").append(value).append("\n");
  }
  write_file(dir_ / "vsphere-vm.txt", text);
  artifacts_.push_back({"vsphere-vm.txt", dir_ / "vsphere-vm.txt"});
}

std::string VsphereSession::stop() {
  if (stop_result_) return *stop_result_;
  std::string result;
  try {
    if (vm_ && !vm_->destroyed()) {
      vm_->power_off();
      if (serial_) serial_->stop();  // the last bytes, written before the power-off
      if (vmware_log_) vmware_log_->stop();
      keep_vmware_log();
      vm_->destroy();
      result = "powered off and destroyed " + vm_->what();
    }
  } catch (const SetupError& e) {
    result = std::string("cleanup failed: ") + e.what() + " (romharness lab sweep removes it)";
  }
  serial_.reset();
  vmware_log_.reset();
  vm_.reset();  // the safety net: destroys it if the steps above stopped early
  if (console_) {
    console_->finish();
    artifacts_.push_back({"serial.log", dir_ / "serial.log"});
  }
  if (setup_.release_slot) std::exchange(setup_.release_slot, nullptr)();
  if (!exited_) exited_ = result.empty() ? "never started" : result;
  stop_result_ = result;
  return result;
}

std::string VsphereSession::host() const {
  return "vSphere " + url_for_messages(setup_.vim->sdk_url()) + " VM '" + setup_.id.vm_name + "'";
}

std::string VsphereSession::capture_missing() const {
  return "romharness takes no packet capture of a lab VM's NIC";
}

std::vector<Artifact> VsphereSession::artifacts() const { return artifacts_; }

}  // namespace rh::vsphere
