/*
 * VMware GuestRPC host side; see guestrpc.h. The protocol follows open-vm-tools'
 * lib/message/message.c (the guest side) and the exact status words iPXE's
 * src/arch/x86/interface/vmware/guestrpc.c insists on.
 */
#include "guestrpc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum phase {
  PHASE_IDLE,          /* waiting for send-size */
  PHASE_SENDING,       /* send-size seen, payload arriving */
  PHASE_REPLY_PENDING, /* request dispatched, reply waits for recv-size */
  PHASE_RECEIVING,     /* recv-size answered, payload and recv-status expected */
};

/* What recv-size returns in EDX's high word: open-vm-tools insists on MESSAGE_TYPE_SENDSIZE
 * (1); iPXE treats it as an opaque reply id and passes it back in EBX. */
#define REPLY_ID 1u
#define TYPE_SENDPAYLOAD 2u

typedef struct channel {
  int open;
  int cookie; /* opened with GUESTRPC_FLAG_COOKIE: ESI/EDI (or EBP on port 0x5659) checked */
  uint32_t cookie_high, cookie_low;
  enum phase phase;
  char* send; /* send_len + 1 bytes, NUL-terminated */
  uint32_t send_len, send_got;
  char* reply;
  uint32_t reply_len, reply_pos;
} channel;

typedef struct set_entry {
  char* key;
  char* value;
  size_t value_len;
} set_entry;

struct guestrpc_state {
  guestrpc_callbacks cb;
  channel ch[GUESTRPC_MAX_CHANNELS];
  uint32_t cookie_seed;
  int hb_failed; /* the current rep string operation already failed (report once) */
  set_entry set[GUESTRPC_MAX_SET_KEYS];
  size_t set_count, set_bytes;
};

/* ---- small helpers ---- */

static uint32_t status_word(uint32_t status) { return status << 16; }

static void emit(guestrpc_state* s, int chan, guestrpc_event_kind kind, const char* text,
                 size_t len) {
  if (s->cb.event) s->cb.event(s->cb.opaque, chan, kind, text, len);
}

static void fail(guestrpc_state* s, int chan, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(guestrpc_state* s, int chan, const char* fmt, ...) {
  char buf[160];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if ((size_t)n >= sizeof buf) n = sizeof buf - 1;
  emit(s, chan, GUESTRPC_EVENT_ERROR, buf, (size_t)n);
}

static void drop_message(channel* c) {
  free(c->send);
  free(c->reply);
  c->send = c->reply = NULL;
  c->send_len = c->send_got = c->reply_len = c->reply_pos = 0;
  c->phase = PHASE_IDLE;
}

static uint32_t next_cookie(guestrpc_state* s) {
  /* xorshift32: cookies only need to differ between opens, not to be secret. */
  uint32_t x = s->cookie_seed;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  s->cookie_seed = x;
  return x;
}

/* The channel named by EDX's high word, if open and (with cookies) the cookies match. */
static channel* lookup_channel(guestrpc_state* s, uint32_t edx, uint32_t cookie_high,
                               uint32_t cookie_low, const char* call) {
  uint32_t n = edx >> 16;
  if (n >= GUESTRPC_MAX_CHANNELS || !s->ch[n].open) {
    fail(s, (int)n, "%s on channel %u, which is not open", call, n);
    return NULL;
  }
  channel* c = &s->ch[n];
  if (c->cookie && (cookie_high != c->cookie_high || cookie_low != c->cookie_low)) {
    fail(s, (int)n, "%s on channel %u with wrong cookie %08x:%08x", call, n, cookie_high,
         cookie_low);
    return NULL;
  }
  return c;
}

/* ---- replies ---- */

static void set_reply(channel* c, const char* prefix, const char* value, size_t value_len) {
  size_t plen = strlen(prefix);
  c->reply = malloc(plen + value_len + 1);
  if (!c->reply) {
    c->reply_len = 0;
    return;
  }
  memcpy(c->reply, prefix, plen);
  if (value_len) memcpy(c->reply + plen, value, value_len);
  c->reply[plen + value_len] = '\0';
  c->reply_len = (uint32_t)(plen + value_len);
}

static set_entry* find_set(guestrpc_state* s, const char* key) {
  for (size_t i = 0; i < s->set_count; i++) {
    if (strcmp(s->set[i].key, key) == 0) return &s->set[i];
  }
  return NULL;
}

static const char* const kGuestinfoPrefix = "guestinfo.";

static void info_get(guestrpc_state* s, channel* c, const char* arg) {
  size_t plen = strlen(kGuestinfoPrefix);
  if (strncmp(arg, kGuestinfoPrefix, plen) != 0) {
    set_reply(c, "0 No value found", "", 0);
    return;
  }
  const char* key = arg + plen;
  set_entry* e = find_set(s, key);
  if (e) {
    set_reply(c, "1 ", e->value, e->value_len);
    return;
  }
  size_t len = 0;
  const char* value = s->cb.lookup ? s->cb.lookup(s->cb.opaque, key, &len) : NULL;
  if (!value) {
    set_reply(c, "0 No value found", "", 0);
  } else if (len > GUESTRPC_MAX_REPLY - 2) {
    set_reply(c, "0 Value too long", "", 0);
  } else {
    set_reply(c, "1 ", value, len);
  }
}

static int store_set(guestrpc_state* s, const char* key, const char* value) {
  size_t klen = strlen(key), vlen = strlen(value);
  set_entry* e = find_set(s, key);
  size_t old = e ? strlen(e->key) + e->value_len : 0;
  if (!e && s->set_count >= GUESTRPC_MAX_SET_KEYS) return 0;
  if (s->set_bytes - old + klen + vlen > GUESTRPC_MAX_SET_BYTES) return 0;
  char* copy = malloc(vlen + 1);
  if (!copy) return 0;
  memcpy(copy, value, vlen + 1);
  if (!e) {
    e = &s->set[s->set_count];
    e->key = malloc(klen + 1);
    if (!e->key) {
      free(copy);
      return 0;
    }
    memcpy(e->key, key, klen + 1);
    e->value = NULL;
    s->set_count++;
  }
  free(e->value);
  e->value = copy;
  e->value_len = vlen;
  s->set_bytes = s->set_bytes - old + klen + vlen;
  return 1;
}

static void info_set(guestrpc_state* s, channel* c, char* arg) {
  size_t plen = strlen(kGuestinfoPrefix);
  char* space = strchr(arg, ' ');
  if (strncmp(arg, kGuestinfoPrefix, plen) != 0 || !space || space == arg + plen) {
    set_reply(c, "0 Invalid key", "", 0);
    return;
  }
  *space = '\0';
  if (store_set(s, arg + plen, space + 1)) {
    set_reply(c, "1 ", "", 0);
  } else {
    set_reply(c, "0 Too many guestinfo values", "", 0);
  }
  *space = ' ';
}

/* Commands ESXi accepts with a bare "1 " that guest tools send on startup. */
static int accepted_silently(const char* verb) {
  static const char* const kVerbs[] = {"log", "tools.set.version", "SetGuestInfo", "vmx.set_option",
                                       "tools.os.statechange.status"};
  for (size_t i = 0; i < sizeof kVerbs / sizeof kVerbs[0]; i++) {
    if (strcmp(verb, kVerbs[i]) == 0) return 1;
  }
  return strncmp(verb, "tools.capability.", 17) == 0;
}

static void dispatch(guestrpc_state* s, int n, channel* c) {
  emit(s, n, GUESTRPC_EVENT_REQUEST, c->send, c->send_len);
  char* space = strchr(c->send, ' ');
  char* arg = space ? space + 1 : c->send + strlen(c->send);
  if (space) *space = '\0';
  if (strcmp(c->send, "info-get") == 0) {
    info_get(s, c, arg);
  } else if (strcmp(c->send, "info-set") == 0) {
    info_set(s, c, arg);
  } else if (accepted_silently(c->send)) {
    set_reply(c, "1 ", "", 0);
  } else {
    set_reply(c, "0 Unknown command", "", 0);
  }
  if (space) *space = ' ';
  free(c->send);
  c->send = NULL;
  c->send_len = c->send_got = 0;
  c->reply_pos = 0;
  c->phase = PHASE_REPLY_PENDING;
  emit(s, n, GUESTRPC_EVENT_REPLY, c->reply ? c->reply : "", c->reply_len);
}

/* ---- subcommands on port 0x5658 ---- */

static void do_open(guestrpc_state* s, guestrpc_regs* r) {
  uint32_t proto = r->ebx & ~GUESTRPC_FLAG_COOKIE;
  int cookie = (r->ebx & GUESTRPC_FLAG_COOKIE) != 0;
  if (proto != GUESTRPC_PROTO_RPCI) {
    fail(s, -1, "open with unsupported protocol %08x", r->ebx);
    return;
  }
  for (int n = 0; n < GUESTRPC_MAX_CHANNELS; n++) {
    channel* c = &s->ch[n];
    if (c->open) continue;
    memset(c, 0, sizeof *c);
    c->open = 1;
    c->cookie = cookie;
    if (cookie) {
      c->cookie_high = r->esi = next_cookie(s);
      c->cookie_low = r->edi = next_cookie(s);
    }
    r->edx = ((uint32_t)n << 16) | (r->edx & 0xffff);
    r->ecx = status_word(GUESTRPC_STATUS_SUCCESS);
    emit(s, n, GUESTRPC_EVENT_OPEN, cookie ? "RPCI cookie" : "RPCI", cookie ? 11 : 4);
    return;
  }
  fail(s, -1, "open: all %d channels are in use", GUESTRPC_MAX_CHANNELS);
}

static void do_send_size(guestrpc_state* s, int n, channel* c, guestrpc_regs* r) {
  if (c->phase != PHASE_IDLE && c->phase != PHASE_SENDING) {
    fail(s, n, "send-size %u while a reply of %u bytes is unread", r->ebx, c->reply_len);
    return;
  }
  drop_message(c); /* a send-size during sending restarts (open-vm-tools' checkpoint retry) */
  if (r->ebx > GUESTRPC_MAX_MESSAGE) {
    fail(s, n, "send-size %u exceeds %u", r->ebx, (unsigned)GUESTRPC_MAX_MESSAGE);
    return;
  }
  c->send = malloc((size_t)r->ebx + 1);
  if (!c->send) return;
  c->send_len = r->ebx;
  c->send[c->send_len] = '\0';
  c->phase = PHASE_SENDING;
  r->ecx = status_word(GUESTRPC_STATUS_SUCCESS | GUESTRPC_STATUS_HB);
  if (c->send_len == 0) dispatch(s, n, c);
}

static void do_send_payload(guestrpc_state* s, int n, channel* c, guestrpc_regs* r) {
  if (c->phase != PHASE_SENDING) {
    fail(s, n, "send-payload without a pending send-size");
    return;
  }
  for (int i = 0; i < 4 && c->send_got < c->send_len; i++) {
    c->send[c->send_got++] = (char)((r->ebx >> (8 * i)) & 0xff);
  }
  r->ecx = status_word(GUESTRPC_STATUS_SUCCESS);
  if (c->send_got == c->send_len) dispatch(s, n, c);
}

static void do_recv_size(guestrpc_state* s, int n, channel* c, guestrpc_regs* r) {
  if (c->phase == PHASE_SENDING) {
    fail(s, n, "recv-size after %u of %u request bytes", c->send_got, c->send_len);
    return;
  }
  if (c->phase == PHASE_IDLE) { /* nothing to receive: success without DORECV */
    r->ebx = 0;
    r->ecx = status_word(GUESTRPC_STATUS_SUCCESS | GUESTRPC_STATUS_HB);
    return;
  }
  c->phase = PHASE_RECEIVING;
  c->reply_pos = 0;
  r->ebx = c->reply_len;
  r->edx = (REPLY_ID << 16) | (r->edx & 0xffff);
  r->ecx = status_word(GUESTRPC_STATUS_SUCCESS | GUESTRPC_STATUS_DORECV | GUESTRPC_STATUS_HB);
}

static void do_recv_payload(guestrpc_state* s, int n, channel* c, guestrpc_regs* r) {
  if (c->phase != PHASE_RECEIVING) {
    fail(s, n, "recv-payload without a reply being received");
    return;
  }
  if (r->ebx != REPLY_ID) {
    fail(s, n, "recv-payload with reply id %u (expected %u)", r->ebx, REPLY_ID);
    return;
  }
  if (c->reply_pos >= c->reply_len) {
    fail(s, n, "recv-payload past the end of a %u-byte reply", c->reply_len);
    return;
  }
  uint32_t word = 0;
  for (int i = 0; i < 4 && c->reply_pos < c->reply_len; i++) {
    word |= (uint32_t)(uint8_t)c->reply[c->reply_pos++] << (8 * i);
  }
  r->ebx = word;
  r->edx = (TYPE_SENDPAYLOAD << 16) | (r->edx & 0xffff);
  r->ecx = status_word(GUESTRPC_STATUS_SUCCESS);
}

static void do_recv_status(guestrpc_state* s, int n, channel* c, guestrpc_regs* r) {
  if (c->phase != PHASE_RECEIVING) {
    fail(s, n, "recv-status without a reply being received");
    return;
  }
  /* EBX is iPXE's reply id (1) or open-vm-tools' status for the transfer (1 = success,
   * 0 = the guest gave up); either way the reply is consumed. */
  if (r->ebx > REPLY_ID) {
    fail(s, n, "recv-status with reply id %u (expected %u)", r->ebx, REPLY_ID);
    return;
  }
  drop_message(c);
  r->ecx = status_word(GUESTRPC_STATUS_SUCCESS);
}

static void do_close(guestrpc_state* s, int n, channel* c, guestrpc_regs* r) {
  drop_message(c);
  c->open = 0;
  r->ecx = status_word(GUESTRPC_STATUS_SUCCESS);
  emit(s, n, GUESTRPC_EVENT_CLOSE, "", 0);
}

static const char* subcommand_name(uint32_t sub) {
  static const char* const kNames[] = {"open",         "send-size",   "send-payload", "recv-size",
                                       "recv-payload", "recv-status", "close"};
  return sub < sizeof kNames / sizeof kNames[0] ? kNames[sub] : "unknown";
}

void guestrpc_backdoor(guestrpc_state* s, guestrpc_regs* r) {
  uint32_t sub = r->ecx >> 16;
  uint32_t cmd = r->ecx & 0xffff;
  r->ecx = 0;       /* failure unless a handler says otherwise */
  s->hb_failed = 0; /* any rep string operation on port 0x5659 has ended */
  if (r->eax != GUESTRPC_BACKDOOR_MAGIC || cmd != GUESTRPC_CMD_MESSAGE) {
    fail(s, (int)(r->edx >> 16), "backdoor call with EAX %08x, command %04x", r->eax, cmd);
    return;
  }
  if (sub == GUESTRPC_OPEN) {
    do_open(s, r);
    return;
  }
  if (sub > GUESTRPC_CLOSE) {
    fail(s, (int)(r->edx >> 16), "unknown subcommand %u", sub);
    return;
  }
  channel* c = lookup_channel(s, r->edx, r->esi, r->edi, subcommand_name(sub));
  if (!c) return;
  int n = (int)(c - s->ch);
  switch (sub) {
    case GUESTRPC_SEND_SIZE:
      do_send_size(s, n, c, r);
      break;
    case GUESTRPC_SEND_PAYLOAD:
      do_send_payload(s, n, c, r);
      break;
    case GUESTRPC_RECV_SIZE:
      do_recv_size(s, n, c, r);
      break;
    case GUESTRPC_RECV_PAYLOAD:
      do_recv_payload(s, n, c, r);
      break;
    case GUESTRPC_RECV_STATUS:
      do_recv_status(s, n, c, r);
      break;
    case GUESTRPC_CLOSE:
      do_close(s, n, c, r);
      break;
  }
}

/* ---- high-bandwidth port 0x5659: one byte per call under TCG's rep outsb/insb ---- */

/* Checks an HB byte; on failure reports once per rep operation and returns NULL. */
static channel* hb_channel(guestrpc_state* s, const guestrpc_regs* r, uint32_t cookie_high,
                           uint32_t cookie_low, const char* call) {
  if (r->eax != GUESTRPC_BACKDOOR_MAGIC || (r->ebx & 0xffff) != GUESTRPC_HB_CMD_MESSAGE) {
    if (!s->hb_failed) {
      fail(s, (int)(r->edx >> 16), "%s with EAX %08x, EBX %08x", call, r->eax, r->ebx);
    }
    s->hb_failed = 1;
    return NULL;
  }
  if (s->hb_failed) return NULL;
  channel* c = lookup_channel(s, r->edx, cookie_high, cookie_low, call);
  if (!c) s->hb_failed = 1;
  return c;
}

static void hb_finish(guestrpc_state* s, guestrpc_regs* r, int ok) {
  r->ebx = ok && !s->hb_failed ? status_word(GUESTRPC_STATUS_SUCCESS) : 0;
  s->hb_failed = 0;
}

void guestrpc_hb_out(guestrpc_state* s, guestrpc_regs* r, uint8_t byte) {
  int last = r->ecx <= 1;
  channel* c = hb_channel(s, r, r->ebp, r->edi, "hb-send");
  int n = c ? (int)(c - s->ch) : 0;
  if (c && c->phase != PHASE_SENDING) {
    fail(s, n, "hb-send without a pending send-size");
    s->hb_failed = 1;
    c = NULL;
  }
  if (c) {
    c->send[c->send_got++] = (char)byte;
    if (c->send_got == c->send_len) {
      if (!last) {
        fail(s, n, "hb-send of more than the %u bytes announced", c->send_len);
        drop_message(c);
        s->hb_failed = 1;
      } else {
        dispatch(s, n, c);
      }
    } else if (last) {
      fail(s, n, "hb-send ended after %u of %u bytes", c->send_got, c->send_len);
      drop_message(c);
      s->hb_failed = 1;
    }
  }
  if (last) hb_finish(s, r, 1);
}

uint8_t guestrpc_hb_in(guestrpc_state* s, guestrpc_regs* r) {
  int last = r->ecx <= 1;
  uint8_t byte = 0;
  channel* c = hb_channel(s, r, r->esi, r->ebp, "hb-receive");
  int n = c ? (int)(c - s->ch) : 0;
  if (c && (c->phase != PHASE_RECEIVING || c->reply_pos >= c->reply_len)) {
    fail(s, n, "hb-receive past the end of a %u-byte reply",
         c->phase == PHASE_RECEIVING ? c->reply_len : 0);
    s->hb_failed = 1;
    c = NULL;
  }
  if (c) byte = (uint8_t)c->reply[c->reply_pos++];
  if (last) hb_finish(s, r, c && c->reply_pos == c->reply_len);
  return byte;
}

/* ---- lifetime and logging helpers ---- */

guestrpc_state* guestrpc_new(const guestrpc_callbacks* callbacks) {
  guestrpc_state* s = calloc(1, sizeof *s);
  if (!s) return NULL;
  if (callbacks) s->cb = *callbacks;
  s->cookie_seed = 0x52504349u; /* any non-zero seed */
  return s;
}

void guestrpc_reset_channels(guestrpc_state* s) {
  for (int n = 0; n < GUESTRPC_MAX_CHANNELS; n++) {
    drop_message(&s->ch[n]);
    s->ch[n].open = 0;
  }
  s->hb_failed = 0;
}

void guestrpc_free(guestrpc_state* s) {
  if (!s) return;
  for (int n = 0; n < GUESTRPC_MAX_CHANNELS; n++) drop_message(&s->ch[n]);
  for (size_t i = 0; i < s->set_count; i++) {
    free(s->set[i].key);
    free(s->set[i].value);
  }
  free(s);
}

const char* guestrpc_event_name(guestrpc_event_kind kind) {
  switch (kind) {
    case GUESTRPC_EVENT_OPEN:
      return "open";
    case GUESTRPC_EVENT_REQUEST:
      return "request";
    case GUESTRPC_EVENT_REPLY:
      return "reply";
    case GUESTRPC_EVENT_CLOSE:
      return "close";
    case GUESTRPC_EVENT_ERROR:
      return "error";
  }
  return "unknown";
}

size_t guestrpc_escaped_size(size_t len) { return 4 * len + 1; }

size_t guestrpc_escape(const char* text, size_t len, char* out) {
  static const char kHex[] = "0123456789abcdef";
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)text[i];
    const char* esc = ch == '\\'   ? "\\\\"
                      : ch == '"'  ? "\\\""
                      : ch == '\n' ? "\\n"
                      : ch == '\r' ? "\\r"
                      : ch == '\t' ? "\\t"
                                   : NULL;
    if (esc) {
      out[o++] = esc[0];
      out[o++] = esc[1];
    } else if (ch < 0x20 || ch > 0x7e) {
      out[o++] = '\\';
      out[o++] = 'x';
      out[o++] = kHex[ch >> 4];
      out[o++] = kHex[ch & 0xf];
    } else {
      out[o++] = (char)ch;
    }
  }
  out[o] = '\0';
  return o;
}
