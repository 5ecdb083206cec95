#include "harness/vm/dns_address.h"

#include <unistd.h>

#include <atomic>

namespace rh {

std::string dns_responder_address(unsigned pid, unsigned sequence) {
  constexpr unsigned kPidBits = 0x3fff;  // 14 bits: 64 x 256 blocks
  constexpr unsigned kPerBlock = 250;    // .2 to .251
  const unsigned block = pid & kPidBits;
  return "127." + std::to_string(64 + (block >> 8)) + "." + std::to_string(block & 0xff) + "." +
         std::to_string(sequence % kPerBlock + 2);
}

std::string next_dns_responder_address() {
  static std::atomic<unsigned> next{0};
  return dns_responder_address(static_cast<unsigned>(::getpid()), next++);
}

std::string resolv_conf_text(const std::string& scenario, const std::string& dns_server) {
  return "# romharness: DNS for " + scenario + "\nnameserver " + dns_server + "\n";
}

}  // namespace rh
