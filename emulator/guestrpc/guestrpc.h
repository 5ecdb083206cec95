/*
 * VMware GuestRPC ("RPCI") host side: the state machine behind backdoor command 0x1e
 * and the high-bandwidth port 0x5659, in plain C11 so it builds both into QEMU's
 * hw/i386/vmport.c and into romharness' unit tests and fuzz target.
 *
 * The guest is untrusted. Every call is decoded from 32-bit register values; lengths,
 * channel numbers, cookies, reply ids and call order are checked, and anything out of
 * bounds or out of sequence gets a failure status (ECX or EBX high word 0), never a crash.
 * Memory is bounded: GUESTRPC_MAX_CHANNELS channels, requests of at most
 * GUESTRPC_MAX_MESSAGE bytes, replies of at most GUESTRPC_MAX_REPLY, and a bounded store
 * for info-set values (GUESTRPC_MAX_SET_KEYS, GUESTRPC_MAX_SET_BYTES).
 *
 * Example (what QEMU's vmport does for `inl` on port 0x5658 with ECX low word 0x1e):
 *
 *   static const char *lookup(void *opaque, const char *key, size_t *len);
 *   static void on_event(void *opaque, int channel, guestrpc_event_kind kind,
 *                        const char *text, size_t len);
 *   guestrpc_callbacks cb = {opaque, lookup, on_event};
 *   guestrpc_state *rpc = guestrpc_new(&cb);
 *   guestrpc_regs r = {.eax = env->eax, .ebx = env->ebx, ...};
 *   guestrpc_backdoor(rpc, &r);   // updates r.ebx, r.ecx, r.edx (and r.esi/r.edi on a
 *                                 // cookie open); copy them back to the vCPU
 *   guestrpc_free(rpc);
 */
#ifndef ROMHARNESS_EMULATOR_GUESTRPC_H
#define ROMHARNESS_EMULATOR_GUESTRPC_H
/* A C header, also read by C++: C spellings stay. */
/* NOLINTBEGIN(modernize-use-using, modernize-deprecated-headers, readability-identifier-naming) */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GUESTRPC_BACKDOOR_MAGIC 0x564D5868u /* "VMXh" in EAX */
#define GUESTRPC_PORT 0x5658u
#define GUESTRPC_HB_PORT 0x5659u
#define GUESTRPC_CMD_MESSAGE 0x1eu      /* ECX low word on port 0x5658 */
#define GUESTRPC_HB_CMD_MESSAGE 0u      /* EBX low word on port 0x5659 */
#define GUESTRPC_PROTO_RPCI 0x49435052u /* "RPCI" in EBX on open */
#define GUESTRPC_FLAG_COOKIE 0x80000000u

/* Subcommands (ECX high word). */
enum {
  GUESTRPC_OPEN = 0,
  GUESTRPC_SEND_SIZE = 1,
  GUESTRPC_SEND_PAYLOAD = 2,
  GUESTRPC_RECV_SIZE = 3,
  GUESTRPC_RECV_PAYLOAD = 4,
  GUESTRPC_RECV_STATUS = 5,
  GUESTRPC_CLOSE = 6,
};

/* Status bits (high word of ECX, or of EBX on the high-bandwidth port). */
#define GUESTRPC_STATUS_SUCCESS 0x0001u
#define GUESTRPC_STATUS_DORECV 0x0002u
#define GUESTRPC_STATUS_HB 0x0080u

#define GUESTRPC_MAX_CHANNELS 8
/* Guest to host: open-vm-tools' GUESTMSG_MAX_IN_SIZE ("to prevent denial of host service"). */
#define GUESTRPC_MAX_MESSAGE ((size_t)64 * 1024)
/* Host to guest: VMware's Guest SDK says the VMX "sends back at most about 1MB". */
#define GUESTRPC_MAX_REPLY (1024 * 1024)
/* info-set values kept per run: ESXi keeps at most tools.setInfo.sizeLimit (default 1 MB)
 * of them; the key count bounds the lookup. */
#define GUESTRPC_MAX_SET_KEYS 1024
#define GUESTRPC_MAX_SET_BYTES ((size_t)1024 * 1024)

typedef struct guestrpc_regs {
  uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
} guestrpc_regs;

typedef enum guestrpc_event_kind {
  GUESTRPC_EVENT_OPEN,
  GUESTRPC_EVENT_REQUEST,
  GUESTRPC_EVENT_REPLY,
  GUESTRPC_EVENT_CLOSE,
  GUESTRPC_EVENT_ERROR,
} guestrpc_event_kind;

typedef struct guestrpc_callbacks {
  void* opaque;
  /* Value of guestinfo.<key> (key given without "guestinfo."), or NULL when missing.
   * The pointer needs to stay valid only until the callback is called again. */
  const char* (*lookup)(void* opaque, const char* key, size_t* len);
  /* A completed message or a protocol error; text is not NUL-terminated. May be NULL. */
  void (*event)(void* opaque, int channel, guestrpc_event_kind kind, const char* text, size_t len);
} guestrpc_callbacks;

typedef struct guestrpc_state guestrpc_state;

guestrpc_state* guestrpc_new(const guestrpc_callbacks* callbacks);
void guestrpc_free(guestrpc_state* s);

/* Machine reset: closes every channel (as VMware does on a guest reboot) and keeps the
 * values the guest stored with info-set, which last for the whole run. */
void guestrpc_reset_channels(guestrpc_state* s);

/* One `inl` on port 0x5658 with EAX = magic and ECX low word 0x1e. Writes its results
 * into r: ECX always, EBX and EDX where the subcommand returns them, ESI/EDI only on an
 * open with the cookie flag (iPXE does not tell its compiler they may change). */
void guestrpc_backdoor(guestrpc_state* s, guestrpc_regs* r);

/* One byte of `rep outsb` to port 0x5659 (ECX = bytes left including this one). On the
 * last byte (ECX == 1) r->ebx gets the status (0x00010000 on success, 0 on failure). */
void guestrpc_hb_out(guestrpc_state* s, guestrpc_regs* r, uint8_t byte);

/* One byte of `rep insb` from port 0x5659; returns the byte, sets r->ebx on the last. */
uint8_t guestrpc_hb_in(guestrpc_state* s, guestrpc_regs* r);

/* Name used in logs: "open", "request", "reply", "close", "error". */
const char* guestrpc_event_name(guestrpc_event_kind kind);

/* C-escapes text (\\ \" \n \r \t, other bytes outside 0x20-0x7e as \xHH) into out,
 * which needs room for guestrpc_escaped_size(len) bytes; returns the length written
 * (out is NUL-terminated). */
size_t guestrpc_escape(const char* text, size_t len, char* out);
size_t guestrpc_escaped_size(size_t len);

#ifdef __cplusplus
}
#endif

/* NOLINTEND(modernize-use-using, modernize-deprecated-headers, readability-identifier-naming) */

#endif /* ROMHARNESS_EMULATOR_GUESTRPC_H */
