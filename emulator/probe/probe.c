/*
 * romharness probe guest: a freestanding 32-bit multiboot image (QEMU -kernel) that
 * talks GuestRPC with exactly the register sequence of iPXE's
 * src/arch/x86/interface/vmware/guestrpc.c, prints every result on COM1 (0x3f8) and
 * leaves through isa-debug-exit (port 0xf4). It also makes the cookie + high-bandwidth
 * calls open-vm-tools makes, reads CPUID 0x40000000 and calls the backdoor from ring 3.
 * emulator/probe/probe_boot_test.cc checks the printed lines and the emulator's guestrpc
 * log; this is the contract iPXE (and guest tools) rely on.
 *
 * Expected guestinfo (the blob in fw_cfg opt/romharness/guestinfo): probe.present =
 * "hello probe", probe.set = "from-blob"; probe.legacy from the older per-key file
 * opt/guestinfo/probe.legacy; probe.missing absent. Optional: probe.keys (key names, one
 * per line: each is read back and printed as length + FNV-1a) and probe.flood (a count of
 * `log` calls, a hostile guest). With -cpu ...,x-hv-vendor=VMwareVMware CPUID says VMware.
 */
#include <stddef.h>
#include <stdint.h>

#define MULTIBOOT_MAGIC 0x1BADB002u
__attribute__((section(".multiboot"), used,
               aligned(4))) static const uint32_t multiboot_header[3] = {
    MULTIBOOT_MAGIC, 0, (uint32_t)-MULTIBOOT_MAGIC};

uint8_t probe_stack[16384] __attribute__((aligned(16)));
void probe_main(void);

__asm__(
    ".text\n"
    ".global _start\n"
    "_start:\n"
    "  movl $probe_stack + 16384, %esp\n"
    "  call probe_main\n"
    "1: cli\n"
    "  hlt\n"
    "  jmp 1b\n");

/* ---- port I/O and serial output ---- */

static inline void outb(uint16_t port, uint8_t value) {
  __asm__ __volatile__("outb %0, %1" : : "a"(value), "Nd"(port));
}
static inline uint8_t inb(uint16_t port) {
  uint8_t value;
  __asm__ __volatile__("inb %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}

#define COM1 0x3f8

static void serial_init(void) {
  outb(COM1 + 1, 0x00); /* no interrupts */
  outb(COM1 + 3, 0x80); /* DLAB */
  outb(COM1 + 0, 0x01); /* 115200 baud */
  outb(COM1 + 1, 0x00);
  outb(COM1 + 3, 0x03); /* 8N1 */
  outb(COM1 + 2, 0xc7); /* FIFO */
}

static void putc_serial(char c) {
  while (!(inb(COM1 + 5) & 0x20)) {
  }
  outb(COM1, (uint8_t)c);
}

static void puts_serial(const char* s) {
  while (*s) putc_serial(*s++);
}

static void put_n(const char* s, size_t n) {
  for (size_t i = 0; i < n; i++) putc_serial(s[i]);
}

static void put_hex(uint32_t v) {
  for (int shift = 28; shift >= 0; shift -= 4) putc_serial("0123456789abcdef"[(v >> shift) & 0xf]);
}

static void put_dec(uint32_t v) {
  char buf[11];
  int i = 0;
  do {
    buf[i++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (i) putc_serial(buf[--i]);
}

static size_t str_len(const char* s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

/* ---- the backdoor, as iPXE's vmware.h issues it ---- */

#define VMW_PORT 0x5658
#define VMW_MAGIC 0x564d5868
#define VMW_CMD_GET_VERSION 0x0a
#define VMW_CMD_GUESTRPC 0x1e

static uint32_t vmware_cmd_guestrpc(int channel, uint16_t subcommand, uint32_t parameter,
                                    uint16_t* edxhi, uint32_t* ebx) {
  uint32_t discard_a, status, edx;
  __asm__ __volatile__("inl %%dx, %%eax"
                       : "=a"(discard_a), "=b"(*ebx), "=c"(status), "=d"(edx)
                       : "0"(VMW_MAGIC), "1"(parameter),
                         "2"(VMW_CMD_GUESTRPC | ((uint32_t)subcommand << 16)),
                         "3"(VMW_PORT | ((uint32_t)channel << 16)));
  (void)discard_a;
  *edxhi = (uint16_t)(edx >> 16);
  return status;
}

static void get_version(void) {
  uint32_t version, magic, type, edx;
  __asm__ __volatile__("inl %%dx, %%eax"
                       : "=a"(version), "=b"(magic), "=c"(type), "=d"(edx)
                       : "0"(VMW_MAGIC), "1"(0), "2"(VMW_CMD_GET_VERSION), "3"(VMW_PORT));
  puts_serial("version magic=");
  put_hex(magic);
  puts_serial(" version=");
  put_hex(version);
  puts_serial(" type=");
  put_hex(type);
  puts_serial("\n");
}

/* Open as iPXE does, and check ESI/EDI survive: iPXE does not declare them clobbered. */
static int open_channel(void) {
  uint32_t status, ebx, edx, esi = 0x5e5e5e5e, edi = 0xd1d1d1d1, eax = VMW_MAGIC;
  __asm__ __volatile__("inl %%dx, %%eax"
                       : "+a"(eax), "=b"(ebx), "=c"(status), "=d"(edx), "+S"(esi), "+D"(edi)
                       : "1"(0x49435052), "2"(VMW_CMD_GUESTRPC), "3"(VMW_PORT));
  puts_serial("open status=");
  put_hex(status);
  puts_serial(" channel=");
  put_dec(edx >> 16);
  puts_serial(esi == 0x5e5e5e5e && edi == 0xd1d1d1d1 ? " esi-edi=kept\n" : " esi-edi=CLOBBERED\n");
  return status == 0x00010000 ? (int)(edx >> 16) : -1;
}

static void fail(const char* step, uint32_t status) {
  puts_serial(" -> FAIL ");
  puts_serial(step);
  puts_serial(" status=");
  put_hex(status);
  puts_serial("\n");
}

/* What one GuestRPC command returned: the reply's length and FNV-1a hash (of the bytes
 * after its 2-byte status), its first `cap` bytes in buf, or the step that failed. */
typedef struct rpc_result {
  const char* failed_step; /* NULL on success */
  uint32_t status;         /* ECX of the failed step */
  uint16_t reply_id;
  uint32_t len;
  uint32_t fnv;
} rpc_result;

#define FNV_OFFSET 0x811c9dc5u
#define FNV_PRIME 0x01000193u

/* iPXE's guestrpc_command(): length, 4-byte data words (first byte lowest), reply length
 * with the reply id in EDX's high word, reply words, finish. buf gets cap - 1 bytes at most
 * and is NUL-terminated. */
static rpc_result rpc(int channel, const char* cmd, size_t len, char* buf, uint32_t cap) {
  rpc_result r = {0, 0, 0, 0, FNV_OFFSET};
  uint16_t discard_d;
  uint32_t ebx, got = 0;
  r.status = vmware_cmd_guestrpc(channel, 1, (uint32_t)len, &discard_d, &ebx);
  if (r.status != 0x00810000) {
    r.failed_step = "command-len";
    return r;
  }
  for (size_t i = 0; i < len; i += 4) {
    uint32_t data = 0;
    for (size_t b = 0; b < 4 && i + b < len; b++) data |= (uint32_t)(uint8_t)cmd[i + b] << (8 * b);
    r.status = vmware_cmd_guestrpc(channel, 2, data, &discard_d, &ebx);
    if (r.status != 0x00010000) {
      r.failed_step = "command-data";
      return r;
    }
  }
  r.status = vmware_cmd_guestrpc(channel, 3, 0, &r.reply_id, &r.len);
  if (r.status != 0x00830000) {
    r.failed_step = "reply-len";
    return r;
  }
  for (uint32_t pos = 0; pos < r.len; pos += 4) {
    uint32_t data;
    r.status = vmware_cmd_guestrpc(channel, 4, r.reply_id, &discard_d, &data);
    if (r.status != 0x00010000) {
      r.failed_step = "reply-data";
      return r;
    }
    for (uint32_t b = 0; b < 4 && pos + b < r.len; b++, data >>= 8) {
      uint8_t byte = (uint8_t)(data & 0xff);
      if (pos + b >= 2) r.fnv = (r.fnv ^ byte) * FNV_PRIME;
      if (got + 1 < cap) buf[got++] = (char)byte;
    }
  }
  if (cap) buf[got] = '\0';
  r.status = vmware_cmd_guestrpc(channel, 5, r.reply_id, &discard_d, &ebx);
  if (r.status != 0x00010000) r.failed_step = "reply-finish";
  return r;
}

/* Runs one command and prints it with its whole reply (the first 255 bytes). */
static void command(int channel, const char* cmd) {
  char reply[256];
  puts_serial("cmd \"");
  puts_serial(cmd);
  puts_serial("\"");
  rpc_result r = rpc(channel, cmd, str_len(cmd), reply, sizeof reply);
  if (r.failed_step) {
    fail(r.failed_step, r.status);
    return;
  }
  puts_serial(" -> id=");
  put_dec(r.reply_id);
  puts_serial(" \"");
  puts_serial(reply);
  puts_serial("\"\n");
}

/* ---- guestinfo at scale: every key listed in guestinfo.probe.keys, and a log flood ---- */

static char key_list[16384];
static char get_cmd[1024];

static size_t build_get(const char* key, size_t key_len) {
  static const char kGet[] = "info-get guestinfo.";
  size_t n = sizeof kGet - 1;
  if (n + key_len >= sizeof get_cmd) return 0;
  for (size_t i = 0; i < n; i++) get_cmd[i] = kGet[i];
  for (size_t i = 0; i < key_len; i++) get_cmd[n + i] = key[i];
  get_cmd[n + key_len] = '\0';
  return n + key_len;
}

/* Prints `get <key> -> "<status>" len=<n> fnv1a=<hash>` for one key; n and hash cover the
 * reply after its 2-byte status, so the host can check values of any size. */
static void get_digest(int channel, const char* key, size_t key_len) {
  char status[3];
  size_t len = build_get(key, key_len);
  puts_serial("get ");
  put_n(key, key_len);
  if (!len) {
    puts_serial(" -> key too long for the probe\n");
    return;
  }
  rpc_result r = rpc(channel, get_cmd, len, status, sizeof status);
  if (r.failed_step) {
    fail(r.failed_step, r.status);
    return;
  }
  puts_serial(" -> \"");
  puts_serial(status);
  puts_serial("\" len=");
  put_dec(r.len >= 2 ? r.len - 2 : 0);
  puts_serial(" fnv1a=");
  put_hex(r.fnv);
  puts_serial("\n");
}

/* guestinfo.probe.keys holds key names, one per line; each is read back in turn. */
static void guestinfo_table(int channel) {
  static const char kCmd[] = "info-get guestinfo.probe.keys";
  rpc_result r = rpc(channel, kCmd, sizeof kCmd - 1, key_list, sizeof key_list);
  if (r.failed_step || key_list[0] != '1') {
    puts_serial("table absent\n");
    return;
  }
  uint32_t count = 0;
  const char* p = key_list + 2;
  while (*p) {
    const char* end = p;
    while (*end && *end != '\n') end++;
    if (end > p) {
      get_digest(channel, p, (size_t)(end - p));
      count++;
    }
    p = *end ? end + 1 : end;
  }
  puts_serial("table ");
  put_dec(count);
  puts_serial(" keys\n");
}

/* guestinfo.probe.flood = N: N `log` calls as a hostile guest would make, then one more
 * command to show the host still answers normally. */
static void log_flood(int channel) {
  static const char kCmd[] = "info-get guestinfo.probe.flood", kLog[] = "log flood";
  char reply[16], ok[4];
  rpc_result r = rpc(channel, kCmd, sizeof kCmd - 1, reply, sizeof reply);
  if (r.failed_step || reply[0] != '1') {
    puts_serial("flood absent\n");
    return;
  }
  uint32_t n = 0, failures = 0;
  for (const char* d = reply + 2; *d >= '0' && *d <= '9'; d++) n = n * 10 + (uint32_t)(*d - '0');
  for (uint32_t i = 0; i < n; i++) {
    r = rpc(channel, kLog, sizeof kLog - 1, ok, sizeof ok);
    failures += r.failed_step || ok[0] != '1' || ok[1] != ' ' || ok[2] != '\0';
  }
  puts_serial("flood ");
  put_dec(n);
  puts_serial(" failures=");
  put_dec(failures);
  puts_serial("\n");
}

/* ---- open-vm-tools' way: cookie open and the high-bandwidth port 0x5659 ---- */

typedef struct bdoor {
  uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
} bdoor;

/* Loads every register (EBP too) from *r, runs `insn`, stores them back, as
 * open-vm-tools' lib/backdoor does. */
#define BDOOR_CALL(r, insn)                                                         \
  __asm__ __volatile__(                                                             \
      "pushl %%ebp\n\tpushl %%eax\n\t"                                              \
      "movl 24(%%eax), %%ebp\n\tmovl 20(%%eax), %%edi\n\t"                          \
      "movl 16(%%eax), %%esi\n\tmovl 12(%%eax), %%edx\n\t"                          \
      "movl 8(%%eax), %%ecx\n\tmovl 4(%%eax), %%ebx\n\tmovl (%%eax), %%eax\n\t"     \
      "cld\n\t" insn                                                                \
      "\n\t"                                                                        \
      "xchgl %%eax, (%%esp)\n\t"                                                    \
      "movl %%ebp, 24(%%eax)\n\tmovl %%edi, 20(%%eax)\n\tmovl %%esi, 16(%%eax)\n\t" \
      "movl %%edx, 12(%%eax)\n\tmovl %%ecx, 8(%%eax)\n\tmovl %%ebx, 4(%%eax)\n\t"   \
      "popl (%%eax)\n\tpopl %%ebp"                                                  \
      : "+a"(r)                                                                     \
      :                                                                             \
      : "ebx", "ecx", "edx", "esi", "edi", "memory", "cc")

static void hb_fail(const char* step, uint32_t status) {
  puts_serial(" -> FAIL ");
  puts_serial(step);
  puts_serial(" status=");
  put_hex(status);
  puts_serial("\n");
}

/* Message_OpenAllocated + Message_Send + Message_Receive + Message_Close over the HB port. */
static void hb_command(const char* cmd) {
  static char reply[256];
  uint32_t len = (uint32_t)str_len(cmd);
  bdoor b = {VMW_MAGIC, 0x49435052 | 0x80000000u, VMW_CMD_GUESTRPC, VMW_PORT, 0, 0, 0};
  bdoor* r = &b;
  puts_serial("hb \"");
  puts_serial(cmd);
  puts_serial("\"");
  BDOOR_CALL(r, "inl %%dx, %%eax");
  if (b.ecx != 0x00010000) {
    hb_fail("open", b.ecx);
    return;
  }
  uint32_t id = b.edx & 0xffff0000u, cookie_high = b.esi, cookie_low = b.edi;
  b = (bdoor){VMW_MAGIC,  len, VMW_CMD_GUESTRPC | (1u << 16), VMW_PORT | id, cookie_high,
              cookie_low, 0};
  BDOOR_CALL(r, "inl %%dx, %%eax");
  if (b.ecx != 0x00810000) {
    hb_fail("send-size", b.ecx);
    return;
  }
  b = (bdoor){VMW_MAGIC,  0x00010000, len, 0x5659 | id, (uint32_t)(uintptr_t)cmd,
              cookie_low, cookie_high};
  BDOOR_CALL(r, "rep outsb");
  if (b.ebx != 0x00010000) {
    hb_fail("hb-out", b.ebx);
    return;
  }
  b = (bdoor){VMW_MAGIC,  0, VMW_CMD_GUESTRPC | (3u << 16), VMW_PORT | id, cookie_high,
              cookie_low, 0};
  BDOOR_CALL(r, "inl %%dx, %%eax");
  if (b.ecx != 0x00830000 || (b.edx >> 16) != 1 || b.ebx >= sizeof reply) {
    hb_fail("recv-size", b.ecx);
    return;
  }
  uint32_t reply_len = b.ebx;
  b = (bdoor){VMW_MAGIC,   0x00010000,  reply_len,
              0x5659 | id, cookie_high, (uint32_t)(uintptr_t)reply,
              cookie_low};
  BDOOR_CALL(r, "rep insb");
  if (b.ebx != 0x00010000) {
    hb_fail("hb-in", b.ebx);
    return;
  }
  reply[reply_len] = '\0';
  b = (bdoor){VMW_MAGIC,  1, VMW_CMD_GUESTRPC | (5u << 16), VMW_PORT | id, cookie_high,
              cookie_low, 0};
  BDOOR_CALL(r, "inl %%dx, %%eax");
  if (b.ecx != 0x00010000) {
    hb_fail("recv-status", b.ecx);
    return;
  }
  b = (bdoor){VMW_MAGIC,  0, VMW_CMD_GUESTRPC | (6u << 16), VMW_PORT | id, cookie_high,
              cookie_low, 0};
  BDOOR_CALL(r, "inl %%dx, %%eax");
  if (b.ecx != 0x00010000) {
    hb_fail("close", b.ecx);
    return;
  }
  puts_serial(" -> \"");
  puts_serial(reply);
  puts_serial("\"\n");
}

/* CPUID 0x40000000: the hypervisor signature open-vm-tools checks. */
static void hypervisor_signature(void) {
  uint32_t eax = 0x40000000, sig[4] = {0, 0, 0, 0};
  __asm__ __volatile__("cpuid" : "+a"(eax), "=b"(sig[0]), "=c"(sig[1]), "=d"(sig[2]));
  puts_serial("cpuid 40000000 max=");
  put_hex(eax);
  puts_serial(" signature=\"");
  puts_serial((const char*)sig);
  puts_serial("\"\n");
}

/* ---- ring 3: VMware lets user space reach the backdoor without an I/O bitmap ---- */

/* GDT: null, ring-0 code 0x08 and data 0x10, ring-3 code 0x1b and data 0x23, TSS 0x28. */
static uint64_t gdt[6] = {
    0, 0x00CF9A000000FFFFull, 0x00CF92000000FFFFull, 0x00CFFA000000FFFFull, 0x00CFF2000000FFFFull,
    0};
static uint32_t tss[26]; /* 104 bytes; I/O map base beyond the limit: no port is allowed */
static uint64_t idt[0x81];
uint8_t ring3_stack[4096] __attribute__((aligned(16)));
uint32_t ring3_saved_esp;
volatile uint32_t ring3_fault, ring3_magic, ring3_open, ring3_close;

void ring3_enter(void);
void ring3_gp(void);
void ring3_syscall(void);

/* ring3_enter() irets to ring3_code at CPL 3; #GP and int $0x80 both come back to
 * ring3_return, which restores the kernel stack saved on entry. */
__asm__(
    ".text\n"
    ".global ring3_enter, ring3_gp, ring3_syscall\n"
    "ring3_enter:\n"
    "  pushl %ebp\n  pushl %ebx\n  pushl %esi\n  pushl %edi\n"
    "  movl %esp, ring3_saved_esp\n"
    "  pushl $0x23\n  pushl $ring3_stack + 4096\n  pushfl\n  pushl $0x1b\n  pushl $ring3_code\n"
    "  iret\n"
    "ring3_gp:\n"
    "  movl $1, ring3_fault\n"
    "ring3_syscall:\n"
    "  movw $0x10, %ax\n  movw %ax, %ds\n  movw %ax, %es\n"
    "  movl ring3_saved_esp, %esp\n"
    "  popl %edi\n  popl %esi\n  popl %ebx\n  popl %ebp\n"
    "  ret\n"
    "ring3_code:\n"
    "  movw $0x23, %ax\n  movw %ax, %ds\n  movw %ax, %es\n"
    "  movl $0x564d5868, %eax\n  xorl %ebx, %ebx\n  movl $0x0a, %ecx\n  movl $0x5658, %edx\n"
    "  inl %dx, %eax\n"
    "  movl %ebx, ring3_magic\n"
    "  movl $0x564d5868, %eax\n  movl $0x49435052, %ebx\n  movl $0x1e, %ecx\n  movl $0x5658, %edx\n"
    "  inl %dx, %eax\n"
    "  movl %ecx, ring3_open\n"
    "  andl $0xffff0000, %edx\n  orl $0x5658, %edx\n"
    "  movl $0x564d5868, %eax\n  xorl %ebx, %ebx\n  movl $0x6001e, %ecx\n"
    "  inl %dx, %eax\n"
    "  movl %ecx, ring3_close\n"
    "  int $0x80\n");

static uint64_t gate(void (*handler)(void), unsigned dpl) {
  uint32_t off = (uint32_t)(uintptr_t)handler;
  return (uint64_t)((off & 0xffff) | (0x08u << 16)) |
         ((uint64_t)((off & 0xffff0000u) | 0x8e00u | (dpl << 13)) << 32);
}

static void ring3_backdoor(void) {
  struct __attribute__((packed)) {
    uint16_t limit;
    uint32_t base;
  } gdtr = {sizeof gdt - 1, (uint32_t)(uintptr_t)gdt},
    idtr = {sizeof idt - 1, (uint32_t)(uintptr_t)idt};
  uint32_t base = (uint32_t)(uintptr_t)tss;
  tss[1] = (uint32_t)(uintptr_t)(probe_stack + sizeof probe_stack - 1024); /* esp0 */
  tss[2] = 0x10;                                                           /* ss0 */
  tss[25] = (uint32_t)sizeof tss << 16;                                    /* I/O map base */
  gdt[5] = (uint64_t)(sizeof tss - 1) | ((uint64_t)(base & 0xffffff) << 16) | (0x89ull << 40) |
           ((uint64_t)(base >> 24) << 56);
  idt[13] = gate(ring3_gp, 0);
  idt[0x80] = gate(ring3_syscall, 3);
  __asm__ __volatile__(
      "lgdt %0\n\tlidt %1\n\t"
      "ljmp $0x08, $1f\n1:\n\t"
      "movw $0x10, %%ax\n\tmovw %%ax, %%ds\n\tmovw %%ax, %%es\n\tmovw %%ax, %%ss\n\t"
      "movw $0x28, %%ax\n\tltr %%ax"
      :
      : "m"(gdtr), "m"(idtr)
      : "eax", "memory");
  ring3_enter();
  if (ring3_fault) {
    puts_serial("ring3 backdoor: #GP\n");
    return;
  }
  puts_serial("ring3 magic=");
  put_hex(ring3_magic);
  puts_serial(" open=");
  put_hex(ring3_open);
  puts_serial(" close=");
  put_hex(ring3_close);
  puts_serial("\n");
}

/* A single call out of sequence or out of range; prints the status it got. */
static void oos(const char* name, int channel, uint16_t sub, uint32_t param) {
  uint16_t discard_d;
  uint32_t ebx;
  uint32_t status = vmware_cmd_guestrpc(channel, sub, param, &discard_d, &ebx);
  puts_serial("oos ");
  puts_serial(name);
  puts_serial(" status=");
  put_hex(status);
  puts_serial("\n");
}

void probe_main(void) {
  serial_init();
  puts_serial("romharness-probe start\n");
  get_version();
  hypervisor_signature();
  int ch = open_channel();
  if (ch >= 0) {
    command(ch, "info-get guestinfo.probe.present");
    command(ch, "info-get guestinfo.probe.missing");
    command(ch, "info-get guestinfo.probe.legacy");
    command(ch, "log probe says \"hi\"");
    command(ch, "info-get guestinfo.probe.set");
    command(ch, "info-set guestinfo.probe.set set-by-guest");
    command(ch, "info-get guestinfo.probe.set");
    command(ch, "tools.set.version 2147483647");
    guestinfo_table(ch);
    log_flood(ch);
    command(ch, "info-get guestinfo.probe.present");
    oos("payload-before-size", ch, 2, 0x41414141);
    oos("reply-data-before-len", ch, 4, 1);
    oos("finish-without-reply", ch, 5, 1);
    oos("recv-size-idle", ch, 3, 0);
    oos("closed-channel-7", 7, 1, 4);
    oos("channel-out-of-range", 9, 1, 4);
    oos("size-too-large", ch, 1, 0x10001);
    oos("unknown-subcommand", ch, 9, 0);
    oos("close", ch, 6, 0);
    oos("after-close", ch, 1, 4);
    hb_command("info-get guestinfo.probe.present");
    hb_command("log via the high-bandwidth port");
  }
  ring3_backdoor();
  puts_serial("romharness-probe done\n");
  outb(0xf4, 0x10); /* isa-debug-exit: QEMU exits with status (0x10 << 1) | 1 = 33 */
  puts_serial("isa-debug-exit missing\n");
}
