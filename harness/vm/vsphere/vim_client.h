// A session with a vCenter or ESXi host over the VIM SOAP API: log in (the
// session cookie), call methods, read properties, wait for tasks. Faults
// become SetupError naming the call, the object and the fault; a
// NotAuthenticated fault (an expired session) is retried once after a new
// login. The password never appears in what it throws or logs.
//
//   VimClient vim(lab.endpoint, lab.tls, read_credentials(lab));
//   vim.login();
//   ObjectContent vm = vim.retrieve_one(ref, {"runtime.powerState"}, "VM 'rh-1'");
//   vim.wait_task(vim.call_for_ref("PowerOnVM_Task", ref, "", "VM 'rh-1'"), "VM 'rh-1'");
//
// Thread-safe: calls are serialised; cookie() may be read from any thread.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "harness/core/error.h"
#include "harness/vm/vsphere/http_client.h"
#include "harness/vm/vsphere/lab_file.h"
#include "harness/vm/vsphere/soap_response.h"

namespace rh::vsphere {

// A fault the server answered (a method's or a task's), as a SetupError whose
// message names the call and the object; fault() tells callers which.
class VimFault : public SetupError {
 public:
  VimFault(const std::string& message, SoapFault fault)
      : SetupError(message), fault_(std::move(fault)) {}
  const SoapFault& fault() const { return fault_; }

 private:
  SoapFault fault_;
};

struct ServiceContent {
  MoRef root_folder, property_collector, view_manager, search_index, session_manager;
  std::string api_type;   // "VirtualCenter" or "HostAgent"
  std::string full_name;  // "VMware vCenter Server 6.5.0 build-5973321"
};

class VimClient {
 public:
  VimClient(std::string sdk_url, TlsOptions tls, Credentials credentials);
  ~VimClient();  // logs out, best effort
  VimClient(const VimClient&) = delete;
  VimClient& operator=(const VimClient&) = delete;

  // RetrieveServiceContent and Login. SetupError "vSphere login to URL as
  // 'user' failed: InvalidLogin (...)".
  void login();
  void logout() noexcept;
  // A new login after the server forgot the session (HTTP 401 on a file).
  void relogin(const std::string& why);
  const ServiceContent& content() const { return content_; }
  const std::string& sdk_url() const { return sdk_url_; }
  std::string base_url() const;  // "https://host:port"
  const TlsOptions& tls() const { return tls_; }
  std::string cookie() const;  // "vmware_soap_session=..." for file transfers
  int logins() const;          // successful logins so far

  // Calls `method` on `target`; `what` names the object for errors
  // ("VM 'rh-1'"). Throws SetupError on a fault or a transport error.
  SoapResponse call(const std::string& method, const MoRef& target, const std::string& params,
                    const std::string& what);
  // A call whose answer is one managed object reference (a task, a view).
  MoRef call_for_ref(const std::string& method, const MoRef& target, const std::string& params,
                     const std::string& what);
  // RetrievePropertiesEx (and its continuations) over one filter spec.
  std::vector<ObjectContent> retrieve(const std::string& spec_set, const std::string& what);
  ObjectContent retrieve_one(const MoRef& obj, const std::vector<std::string>& paths,
                             const std::string& what);
  // Waits until the task ends; SetupError with the task's fault if it failed,
  // or when `timeout` passes first.
  void wait_task(const MoRef& task, const std::string& what,
                 std::chrono::milliseconds timeout = std::chrono::minutes(10));

 private:
  SoapResponse post(const std::string& method, const MoRef& target, const std::string& params,
                    const std::string& what);
  SoapResponse call_locked(const std::string& method, const MoRef& target,
                           const std::string& params, const std::string& what);
  void login_locked();
  std::string message(const std::string& method, const std::string& what,
                      const std::string& why) const;
  [[noreturn]] void fail(const std::string& method, const std::string& what,
                         const std::string& why) const;
  [[noreturn]] void fail(const std::string& method, const std::string& what, const SoapFault& fault,
                         const std::string& more = "") const;

  std::string sdk_url_;
  TlsOptions tls_;
  Credentials credentials_;
  HttpClient http_;
  ServiceContent content_;
  mutable std::mutex mu_;
  std::string cookie_;
  int logins_ = 0;
};

}  // namespace rh::vsphere
