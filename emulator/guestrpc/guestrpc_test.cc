// Unit tests of the GuestRPC state machine: iPXE's exact register sequence, open-vm-tools'
// cookie + high-bandwidth sequence, and every failure path.
#include "emulator/guestrpc/guestrpc.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rh {
namespace {

struct Event {
  int channel;
  std::string kind;
  std::string text;
  bool operator==(const Event&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Event& e) {
  return os << "{ch=" << e.channel << " " << e.kind << " \"" << e.text << "\"}";
}

// A host with a guestinfo map and an event recorder around guestrpc_state.
class Host {
 public:
  Host() {
    guestrpc_callbacks cb{this, &Host::lookup, &Host::on_event};
    state_ = guestrpc_new(&cb);
  }
  ~Host() { guestrpc_free(state_); }
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  guestrpc_state* state() { return state_; }
  std::map<std::string, std::string> values;
  std::vector<Event> events;
  std::vector<std::string> errors() const {
    std::vector<std::string> out;
    for (const Event& e : events) {
      if (e.kind == "error") out.push_back(e.text);
    }
    return out;
  }

 private:
  static const char* lookup(void* opaque, const char* key, size_t* len) {
    auto* self = static_cast<Host*>(opaque);
    auto it = self->values.find(key);
    if (it == self->values.end()) return nullptr;
    *len = it->second.size();
    return it->second.data();
  }
  static void on_event(void* opaque, int channel, guestrpc_event_kind kind, const char* text,
                       size_t len) {
    static_cast<Host*>(opaque)->events.push_back(
        {channel, guestrpc_event_name(kind), std::string(text, len)});
  }
  guestrpc_state* state_;
};

constexpr uint32_t kMagic = 0x564D5868;

// iPXE's vmware_cmd_guestrpc(): EAX magic, EBX parameter, ECX command | subcommand << 16,
// EDX port | channel << 16; returns ECX. ESI/EDI hold sentinels that must survive.
struct Call {
  uint32_t status, ebx;
  uint16_t edx_high;
  bool esi_edi_untouched;
};

Call ipxe_call(Host& host, uint16_t channel, uint16_t sub, uint32_t param) {
  guestrpc_regs r{kMagic,
                  param,
                  0x1eu | (uint32_t{sub} << 16),
                  0x5658u | (uint32_t{channel} << 16),
                  0x11111111,
                  0x22222222,
                  0x33333333};
  guestrpc_backdoor(host.state(), &r);
  return {r.ecx, r.ebx, static_cast<uint16_t>(r.edx >> 16),
          r.esi == 0x11111111 && r.edi == 0x22222222 && r.ebp == 0x33333333};
}

// iPXE's guestrpc_command(): returns the reply without its 2-byte status, or the status
// word that failed as "fail <step> <status>".
struct IpxeReply {
  std::string failure;  // empty on protocol success
  std::string status;   // the reply's first two bytes ("1 " on success)
  std::string text;     // the rest
};

IpxeReply ipxe_command(Host& host, uint16_t channel, const std::string& command) {
  IpxeReply out;
  Call c = ipxe_call(host, channel, 1, static_cast<uint32_t>(command.size()));
  if (c.status != 0x00810000) return {"command-len " + std::to_string(c.status), "", ""};
  for (size_t i = 0; i < command.size(); i += 4) {
    uint32_t data = 0;
    for (size_t b = 0; b < 4 && i + b < command.size(); b++) {
      data |= uint32_t{static_cast<uint8_t>(command[i + b])} << (8 * b);
    }
    c = ipxe_call(host, channel, 2, data);
    if (c.status != 0x00010000) return {"command-data " + std::to_string(c.status), "", ""};
  }
  c = ipxe_call(host, channel, 3, 0);
  if (c.status != 0x00830000) return {"reply-len " + std::to_string(c.status), "", ""};
  uint16_t reply_id = c.edx_high;
  std::string reply;
  for (uint32_t remaining = c.ebx; remaining > 0; remaining -= std::min(remaining, 4u)) {
    c = ipxe_call(host, channel, 4, reply_id);
    if (c.status != 0x00010000) return {"reply-data " + std::to_string(c.status), "", ""};
    for (uint32_t b = 0; b < std::min(remaining, 4u); b++) reply += char((c.ebx >> (8 * b)) & 0xff);
  }
  c = ipxe_call(host, channel, 5, reply_id);
  if (c.status != 0x00010000) return {"reply-finish " + std::to_string(c.status), "", ""};
  out.status = reply.substr(0, 2);
  out.text = reply.size() > 2 ? reply.substr(2) : "";
  return out;
}

TEST(GuestRpcIpxe, OpenReturnsChannelZeroWithExactStatusAndKeepsEsiEdi) {
  Host host;
  Call c = ipxe_call(host, 0, 0, 0x49435052);
  EXPECT_EQ(c.status, 0x00010000u);
  EXPECT_EQ(c.edx_high, 0);
  EXPECT_TRUE(c.esi_edi_untouched);
  EXPECT_EQ(host.events, (std::vector<Event>{{0, "open", "RPCI"}}));
}

TEST(GuestRpcIpxe, FoundKeyTwiceAsGuestinfoFetchDoes) {
  Host host;
  host.values["ipxe.net0.ip"] = "10.0.0.10";
  ipxe_call(host, 0, 0, 0x49435052);
  // guestinfo_fetch_type() first asks for the length only, then for the value.
  for (int i = 0; i < 2; i++) {
    IpxeReply r = ipxe_command(host, 0, "info-get guestinfo.ipxe.net0.ip");
    EXPECT_EQ(r.failure, "");
    EXPECT_EQ(r.status, "1 ");
    EXPECT_EQ(r.text, "10.0.0.10");
  }
  EXPECT_EQ(host.events[1], (Event{0, "request", "info-get guestinfo.ipxe.net0.ip"}));
  EXPECT_EQ(host.events[2], (Event{0, "reply", "1 10.0.0.10"}));
  EXPECT_TRUE(host.errors().empty());
}

TEST(GuestRpcIpxe, MissingKeyGetsVmwareFailureReply) {
  Host host;
  ipxe_call(host, 0, 0, 0x49435052);
  IpxeReply r = ipxe_command(host, 0, "info-get guestinfo.ipxe.net0.ip.ipv4");
  EXPECT_EQ(r.failure, "");
  EXPECT_EQ(r.status, "0 ");
  EXPECT_EQ(r.text, "No value found");
}

TEST(GuestRpcIpxe, ReplyLengthCallReturnsLengthAndReplyIdOne) {
  Host host;
  host.values["k"] = "abcde";
  ipxe_call(host, 0, 0, 0x49435052);
  const std::string cmd = "info-get guestinfo.k";
  ipxe_call(host, 0, 1, static_cast<uint32_t>(cmd.size()));
  for (size_t i = 0; i < cmd.size(); i += 4) {
    uint32_t d = 0;
    for (size_t b = 0; b < 4 && i + b < cmd.size(); b++)
      d |= uint32_t(uint8_t(cmd[i + b])) << (8 * b);
    ipxe_call(host, 0, 2, d);
  }
  Call c = ipxe_call(host, 0, 3, 0);
  EXPECT_EQ(c.status, 0x00830000u);
  EXPECT_EQ(c.ebx, 7u);  // "1 abcde"
  EXPECT_EQ(c.edx_high, 1);
  EXPECT_TRUE(c.esi_edi_untouched);
  c = ipxe_call(host, 0, 4, 1);
  EXPECT_EQ(c.ebx, 0x62612031u);  // "1 ab", first byte lowest
  c = ipxe_call(host, 0, 4, 1);
  EXPECT_EQ(c.ebx, 0x00656463u);  // "cde", zero-padded
  EXPECT_EQ(ipxe_call(host, 0, 5, 1).status, 0x00010000u);
}

TEST(GuestRpcIpxe, LogInfoSetToolsVersionAndUnknownCommand) {
  Host host;
  host.values["ipxe.x"] = "from fw_cfg";
  ipxe_call(host, 0, 0, 0x49435052);
  IpxeReply r = ipxe_command(host, 0, "log iPXE booting \"now\"");
  EXPECT_EQ(r.status + r.text, "1 ");
  r = ipxe_command(host, 0, "info-set guestinfo.ipxe.x set by guest");
  EXPECT_EQ(r.status + r.text, "1 ");
  r = ipxe_command(host, 0, "info-get guestinfo.ipxe.x");
  EXPECT_EQ(r.status + r.text, "1 set by guest");
  r = ipxe_command(host, 0, "tools.set.version 12345");
  EXPECT_EQ(r.status + r.text, "1 ");
  r = ipxe_command(host, 0, "frobnicate");
  EXPECT_EQ(r.status + r.text, "0 Unknown command");
  r = ipxe_command(host, 0, "info-get vmx.other");
  EXPECT_EQ(r.status + r.text, "0 No value found");
  EXPECT_EQ(host.events[1], (Event{0, "request", "log iPXE booting \"now\""}));
  EXPECT_TRUE(host.errors().empty());
}

TEST(GuestRpcIpxe, CloseThenCallsOnTheChannelFail) {
  Host host;
  ipxe_call(host, 0, 0, 0x49435052);
  EXPECT_EQ(ipxe_call(host, 0, 6, 0).status, 0x00010000u);
  EXPECT_EQ(ipxe_call(host, 0, 1, 4).status, 0u);
  EXPECT_EQ(host.events.back(), (Event{0, "error", "send-size on channel 0, which is not open"}));
  EXPECT_EQ(host.events[1], (Event{0, "close", ""}));
}

// open-vm-tools' Message_Open/Send/Receive/Close with cookies and the HB port, one byte
// per call as TCG delivers `rep outsb` / `rep insb`.
class OvtGuest {
 public:
  explicit OvtGuest(Host& host) : host_(host) {}

  bool open() {
    guestrpc_regs r{kMagic, 0x49435052u | 0x80000000u, 0x1e, 0x5658, 0, 0, 0};
    guestrpc_backdoor(host_.state(), &r);
    id_ = r.edx >> 16;
    cookie_high_ = r.esi;
    cookie_low_ = r.edi;
    return (r.ecx >> 16) & 1;
  }
  uint32_t call(uint16_t sub, uint32_t ebx, uint32_t* ebx_out = nullptr,
                uint32_t* edx_out = nullptr) {
    guestrpc_regs r{
        kMagic,      ebx, 0x1eu | (uint32_t{sub} << 16), 0x5658u | (id_ << 16), cookie_high_,
        cookie_low_, 0};
    guestrpc_backdoor(host_.state(), &r);
    if (ebx_out) *ebx_out = r.ebx;
    if (edx_out) *edx_out = r.edx;
    return r.ecx >> 16;
  }
  uint32_t hb_out(const std::string& data) {
    guestrpc_regs r{kMagic, 0x00010000,  0,           0x5659u | (id_ << 16),
                    0x1000, cookie_low_, cookie_high_};
    for (size_t i = 0; i < data.size(); i++) {
      r.ecx = static_cast<uint32_t>(data.size() - i);
      r.esi = static_cast<uint32_t>(0x1000 + i);
      guestrpc_hb_out(host_.state(), &r, static_cast<uint8_t>(data[i]));
    }
    return r.ebx >> 16;
  }
  uint32_t hb_in(size_t len, std::string* out) {
    guestrpc_regs r{kMagic,       0x00010000, 0,          0x5659u | (id_ << 16),
                    cookie_high_, 0x2000,     cookie_low_};
    for (size_t i = 0; i < len; i++) {
      r.ecx = static_cast<uint32_t>(len - i);
      r.edi = static_cast<uint32_t>(0x2000 + i);
      *out += static_cast<char>(guestrpc_hb_in(host_.state(), &r));
    }
    return r.ebx >> 16;
  }
  // Message_Send then Message_Receive; returns the reply or "FAIL <step>".
  std::string rpc(const std::string& request) {
    if (call(1, static_cast<uint32_t>(request.size())) != 0x81) return "FAIL send-size";
    if ((hb_out(request) & 1) == 0) return "FAIL hb-out";
    uint32_t size = 0, edx = 0;
    if (call(3, 0, &size, &edx) != 0x83) return "FAIL recv-size";
    if ((edx >> 16) != 1) return "FAIL type";
    std::string reply;
    if ((hb_in(size, &reply) & 1) == 0) return "FAIL hb-in";
    if (call(5, 1) != 1) return "FAIL recv-status";
    return reply;
  }
  uint32_t id() const { return id_; }
  uint32_t cookie_high_ = 0, cookie_low_ = 0;

 private:
  Host& host_;
  uint32_t id_ = 0;
};

TEST(GuestRpcOpenVmTools, CookieOpenAndHighBandwidthRoundTrip) {
  Host host;
  host.values["foo"] = "bar";
  OvtGuest guest(host);
  ASSERT_TRUE(guest.open());
  EXPECT_NE(guest.cookie_high_, guest.cookie_low_);
  EXPECT_EQ(guest.rpc("info-get guestinfo.foo"), "1 bar");
  EXPECT_EQ(guest.rpc("info-get guestinfo.nope"), "0 No value found");
  EXPECT_EQ(guest.rpc("log hello from rpctool"), "1 ");
  EXPECT_EQ(guest.call(6, 0), 1u);
  EXPECT_EQ(host.events.front(), (Event{0, "open", "RPCI cookie"}));
  EXPECT_EQ(host.events[5], (Event{0, "request", "log hello from rpctool"}));
  EXPECT_EQ(host.events.back(), (Event{0, "close", ""}));
  EXPECT_TRUE(host.errors().empty());
}

TEST(GuestRpcOpenVmTools, RecvSizeWithNothingPendingSucceedsWithoutDorecv) {
  Host host;
  OvtGuest guest(host);
  ASSERT_TRUE(guest.open());
  uint32_t size = 99;
  EXPECT_EQ(guest.call(3, 0, &size), 0x81u);
  EXPECT_EQ(size, 0u);
}

TEST(GuestRpcOpenVmTools, SendSizeDuringSendingRestartsTheMessage) {
  Host host;
  OvtGuest guest(host);
  ASSERT_TRUE(guest.open());
  EXPECT_EQ(guest.call(1, 100), 0x81u);
  EXPECT_EQ(guest.call(2, 0x41414141), 1u);
  EXPECT_EQ(guest.rpc("tools.set.version 1"), "1 ");
}

TEST(GuestRpcOpenVmTools, RecvStatusZeroDropsTheReply) {
  Host host;
  OvtGuest guest(host);
  ASSERT_TRUE(guest.open());
  guest.call(1, 3);
  guest.hb_out("log");
  guest.call(3, 0);
  EXPECT_EQ(guest.call(5, 0), 1u);
  EXPECT_EQ(guest.call(4, 1), 0u);
}

TEST(GuestRpcOpenVmTools, WrongCookieFails) {
  Host host;
  OvtGuest guest(host);
  ASSERT_TRUE(guest.open());
  guest.cookie_low_ ^= 1;
  EXPECT_EQ(guest.call(1, 4), 0u);
  EXPECT_EQ(host.errors().size(), 1u);
  EXPECT_EQ(host.errors()[0].rfind("send-size on channel 0 with wrong cookie ", 0), 0u);
}

// ---- failure paths: status 0 and one error event with the exact message ----

struct Failure {
  const char* name;
  void (*setup)(Host&);  // leaves channel 0 in the state under test
  uint16_t channel, sub;
  uint32_t ebx;
  const char* error;
};

void open_only(Host& host) { ipxe_call(host, 0, 0, 0x49435052); }
void sending(Host& host) {
  open_only(host);
  ipxe_call(host, 0, 1, 8);
  ipxe_call(host, 0, 2, 0x6f666e69);
}
void reply_pending(Host& host) {
  open_only(host);
  ipxe_call(host, 0, 1, 3);
  ipxe_call(host, 0, 2, 0x00676f6c);  // "log"
}
void receiving(Host& host) {
  reply_pending(host);
  ipxe_call(host, 0, 3, 0);
}
void received_all(Host& host) {
  receiving(host);
  ipxe_call(host, 0, 4, 1);
}

const Failure kFailures[] = {
    {"ChannelOutOfRange", open_only, 8, 1, 4, "send-size on channel 8, which is not open"},
    {"ChannelNeverOpened", open_only, 3, 3, 0, "recv-size on channel 3, which is not open"},
    {"HugeChannel", open_only, 0xffff, 6, 0, "close on channel 65535, which is not open"},
    {"UnknownSubcommand", open_only, 0, 7, 0, "unknown subcommand 7"},
    {"SubcommandFfff", open_only, 0, 0xffff, 0, "unknown subcommand 65535"},
    {"SendSizeTooLarge", open_only, 0, 1, 65537, "send-size 65537 exceeds 65536"},
    {"SendSizeMaxUint", open_only, 0, 1, 0xffffffff, "send-size 4294967295 exceeds 65536"},
    {"PayloadBeforeSize", open_only, 0, 2, 0, "send-payload without a pending send-size"},
    {"PayloadAfterComplete", reply_pending, 0, 2, 0, "send-payload without a pending send-size"},
    {"RecvSizeMidSend", sending, 0, 3, 0, "recv-size after 4 of 8 request bytes"},
    {"RecvPayloadBeforeRecvSize", reply_pending, 0, 4, 1,
     "recv-payload without a reply being received"},
    {"RecvPayloadWrongReplyId", receiving, 0, 4, 2, "recv-payload with reply id 2 (expected 1)"},
    {"RecvPayloadPastEnd", received_all, 0, 4, 1, "recv-payload past the end of a 2-byte reply"},
    {"RecvStatusBeforeRecvSize", reply_pending, 0, 5, 1,
     "recv-status without a reply being received"},
    {"RecvStatusIdle", open_only, 0, 5, 1, "recv-status without a reply being received"},
    {"RecvStatusWrongReplyId", receiving, 0, 5, 7, "recv-status with reply id 7 (expected 1)"},
    {"SendSizeWithReplyUnread", receiving, 0, 1, 4,
     "send-size 4 while a reply of 2 bytes is unread"},
};

class GuestRpcFailure : public testing::TestWithParam<Failure> {};

TEST_P(GuestRpcFailure, GetsStatusZeroAndOneErrorEvent) {
  const Failure& f = GetParam();
  Host host;
  f.setup(host);
  ASSERT_TRUE(host.errors().empty());
  Call c = ipxe_call(host, f.channel, f.sub, f.ebx);
  EXPECT_EQ(c.status, 0u);
  EXPECT_TRUE(c.esi_edi_untouched);
  EXPECT_EQ(host.errors(), std::vector<std::string>{f.error});
}

INSTANTIATE_TEST_SUITE_P(All, GuestRpcFailure, testing::ValuesIn(kFailures),
                         [](const testing::TestParamInfo<Failure>& i) { return i.param.name; });

TEST(GuestRpcErrors, BadMagicOrCommand) {
  Host host;
  guestrpc_regs r{0x12345678, 0x49435052, 0x1e, 0x5658, 0, 0, 0};
  guestrpc_backdoor(host.state(), &r);
  EXPECT_EQ(r.ecx, 0u);
  r = {kMagic, 0x49435052, 0x1f, 0x5658, 0, 0, 0};
  guestrpc_backdoor(host.state(), &r);
  EXPECT_EQ(r.ecx, 0u);
  EXPECT_EQ(host.errors(),
            (std::vector<std::string>{"backdoor call with EAX 12345678, command 001e",
                                      "backdoor call with EAX 564d5868, command 001f"}));
}

TEST(GuestRpcErrors, OpenWithOtherProtocol) {
  Host host;
  EXPECT_EQ(ipxe_call(host, 0, 0, 0x4f4c4354).status, 0u);  // TCLO
  EXPECT_EQ(host.errors(), std::vector<std::string>{"open with unsupported protocol 4f4c4354"});
}

TEST(GuestRpcErrors, NinthOpenFailsAndClosingFreesAChannel) {
  Host host;
  for (uint16_t i = 0; i < 8; i++) {
    Call c = ipxe_call(host, 0, 0, 0x49435052);
    EXPECT_EQ(c.status, 0x00010000u);
    EXPECT_EQ(c.edx_high, i);
  }
  EXPECT_EQ(ipxe_call(host, 0, 0, 0x49435052).status, 0u);
  EXPECT_EQ(host.errors(), std::vector<std::string>{"open: all 8 channels are in use"});
  ipxe_call(host, 5, 6, 0);
  Call c = ipxe_call(host, 0, 0, 0x49435052);
  EXPECT_EQ(c.status, 0x00010000u);
  EXPECT_EQ(c.edx_high, 5);
}

TEST(GuestRpcErrors, ResetClosesChannelsAndKeepsInfoSetValues) {
  Host host;
  for (int i = 0; i < 8; i++) open_only(host);
  EXPECT_EQ(ipxe_command(host, 7, "info-set guestinfo.kept yes").status, "1 ");
  guestrpc_reset_channels(host.state());
  EXPECT_EQ(ipxe_call(host, 7, 1, 4).status, 0u);
  Call c = ipxe_call(host, 0, 0, 0x49435052);
  EXPECT_EQ(c.status, 0x00010000u);
  EXPECT_EQ(c.edx_high, 0);
  EXPECT_EQ(ipxe_command(host, 0, "info-get guestinfo.kept").text, "yes");
}

TEST(GuestRpcErrors, ValueTooLongForAReply) {
  Host host;
  host.values["big"] = std::string(GUESTRPC_MAX_REPLY - 1, 'x');
  open_only(host);
  EXPECT_EQ(ipxe_command(host, 0, "info-get guestinfo.big").text, "Value too long");
  host.values["big"].resize(GUESTRPC_MAX_REPLY - 2);
  EXPECT_EQ(ipxe_command(host, 0, "info-get guestinfo.big").text, host.values["big"]);
}

TEST(GuestRpcErrors, InfoSetIsBoundedInKeysAndBytes) {
  Host host;
  open_only(host);
  size_t stored = 0;  // key and value bytes the store holds, as it counts them
  for (int i = 0; i < GUESTRPC_MAX_SET_KEYS; i++) {
    std::string key = "k" + std::to_string(i);
    ASSERT_EQ(ipxe_command(host, 0, "info-set guestinfo." + key + " v").status, "1 ") << key;
    stored += key.size() + 1;
  }
  EXPECT_EQ(ipxe_command(host, 0, "info-set guestinfo.one-more v").text,
            "Too many guestinfo values");
  EXPECT_EQ(ipxe_command(host, 0, "info-set guestinfo.k0 replaced").status, "1 ");
  EXPECT_EQ(ipxe_command(host, 0, "info-get guestinfo.k0").text, "replaced");
  stored += std::string("replaced").size() - 1;
  // Values as large as a message allows fill the store up to GUESTRPC_MAX_SET_BYTES.
  int replaced = 0;
  for (int i = 1; i < 100; i++) {
    const std::string set = "info-set guestinfo.k" + std::to_string(i) + " ";
    const std::string big(GUESTRPC_MAX_MESSAGE - set.size(), 'v');
    const bool fits = stored - 1 + big.size() <= GUESTRPC_MAX_SET_BYTES;
    const IpxeReply r = ipxe_command(host, 0, set + big);
    if (!fits) {
      EXPECT_EQ(r.text, "Too many guestinfo values");
      EXPECT_EQ(ipxe_command(host, 0, set + big + "v").failure, "command-len 0");
      break;
    }
    ASSERT_EQ(r.status, "1 ") << i;
    stored += big.size() - 1;
    replaced++;
  }
  EXPECT_EQ(replaced, 15);  // 1024 small keys leave room for 15 values of ~64 KiB in 1 MiB
  EXPECT_EQ(ipxe_command(host, 0, "info-get guestinfo.k1").text.size(), GUESTRPC_MAX_MESSAGE - 22u);
  EXPECT_EQ(ipxe_command(host, 0, "info-set nokey").text, "Invalid key");
  EXPECT_EQ(ipxe_command(host, 0, "info-set guestinfo. v").text, "Invalid key");
}

TEST(GuestRpcHighBandwidth, SendWithoutSendSizeFailsOnceAndSetsStatusOnLastByte) {
  Host host;
  OvtGuest guest(host);
  ASSERT_TRUE(guest.open());
  EXPECT_EQ(guest.hb_out("hello"), 0u);
  EXPECT_EQ(host.errors(), std::vector<std::string>{"hb-send without a pending send-size"});
}

TEST(GuestRpcHighBandwidth, SendLongerThanAnnouncedFails) {
  Host host;
  OvtGuest guest(host);
  ASSERT_TRUE(guest.open());
  guest.call(1, 3);
  EXPECT_EQ(guest.hb_out("log extra"), 0u);
  EXPECT_EQ(host.errors(), std::vector<std::string>{"hb-send of more than the 3 bytes announced"});
  EXPECT_EQ(guest.rpc("log ok"), "1 ");  // the channel recovers
}

TEST(GuestRpcHighBandwidth, SendShorterThanAnnouncedFails) {
  Host host;
  OvtGuest guest(host);
  ASSERT_TRUE(guest.open());
  guest.call(1, 10);
  EXPECT_EQ(guest.hb_out("log"), 0u);
  EXPECT_EQ(host.errors(), std::vector<std::string>{"hb-send ended after 3 of 10 bytes"});
}

TEST(GuestRpcHighBandwidth, ReceivePastEndFails) {
  Host host;
  OvtGuest guest(host);
  ASSERT_TRUE(guest.open());
  guest.call(1, 3);
  guest.hb_out("log");
  guest.call(3, 0);
  std::string reply;
  EXPECT_EQ(guest.hb_in(5, &reply), 0u);
  EXPECT_EQ(reply.substr(0, 2), "1 ");
  EXPECT_EQ(host.errors(), std::vector<std::string>{"hb-receive past the end of a 2-byte reply"});
}

TEST(GuestRpcHighBandwidth, ReceiveShorterThanReplyFails) {
  Host host;
  OvtGuest guest(host);
  ASSERT_TRUE(guest.open());
  host.values["k"] = "long value";
  guest.call(1, 20);
  guest.hb_out("info-get guestinfo.k");
  guest.call(3, 0);
  std::string reply;
  EXPECT_EQ(guest.hb_in(3, &reply), 0u);
}

TEST(GuestRpcHighBandwidth, WrongCookieOrMagicFails) {
  Host host;
  OvtGuest guest(host);
  ASSERT_TRUE(guest.open());
  guest.call(1, 3);
  uint32_t good = guest.cookie_high_;
  guest.cookie_high_ ^= 0x100;
  EXPECT_EQ(guest.hb_out("log"), 0u);
  guest.cookie_high_ = good;
  guestrpc_regs r{0, 0x00010000, 1, 0x5659, 0, guest.cookie_low_, guest.cookie_high_};
  guestrpc_hb_out(host.state(), &r, 'x');
  EXPECT_EQ(r.ebx, 0u);
  ASSERT_EQ(host.errors().size(), 2u);
  EXPECT_EQ(host.errors()[0].rfind("hb-send on channel 0 with wrong cookie ", 0), 0u);
  EXPECT_EQ(host.errors()[1], "hb-send with EAX 00000000, EBX 00010000");
}

TEST(GuestRpcEscape, EscapesQuotesBackslashesAndBinary) {
  const std::string in = std::string("a\"b\\c\n\r\t") + '\0' + "\x7f\xff z";
  std::string out(guestrpc_escaped_size(in.size()), '?');
  size_t n = guestrpc_escape(in.data(), in.size(), out.data());
  out.resize(n);
  EXPECT_EQ(out, "a\\\"b\\\\c\\n\\r\\t\\x00\\x7f\\xff z");
}

}  // namespace
}  // namespace rh
