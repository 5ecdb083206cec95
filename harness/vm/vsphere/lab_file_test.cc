#include "harness/vm/vsphere/lab_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "harness/core/error.h"
#include "harness/core/testing/temp_dir.h"

namespace rh::vsphere {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const char* const kFull = R"(endpoint: vc.lab.example
username: romharness@vsphere.local
password_env: RH_TEST_LAB_PASSWORD
tls:
  ca_bundle: lab-ca.pem
datacenter: Lab/DC0
datastore: LocalDS_0
network: VM Network
cluster: DC0_C0
resource_pool: romharness
folder: ci/nightly
concurrency: 3
vm_prefix: rhci-
boot_server:
  address: 192.0.2.10
  bind: 192.0.2.10
task_timeout: 5m
)";

std::string error_of(const std::string& text) {
  try {
    parse_lab_file(text, "lab.yaml", "/labs");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(LabFile, ReadsEveryKey) {
  LabConfig lab = parse_lab_file(kFull, "lab.yaml", "/labs");
  EXPECT_EQ(lab.endpoint, "https://vc.lab.example/sdk");
  EXPECT_EQ(lab.username, "romharness@vsphere.local");
  EXPECT_EQ(lab.password_env, "RH_TEST_LAB_PASSWORD");
  EXPECT_EQ(lab.tls.ca_bundle, "/labs/lab-ca.pem");
  EXPECT_FALSE(lab.tls.insecure);
  EXPECT_EQ(lab.datacenter, "Lab/DC0");
  EXPECT_EQ(lab.network, "VM Network");
  EXPECT_EQ(lab.cluster, "DC0_C0");
  EXPECT_EQ(lab.folder, "ci/nightly");
  EXPECT_EQ(lab.concurrency, 3);
  EXPECT_EQ(lab.vm_prefix, "rhci-");
  EXPECT_EQ(lab.boot_server_address, "192.0.2.10");
  EXPECT_EQ(lab.boot_server_bind, "192.0.2.10");
  EXPECT_EQ(lab.task_timeout, std::chrono::minutes(5));
  EXPECT_EQ(lab.where.at("boot_server.bind"), "lab.yaml:16:9");
}

TEST(LabFile, DefaultsKeepTlsOnAndTheBootServerOnLoopback) {
  LabConfig lab = parse_lab_file(
      "endpoint: https://esx-1:8443\nusername: root\npassword_file: pw\ndatacenter: ha-datacenter\n"
      "datastore: datastore1\nnetwork: VM Network\nhost: esx-1\n",
      "lab.yaml", "/labs");
  EXPECT_EQ(lab.endpoint, "https://esx-1:8443/sdk");
  EXPECT_EQ(lab.password_file, "/labs/pw");
  EXPECT_FALSE(lab.tls.insecure);
  EXPECT_TRUE(lab.tls.ca_bundle.empty());
  EXPECT_EQ(lab.boot_server_bind, "");
  EXPECT_EQ(lab.concurrency, 1);
  EXPECT_EQ(lab.guest_id, "otherGuest64");
}

TEST(LabFile, ErrorsNameTheFileLineAndKey) {
  std::string text = kFull;
  EXPECT_THAT(error_of(text + "datastores: x\n"),
              HasSubstr("lab.yaml:18:1: unknown key 'datastores' in lab file"));
  EXPECT_THAT(error_of(std::string(kFull).replace(0, 24, "endpoint: http://vc")),
              HasSubstr("lab.yaml:1:11: endpoint 'http://vc' must use https"));
  EXPECT_THAT(error_of(text + "password_file: pw\n"),
              HasSubstr("name exactly one of password_env or password_file"));
  EXPECT_THAT(
      error_of(std::string(kFull).replace(text.find("concurrency: 3"), 14, "concurrency: 0")),
      HasSubstr("lab.yaml:12:14: concurrency must be 1..64, got 0"));
  EXPECT_THAT(error_of(std::string(kFull).replace(text.find("cluster: DC0_C0"), 15, "")),
              HasSubstr("name the cluster or the host"));
  EXPECT_THAT(error_of(std::string(kFull).replace(text.find("rhci-"), 5, "rh/../")),
              HasSubstr("vm_prefix 'rh/../' must be letters, digits"));
}

TEST(LabFile, APasswordInTheFileIsRefusedWithoutRepeatingIt) {
  std::string message = error_of(std::string(kFull) + "password: Hunter2-secret\n");
  EXPECT_THAT(message, HasSubstr("lab.yaml:18:11: a lab file must not hold the password"));
  EXPECT_THAT(message, Not(HasSubstr("Hunter2-secret")));
}

TEST(LabFile, CredentialsFromTheEnvironmentOrAFile) {
  LabConfig lab = parse_lab_file(kFull, "lab.yaml", "/labs");
  ::unsetenv("RH_TEST_LAB_PASSWORD");
  try {
    read_credentials(lab);
    FAIL() << "no error";
  } catch (const SetupError& e) {
    EXPECT_STREQ(e.what(),
                 "the lab's password: environment variable 'RH_TEST_LAB_PASSWORD' is not set");
  }
  ::setenv("RH_TEST_LAB_PASSWORD", "from-env\n", 1);
  EXPECT_EQ(read_credentials(lab).password.reveal(), "from-env");

  testing::TempDir tmp;
  lab.password_env.clear();
  lab.password_file = tmp.write("pw", "from-file\nsecond line ignored\n");
  EXPECT_EQ(read_credentials(lab).password.reveal(), "from-file");
  lab.password_file = tmp.write("empty", "\n");
  EXPECT_THROW(read_credentials(lab), SetupError);
}

TEST(Secret, RedactsEveryFormOfTheValue) {
  Secret pw("p&ss w<rd");
  EXPECT_EQ(pw.redact("raw p&ss w<rd, xml p&amp;ss w&lt;rd, url p%26ss%20w%3Crd."),
            "raw ***, xml ***, url ***.");
  EXPECT_EQ(Secret().redact("nothing to hide"), "nothing to hide");
}

}  // namespace
}  // namespace rh::vsphere
