// Plain-text tables for terminal and CI logs: columns padded to their widest
// cell, numbers right-aligned.
//
//   TextTable t({"KIND", "SUBJECT", "BASELINE"});
//   t.add({"rom-growth", "vmware-min/vmxnet3/bios", "73728"});
//   out << t.str();
#pragma once

#include <string>
#include <vector>

namespace rh {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header);
  void add(std::vector<std::string> row);
  std::string str() const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::vector<std::string>> rows_;  // header first
};

// Formatting shared by gate and compare: "73728", "+2048", "1234.5", "-", "+12.5%".
std::string format_ms(double ms);
std::string format_signed(double v, int decimals = 0);

}  // namespace rh
