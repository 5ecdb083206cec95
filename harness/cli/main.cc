// romharness: end-to-end tests for iPXE network-boot ROMs (see --help).
#include <iostream>
#include <string>
#include <vector>

#include "harness/cli/app.h"

int main(int argc, char** argv) {
  return rh::run_cli(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
