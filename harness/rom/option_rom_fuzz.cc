// libFuzzer target for the option ROM parser: any input either parses or
// throws InputError; nothing else (crash, hang, other exception) is allowed.
#include <cstddef>
#include <cstdint>
#include <span>

#include "harness/core/error.h"
#include "harness/rom/budget.h"
#include "harness/rom/inspect.h"
#include "harness/rom/option_rom.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const rh::OptionRom rom = rh::parse_option_rom(std::span(data, size), "fuzz.rom");
    (void)rh::option_rom_json(rom).dump();
    (void)rh::check_rom(
        rom, {.budget = 65536, .opromsize = 262144, .firmware = "bios", .nic = "vmxnet3"});
    (void)rh::check_rom(rom, {.firmware = "efi", .nic = "e1000e"});
  } catch (const rh::InputError&) {
  }
  return 0;
}
