// vsphere_virtual_machine -> VmSetting list with .vmx key names.
#include "harness/field/terraform.h"

#include <fstream>
#include <sstream>

#include "harness/core/error.h"

namespace rh {
namespace {

constexpr const char* kResourceType = "vsphere_virtual_machine";

std::string shorten(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  if (text.size() > 100) text = text.substr(0, 97) + "...";
  return text;
}

std::string quoted(const HclValue& v) {
  return v.kind == HclValue::Kind::kString ? "\"" + v.text + "\"" : v.text;
}

std::string shown(const HclValue& v) {
  switch (v.kind) {
    case HclValue::Kind::kObject:
      return "{ ... }";
    case HclValue::Kind::kList:
      return "[ ... ]";
    default:
      return shorten(quoted(v));
  }
}

class VmReader {
 public:
  VmReader(const std::string& file, TfVirtualMachine& vm) : file_(file), vm_(vm) {}

  void read(const HclBlock& resource);

 private:
  std::string where(int line) const { return file_ + ":" + std::to_string(line); }
  void add(const std::string& key, const std::string& value, const std::string& text, int line) {
    vm_.settings.push_back({key, value, text + " (" + where(line) + ")", where(line)});
  }
  void unmapped(const std::string& text, int line) { add("terraform:" + text, "", text, line); }
  void attribute(const HclAttribute& a);
  void extra_config(const HclAttribute& a);
  void network_interface(const HclBlock& b, int index);

  std::string file_;
  TfVirtualMachine& vm_;
};

void VmReader::read(const HclBlock& resource) {
  for (const HclAttribute& a : resource.body.attributes) attribute(a);
  int nic = 0;
  for (const HclBlock& b : resource.body.blocks) {
    if (b.type == "network_interface") {
      network_interface(b, nic++);
    } else {
      unmapped(b.type + " { ... }", b.line);
    }
  }
}

void VmReader::attribute(const HclAttribute& a) {
  static const std::pair<const char*, const char*> kScalars[] = {{"name", "displayName"},
                                                                 {"num_cpus", "numvcpus"},
                                                                 {"memory", "memsize"},
                                                                 {"firmware", "firmware"}};
  if (a.name == "extra_config") return extra_config(a);
  std::string text = a.name + " = " + shown(a.value);
  for (const auto& [name, key] : kScalars) {
    if (a.name != name) continue;
    if (!a.value.is_literal_scalar()) {
      vm_.warnings.push_back(where(a.line) + ": " + a.name + " = " + shorten(a.value.text) +
                             " is not a literal; romharness cannot evaluate it");
      return unmapped(text, a.line);
    }
    return add(key, a.value.text, text, a.line);
  }
  unmapped(text, a.line);
}

void VmReader::extra_config(const HclAttribute& a) {
  if (a.value.kind != HclValue::Kind::kObject) {
    vm_.warnings.push_back(where(a.line) + ": extra_config = " + shorten(a.value.text) +
                           " is not a literal map; its keys cannot be imported");
    return unmapped("extra_config = " + shown(a.value), a.line);
  }
  for (size_t i = 0; i < a.value.keys.size(); ++i) {
    const std::string& key = a.value.keys[i];
    const HclValue& v = a.value.items[i];
    std::string text = "extra_config \"" + key + "\" = " + shown(v);
    if (!v.is_literal_scalar()) {
      vm_.warnings.push_back(where(v.line) + ": extra_config \"" + key + "\" = " + shorten(v.text) +
                             " is not a literal; not imported");
      unmapped(text, v.line);
    } else {
      add(key, v.text, text, v.line);
    }
  }
}

void VmReader::network_interface(const HclBlock& b, int index) {
  std::string prefix = "network_interface[" + std::to_string(index) + "]";
  std::string key = "ethernet" + std::to_string(index) + ".virtualDev";
  bool typed = false;
  for (const HclAttribute& a : b.body.attributes) {
    std::string text = prefix + "." + a.name + " = " + shown(a.value);
    if (a.name == "adapter_type" && a.value.is_literal_scalar()) {
      add(key, a.value.text, text, a.line);
      typed = true;
    } else if (a.name == "mac_address" && a.value.is_literal_scalar()) {
      add("ethernet" + std::to_string(index) + ".address", a.value.text, text, a.line);
    } else {
      unmapped(text, a.line);
    }
  }
  // The vSphere provider's default adapter_type.
  if (!typed)
    add(key, "vmxnet3", prefix + " (adapter_type unset: provider default vmxnet3)", b.line);
}

std::vector<const HclBlock*> vm_resources(const HclBody& body) {
  std::vector<const HclBlock*> found;
  for (const HclBlock& b : body.blocks) {
    if (b.type == "resource" && b.labels.size() == 2 && b.labels[0] == kResourceType) {
      found.push_back(&b);
    }
  }
  return found;
}

std::string names(const std::vector<const HclBlock*>& blocks) {
  std::string out;
  for (const HclBlock* b : blocks) out += (out.empty() ? "'" : ", '") + b->labels[1] + "'";
  return out;
}

}  // namespace

TfVirtualMachine tf_virtual_machine(std::string_view text, const std::string& display_name,
                                    const std::string& resource) {
  std::vector<const HclBlock*> vms;
  HclBody body = parse_hcl(text, display_name);
  vms = vm_resources(body);
  if (vms.empty()) {
    throw InputError(display_name + ": no resource \"" + kResourceType + "\" found");
  }
  const HclBlock* chosen = nullptr;
  for (const HclBlock* b : vms) {
    if (b->labels[1] == resource) chosen = b;
  }
  if (!resource.empty() && !chosen) {
    throw InputError(display_name + ": no resource \"" + kResourceType + "\" \"" + resource +
                     "\" (found: " + names(vms) + ")");
  }
  if (resource.empty() && vms.size() > 1) {
    throw InputError(display_name + ": " + std::to_string(vms.size()) + " resources \"" +
                     kResourceType + "\" (" + names(vms) + "); choose one with --resource NAME");
  }
  if (!chosen) chosen = vms.front();
  TfVirtualMachine vm;
  vm.resource = chosen->labels[1];
  VmReader(display_name, vm).read(*chosen);
  return vm;
}

TfVirtualMachine load_tf_virtual_machine(const std::string& path, const std::string& resource) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot open Terraform file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  if (looks_like_json(text.str())) return tf_state_virtual_machine(text.str(), path, resource);
  return tf_virtual_machine(text.str(), path, resource);
}

}  // namespace rh
