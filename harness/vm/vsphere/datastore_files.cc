#include "harness/vm/vsphere/datastore_files.h"

#include "harness/core/error.h"

namespace rh::vsphere {
namespace {

bool auth_lost(long status) { return status == 401 || status == 403; }

}  // namespace

DatastoreFiles::DatastoreFiles(VimClient& vim, std::string datacenter_path,
                               std::string datastore_name)
    : vim_(vim),
      datacenter_(std::move(datacenter_path)),
      datastore_(std::move(datastore_name)),
      http_(vim.tls()) {}

std::string DatastoreFiles::url(const std::string& path) const {
  return vim_.base_url() + "/folder/" + url_encode_path(path) +
         "?dcPath=" + url_encode_query(datacenter_) + "&dsName=" + url_encode_query(datastore_);
}

std::string DatastoreFiles::datastore_path(const std::string& path) const {
  return "[" + datastore_ + "] " + path;
}

void DatastoreFiles::fail(const std::string& verb, const std::string& path,
                          const std::string& why) const {
  throw SetupError("vSphere datastore file " + verb + " of '" + datastore_path(path) +
                   "' (datacenter '" + datacenter_ + "') failed: " + why);
}

HttpResponse DatastoreFiles::send(HttpClient& http, HttpRequest req, const std::string& path) {
  req.url = url(path);
  std::size_t cookie_header = req.headers.size();
  req.headers.push_back("Cookie: " + vim_.cookie());
  HttpResponse res;
  try {
    res = http.request(req);
    if (auth_lost(res.status)) {
      vim_.relogin("HTTP " + std::to_string(res.status) + " on '" + datastore_path(path) + "'");
      req.headers[cookie_header] = "Cookie: " + vim_.cookie();
      res = http.request(req);
    }
  } catch (const SetupError& e) {
    fail(req.method, path, e.what());
  }
  return res;
}

void DatastoreFiles::put(const std::string& path, const std::string& bytes) {
  HttpRequest req{.method = "PUT", .url = {}, .headers = {}, .body = bytes, .range_from = {}};
  req.headers = {"Content-Type: application/octet-stream"};
  HttpResponse res = send(http_, std::move(req), path);
  if (res.status != 200 && res.status != 201 && res.status != 204) {
    fail("upload", path, "HTTP " + std::to_string(res.status));
  }
}

std::optional<std::string> DatastoreFiles::get(const std::string& path) {
  HttpResponse res = send(http_, HttpRequest{}, path);
  if (res.status == 404) return std::nullopt;
  if (res.status != 200) fail("download", path, "HTTP " + std::to_string(res.status));
  return std::move(res.body);
}

RangeRead DatastoreFiles::read_from(HttpClient& http, const std::string& path, long long offset) {
  HttpRequest req;
  req.range_from = offset;
  HttpResponse res = send(http, std::move(req), path);
  RangeRead out;
  switch (res.status) {
    case 206:
      out.kind = RangeRead::Kind::kData;
      out.data = std::move(res.body);
      break;
    case 200:  // the whole file: the range was ignored
      if (static_cast<long long>(res.body.size()) > offset) {
        out.kind = RangeRead::Kind::kData;
        out.data = res.body.substr(static_cast<std::size_t>(offset));
      }
      break;
    case 416:  // nothing past the offset yet
      break;
    case 404:
      out.kind = RangeRead::Kind::kMissing;
      break;
    default:
      fail("range read", path, "HTTP " + std::to_string(res.status));
  }
  if (out.kind == RangeRead::Kind::kData && out.data.empty())
    out.kind = RangeRead::Kind::kNothingNew;
  return out;
}

}  // namespace rh::vsphere
