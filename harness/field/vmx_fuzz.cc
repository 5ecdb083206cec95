// libFuzzer: any bytes as a .vmx. The reader and the importer may only throw
// InputError, and every guestinfo value they accept must come back unchanged
// from the YAML they write (but for the boot server's port the importer adds to
// http URLs by host name). CI: vmx_fuzz -max_total_time=60
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "harness/core/error.h"
#include "harness/core/text.h"
#include "harness/field/import.h"
#include "harness/field/vmx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    rh::VmxFile vmx = rh::VmxFile::parse(text, "fuzz.vmx");
    for (const rh::VmxEntry& e : vmx.entries()) {
      if (rh::vmx_unescape(rh::vmx_escape(e.value)) != e.value) std::abort();
    }
    rh::ImportResult r = rh::scenario_from_settings(rh::settings_from_vmx(vmx), {.source = "f"});
    YAML::Node guestinfo = YAML::Load(r.yaml)["guestinfo"];
    for (const auto& item : guestinfo) {
      const rh::VmxEntry* e = vmx.find("guestinfo." + item.first.as<std::string>());
      // The importer only adds the boot server's port to http URLs by name.
      const std::string written = rh::replace_all(item.second.as<std::string>(), ":{{port}}", "");
      if (!e || rh::replace_all(e->value, ":{{port}}", "") != written) std::abort();
    }
  } catch (const rh::InputError&) {
  }
  return 0;
}
