#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/cli/parse_for_test.h"

namespace rh {
namespace {
using testing::cli;
using ::testing::HasSubstr;
using testing::parse;

TEST(ImportOptions, Vmx) {
  const auto p = parse({"import-vmx", "vm.vmx", "-o", "out.yaml", "--rom-dir=roms"});
  const ImportCommandOptions& i = p->options.import_vmx;
  EXPECT_EQ(i.input, "vm.vmx");
  EXPECT_EQ(i.output, "out.yaml");
  EXPECT_EQ(i.rom_dir, "roms");
  EXPECT_EQ(parse({"import-vmx", "vm.vmx", "--output=o.yaml"})->options.import_vmx.output,
            "o.yaml");
}

TEST(ImportOptions, Tf) {
  const auto p = parse({"import-tf", "main.tf", "--resource", "pxe_vm"});
  EXPECT_EQ(p->options.import_tf.input, "main.tf");
  EXPECT_EQ(p->options.import_tf.resource, "pxe_vm");
}

TEST(ImportOptions, UsageErrors) {
  auto r = cli({"import-vmx"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("romharness import-vmx: input is required"));
  r = cli({"import-vmx", "a.vmx", "--resource", "x"});  // only import-tf has it
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("romharness import-vmx: unknown option '--resource'"));
  r = cli({"import-vmx", "a.vmx", "b.vmx"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "romharness import-vmx: unexpected argument 'b.vmx' (see romharness import-vmx "
            "--help)\n");
  r = cli({"import-tf", "main.tf", "--resorce", "x"});
  EXPECT_THAT(r.err, HasSubstr("did you mean '--resource'?"));
}

TEST(IpxeErrorOptions, Codes) {
  const auto p = parse({"ipxe-error", "2d0c613b", "https://ipxe.org/3c092003"});
  EXPECT_EQ(p->options.ipxe_error_codes,
            (std::vector<std::string>{"2d0c613b", "https://ipxe.org/3c092003"}));
  EXPECT_EQ(cli({"ipxe-error"}).code, 2);
  const auto r = cli({"ipxe-error", "nope"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "romharness ipxe-error: 'nope' is not an iPXE error code (8 hex digits)\n");
}

}  // namespace
}  // namespace rh
