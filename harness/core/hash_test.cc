#include "harness/core/hash.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

TEST(Hash, Sha256OfKnownString) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace rh
