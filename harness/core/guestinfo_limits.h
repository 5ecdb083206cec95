// What ESXi lets a VM carry as guestinfo, so a scenario that could never work on vSphere
// fails at load time instead of in a boot. Keys are given as the harness holds them,
// without "guestinfo.". The limits and where they come from:
//
// - A GuestRPC message from the guest to the VMX is at most 64 KiB, command included:
//   open-vm-tools lib/include/guest_msg_def.h, GUESTMSG_MAX_IN_SIZE (64 * 1024, "to
//   prevent denial of host service attacks"); VMware Guest SDK and HA Programming Guide 8.0,
//   "In-Guest Communication Limits" ("Messages from the guest to VMX can be no more than
//   64KB, including overhead. The VMX sends back at most about 1MB.").
// - Key: a guest reads a key with one message, "info-get guestinfo.<key>", so a key has at
//   most 64 KiB - 19 bytes. No shorter key limit is documented publicly.
// - Value: 64 KiB. VMware's vm-operator rejects larger guestinfo values ("The maximum size
//   of any guestinfo value is 64KiB", vmware-tanzu/vm-operator issue #148, citing
//   GUESTMSG_MAX_IN_SIZE); the VMX may send a guest more (about 1 MB), but a guest cannot
//   set a value back (info-set) beyond 64 KiB less its command.
// - Total: the .vmx file, which holds guestinfo.* entries, is limited to 1 MB by default
//   (vSphere Security, "Limit Informational Messages from the VM to the VMX File",
//   tools.setInfo.sizeLimit = 1048576).
// - Characters: a guest's info-set ends the key at the first space, and a .vmx line holds
//   no control characters, so keys have no whitespace or control bytes.
//
//   if (auto err = guestinfo_limit_error("ipxe.net0.ip", "10.0.0.10")) throw InputError(*err);
//   if (auto err = guestinfo_total_error(scenario.guestinfo)) throw InputError(*err);
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace rh {

inline constexpr std::size_t kGuestRpcMaxGuestMessage = std::size_t{64} * 1024;
inline constexpr std::string_view kGuestinfoGetCommand = "info-get guestinfo.";
inline constexpr std::size_t kGuestinfoMaxKeyLength =
    kGuestRpcMaxGuestMessage - kGuestinfoGetCommand.size();  // 65517
inline constexpr std::size_t kGuestinfoMaxValueBytes = std::size_t{64} * 1024;
inline constexpr std::size_t kGuestinfoMaxTotalBytes = std::size_t{1024} * 1024;

// Why ESXi would not carry guestinfo.<key> = value, e.g. "guestinfo key 'kkk...' is 70000
// characters; ESXi allows at most 65517 ..."; nullopt when it would.
std::optional<std::string> guestinfo_limit_error(const std::string& key, const std::string& value);

// Why the whole set is too large for a .vmx file: counts "guestinfo." + key + value bytes
// of every entry against kGuestinfoMaxTotalBytes; nullopt when it fits.
std::optional<std::string> guestinfo_total_error(
    const std::map<std::string, std::string>& guestinfo);

}  // namespace rh
