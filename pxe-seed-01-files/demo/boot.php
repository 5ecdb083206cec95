#!ipxe
echo romharness stub for http://boot.ipxe.org/demo/boot.php: replace /work/wt/input/pxe-seed-01-files/demo/boot.php with the file it serves in the field
exit 1
