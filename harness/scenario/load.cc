#include "harness/scenario/load.h"

#include <fnmatch.h>

#include <algorithm>
#include <set>

#include "harness/core/capability.h"
#include "harness/core/duration.h"
#include "harness/core/error.h"
#include "harness/core/guestinfo_limits.h"
#include "harness/core/nic.h"
#include "harness/core/text.h"
#include "harness/core/yaml_input.h"
#include "harness/scenario/static_net.h"
#include "harness/scenario/yaml_guard.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

const std::set<std::string> kTopKeys{"name",      "description", "requires", "rom",       "nic",
                                     "firmware",  "machine",     "memory",   "cpus",      "network",
                                     "guestinfo", "payload",     "stages",   "fail_on",   "timeout",
                                     "expect",    "faults",      "console",  "dns_names", "mac"};

// libstdc++'s std::regex compiles and matches by recursion, so a very long
// pattern can exhaust the stack; real stage patterns are a few dozen bytes.
constexpr std::size_t kMaxPatternLength = 1000;

class FileParser {
 public:
  FileParser(const YamlFile& file, const LoadOptions& options)
      : f_(file), options_(options), dir_(fs::path(file.path()).parent_path()) {}

  std::vector<Scenario> parse() {
    const YAML::Node& root = f_.root();
    f_.check_keys(root, kTopKeys, "scenario");
    Scenario common = parse_common(root);
    std::vector<Scenario> rows;
    for (const auto& nic : nics(root)) {
      for (const Firmware fw : firmwares(root)) {
        rows.push_back(expand(common, nic, fw));
      }
    }
    return rows;
  }

 private:
  Scenario parse_common(const YAML::Node& root) {
    Scenario s;
    s.file = f_.path();
    s.line = static_cast<int>(root.Mark().line) + 1;
    s.base_name = f_.string_at(root, "name");
    check_name(root["name"], s.base_name);
    s.description = f_.string_or(root, "description", "");
    if (root["requires"]) s.requires_caps = capabilities(root["requires"]);
    if (root["machine"]) s.machine = machine(root["machine"]);
    if (root["memory"])
      s.memory_mb = static_cast<int>(bounded(root["memory"], "memory", 16, 16384));
    if (root["cpus"]) s.cpus = static_cast<int>(bounded(root["cpus"], "cpus", 1, 16));
    if (root["guestinfo"]) s.guestinfo = guestinfo(root["guestinfo"]);
    if (root["console"]) s.console = console(root["console"]);
    if (root["dns_names"]) s.dns_names = f_.strings_at(root["dns_names"], "dns_names");
    if (root["mac"]) s.mac = mac(root["mac"]);
    if (root["network"]) parse_network(root["network"], s);
    if (root["payload"]) s.payload = payload(root["payload"]);
    if (!root["stages"]) f_.fail(root, "missing required key 'stages'");
    s.stages = stages(root["stages"]);
    if (root["fail_on"]) s.fail_on = patterns(root["fail_on"], "fail_on");
    if (root["timeout"]) s.timeout = f_.duration_at(root["timeout"], "timeout");
    check_timeouts(root, s);
    if (root["expect"]) s.expect = expect(root["expect"], s.stages);
    if (root["faults"]) {
      f_.check_keys(root["faults"], {"http", "rom"}, "faults");
      if (root["faults"]["http"]) s.http_faults = parse_http_faults(f_, root["faults"]["http"]);
      if (root["faults"]["rom"]) s.rom_fault = rom_fault(root["faults"]["rom"]);
    }
    if (s.network == NetworkMode::kStatic) s.static_net = static_net(root, s);
    return s;
  }

  // run timeout >= scenario timeout >= every stage timeout: a stage that may
  // wait longer than its scenario could never time out as itself.
  void check_timeouts(const YAML::Node& root, const Scenario& s) const {
    const YAML::Node given = root["timeout"];
    const std::string scenario_timeout =
        given ? shown_duration(s.timeout) + " (line " + std::to_string(given.Mark().line + 1) + ")"
              : shown_duration(s.timeout) + " (the default; set 'timeout:')";
    if (options_.run_timeout && s.timeout > *options_.run_timeout) {
      f_.fail(given ? given : root, "scenario timeout " + shown_duration(s.timeout) +
                                        " is longer than the run's timeout " +
                                        shown_duration(*options_.run_timeout));
    }
    for (std::size_t i = 0; i < s.stages.size(); ++i) {
      const StageSpec& st = s.stages[i];
      if (!st.timeout || *st.timeout <= s.timeout) continue;
      f_.fail(root["stages"][i]["timeout"],
              "stage '" + st.name + "' timeout " + shown_duration(*st.timeout) +
                  " is longer than the scenario's timeout " + scenario_timeout);
    }
  }

  std::string mac(const YAML::Node& node) const {
    const std::string text = node.IsScalar() ? node.Scalar() : "";
    std::string why;
    const std::optional<std::string> mac = normalized_mac(text, &why);
    if (!mac) f_.fail(node, "mac '" + text + "' is not a NIC address: " + why);
    return *mac;
  }

  void check_name(const YAML::Node& node, const std::string& name) const {
    const bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
    if (!ok) f_.fail(node, "name '" + name + "' may only hold letters, digits, '-', '_' and '.'");
  }

  std::vector<Capability> capabilities(const YAML::Node& node) const {
    const std::vector<std::string> names = f_.strings_at(node, "requires");
    std::vector<Capability> caps;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const CapabilityInfo* info = find_capability(names[i]);
      if (info == nullptr || !info->requirable) {
        const YAML::Node& at = node.IsSequence() ? node[i] : node;
        f_.fail(at, "unknown capability '" + names[i] +
                        "' in requires (known: " + requirable_capability_names() + ")");
      }
      caps.push_back(info->capability);
    }
    return caps;
  }

  // Which chipsets exist is the backend's business (it answers UNSUPPORTED);
  // here only the form.
  std::string machine(const YAML::Node& node) const {
    if (!node.IsScalar() || node.Scalar().empty()) {
      f_.fail(node, "machine must be a name, e.g. 'q35'");
    }
    return node.Scalar();
  }

  RomFault rom_fault(const YAML::Node& node) const {
    f_.check_keys(node, {"corrupt_checksum", "truncate", "pad_to"}, "faults rom");
    RomFault fault;
    if (node["corrupt_checksum"]) {
      fault.corrupt_checksum = f_.bool_at(node["corrupt_checksum"], "corrupt_checksum");
    }
    if (node["truncate"]) fault.truncate = bounded(node["truncate"], "truncate", 1, 16 << 20);
    if (node["pad_to"]) fault.pad_to = bounded(node["pad_to"], "pad_to", 512, 16 << 20);
    if (!fault.any()) f_.fail(node, "faults rom sets no fault");
    return fault;
  }

  ConsoleSource console(const YAML::Node& node) const {
    const std::string c = node.IsScalar() ? node.Scalar() : "";
    if (c != "firmware" && c != "rom") {
      f_.fail(node,
              "console must be 'firmware' (the firmware copies the screen to serial) or 'rom' "
              "(the ROM was built with CONSOLE_SERIAL), got '" +
                  c + "'");
    }
    return c == "rom" ? ConsoleSource::kRom : ConsoleSource::kFirmware;
  }

  long long bounded(const YAML::Node& node, const std::string& what, long long lo,
                    long long hi) const {
    const long long v = f_.int_at(node, what);
    if (v < lo || v > hi) {
      f_.fail(node, what + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                        ", got " + std::to_string(v));
    }
    return v;
  }

  std::map<std::string, std::string> guestinfo(const YAML::Node& node) const {
    f_.require_map(node, "guestinfo");
    std::map<std::string, std::string> out;
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      if (key.starts_with("guestinfo.")) {
        f_.fail(entry.first, "guestinfo key '" + key +
                                 "' must not repeat the 'guestinfo.' "
                                 "prefix (write '" +
                                 key.substr(10) + "')");
      }
      if (key.empty()) f_.fail(entry.first, "guestinfo key must not be empty");
      if (!entry.second.IsScalar()) {
        f_.fail(entry.second, "guestinfo value of '" + key + "' must be a string");
      }
      if (auto error = guestinfo_limit_error(key, entry.second.Scalar()))
        f_.fail(entry.first, *error);
      out[key] = entry.second.Scalar();
    }
    if (auto error = guestinfo_total_error(out)) f_.fail(node, *error);
    return out;
  }

  void parse_network(const YAML::Node& node, Scenario& s) const {
    std::string mode;
    if (node.IsMap()) {
      f_.check_keys(node, {"mode", "subnet", "gateway", "dns", "allow_dhcp"}, "network");
      mode = f_.string_at(node, "mode");
    } else {
      mode = f_.strings_at(node, "network").front();
    }
    if (mode == "dhcp") {
      s.network = NetworkMode::kDhcp;
    } else if (mode == "static") {
      s.network = NetworkMode::kStatic;
    } else if (mode == "none") {
      s.network = NetworkMode::kNone;
    } else {
      f_.fail(node.IsMap() ? node["mode"] : node,
              "network must be 'dhcp', 'static' or 'none', got '" + mode + "'");
    }
  }

  StaticNet static_net(const YAML::Node& root, const Scenario& s) const {
    const YAML::Node net = root["network"];
    StaticNetOverrides given;
    if (net.IsMap()) {
      given.subnet = f_.string_or(net, "subnet", "");
      given.gateway = f_.string_or(net, "gateway", "");
      given.dns = f_.string_or(net, "dns", "");
    }
    try {
      StaticNet derived = derive_static_net(s.guestinfo, given);
      if (net.IsMap() && net["allow_dhcp"]) {
        derived.allow_dhcp = f_.bool_at(net["allow_dhcp"], "network allow_dhcp");
      }
      return derived;
    } catch (const std::invalid_argument& e) {
      f_.fail(net, std::string("network: static: ") + e.what());
    }
  }

  PayloadSpec payload(const YAML::Node& node) const {
    f_.check_keys(node, {"script", "linux", "files"}, "payload");
    PayloadSpec p;
    if (node["script"]) p.script = existing_file(node["script"], "payload script");
    if (node["linux"]) linux_choice(node["linux"], p);
    if (node["files"]) {
      f_.require_map(node["files"], "payload files");
      for (const auto& entry : node["files"]) {
        const std::string url = entry.first.Scalar();
        if (!url.starts_with("/"))
          f_.fail(entry.first, "payload file URL path '" + url + "' must start with '/'");
        p.files[url] = existing_file(entry.second, "payload file");
      }
    }
    return p;
  }

  // `linux: true|false` or the kernel by name: `fast` (what true means) or `debian`.
  void linux_choice(const YAML::Node& node, PayloadSpec& p) const {
    static const std::set<std::string> kBoolWords{"true", "yes", "on", "false", "no", "off"};
    const std::string text = node.IsScalar() ? node.Scalar() : "";
    if (text == "fast" || text == "debian") {
      p.linux_payload = true;
      p.linux_kernel = text == "fast" ? LinuxKernel::kFast : LinuxKernel::kDebian;
    } else if (kBoolWords.contains(text)) {
      p.linux_payload = f_.bool_at(node, "payload linux");
    } else {
      f_.fail(node, "payload linux must be true, false, fast or debian, got " +
                        (node.IsScalar() ? "'" + text + "'" : std::string("a list or map")));
    }
  }

  fs::path existing_file(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) f_.fail(node, what + " must be a file path");
    const fs::path p = resolve(node.Scalar());
    if (!is_file(p)) {
      f_.fail(node, what + " '" + node.Scalar() + "' not found (looked for '" + p.string() + "')");
    }
    return p;
  }

  // Relative to the scenario file's folder, whatever the working directory
  // is; absolute, so the path still holds if the process changes directory.
  fs::path resolve(const std::string& text) const {
    const fs::path p(text);
    if (p.is_absolute()) return p;
    std::error_code ec;
    const fs::path dir = fs::absolute(dir_.empty() ? fs::path(".") : dir_, ec);
    return ((ec ? dir_ : dir) / p).lexically_normal();
  }

  std::vector<StageSpec> stages(const YAML::Node& node) const {
    if (!node.IsSequence() || node.size() == 0) {
      f_.fail(node, "stages must be a non-empty list of {name, serial|http, timeout}");
    }
    std::vector<StageSpec> out;
    std::set<std::string> seen;
    for (const auto& item : node) {
      StageSpec st = stage(item);
      if (!seen.insert(st.name).second) f_.fail(item, "duplicate stage name '" + st.name + "'");
      out.push_back(std::move(st));
    }
    return out;
  }

  StageSpec stage(const YAML::Node& item) const {
    f_.check_keys(item, {"name", "serial", "http", "timeout"}, "stage");
    StageSpec st;
    st.name = f_.string_at(item, "name");
    if (item["serial"] && item["http"])
      f_.fail(item, "stage '" + st.name + "' has both 'serial' and 'http'");
    if (item["serial"]) {
      st.kind = StageSpec::Kind::kSerial;
      st.serial = pattern(item["serial"], "stage '" + st.name + "' serial");
    } else if (item["http"]) {
      st.kind = StageSpec::Kind::kHttp;
      http_stage(item["http"], st);
    } else {
      f_.fail(item, "stage '" + st.name + "' needs 'serial: <regex>' or 'http: \"GET /path\"'");
    }
    if (item["timeout"]) st.timeout = f_.duration_at(item["timeout"], "stage timeout");
    return st;
  }

  void http_stage(const YAML::Node& node, StageSpec& st) const {
    const std::string text = f_.strings_at(node, "http").front();
    const auto space = text.find(' ');
    const std::string method = text.substr(0, space);
    const std::string path = space == std::string::npos ? "" : text.substr(space + 1);
    if (!node.IsScalar() || (method != "GET" && method != "HEAD") || !path.starts_with("/")) {
      f_.fail(node, "stage '" + st.name + "' http must look like 'GET /path', got '" + text + "'");
    }
    st.http_method = method;
    st.http_path = path;
  }

  Pattern pattern(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) f_.fail(node, what + " must be a regular expression string");
    if (node.Scalar().size() > kMaxPatternLength) {
      f_.fail(node, what + " is " + std::to_string(node.Scalar().size()) +
                        " characters long; patterns may have at most " +
                        std::to_string(kMaxPatternLength));
    }
    try {
      return Pattern{node.Scalar(), std::regex(node.Scalar(), std::regex::ECMAScript)};
    } catch (const std::regex_error& e) {
      f_.fail(node,
              what + " '" + node.Scalar() + "' is not a valid regular expression: " + e.what());
    }
  }

  std::vector<Pattern> patterns(const YAML::Node& node, const std::string& what) const {
    std::vector<Pattern> out;
    if (node.IsScalar()) return {pattern(node, what)};
    if (!node.IsSequence()) f_.fail(node, what + " must be a list of regular expressions");
    for (const auto& item : node) out.push_back(pattern(item, what));
    return out;
  }

  ExpectSpec expect(const YAML::Node& node, const std::vector<StageSpec>& st) const {
    ExpectSpec e;
    if (node.IsScalar()) {
      if (node.Scalar() == "pass") return e;
      if (node.Scalar() == "fail") {
        e.fail = true;
        return e;
      }
      f_.fail(node, "expect must be 'pass', 'fail' or {fail: {...}}, got '" + node.Scalar() + "'");
    }
    f_.check_keys(node, {"fail"}, "expect");
    const YAML::Node spec = node["fail"];
    f_.check_keys(spec, {"reached", "serial", "ipxe_error", "reason"}, "expect fail");
    e.fail = true;
    e.reached = f_.string_or(spec, "reached", "");
    if (!e.reached.empty() && std::none_of(st.begin(), st.end(), [&](const StageSpec& s) {
          return s.name == e.reached;
        })) {
      f_.fail(spec["reached"], "expect fail reached names no stage: '" + e.reached + "'");
    }
    if (spec["serial"]) e.serial = pattern(spec["serial"], "expect fail serial");
    if (spec["reason"]) e.reason = pattern(spec["reason"], "expect fail reason");
    e.ipxe_error = f_.string_or(spec, "ipxe_error", "");
    if (!e.ipxe_error.empty() &&
        (e.ipxe_error.size() != 8 ||
         e.ipxe_error.find_first_not_of("0123456789abcdef") != std::string::npos)) {
      f_.fail(spec["ipxe_error"],
              "ipxe_error must be 8 lowercase hex digits as in "
              "https://ipxe.org/<code>, got '" +
                  e.ipxe_error + "'");
    }
    return e;
  }

  std::vector<std::string> nics(const YAML::Node& root) const {
    if (!root["nic"]) f_.fail(root, "missing required key 'nic'");
    std::vector<std::string> out = f_.strings_at(root["nic"], "nic");
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (find_nic(out[i]) == nullptr) {
        f_.fail(root["nic"].IsSequence() ? root["nic"][i] : root["nic"],
                "unknown nic '" + out[i] + "' (known: " + known_nic_names() + ")");
      }
    }
    return out;
  }

  std::vector<Firmware> firmwares(const YAML::Node& root) const {
    if (!root["firmware"]) return {Firmware::kBios};
    std::vector<Firmware> out;
    const auto names = f_.strings_at(root["firmware"], "firmware");
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == "bios") {
        out.push_back(Firmware::kBios);
      } else if (names[i] == "efi") {
        out.push_back(Firmware::kEfi);
      } else {
        f_.fail(root["firmware"].IsSequence() ? root["firmware"][i] : root["firmware"],
                "firmware must be 'bios' or 'efi', got '" + names[i] + "'");
      }
    }
    return out;
  }

  Scenario expand(const Scenario& common, const std::string& nic, Firmware fw) const {
    Scenario s = common;
    s.nic = nic;
    s.firmware = fw;
    s.name =
        dir_.filename().string() + "/" + s.base_name + "/" + nic + "-" + std::string(to_string(fw));
    if (!f_.root()["rom"]) f_.fail(f_.root(), "missing required key 'rom'");
    s.rom = rom(f_.root()["rom"], nic, fw);
    return s;
  }

  RomSpec rom(const YAML::Node& node, const std::string& nic, Firmware fw) const {
    RomSpec r;
    YAML::Node file = node;
    if (node.IsMap()) {
      f_.check_keys(node, {"file", "variant", "nic", "opromsize"}, "rom");
      if (node["opromsize"])
        r.opromsize = bounded(node["opromsize"], "rom opromsize", 512, 16 << 20);
      if (node["variant"]) {
        if (node["file"]) f_.fail(node, "rom gives both 'file' and 'variant'; pick one");
        r.variant = f_.string_at(node, "variant");
        r.variant_nic = f_.string_or(node, "nic", nic);
        return r;
      }
      if (!node["file"]) f_.fail(node, "rom needs 'file' or 'variant'");
      file = node["file"];
    }
    if (!file.IsScalar()) f_.fail(file, "rom must be a file path or {file|variant: ...}");
    const std::string text = replace_all(replace_all(file.Scalar(), "{nic}", nic), "{firmware}",
                                         std::string(to_string(fw)));
    r.file = resolve(text);
    if (!is_file(r.file)) {
      f_.fail(file, "rom file '" + text + "' not found (looked for '" + r.file.string() + "')");
    }
    return r;
  }

  // Paths come from the file: an overlong or odd one is simply not there
  // (the throwing overload would escape as a filesystem_error).
  static bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
  }

  const YamlFile& f_;
  const LoadOptions& options_;
  fs::path dir_;
};

bool is_scenario_file(const fs::path& p) {
  return p.extension() == ".yaml" || p.extension() == ".yml";
}

}  // namespace

std::vector<fs::path> find_scenario_files(const std::vector<fs::path>& paths) {
  std::vector<fs::path> out;
  for (const auto& p : paths) {
    if (fs::is_directory(p)) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::recursive_directory_iterator(p)) {
        if (entry.is_regular_file() && is_scenario_file(entry.path()))
          found.push_back(entry.path());
      }
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p)) {
      out.push_back(p);
    } else {
      throw InputError("scenario path '" + p.string() + "' does not exist");
    }
  }
  return out;
}

std::vector<Scenario> load_scenario_text(const std::string& text, const fs::path& file,
                                         const LoadOptions& options) {
  check_scenario_bytes(text, file.string());
  check_yaml_structure(text, file.string());
  const YamlFile yaml = YamlFile::parse(text, file.string());
  return FileParser(yaml, options).parse();
}

std::vector<Scenario> load_scenario_file(const fs::path& file, const LoadOptions& options) {
  return load_scenario_text(read_scenario_text(file), file, options);
}

std::vector<Scenario> load_scenarios(const std::vector<fs::path>& paths,
                                     const LoadOptions& options) {
  std::vector<Scenario> all;
  std::map<std::string, std::string> origin;
  for (const auto& file : find_scenario_files(paths)) {
    for (auto& s : load_scenario_file(file, options)) {
      const std::string where = file.string() + ":" + std::to_string(s.line);
      if (const auto [it, fresh] = origin.emplace(s.name, where); !fresh) {
        throw InputError(where + ": scenario name '" + s.name + "' is already used at " +
                         it->second);
      }
      all.push_back(std::move(s));
    }
  }
  return all;
}

std::vector<Scenario> filter_scenarios(const std::vector<Scenario>& all, const std::string& glob) {
  if (glob.empty()) return all;
  std::vector<Scenario> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [&](const Scenario& s) { return ::fnmatch(glob.c_str(), s.name.c_str(), 0) == 0; });
  return out;
}

}  // namespace rh
