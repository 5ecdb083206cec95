// rh-vcsim: govmomi's vCenter simulator (Debian's golang-github-vmware-govmomi-dev)
// on loopback with TLS, for romharness's vSphere backend tests. It prints
//
//	RH_VCSIM_URL https://127.0.0.1:PORT/sdk
//	RH_VCSIM_READY
//
// on stdout once it answers, writes its self-signed certificate to -ca-out
// (tests verify TLS against it) and runs until SIGTERM or SIGINT.
//
// Faults (-fault, comma-separated), each done the way govmomi's
// simulator/example_extend_test.go does it, by wrapping an object:
//
//	poweron-task           every PowerOnVM_Task of a VM created after start fails
//	                       (the task ends in error: InsufficientResourcesFault)
//	session-expiry         the first PowerOnVM_Task logs its session out and
//	                       answers NotAuthenticated, as an expired session does
//	session-expiry-always  every PowerOnVM_Task does so
//	upload-5xx             every HTTP PUT under /folder/ answers 503
//
// Build: ci/vcsim/vcsim.sh build OUT (GO111MODULE=off, GOPATH=/usr/share/gocode).
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type faults struct {
	powerOnTask   bool
	expiryOnce    bool
	expiryAlways  bool
	upload5xx     bool
	mu            sync.Mutex
	expiriesSoFar int
}

func parseFaults(list string) (*faults, error) {
	f := &faults{}
	for _, name := range strings.Split(list, ",") {
		switch strings.TrimSpace(name) {
		case "":
		case "poweron-task":
			f.powerOnTask = true
		case "session-expiry":
			f.expiryOnce = true
		case "session-expiry-always":
			f.expiryAlways = true
		case "upload-5xx":
			f.upload5xx = true
		default:
			return nil, fmt.Errorf("unknown fault %q (known: poweron-task, session-expiry, "+
				"session-expiry-always, upload-5xx)", name)
		}
	}
	return f, nil
}

// expireNow says whether this PowerOn call plays an expired session.
func (f *faults) expireNow() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.expiryAlways || (f.expiryOnce && f.expiriesSoFar == 0) {
		f.expiriesSoFar++
		return true
	}
	return false
}

// faultyVM wraps a simulator VM; its PowerOnVMTask fails as -fault says.
// govmomi 0.24 reads an inventory object through its first field and cannot
// follow an embedded pointer: that field is an empty mo.VirtualMachine for
// the inventory walk (a VM has no children there), and Get hands the
// PropertyCollector the real VM. Everything else is the real VM's.
type faultyVM struct {
	Inventory mo.VirtualMachine
	*simulator.VirtualMachine
	faults *faults
}

func (vm *faultyVM) Get() mo.Reference { return vm.VirtualMachine }

func (vm *faultyVM) PowerOnVMTask(ctx *simulator.Context, req *types.PowerOnVM_Task) soap.HasFault {
	if vm.faults.expireNow() {
		simulator.Map.SessionManager().Logout(ctx, &types.Logout{})
		body := &methods.PowerOnVM_TaskBody{}
		body.Fault_ = simulator.Fault("The session is not authenticated.", &types.NotAuthenticated{
			NoPermission: types.NoPermission{Object: vm.Self, PrivilegeId: "System.View"},
		})
		return body
	}
	if vm.faults.powerOnTask {
		task := simulator.CreateTask(req.This, "powerOn", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
			return nil, &types.InsufficientResourcesFault{}
		})
		return &methods.PowerOnVM_TaskBody{Res: &types.PowerOnVM_TaskResponse{Returnval: task.Run()}}
	}
	return vm.VirtualMachine.PowerOnVMTask(ctx, req)
}

// vmWrapper is a Registry handler: each VM put into the inventory is
// replaced by a faultyVM under the same reference.
type vmWrapper struct {
	self   types.ManagedObjectReference
	faults *faults
}

func (w *vmWrapper) Reference() types.ManagedObjectReference { return w.self }

func (w *vmWrapper) PutObject(obj mo.Reference) {
	if vm, ok := obj.(*simulator.VirtualMachine); ok {
		simulator.Map.Put(&faultyVM{VirtualMachine: vm, faults: w.faults})
	}
}

func (w *vmWrapper) UpdateObject(mo.Reference, []types.PropertyChange) {}
func (w *vmWrapper) RemoveObject(types.ManagedObjectReference)         {}

// failPuts answers 503 to every datastore PUT, the rest goes to next.
func failPuts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/folder/") {
			http.Error(w, "datastore unavailable (rh-vcsim fault upload-5xx)", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// selfSignedCert makes a certificate for the loopback addresses and writes
// its PEM to caOut, so clients can verify TLS against it.
func selfSignedCert(caOut string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "rh-vcsim"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return tls.Certificate{}, err
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	if err := os.WriteFile(caOut, certPEM, 0o644); err != nil {
		return tls.Certificate{}, err
	}
	return tls.X509KeyPair(certPEM, keyPEM)
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (loopback unless told otherwise)")
	username := flag.String("username", "user", "the only user name Login accepts")
	passwordFile := flag.String("password-file", "", "file holding the only password Login accepts (required)")
	caOut := flag.String("ca-out", "", "write the server's self-signed certificate (PEM) here (required)")
	esx := flag.Bool("esx", false, "simulate a standalone ESXi host instead of vCenter")
	faultList := flag.String("fault", "", "faults to inject, comma-separated (see the source)")
	flag.Parse()

	if *passwordFile == "" || *caOut == "" {
		log.Fatal("rh-vcsim: -password-file and -ca-out are required")
	}
	raw, err := os.ReadFile(*passwordFile)
	if err != nil {
		log.Fatalf("rh-vcsim: cannot read -password-file: %v", err)
	}
	password := strings.TrimRight(string(raw), "\r\n")
	injected, err := parseFaults(*faultList)
	if err != nil {
		log.Fatalf("rh-vcsim: %v", err)
	}

	model := simulator.VPX()
	if *esx {
		model = simulator.ESX()
	}
	defer model.Remove()
	if err := model.Create(); err != nil {
		log.Fatalf("rh-vcsim: cannot create the model: %v", err)
	}
	if injected.powerOnTask || injected.expiryOnce || injected.expiryAlways {
		simulator.Map.AddHandler(&vmWrapper{
			self:   types.ManagedObjectReference{Type: "RhVmWrapper", Value: "rh-vm-wrapper"},
			faults: injected,
		})
	}

	cert, err := selfSignedCert(*caOut)
	if err != nil {
		log.Fatalf("rh-vcsim: cannot make a certificate: %v", err)
	}
	model.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	model.Service.Listen = &url.URL{Host: *listen, User: url.UserPassword(*username, password)}

	server := model.Service.NewServer()
	defer server.Close()
	if injected.upload5xx {
		server.Server.Config.Handler = failPuts(server.Server.Config.Handler)
	}

	published := *server.URL
	published.User = nil // the password stays out of the output
	fmt.Printf("RH_VCSIM_URL %s\nRH_VCSIM_READY\n", published.String())
	_ = os.Stdout.Sync()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
}
