// The guestinfo blob: all of a VM's guestinfo in one fw_cfg file that romharness' patched
// QEMU parses when the machine starts (format: emulator/README.md, "The guestinfo blob";
// parser: emulator/guestrpc/guestinfo_blob.c). One file carries any number of keys of any
// length, where one fw_cfg file per key ran out of file slots and 55-character names.
//
//   write_guestinfo_blob(dir / "guestinfo.bin", {{"ipxe.net0.ip", "10.0.0.10"}});
//   argv: -fw_cfg name=opt/romharness/guestinfo,file=<dir>/guestinfo.bin
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace rh {

// The fw_cfg file name QEMU reads the blob from (GUESTINFO_BLOB_FW_CFG_NAME).
inline constexpr std::string_view kGuestinfoBlobFwCfgName = "opt/romharness/guestinfo";

// The blob for `guestinfo`, keys without "guestinfo." as the harness holds them. Throws
// rh::InputError naming the key when the emulator could not carry it (an empty key, a NUL
// byte in a key, a key or value beyond the emulator's bounds); the scenario loader's
// guestinfo_limit_error() rejects such keys earlier, with ESXi's stricter limits.
std::string encode_guestinfo_blob(const std::map<std::string, std::string>& guestinfo);

// Writes encode_guestinfo_blob(guestinfo) to `path`; throws rh::SetupError when the file
// cannot be written.
void write_guestinfo_blob(const std::filesystem::path& path,
                          const std::map<std::string, std::string>& guestinfo);

}  // namespace rh
