#include "harness/bootserver/request_log.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "harness/bootserver/test_client.h"

namespace rh {
namespace {

using std::chrono::milliseconds;

RequestRecord sample(const std::string& path) {
  const auto start = std::chrono::steady_clock::time_point(std::chrono::nanoseconds(1234567890));
  return RequestRecord{.start = start,
                       .end = start + std::chrono::microseconds(2500),
                       .method = "GET",
                       .target = path,
                       .path = path,
                       .status = 200,
                       .bytes_sent = 42,
                       .duration = std::chrono::microseconds(2500)};
}

TEST(RequestRecord, LogLineFormat) {
  RequestRecord r = sample("/boot.ipxe");
  EXPECT_EQ(r.log_line(), "1234567890 GET /boot.ipxe 200 42 2.500");
  r.fault = "truncate=10";
  r.cut = true;
  r.note = "truncated after 10 of 42 bytes";
  EXPECT_EQ(r.log_line(),
            "1234567890 GET /boot.ipxe 200 42 2.500 fault=truncate=10 cut # truncated after 10 of "
            "42 bytes");
  r = sample("/a b%\x01");
  r.method.clear();
  EXPECT_EQ(r.log_line(), "1234567890 - /a%20b%25%01 200 42 2.500");
}

TEST(RequestLog, AppendsLinesToTheFile) {
  testing::TempDir tmp;
  const auto file = tmp.path() / "http.log";
  {
    RequestLog log(file);
    log.add(sample("/a"));
    log.add(sample("/b"));
  }
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "1234567890 GET /a 200 42 2.500\n1234567890 GET /b 200 42 2.500\n");
}

TEST(RequestLog, WaitForSeesOldAndNewRecordsAndTimesOut) {
  RequestLog log;
  log.add(sample("/old"));
  const auto is = [](const std::string& p) {
    return [p](const RequestRecord& r) { return r.path == p; };
  };
  EXPECT_EQ(log.wait_for(is("/old"), milliseconds(0))->path, "/old");
  std::thread later([&] {
    std::this_thread::sleep_for(milliseconds(30));
    log.add(sample("/new"));
  });
  EXPECT_EQ(log.wait_for(is("/new"), milliseconds(30000))->path, "/new");
  later.join();
  const auto t1 = std::chrono::steady_clock::now();
  EXPECT_FALSE(log.wait_for(is("/never"), milliseconds(40)).has_value());
  EXPECT_GE(std::chrono::steady_clock::now() - t1, milliseconds(40));
  EXPECT_EQ(log.snapshot().size(), 2u);
}

TEST(RequestLog, KeepsArrivalOrderWhateverOrderResponsesFinishIn) {
  testing::TempDir tmp;
  const auto file = tmp.path() / "http.log";
  RequestLog log(file);
  const auto first = log.begin(sample("/slow"));
  const auto second = log.begin(sample("/fast"));
  EXPECT_FALSE(log.snapshot()[0].complete);
  log.finish(second, sample("/fast"));
  {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), "") << "a line may not overtake an earlier request";
  }
  log.finish(first, sample("/slow"));
  const auto records = log.snapshot();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].path, "/slow");
  EXPECT_EQ(records[1].path, "/fast");
  EXPECT_TRUE(records[0].complete && records[1].complete);
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "1234567890 GET /slow 200 42 2.500\n1234567890 GET /fast 200 42 2.500\n");
}

}  // namespace
}  // namespace rh
