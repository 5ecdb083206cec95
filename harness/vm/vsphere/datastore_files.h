// Files on a datastore over HTTPS, the way vSphere serves them:
//   PUT/GET https://host/folder/<path>?dcPath=<datacenter>&dsName=<datastore>
// with the SOAP session's cookie. A 401/403 (the session expired) logs in
// again once and retries. HTTP errors are SetupError naming the file and
// the status.
//
//   DatastoreFiles files(vim, "DC0", "LocalDS_0");
//   files.put("rh-1/ipxe.rom", rom_bytes);
//   std::optional<std::string> log = files.get("rh-1/vmware.log");  // nullopt: 404
//   RangeRead r = files.read_from(follower_http, "rh-1/serial.log", 4096);
#pragma once

#include <optional>
#include <string>

#include "harness/vm/vsphere/http_client.h"
#include "harness/vm/vsphere/vim_client.h"

namespace rh::vsphere {

struct RangeRead {
  enum class Kind { kData, kNothingNew, kMissing } kind = Kind::kNothingNew;
  std::string data;  // the bytes from the offset on (kData)
};

class DatastoreFiles {
 public:
  DatastoreFiles(VimClient& vim, std::string datacenter_path, std::string datastore_name);

  void put(const std::string& path, const std::string& bytes);
  std::optional<std::string> get(const std::string& path);
  // Bytes from `offset` on with "Range: bytes=offset-", on the caller's own
  // connection (a follower thread). A server that ignores the range (200)
  // is handled by dropping the first `offset` bytes.
  RangeRead read_from(HttpClient& http, const std::string& path, long long offset);

  std::string url(const std::string& path) const;
  // "[LocalDS_0] rh-1/serial.log"
  std::string datastore_path(const std::string& path) const;
  const std::string& datastore_name() const { return datastore_; }
  VimClient& vim() { return vim_; }

 private:
  HttpResponse send(HttpClient& http, HttpRequest req, const std::string& path);
  [[noreturn]] void fail(const std::string& verb, const std::string& path,
                         const std::string& why) const;

  VimClient& vim_;
  std::string datacenter_;
  std::string datastore_;
  HttpClient http_;
};

}  // namespace rh::vsphere
