#include "harness/field/import.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "harness/core/error.h"
#include "harness/core/nic.h"
#include "harness/core/utf8.h"
#include "harness/field/guestinfo_urls.h"
#include "harness/field/vmx.h"

namespace rh {
namespace {

namespace fs = std::filesystem;

// VMware virtualDev -> romharness NIC, and the .vmx key naming its option ROM.
struct NicMapping {
  const char* virtual_dev;
  const char* nic;
  const char* rom_key;
};
constexpr NicMapping kNics[] = {
    {"vmxnet3", "vmxnet3", "nx3bios.filename"},
    {"e1000", "e1000-82545em", "e1000bios.filename"},  // VMware's e1000 is the 82545EM
    {"e1000e", "e1000e", "e1000ebios.filename"},
};

// For comments: newlines shown as \n, bytes that are not UTF-8 as VMware's |XX.
std::string one_line(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_sequence_length(s, i);
    auto u = static_cast<unsigned char>(s[i]);
    if (s[i] == '\n')
      out += "\\n";
    else if (s[i] == '\r')
      out += "\\r";
    else if (n == 0)
      out += std::string("|") + kHex[u >> 4] + kHex[u & 0xf];
    else
      out += s.substr(i, n);
    i += n ? n : 1;
  }
  return out;
}

// Existence checks on names from untrusted files: an overlong or odd name is
// simply not there (the throwing overloads would abort the import).
bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

class Mapper {
 public:
  Mapper(const std::vector<VmSetting>& settings, const ImportOptions& options)
      : settings_(settings), options_(options) {}

  ImportResult run();

 private:
  const VmSetting* find(const std::string& key) {
    for (const VmSetting& s : settings_) {
      if (iequals(s.key, key)) {
        used_.insert(to_lower(s.key));
        return &s;
      }
    }
    return nullptr;
  }
  long long integer(const VmSetting& s, const std::string& what);
  int boot_nic_index();
  const NicMapping& nic_for(int index);
  YAML::Node rom_node(const NicMapping& nic, int index);
  std::string mac(int index);
  std::string resolve_rom(const VmSetting& s);
  std::string local_path(const fs::path& file) const;
  std::string payload_script();
  std::map<std::string, std::string> guestinfo();
  std::vector<std::string> dns_names(std::map<std::string, std::string>& info);
  std::map<std::string, std::string> served_files(const std::map<std::string, std::string>& info);
  std::string served_file(const std::string& url, const fs::path& relative);
  fs::path output_base() const;
  std::string name();
  void emit(YAML::Emitter& y, const NicMapping& nic, int index);
  void emit_stages(YAML::Emitter& y, const std::string& firmware);
  std::string firmware();

  const std::vector<VmSetting>& settings_;
  const ImportOptions& options_;
  std::set<std::string> used_;  // lower-case keys that were mapped
  std::vector<std::string> notes_;
  std::map<std::string, std::string> stubs_;
  int guestinfo_count_ = 0;
};

long long Mapper::integer(const VmSetting& s, const std::string& what) {
  static const std::regex kInt("[0-9]+");
  if (!std::regex_match(s.value, kInt)) {
    throw InputError(s.where + ": " + s.key + " = '" + s.value + "' is not a whole number (" +
                     what + ")");
  }
  if (s.value.size() > 12) {
    throw InputError(s.where + ": " + s.key + " = '" + s.value + "' is too large (" + what + ")");
  }
  return std::stoll(s.value);
}

// The NIC VMware boots from first: the lowest ethernetN that is present.
int Mapper::boot_nic_index() {
  static const std::regex kEthernet("ethernet([0-9]{1,4})\\..*", std::regex::icase);
  std::set<int> indexes;
  for (const VmSetting& s : settings_) {
    std::smatch m;
    if (std::regex_match(s.key, m, kEthernet)) indexes.insert(std::stoi(m[1]));
  }
  for (int i : indexes) {
    const VmSetting* present = find("ethernet" + std::to_string(i) + ".present");
    if (!present || !iequals(present->value, "false")) return i;
  }
  return -1;
}

const NicMapping& Mapper::nic_for(int index) {
  std::string key = "ethernet" + std::to_string(index) + ".virtualDev";
  const VmSetting* dev = find(key);
  if (!dev) {
    notes_.push_back(key + " is not set; VMware then picks the device from guestOS, assumed e1000");
    return kNics[1];
  }
  for (const NicMapping& n : kNics) {
    if (iequals(dev->value, n.virtual_dev)) return n;
  }
  throw InputError(dev->where + ": " + dev->key + " = '" + dev->value +
                   "' is not supported (romharness boots vmxnet3, e1000, e1000e)");
}

std::string Mapper::resolve_rom(const VmSetting& s) {
  std::string written = s.value;
  std::string base = written.substr(written.find_last_of("/\\]") + 1);
  base.erase(0, base.find_first_not_of(' '));
  if (!options_.rom_dir.empty() && is_file(fs::path(options_.rom_dir) / base)) {
    return local_path(fs::path(options_.rom_dir) / base);
  }
  fs::path p(written);
  if (p.is_relative() && !options_.source_dir.empty() &&
      is_file(fs::path(options_.source_dir) / p)) {
    return local_path(fs::path(options_.source_dir) / p);
  }
  if (is_file(p)) return local_path(p);
  notes_.push_back("ROM '" + written + "' (" + s.key + ", " + s.where +
                   ") not found locally; pass --rom-dir with a file named '" + base +
                   "' or edit rom:");
  return written;
}

std::string Mapper::local_path(const fs::path& file) const {
  fs::path abs = fs::absolute(file).lexically_normal();
  if (options_.output_dir.empty()) return abs.string();
  return abs.lexically_relative(fs::absolute(options_.output_dir).lexically_normal()).string();
}

std::string Mapper::payload_script() {
  if (!options_.payload_script.empty()) return local_path(options_.payload_script);
  notes_.push_back("fixtures/scripts/linux.ipxe not found from here; set payload.script");
  return "fixtures/scripts/linux.ipxe";
}

YAML::Node Mapper::rom_node(const NicMapping& nic, int index) {
  for (const NicMapping& other : kNics) {
    if (&other == &nic) continue;
    if (const VmSetting* s = find(other.rom_key)) {
      notes_.push_back(s->key + " = '" + s->value + "' (" + s->where + ") is for " +
                       other.virtual_dev + " NICs; VMware ignores it for this " + nic.virtual_dev +
                       " NIC");
      used_.erase(to_lower(s->key));  // also listed as not mapped
    }
  }
  const VmSetting* rom = find(nic.rom_key);
  std::string file = rom ? resolve_rom(*rom) : "/usr/lib/ipxe/qemu/pxe-{nic}.rom";
  if (!rom) {
    notes_.push_back(std::string("no ") + nic.rom_key +
                     ": the VM boots VMware's built-in ROM; Debian's iPXE ROM stands in");
  }
  const VmSetting* size = find("ethernet" + std::to_string(index) + ".opromsize");
  if (!size) return YAML::Node(file);
  YAML::Node node;
  node["file"] = file;
  node["opromsize"] = integer(*size, "option ROM size in bytes");
  return node;
}

// The NIC's MAC as VMware chose it: `address` when addressType is static,
// `generatedAddress` when VMware generated it; either when the type is unset.
// A DHCP server or a guestinfo script may key on it, so the replay keeps it.
std::string Mapper::mac(int index) {
  const std::string prefix = "ethernet" + std::to_string(index) + ".";
  const VmSetting* type = find(prefix + "addressType");
  const bool is_static = type && iequals(type->value, "static");
  const VmSetting* address = find(prefix + "address");
  const VmSetting* generated = find(prefix + "generatedAddress");
  const VmSetting* chosen = is_static ? address : generated ? generated : address;
  for (const VmSetting* other : {address, generated}) {
    if (other && other != chosen) used_.erase(to_lower(other->key));  // listed as not mapped
  }
  if (!chosen || chosen->value.empty()) {
    if (type) used_.erase(to_lower(type->key));  // nothing it applied to was mapped
    return "";
  }
  std::string why;
  const std::optional<std::string> mac = normalized_mac(chosen->value, &why);
  if (!mac) {
    throw InputError(chosen->where + ": " + chosen->key + " = '" + chosen->value +
                     "' is not a NIC address: " + why);
  }
  return *mac;
}

std::map<std::string, std::string> Mapper::guestinfo() {
  std::map<std::string, std::string> keys;
  for (const VmSetting& s : settings_) {
    std::string lower = to_lower(s.key);
    if (!lower.starts_with("guestinfo.") || lower.size() == 10) continue;
    if (!valid_utf8(s.key) || !valid_utf8(s.value)) {
      notes_.push_back(s.key + " (" + s.where +
                       ") is not valid UTF-8 and is left out: scenario files hold UTF-8 text");
      continue;
    }
    used_.insert(lower);
    // VMware looks guestinfo keys up case-insensitively; iPXE asks in lower case.
    keys[lower.substr(10)] = s.value;
  }
  guestinfo_count_ = static_cast<int>(keys.size());
  return keys;
}

// Host names in guestinfo URLs, for the scenario's DNS to answer with the
// boot server. Their http URLs get the boot server's port (it does not
// listen on 80), which a note says.
std::vector<std::string> Mapper::dns_names(std::map<std::string, std::string>& info) {
  std::set<std::string> names;
  for (auto& [key, value] : info) {
    for (const GuestinfoUrl& url : urls_in(value)) {
      if (url.host_is_name()) names.insert(to_lower(url.host));
      if (url.host_is_name() && url.scheme == "https") {
        notes_.push_back("guestinfo." + key + " fetches https://" + url.host + url.path +
                         "; the boot server speaks HTTP only, so that fetch fails here");
      }
    }
    const std::string ported = with_boot_server_port(value);
    if (ported != value) {
      notes_.push_back("guestinfo." + key +
                       ": http URLs by host name now name port {{port}}, the boot server's "
                       "(in the field they used port 80)");
      value = ported;
    }
  }
  return {names.begin(), names.end()};
}

// URL path -> local file for every http path fetched by host name.
std::map<std::string, std::string> Mapper::served_files(
    const std::map<std::string, std::string>& info) {
  std::map<std::string, std::string> files;
  for (const auto& [key, value] : info) {
    for (const GuestinfoUrl& url : urls_in(value)) {
      if (!url.host_is_name() || url.scheme != "http" || url.path.size() < 2) continue;
      const std::string shown = "http://" + url.host + url.path;
      const fs::path relative = fs::path(url.path.substr(1)).lexically_normal();
      if (url.path.find("${") != std::string::npos || relative.empty() ||
          *relative.begin() == "..") {
        notes_.push_back(shown + " (guestinfo." + key +
                         ") names no fixed file; add it under payload: files: by hand");
        continue;
      }
      if (!files.count(url.path)) files[url.path] = served_file(shown, relative);
    }
  }
  return files;
}

// Where the scenario goes: stubs are written beside it.
fs::path Mapper::output_base() const {
  return options_.output_dir.empty() ? fs::current_path() : fs::path(options_.output_dir);
}

std::string Mapper::served_file(const std::string& url, const fs::path& relative) {
  if (!options_.serve_dir.empty() && is_file(fs::path(options_.serve_dir) / relative)) {
    return local_path(fs::path(options_.serve_dir) / relative);
  }
  const fs::path stub = output_base() / (name() + "-files") / relative;
  const std::string written = local_path(stub);
  if (is_file(stub)) {
    notes_.push_back(url + " is served from " + written + " (it exists already; left as it is)");
    return written;
  }
  stubs_[written] = "#!ipxe\necho romharness stub for " + url + ": replace " + written +
                    " with the file it serves in the field\nexit 1\n";
  notes_.push_back((options_.serve_dir.empty()
                        ? std::string("no --serve-dir given")
                        : "--serve-dir '" + options_.serve_dir + "' has no " + relative.string()) +
                   ": wrote a stub " + written + " for " + url +
                   "; put the real file there, or pass --serve-dir DIR holding " +
                   relative.string());
  return written;
}

std::string Mapper::name() {
  std::string raw = fs::path(options_.source).stem().string();
  if (const VmSetting* s = find("displayName"); s && !s->value.empty()) raw = s->value;
  std::string out;
  for (char c : raw) {
    bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (keep)
      out += lower;
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "imported-vm" : out;
}

std::string Mapper::firmware() {
  const VmSetting* s = find("firmware");
  if (!s || iequals(s->value, "bios")) return "bios";
  if (iequals(s->value, "efi")) return "efi";
  throw InputError(s->where + ": firmware = '" + s->value + "' is not supported (bios or efi)");
}

void Mapper::emit_stages(YAML::Emitter& y, const std::string& firmware) {
  auto stage = [&](const char* name, const char* kind, const char* pattern) {
    y << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << name << YAML::Key
      << kind << YAML::Value << YAML::DoubleQuoted << pattern << YAML::EndMap;
  };
  y << YAML::Key << "stages" << YAML::Value << YAML::BeginSeq;
  if (firmware == "bios") stage("firmware", "serial", "SeaBIOS");
  stage("ipxe", "serial", "iPXE");
  stage("kernel", "http", "GET /vmlinuz");
  stage("userspace", "serial", "ROMHARNESS-USERSPACE");
  y << YAML::EndSeq;
}

void Mapper::emit(YAML::Emitter& y, const NicMapping& nic, int index) {
  std::string fw = firmware();
  YAML::Node rom = rom_node(nic, index);
  std::map<std::string, std::string> info = guestinfo();
  const std::vector<std::string> names = dns_names(info);
  const std::map<std::string, std::string> files = served_files(info);
  bool is_static = info.count("ipxe.net0.ip") || info.count("ipxe.ip");
  y << YAML::BeginMap;
  y << YAML::Key << "name" << YAML::Value << name();
  y << YAML::Key << "description" << YAML::Value
    << "Imported from " + fs::path(options_.source).filename().string();
  y << YAML::Key << "rom" << YAML::Value << rom;
  y << YAML::Key << "nic" << YAML::Value << nic.nic;
  if (const std::string m = mac(index); !m.empty()) y << YAML::Key << "mac" << YAML::Value << m;
  y << YAML::Key << "firmware" << YAML::Value << fw;
  if (const VmSetting* s = find("memsize")) {
    y << YAML::Key << "memory" << YAML::Value << integer(*s, "memory in MiB");
  }
  if (const VmSetting* s = find("numvcpus")) {
    y << YAML::Key << "cpus" << YAML::Value << integer(*s, "number of CPUs");
  }
  y << YAML::Key << "network" << YAML::Value << (is_static ? "static" : "dhcp");
  if (!info.empty()) {
    y << YAML::Key << "guestinfo" << YAML::Value << YAML::BeginMap;
    for (const auto& [key, value] : info) {
      y << YAML::Key << key << YAML::Value << YAML::DoubleQuoted << value;
    }
    y << YAML::EndMap;
  }
  if (!names.empty()) y << YAML::Key << "dns_names" << YAML::Value << YAML::Flow << names;
  y << YAML::Key << "payload" << YAML::Value << YAML::BeginMap << YAML::Key << "script"
    << YAML::Value << payload_script() << YAML::Key << "linux" << YAML::Value << true;
  if (!files.empty()) y << YAML::Key << "files" << YAML::Value << files;
  y << YAML::EndMap;
  emit_stages(y, fw);
  y << YAML::Key << "timeout" << YAML::Value << "90s";
  y << YAML::Key << "expect" << YAML::Value << "pass";
  y << YAML::EndMap;
}

ImportResult Mapper::run() {
  int index = boot_nic_index();
  if (index < 0) {
    throw InputError(options_.source +
                     ": no network adapter (no ethernetN.* keys); "
                     "the VM cannot network-boot");
  }
  const NicMapping& nic = nic_for(index);
  YAML::Emitter y;
  emit(y, nic, index);
  find(".encoding");  // consumed by the reader
  std::string text = "# Imported from " + options_.source + " by romharness.\n";
  for (const std::string& note : notes_) text += "# note: " + one_line(note) + "\n";
  text += y.c_str();
  text += "\n";
  ImportResult result;
  for (const VmSetting& s : settings_) {
    if (used_.count(to_lower(s.key))) continue;
    text += "# not mapped: " + one_line(s.shown) + "\n";
    ++result.unmapped_keys;
  }
  result.yaml = std::move(text);
  result.notes = notes_;
  result.stub_files = stubs_;
  result.guestinfo_keys = guestinfo_count_;
  return result;
}

}  // namespace

std::string find_linux_script(const std::string& start) {
  for (fs::path dir = fs::absolute(start); !dir.empty(); dir = dir.parent_path()) {
    fs::path candidate = dir / "fixtures" / "scripts" / "linux.ipxe";
    if (is_file(candidate)) return candidate.string();
    if (dir == dir.parent_path()) break;
  }
  return "";
}

ImportResult scenario_from_settings(const std::vector<VmSetting>& settings,
                                    const ImportOptions& options) {
  return Mapper(settings, options).run();
}

}  // namespace rh
