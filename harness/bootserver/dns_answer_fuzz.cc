// libFuzzer target for the DNS responder's packet parser: the input is one
// UDP payload from the guest. dns_answer() is the whole of what the
// responder does with a packet besides recvfrom/sendto.
//
// Must hold for any input: an answer is a response (QR set) to the same id
// with exactly the question that was asked, copied byte for byte; it grows
// the packet by at most one A record; the name asked, as the responder logs
// it, is lower case and printable with no space (escaped master-file form),
// at most 4 characters per wire octet of RFC 1035's 255.
//
//   cmake --preset fuzz && cmake --build --preset fuzz --target dns_answer_fuzz
//   build-fuzz/harness/bootserver/dns_answer_fuzz harness/bootserver/corpus/dns_answer_fuzz
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include "harness/bootserver/dns_responder.h"

extern "C" int LLVMFuzzerTestOneInput(  // NOLINT(readability-identifier-naming)
    const std::uint8_t* data, std::size_t size) {
  static const std::map<std::string, std::string> kNames{{"boot.example.test", "10.0.0.1"},
                                                         {"bad.example.test", "not-an-ip"}};
  const std::string query(reinterpret_cast<const char*>(data), size);
  std::string asked;
  const auto reply = rh::dns_answer(query, kNames, &asked);
  if (!reply) return 0;
  constexpr std::size_t kHeader = 12;
  constexpr std::size_t kARecord = 16;
  const std::string& r = *reply;
  if (r.size() < kHeader + 5 || r.compare(0, 2, query, 0, 2) != 0) std::abort();
  if ((static_cast<unsigned char>(r[2]) & 0x80) == 0) std::abort();  // QR
  if (r[4] != 0 || r[5] != 1) std::abort();                          // one question
  const std::size_t question = r.size() - kHeader - (r[7] == 1 ? kARecord : 0);
  if (r.compare(kHeader, question, query, kHeader, question) != 0) std::abort();
  if (r.size() > query.size() + kARecord) std::abort();
  if (asked.size() > 4UL * 255) std::abort();
  for (const char c : asked) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || (c >= 'A' && c <= 'Z')) std::abort();
  }
  return 0;
}
