#!/bin/sh
# Regenerates the iPXE boot logs in this folder: boots a prebuilt iPXE ROM
# (Debian's ipxe-qemu) under TCG with SeaBIOS sercon (or OVMF), DHCP from
# QEMU's user network pointing at capture.ipxe, which makes a series of
# requests that fail in known ways; iPXE prints an error URL for each.
#
#   capture.sh ROM NIC_MODEL bios|efi OUT.log [PORT]
#   capture.sh /usr/lib/ipxe/qemu/pxe-e1000.rom e1000 bios ipxe-debian-e1000-bios.log
set -eu
rom=$1 nic=$2 fw=$3 out=$4 port=${5:-18082}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

sed "s/@PORT@/$port/g" "$here/capture.ipxe" > "$work/boot.ipxe"
printf '\370\003' > "$work/sercon-port"   # 0x3f8, little-endian, 2 bytes
python3 "$here/capture_server.py" "$port" "$work/boot.ipxe" 2> "$work/http.log" &
server=$!
sleep 1

set -- -accel tcg -machine pc -m 256 -nodefaults -display none \
  -serial "file:$work/serial.log" \
  -netdev "user,id=n0,bootfile=http://10.0.2.2:$port/boot.ipxe" \
  -device "$nic,netdev=n0,romfile=$rom" -boot n
if [ "$fw" = efi ]; then
  cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/vars.fd"
  set -- "$@" -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
    -drive "if=pflash,format=raw,file=$work/vars.fd"
else
  set -- "$@" -fw_cfg "name=etc/sercon-port,file=$work/sercon-port"
fi
qemu-system-x86_64 "$@" 2> "$work/qemu.stderr" &
qemu=$!
i=0
while [ $i -lt 400 ] && ! grep -q ROMHARNESS-CAPTURE-END "$work/serial.log" 2>/dev/null; do
  sleep 1; i=$((i + 1))
done
sleep 1
kill $qemu 2>/dev/null || true
wait $qemu 2>/dev/null || true
cp "$work/serial.log" "$out"
echo "captured $(grep -c 'ipxe.org' "$out" || true) error lines in ${i}s -> $out"
