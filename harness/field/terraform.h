// A small reader for the part of HCL (Terraform's language) that describes a
// vsphere_virtual_machine, enough to import its boot settings:
//
//   resource "vsphere_virtual_machine" "pxe" {
//     num_cpus = 2          # comments: #, // and /* */
//     memory   = 2048
//     firmware = "efi"
//     network_interface { adapter_type = "vmxnet3" }
//     extra_config = {
//       "guestinfo.ipxe.net0.ip" = "10.0.0.10"
//       "nx3bios.filename"       = "ipxe-vmxnet3.rom"
//     }
//   }
//
// Literals (strings with HCL escapes, heredocs, numbers, booleans, objects,
// lists) are read as values; anything else (var.x, function calls, "${...}"
// templates) is kept as its source text and reported as not importable.
//
//   TfVirtualMachine vm = load_tf_virtual_machine("main.tf", "pxe");
//   // vm.settings use .vmx key names: numvcpus, memsize, firmware,
//   // ethernet0.virtualDev, and the extra_config keys as written.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/field/import.h"

namespace rh {

struct HclValue {
  enum class Kind { kString, kNumber, kBool, kObject, kList, kExpression };
  Kind kind = Kind::kExpression;
  std::string text;               // string value, number or bool as written, or source text
  std::vector<std::string> keys;  // kObject, parallel to `items`
  std::vector<HclValue> items;    // kObject values, kList elements
  int line = 0;
  bool is_literal_scalar() const {
    return kind == Kind::kString || kind == Kind::kNumber || kind == Kind::kBool;
  }
};

struct HclAttribute {
  std::string name;
  HclValue value;
  int line = 0;
};

struct HclBlock;
struct HclBody {
  std::vector<HclAttribute> attributes;
  std::vector<HclBlock> blocks;
};

struct HclBlock {
  std::string type;
  std::vector<std::string> labels;
  HclBody body;
  int line = 0;
};

// Throws InputError "main.tf:3:14: <what was expected>, found '<text>'".
HclBody parse_hcl(std::string_view text, const std::string& display_name);

struct TfVirtualMachine {
  std::string resource;  // the resource's name label
  std::vector<VmSetting> settings;
  std::vector<std::string> warnings;
};

// `resource` may be empty when the file has exactly one vsphere_virtual_machine.
TfVirtualMachine tf_virtual_machine(std::string_view text, const std::string& display_name,
                                    const std::string& resource);
// Reads HCL, or `terraform show -json` output when the text is a JSON object.
TfVirtualMachine load_tf_virtual_machine(const std::string& path, const std::string& resource);

// `terraform show -json` (state, or a plan's planned_values): the
// vsphere_virtual_machine whose name or address is `resource` (empty: the
// only one), in the root module or a child module.
TfVirtualMachine tf_state_virtual_machine(std::string_view text, const std::string& display_name,
                                          const std::string& resource);
bool looks_like_json(std::string_view text);

}  // namespace rh
