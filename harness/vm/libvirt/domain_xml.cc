#include "harness/vm/libvirt/domain_xml.h"

#include <arpa/inet.h>

#include <cstdint>
#include <sstream>

#include "harness/core/error.h"

namespace rh {
namespace {

constexpr int kSlirpHostOffset = 2;  // slirp's router: the subnet's .2
constexpr int kSlirpDnsOffset = 3;   // its DNS forwarder: .3

std::uint32_t parse_ipv4(const std::string& text, const char* what) {
  in_addr addr{};
  if (::inet_pton(AF_INET, text.c_str(), &addr) != 1) {
    throw InputError(std::string("libvirt user network: ") + what + " '" + text +
                     "' is not an IPv4 address");
  }
  return ntohl(addr.s_addr);
}

std::string format_ipv4(std::uint32_t host_order) {
  in_addr addr{.s_addr = htonl(host_order)};
  char out[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &addr, out, sizeof out);
  return out;
}

struct Subnet {
  std::uint32_t network = 0;
  int prefix = 0;
};

Subnet parse_subnet(const std::string& text) {
  const auto slash = text.find('/');
  int prefix = -1;
  if (slash != std::string::npos) {
    try {
      prefix = std::stoi(text.substr(slash + 1));
    } catch (const std::exception&) {
      prefix = -1;
    }
  }
  if (prefix < 1 || prefix > 30) {
    throw InputError("libvirt user network: subnet '" + text +
                     "' is not an IPv4 network with a prefix of 1..30");
  }
  const std::uint32_t mask = ~0U << (32 - prefix);
  return {parse_ipv4(text.substr(0, slash), "subnet") & mask, prefix};
}

// QEMU's option parser splits on commas; a literal comma is written twice.
std::string escape_commas(const std::string& value) {
  std::string out;
  for (char c : value) {
    out += c;
    if (c == ',') out += ',';
  }
  return out;
}

class XmlOut {
 public:
  XmlOut& line(int depth, const std::string& text) {
    out_ << std::string(static_cast<std::size_t>(depth) * 2, ' ') << text << '\n';
    return *this;
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

std::string attr(const std::string& name, const std::string& value) {
  return " " + name + "='" + xml_escape(value) + "'";
}

std::string own_netdev(const DomainNetwork& net) {
  // `none`: the NIC sits alone on a hub: no DHCP server, no router.
  if (net.mode == NetworkMode::kNone) return std::string("hubport,id=") + kOwnNetdev + ",hubid=0";
  std::string n = std::string("user,id=") + kOwnNetdev;
  if (!net.subnet.empty()) n += ",net=" + net.subnet;
  if (!net.host.empty()) n += ",host=" + net.host;
  if (!net.dns.empty()) n += ",dns=" + net.dns;
  if (!net.bootfile.empty()) n += ",bootfile=" + escape_commas(net.bootfile);
  return n;
}

bool has_nic(const DomainSpec& s) { return s.network.mode != NetworkMode::kNone || !s.rom.empty(); }

void add_os(XmlOut& x, const DomainSpec& s) {
  x.line(1, "<os>");
  x.line(2, "<type arch='x86_64'" + attr("machine", s.machine) + ">hvm</type>");
  if (s.firmware == Firmware::kEfi) {
    x.line(2, "<loader type='rom'>" + xml_escape(s.efi_loader.string()) + "</loader>");
  }
  if (!s.kernel.empty()) {
    x.line(2, "<kernel>" + xml_escape(s.kernel.string()) + "</kernel>");
    if (!s.initrd.empty()) x.line(2, "<initrd>" + xml_escape(s.initrd.string()) + "</initrd>");
    if (!s.append.empty()) x.line(2, "<cmdline>" + xml_escape(s.append) + "</cmdline>");
  }
  x.line(1, "</os>");
}

void add_sysinfo(XmlOut& x, const DomainSpec& s) {
  if (s.fw_cfg.empty()) return;
  x.line(1, "<sysinfo type='fwcfg'>");
  for (const auto& f : s.fw_cfg) {
    x.line(2, "<entry" + attr("name", f.name) + attr("file", f.file.string()) + "/>");
  }
  x.line(1, "</sysinfo>");
}

void add_interface(XmlOut& x, const DomainSpec& s) {
  if (!has_nic(s)) return;
  x.line(2, "<interface type='user'>");
  x.line(3, "<mac" + attr("address", s.mac) + "/>");
  if (!s.network.subnet.empty()) {
    const Subnet sub = parse_subnet(s.network.subnet);
    x.line(3, "<ip family='ipv4'" + attr("address", format_ipv4(sub.network)) +
                  attr("prefix", std::to_string(sub.prefix)) + "/>");
  }
  x.line(3, "<model" + attr("type", s.nic_model) + "/>");
  if (s.rom.empty()) {
    x.line(3, "<rom enabled='no'/>");
  } else {
    x.line(3, "<rom" + attr("file", s.rom.string()) + "/>");
  }
  if (s.link_down) x.line(3, "<link state='down'/>");
  x.line(3, std::string("<alias name='") + kNicAlias + "'/>");
  x.line(3, "<boot order='1'/>");
  x.line(2, "</interface>");
}

void add_devices(XmlOut& x, const DomainSpec& s) {
  x.line(1, "<devices>");
  x.line(2, "<emulator>" + xml_escape(s.emulator.string()) + "</emulator>");
  x.line(2, "<controller type='usb' model='none'/>");
  add_interface(x, s);
  // The console is read over the libvirt connection (virDomainOpenConsole),
  // so it works for a remote host too.
  x.line(2, "<serial type='pty'><target port='0'/></serial>");
  x.line(2, "<console type='pty'><target type='serial' port='0'/></console>");
  x.line(2, "<memballoon model='none'/>");
  x.line(1, "</devices>");
}

std::vector<std::string> qemu_args(const DomainSpec& s) {
  std::vector<std::string> a;
  auto add = [&a](const std::string& opt, const std::string& value) {
    a.push_back(opt);
    a.push_back(value);
  };
  if (!s.sercon_port_file.empty()) {
    // SeaBIOS copies its own and the option ROM's screen output to this port.
    add("-fw_cfg", "name=etc/sercon-port,file=" + escape_commas(s.sercon_port_file.string()));
  }
  const bool own_net = has_nic(s) && !libvirt_user_network_fits(s.network);
  if (own_net) add("-netdev", own_netdev(s.network));
  if (has_nic(s) && !s.capture.empty()) {
    add("-object", std::string("filter-dump,id=capture0,netdev=") +
                       (own_net ? kOwnNetdev : kLibvirtNetdev) +
                       ",file=" + escape_commas(s.capture.string()));
  }
  if (s.vmware_cpu_vendor) add("-global", "qemu64-x86_64-cpu.x-hv-vendor=VMwareVMware");
  if (!s.guestrpc_log.empty()) {
    add("-global", "vmport.guestrpc-log=" + escape_commas(s.guestrpc_log.string()));
  }
  if (s.fw_cfg_slots) add("-global", "fw_cfg_io.x-file-slots=" + std::to_string(*s.fw_cfg_slots));
  return a;
}

void add_qemu_commandline(XmlOut& x, const DomainSpec& s) {
  const auto args = qemu_args(s);
  if (args.empty()) return;
  x.line(1, "<qemu:commandline>");
  for (const auto& arg : args) x.line(2, "<qemu:arg" + attr("value", arg) + "/>");
  x.line(1, "</qemu:commandline>");
}

void add_qemu_override(XmlOut& x, const DomainSpec& s) {
  if (!has_nic(s)) return;
  std::vector<std::string> props;
  if (!libvirt_user_network_fits(s.network)) {
    props.push_back(std::string("<qemu:property name='netdev' type='string' value='") + kOwnNetdev +
                    "'/>");
  }
  if (s.romsize) {
    props.push_back("<qemu:property name='romsize' type='unsigned'" +
                    attr("value", std::to_string(*s.romsize)) + "/>");
  }
  if (props.empty()) return;
  x.line(1, "<qemu:override>");
  x.line(2, std::string("<qemu:device alias='") + kNicAlias + "'>");
  x.line(3, "<qemu:frontend>");
  for (const auto& p : props) x.line(4, p);
  x.line(3, "</qemu:frontend>");
  x.line(2, "</qemu:device>");
  x.line(1, "</qemu:override>");
}

}  // namespace

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

bool libvirt_user_network_fits(const DomainNetwork& net) {
  if (net.mode == NetworkMode::kNone || !net.bootfile.empty()) return false;
  if (net.subnet.empty()) return net.host.empty() && net.dns.empty();
  const Subnet sub = parse_subnet(net.subnet);
  const bool host_ok =
      net.host.empty() || parse_ipv4(net.host, "router") == sub.network + kSlirpHostOffset;
  const bool dns_ok =
      net.dns.empty() || parse_ipv4(net.dns, "DNS server") == sub.network + kSlirpDnsOffset;
  return host_ok && dns_ok;
}

std::string build_domain_xml(const DomainSpec& s) {
  XmlOut x;
  x.line(0, "<domain" + attr("type", s.type) +
                " xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>");
  x.line(1, "<name>" + xml_escape(s.name) + "</name>");
  if (!s.metadata_xml.empty()) x.line(1, "<metadata>" + s.metadata_xml + "</metadata>");
  x.line(1, "<memory unit='MiB'>" + std::to_string(s.memory_mb) + "</memory>");
  x.line(1, "<vcpu>" + std::to_string(s.cpus) + "</vcpu>");
  add_sysinfo(x, s);
  add_os(x, s);
  x.line(1, "<features><acpi/><vmport state='on'/></features>");
  // The named model keeps -global qemu64-x86_64-cpu.* aimed at the real CPU.
  x.line(1, "<cpu mode='custom' match='exact' check='none'><model>qemu64</model></cpu>");
  x.line(1, "<clock offset='utc'/>");
  // A guest reboot or power-off ends the boot: what follows is not this boot.
  x.line(1, "<on_poweroff>destroy</on_poweroff>");
  x.line(1, "<on_reboot>destroy</on_reboot>");
  x.line(1, "<on_crash>destroy</on_crash>");
  add_devices(x, s);
  add_qemu_commandline(x, s);
  add_qemu_override(x, s);
  x.line(0, "</domain>");
  return x.str();
}

}  // namespace rh
