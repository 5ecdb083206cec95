// `terraform show -json` output -> the same VmSetting list as the HCL reader:
//
//   {"values": {"root_module": {"resources": [{"address": "vsphere_virtual_machine.pxe",
//     "mode": "managed", "type": "vsphere_virtual_machine", "name": "pxe",
//     "values": {"num_cpus": 2, "memory": 2048, "extra_config": {...},
//                "network_interface": [{"adapter_type": "vmxnet3",
//                                       "mac_address": "00:50:56:..."}]}}],
//     "child_modules": [...]}}}
//
// A plan's JSON has the same tree under "planned_values". State holds every
// attribute the provider knows, so only set ones are listed as not mapped.
#include <nlohmann/json.hpp>

#include "harness/core/error.h"
#include "harness/field/terraform.h"

namespace rh {
namespace {

using nlohmann::json;

constexpr const char* kResourceType = "vsphere_virtual_machine";

std::string text_of(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

bool is_unset(const json& v) {
  return v.is_null() || (v.is_string() && v.get<std::string>().empty()) ||
         (v.is_array() && v.empty()) || (v.is_object() && v.empty()) ||
         (v.is_boolean() && !v.get<bool>());
}

void collect(const json& module, std::vector<const json*>& out) {
  if (!module.is_object()) return;
  if (auto r = module.find("resources"); r != module.end() && r->is_array()) {
    for (const json& res : *r) {
      if (res.is_object() && res.value("type", "") == kResourceType &&
          res.value("mode", "managed") == "managed" && res.contains("values")) {
        out.push_back(&res);
      }
    }
  }
  if (auto c = module.find("child_modules"); c != module.end() && c->is_array()) {
    for (const json& child : *c) collect(child, out);
  }
}

class StateReader {
 public:
  StateReader(std::string file, std::string address, TfVirtualMachine& vm)
      : file_(std::move(file)), address_(std::move(address)), vm_(vm) {}

  void read(const json& values) {
    static const std::pair<const char*, const char*> kScalars[] = {{"name", "displayName"},
                                                                   {"num_cpus", "numvcpus"},
                                                                   {"memory", "memsize"},
                                                                   {"firmware", "firmware"}};
    for (const auto& [attr, v] : values.items()) {
      if (attr == "extra_config") {
        extra_config(v);
      } else if (attr == "network_interface") {
        network_interfaces(v);
      } else if (const char* key = vmx_key(kScalars, attr); key && v.is_primitive()) {
        add(key, text_of(v), attr + " = " + v.dump(), attr);
      } else if (!is_unset(v)) {
        const std::string shown = v.is_primitive() ? v.dump()
                                  : v.is_array()   ? "[ ... ]"
                                                   : "{ ... }";
        add("terraform:" + attr, "", attr + " = " + shown, attr);
      }
    }
  }

 private:
  template <typename Table>
  static const char* vmx_key(const Table& table, const std::string& attr) {
    for (const auto& [name, key] : table) {
      if (attr == name) return key;
    }
    return nullptr;
  }

  std::string where(const std::string& path) const { return file_ + ": " + address_ + "." + path; }
  void add(const std::string& key, const std::string& value, const std::string& text,
           const std::string& path) {
    vm_.settings.push_back({key, value, text + " (" + where(path) + ")", where(path)});
  }

  void extra_config(const json& v) {
    if (!v.is_object()) return;
    for (const auto& [key, value] : v.items()) {
      add(key, text_of(value), "extra_config \"" + key + "\" = " + value.dump(),
          "extra_config[\"" + key + "\"]");
    }
  }

  void network_interfaces(const json& v) {
    if (!v.is_array()) return;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const json& nic = v[i];
      const std::string path = "network_interface[" + std::to_string(i) + "]";
      const std::string prefix = "ethernet" + std::to_string(i) + ".";
      const json type = nic.is_object() ? nic.value("adapter_type", json()) : json();
      // The vSphere provider's default adapter_type.
      const std::string dev = type.is_string() && !type.get<std::string>().empty()
                                  ? type.get<std::string>()
                                  : "vmxnet3";
      add(prefix + "virtualDev", dev, path + ".adapter_type = \"" + dev + "\"",
          path + ".adapter_type");
      const json mac = nic.is_object() ? nic.value("mac_address", json()) : json();
      if (mac.is_string() && !mac.get<std::string>().empty()) {
        add(prefix + "address", mac.get<std::string>(), path + ".mac_address = " + mac.dump(),
            path + ".mac_address");
      }
    }
  }

  std::string file_;
  std::string address_;
  TfVirtualMachine& vm_;
};

std::string label(const json& res) { return res.value("address", res.value("name", "?")); }

std::string labels(const std::vector<const json*>& found) {
  std::string out;
  for (const json* r : found) out += (out.empty() ? "'" : ", '") + label(*r) + "'";
  return out;
}

const json& chosen_resource(const std::vector<const json*>& found, const std::string& resource,
                            const std::string& file) {
  if (found.empty()) {
    throw InputError(file + ": no resource \"" + kResourceType +
                     "\" in the state (values.root_module.resources)");
  }
  std::vector<const json*> matches;
  for (const json* r : found) {
    if (resource.empty() || r->value("name", "") == resource || label(*r) == resource) {
      matches.push_back(r);
    }
  }
  if (matches.empty()) {
    throw InputError(file + ": no resource \"" + kResourceType + "\" \"" + resource +
                     "\" (found: " + labels(found) + ")");
  }
  if (matches.size() > 1) {
    throw InputError(file + ": " + std::to_string(matches.size()) + " resources \"" +
                     kResourceType + "\" (" + labels(matches) +
                     "); choose one with --resource NAME or ADDRESS");
  }
  return *matches.front();
}

}  // namespace

bool looks_like_json(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{';
}

namespace {

TfVirtualMachine read_state(std::string_view text, const std::string& display_name,
                            const std::string& resource) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    throw InputError(display_name +
                     ": invalid JSON (expected `terraform show -json` output): " + e.what());
  }
  const char* tree = doc.contains("values") ? "values" : "planned_values";
  if (!doc.is_object() || !doc.contains(tree) || !doc[tree].is_object()) {
    throw InputError(display_name +
                     ": no \"values\" object; is this `terraform show -json` output of a state "
                     "with resources?");
  }
  const json root = doc[tree].value("root_module", json::object());  // `found` points into it
  std::vector<const json*> found;
  collect(root, found);
  const json& res = chosen_resource(found, resource, display_name);
  TfVirtualMachine vm;
  vm.resource = res.value("name", label(res));
  const json& values = res.at("values");
  if (values.is_object()) StateReader(display_name, label(res), vm).read(values);
  return vm;
}

}  // namespace

TfVirtualMachine tf_state_virtual_machine(std::string_view text, const std::string& display_name,
                                          const std::string& resource) {
  try {
    return read_state(text, display_name, resource);
  } catch (const json::exception& e) {  // a field of an unexpected type
    throw InputError(display_name + ": not the JSON `terraform show -json` writes: " + e.what());
  }
}

}  // namespace rh
