#include "harness/core/guestinfo_limits.h"

#include <cstdio>

namespace rh {
namespace {

constexpr std::size_t kShownKeyLength = 40;
constexpr std::string_view kPrefix = "guestinfo.";

// The key as an error message shows it: at most 40 bytes, unprintable bytes as \xHH.
std::string shown_key(const std::string& key) {
  std::string out;
  for (std::size_t i = 0; i < key.size() && i < kShownKeyLength; i++) {
    const auto ch = static_cast<unsigned char>(key[i]);
    if (ch < 0x20 || ch > 0x7e || ch == '\\' || ch == '\'') {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", ch);
      out += hex;
    } else {
      out += static_cast<char>(ch);
    }
  }
  if (key.size() > kShownKeyLength) out += "...";
  return "'" + out + "'";
}

// The first byte a key cannot hold (whitespace or control), or npos.
std::size_t first_bad_byte(const std::string& key) {
  for (std::size_t i = 0; i < key.size(); i++) {
    const auto ch = static_cast<unsigned char>(key[i]);
    if (ch <= 0x20 || ch == 0x7f) return i;
  }
  return std::string::npos;
}

}  // namespace

std::optional<std::string> guestinfo_limit_error(const std::string& key, const std::string& value) {
  if (key.empty()) return "guestinfo key is empty";
  if (key.size() > kGuestinfoMaxKeyLength) {
    return "guestinfo key " + shown_key(key) + " is " + std::to_string(key.size()) +
           " characters; ESXi allows at most " + std::to_string(kGuestinfoMaxKeyLength) +
           " (a guest names it in one GuestRPC message, '" + std::string(kGuestinfoGetCommand) +
           "<key>', of at most " + std::to_string(kGuestRpcMaxGuestMessage) + " bytes)";
  }
  if (const std::size_t at = first_bad_byte(key); at != std::string::npos) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(key[at]));
    return "guestinfo key " + shown_key(key) + " has byte " + hex + " at offset " +
           std::to_string(at) +
           "; ESXi keys hold no whitespace or control characters (a guest's info-set ends the "
           "key at the first space)";
  }
  if (value.size() > kGuestinfoMaxValueBytes) {
    return "guestinfo key " + shown_key(key) + " has a value of " + std::to_string(value.size()) +
           " bytes; ESXi allows at most " + std::to_string(kGuestinfoMaxValueBytes) +
           " per value (VMware Tools' 64 KiB GuestRPC message limit)";
  }
  return std::nullopt;
}

std::optional<std::string> guestinfo_total_error(
    const std::map<std::string, std::string>& guestinfo) {
  std::size_t total = 0;
  for (const auto& [key, value] : guestinfo) total += kPrefix.size() + key.size() + value.size();
  if (total <= kGuestinfoMaxTotalBytes) return std::nullopt;
  return "guestinfo totals " + std::to_string(total) + " bytes in " +
         std::to_string(guestinfo.size()) + " keys; ESXi's .vmx file holds at most " +
         std::to_string(kGuestinfoMaxTotalBytes) + " by default (tools.setInfo.sizeLimit)";
}

}  // namespace rh
