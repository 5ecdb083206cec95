// libFuzzer: any bytes as a Terraform file; only InputError may escape.
// CI: hcl_fuzz -max_total_time=60
#include <cstdint>
#include <string_view>

#include "harness/core/error.h"
#include "harness/field/terraform.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    rh::TfVirtualMachine vm = rh::tf_virtual_machine(text, "fuzz.tf", "");
    rh::scenario_from_settings(vm.settings, {.source = "f"});
  } catch (const rh::InputError&) {
  }
  return 0;
}
