// libFuzzer target: arbitrary sequences of backdoor and high-bandwidth calls, and machine
// resets, against one guestrpc_state. Besides ASan/UBSan findings it checks that every status the
// guest sees is one the protocol defines, and that memory is released (LeakSanitizer at exit).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "emulator/guestrpc/guestrpc.h"

namespace {

const char* Lookup(void* opaque, const char* key, size_t* len) {
  auto* value = static_cast<std::string*>(opaque);
  if (key[0] == '\0' || key[0] == 'm') return nullptr;  // "missing" keys
  *len = key[0] == 'b' ? value->size() : 5;             // "big" keys get a long value
  return value->data();
}

void OnEvent(void*, int, guestrpc_event_kind kind, const char* text, size_t len) {
  std::string escaped(guestrpc_escaped_size(len), '\0');
  size_t n = guestrpc_escape(text, len, escaped.data());
  if (n >= escaped.size() || guestrpc_event_name(kind)[0] == 'u') abort();
}

uint32_t Le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

bool AllowedStatus(uint32_t ecx) {
  switch (ecx) {
    case 0:
    case 0x00010000:
    case 0x00810000:
    case 0x00830000:
      return true;
    default:
      return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string big(GUESTRPC_MAX_MESSAGE, 'v');
  guestrpc_callbacks cb{&big, Lookup, OnEvent};
  guestrpc_state* s = guestrpc_new(&cb);
  uint32_t cookie_high = 0, cookie_low = 0;
  // Each call takes 8 bytes: op, selector, channel, EBX (4), count.
  for (; size >= 8; data += 8, size -= 8) {
    uint8_t op = data[0] % 4, sel = data[1], channel = data[2] % 10;
    if (op == 3) {  // machine reset
      guestrpc_reset_channels(s);
      continue;
    }
    uint32_t ebx = Le32(data + 3);
    if (sel & 0x40) ebx &= 0xff;  // small lengths and reply ids are the interesting ones
    guestrpc_regs r{sel == 0xff ? ebx : GUESTRPC_BACKDOOR_MAGIC,
                    ebx,
                    0,
                    uint32_t{channel} << 16 | 0x5658u,
                    cookie_high,
                    cookie_low,
                    cookie_high};
    if (sel & 0x20) r.esi ^= 1;
    if (op == 0) {
      r.ecx = uint32_t{static_cast<uint8_t>(sel % 9)} << 16 | GUESTRPC_CMD_MESSAGE;
      if (sel % 9 == 0 && (sel & 0x10))
        r.ebx = GUESTRPC_PROTO_RPCI | GUESTRPC_FLAG_COOKIE;
      else if (sel % 9 == 0)
        r.ebx = GUESTRPC_PROTO_RPCI;
      guestrpc_backdoor(s, &r);
      if (!AllowedStatus(r.ecx)) abort();
      if (sel % 9 == 0 && (sel & 0x10)) {
        cookie_high = r.esi;
        cookie_low = r.edi;
      }
    } else {
      r.ebx = (sel & 0x08) ? ebx : 0x00010000;
      r.edi = cookie_low;
      r.ebp = op == 1 ? cookie_high : cookie_low;
      for (uint32_t left = data[7] % 17 + 1; left > 0; left--) {
        r.ecx = left;
        if (op == 1)
          guestrpc_hb_out(s, &r, static_cast<uint8_t>(ebx >> (left % 4 * 8)));
        else
          guestrpc_hb_in(s, &r);
      }
      if (r.ebx != 0 && r.ebx != 0x00010000) abort();
    }
  }
  guestrpc_free(s);
  return 0;
}
