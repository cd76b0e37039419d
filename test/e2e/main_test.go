// Package e2e runs the real binaries against a local control plane and
// the sandboxes: the samples as a new user runs them, and the manager
// killed while it provisions (what a crash, an OOM kill or a node loss
// does to a sync in the middle of an apply).
package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/elevsynk/elevsynk/internal/controlplane"
)

var (
	cp         *controlplane.Env
	managerBin string // the built ./cmd/manager
	cliBin     string // the built ./cmd/elevsynk
	kubeconfig string // for the control plane, as the binary reads it
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "elevsynk-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	managerBin, cliBin = filepath.Join(dir, "manager"), filepath.Join(dir, "elevsynk")
	// go build reuses the build cache: a warm build is a link.
	build := exec.Command("go", "build", "-o", dir+"/", "./cmd/manager", "./cmd/elevsynk")
	build.Dir = controlplane.Root()
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the binaries:", err)
		return 1
	}
	if cp, err = controlplane.Start(""); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = cp.Stop() }()
	kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := writeKubeconfig(kubeconfig); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// writeKubeconfig writes the control plane's admin credentials as a
// kubeconfig, which is how a process outside the test finds it.
func writeKubeconfig(path string) error {
	cfg := cp.Config
	kc := clientcmdapi.NewConfig()
	kc.Clusters["e2e"] = &clientcmdapi.Cluster{Server: cfg.Host, CertificateAuthorityData: cfg.CAData}
	kc.AuthInfos["e2e"] = &clientcmdapi.AuthInfo{ClientCertificateData: cfg.CertData, ClientKeyData: cfg.KeyData, Token: cfg.BearerToken}
	kc.Contexts["e2e"] = &clientcmdapi.Context{Cluster: "e2e", AuthInfo: "e2e"}
	kc.CurrentContext = "e2e"
	return clientcmd.WriteToFile(*kc, path)
}
