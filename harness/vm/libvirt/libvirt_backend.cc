#include "harness/vm/libvirt/libvirt_backend.h"

#include <unistd.h>

#include "harness/core/cache_root.h"
#include "harness/core/error.h"
#include "harness/core/nic.h"
#include "harness/vm/dns_address.h"
#include "harness/vm/emulator/guestinfo_blob.h"
#include "harness/vm/libvirt/domain_owner.h"
#include "harness/vm/libvirt/private_resolver.h"
#include "harness/vm/libvirt/sweep.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

constexpr const char* kDefaultUri = "qemu:///system";
constexpr const char* kSlirpHost = "10.0.2.2";  // slirp's default router: reaches the host
// fw_cfg names are at most 55 bytes.
constexpr std::size_t kMaxFwCfgName = 55;

fs::path first_existing(const std::vector<fs::path>& paths) {
  for (const auto& p : paths) {
    if (fs::exists(p)) return p;
  }
  return {};
}

std::string probe_host(const HostEntry& host) {
  try {
    LibvirtConnection::open(host.uri);
    return "";
  } catch (const SetupError& e) {
    return e.what();
  }
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

}  // namespace

LibvirtBackendConfig libvirt_config(const BackendOptions& options) {
  LibvirtBackendConfig c;
  if (!options.hosts_file.empty()) {
    if (!options.connect.empty()) throw InputError("--hosts and --connect exclude each other");
    c.hosts = read_hosts_file(options.hosts_file);
  } else {
    const std::string uri = options.connect.empty() ? kDefaultUri : options.connect;
    HostEntry h{.uri = uri, .slots = 1024, .where = "--connect"};
    if (!h.local()) {
      throw InputError("--connect '" + uri +
                       "' is a remote host: list it in a --hosts file with pool=NAME (where ROMs "
                       "are uploaded) and emulator=PATH (the patched QEMU there)");
    }
    c.hosts.push_back(h);
  }
  c.qemu = options.qemu;
  c.run_id = options.run_id;
  c.accel = options.accel;
  c.server_bind = options.server_bind;
  c.server_advertise = options.server_advertise;
  // The emulator reads all guestinfo from one fw_cfg file (emulator/README.md).
  c.guestinfo.encode = &encode_guestinfo_blob;
  return c;
}

std::unique_ptr<VmBackend> make_libvirt_backend(const BackendOptions& options) {
  return std::make_unique<LibvirtBackend>(libvirt_config(options));
}

LibvirtBackend::LibvirtBackend(LibvirtBackendConfig config) : config_(std::move(config)) {
  if (config_.accel != "auto" && config_.accel != "tcg" && config_.accel != "kvm") {
    throw InputError("--accel must be auto, tcg or kvm, got '" + config_.accel + "'");
  }
  if (any_remote() && (config_.server_advertise.empty() || config_.server_bind.empty())) {
    throw InputError(
        "remote libvirt hosts need --server-bind ADDR (an address of this machine they can "
        "reach) and --server-advertise ADDR (that address as the guests use it): a guest's "
        "user network reaches only its own host's loopback");
  }
  pool_ = std::make_unique<HostPool>(config_.hosts);
  // Under the paravirtual KVM of these machines iPXE hangs: TCG unless asked.
  setup_.type = config_.accel == "kvm" ? "kvm" : "qemu";
  setup_.run_id = config_.run_id;
  setup_.stage_root = config_.stage_root;
  setup_.guestinfo = config_.guestinfo;
  setup_.pool = pool_.get();
  locate_local_files();
  sweep_hosts();
  if (!config_.server_bind.empty() && config_.server_bind != "127.0.0.1") {
    notices_.push_back(
        "boot server bound to " + config_.server_bind +
        " (beyond loopback) so that guests on libvirt hosts reach it at " +
        (config_.server_advertise.empty() ? config_.server_bind : config_.server_advertise));
  }
}

bool LibvirtBackend::any_remote() const {
  for (const auto& h : config_.hosts) {
    if (!h.local()) return true;
  }
  return false;
}

void LibvirtBackend::locate_local_files() {
  setup_.local_ovmf = first_existing({"/usr/share/ovmf/OVMF.fd", "/usr/share/OVMF/OVMF.fd"});
  bool needs_emulator = false;
  for (const auto& h : config_.hosts) needs_emulator = needs_emulator || h.emulator.empty();
  if (!needs_emulator) {
    guestrpc_ = true;  // every host names its own patched QEMU
    return;
  }
  fs::path qemu = config_.qemu;
  if (qemu.empty()) qemu = cache_root() / "qemu" / "current" / "bin" / "qemu-system-x86_64";
  if (!fs::exists(qemu)) {
    throw SetupError("libvirt: no QEMU at '" + qemu.string() +
                     "': build the patched one (emulator/build-qemu) or pass --qemu PATH");
  }
  // The patched build marks itself with emulator.json beside bin/.
  guestrpc_ = fs::exists(fs::canonical(qemu).parent_path().parent_path() / "emulator.json");
  setup_.local_emulator = stage_emulator(config_.stage_root, fs::canonical(qemu));
}

void LibvirtBackend::sweep_hosts() {
  std::vector<std::string> dead;
  for (const auto& h : config_.hosts) {
    try {
      auto conn = LibvirtConnection::open(h.uri);
      const SweepResult r = rh::sweep_leftovers(
          conn->get(), owner_host_name(),
          {.stage_root = h.pool.empty() ? config_.stage_root : fs::path(), .pool = h.pool});
      if (!r.removed.empty()) {
        notices_.push_back("removed what dead runs left on " + h.uri + ": " +
                           join(r.removed, ", "));
      }
      for (const auto& e : r.errors) notices_.push_back("sweep of " + h.uri + ": " + e);
    } catch (const SetupError& e) {
      pool_->mark_dead(h.uri, e.what());
      dead.emplace_back(e.what());
    }
  }
  if (dead.size() == config_.hosts.size()) {
    throw SetupError("libvirt: no host answers: " + join(dead, "; "));
  }
  for (const auto& d : dead) notices_.push_back("libvirt host not used: " + d);
}

std::string LibvirtBackend::describe() const {
  const std::string where = config_.hosts.size() == 1
                                ? config_.hosts[0].uri
                                : std::to_string(config_.hosts.size()) + " hosts";
  return "libvirt on " + where + " (domain type " + setup_.type + ", emulator " +
         (setup_.local_emulator.empty() ? std::string("per host")
                                        : setup_.local_emulator.string()) +
         ")";
}

std::optional<std::string> LibvirtBackend::lacks(Capability cap) const {
  const std::string remote = "remote libvirt hosts keep what QEMU writes where it runs";
  switch (cap) {
    case Capability::kGuestRpc:
      if (guestrpc_) return std::nullopt;
      return "the QEMU in use has no VMware GuestRPC: build romharness' patched QEMU "
             "(emulator/build-qemu) or pass --qemu PATH";
    case Capability::kEfi:
      if (!setup_.local_ovmf.empty()) return std::nullopt;
      for (const auto& h : config_.hosts) {
        if (h.ovmf.empty()) return std::string("no OVMF firmware: apt-get install ovmf");
      }
      return std::nullopt;
    case Capability::kKvm:
      if (setup_.type == "kvm") return std::nullopt;
      return std::string("libvirt domains run under TCG (type 'qemu'); --accel kvm asks for KVM");
    case Capability::kLab:
      return std::string("the libvirt backend runs QEMU, not VMware ESXi");
    case Capability::kIpxeSrc:
      return std::string("provided by the run (--ipxe-src), not a VM backend");
    case Capability::kPacketCapture:
      if (any_remote()) return remote + " (the packet capture)";
      return std::nullopt;
    case Capability::kGuestRpcLog:
      // The emulator writes guestrpc.log where QEMU runs; it is read live
      // from a local host's stage.
      if (any_remote()) return remote + " (the GuestRPC log stays where QEMU ran)";
      return std::nullopt;
    case Capability::kDnsNames:
      // QEMU's user network sends the guest's queries to the resolv.conf QEMU
      // sees; only on this machine can we give a domain's QEMU its own
      // (private_resolver.h), and only as root (port 53, nsenter).
      if (any_remote()) {
        return std::string(
            "a remote libvirt host's QEMU sends the guest's DNS queries to that host's resolver; "
            "dns_names need local hosts (or --backend qemu)");
      }
      if (::geteuid() != 0) {
        return std::string(
            "dns_names need root (a DNS responder on port 53 and a resolv.conf mounted in "
            "QEMU's mount namespace)");
      }
      return qemu_mount_namespaces_off();
    case Capability::kFirmwareConsole:
    case Capability::kLinkControl:
    case Capability::kGuestExecution:
      return std::nullopt;
  }
  return std::string("unknown capability");
}

std::optional<std::string> LibvirtBackend::check(const BootPlan& plan) const {
  if (find_nic(plan.nic) == nullptr) {
    return "libvirt: unknown NIC '" + plan.nic + "' (known: " + known_nic_names() + ")";
  }
  if (!plan.network.dns_names.empty()) {
    if (auto why = lacks(Capability::kDnsNames)) return why;
  }
  if (plan.firmware == Firmware::kEfi) {
    if (auto why = lacks(Capability::kEfi)) return why;
  }
  try {
    for (const auto& [name, bytes] : guestinfo_files(plan.guestinfo, config_.guestinfo)) {
      if (name.size() > kMaxFwCfgName) {
        return "libvirt: fw_cfg name '" + name + "' is longer than " +
               std::to_string(kMaxFwCfgName) + " bytes (QEMU's limit): shorten the guestinfo key";
      }
    }
  } catch (const InputError& e) {
    return std::string(e.what());  // what the emulator's blob cannot carry
  }
  try {
    DomainNetwork net{.mode = plan.network.mode};
    if (plan.network.mode == NetworkMode::kStatic) {
      net.subnet = plan.network.subnet;
      net.host = plan.network.gateway;
      net.dns = plan.network.dns;
    }
    libvirt_user_network_fits(net);  // validates the addresses
  } catch (const InputError& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

BootEndpoints LibvirtBackend::endpoints(const BootPlan& plan) {
  BootEndpoints e;
  if (!config_.server_bind.empty()) e.server_bind = config_.server_bind;
  if (!config_.server_advertise.empty()) {
    e.guest_host = config_.server_advertise;
  } else if (plan.network.mode == NetworkMode::kStatic && !plan.network.gateway.empty()) {
    e.guest_host = plan.network.gateway;  // slirp's host address reaches the host's loopback
  } else {
    e.guest_host = kSlirpHost;
  }
  if (!plan.network.dns_names.empty()) e.dns_bind = next_dns_responder_address();
  return e;
}

std::unique_ptr<VmSession> LibvirtBackend::start(const BootPlan& plan, const BootEndpoints& where) {
  if (auto why = check(plan)) throw SetupError(*why);
  for (;;) {
    std::string why;
    std::optional<HostPool::Lease> lease = pool_->acquire(probe_host, &why);
    if (!lease) throw SetupError("libvirt: no host can take '" + plan.name + "': " + why);
    const std::string uri = lease->host().uri;
    std::unique_ptr<LibvirtConnection> conn;
    try {
      conn = LibvirtConnection::open(uri);
    } catch (const SetupError& e) {
      pool_->mark_dead(uri, e.what());
      continue;  // another host, if one is left
    }
    return LibvirtSession::start(std::move(conn), std::move(*lease), plan, setup_, where.dns_bind);
  }
}

}  // namespace rh
