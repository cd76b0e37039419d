// Package controlplane starts a local kube-apiserver and etcd (envtest) with
// the elevsynk CRDs installed: for the tests that need an API server, and for
// `elevsynk demo`.
package controlplane

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	kruntime "k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// Env is a running control plane.
type Env struct {
	Config *rest.Config
	Scheme *kruntime.Scheme
	Client client.Client
	env    *envtest.Environment
}

// Root is the repository's root directory, when running from a source tree.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Start starts kube-apiserver and etcd from KUBEBUILDER_ASSETS and installs
// the CRDs from crdDir (config/crd/bases when empty, found from this source
// file, as tests run). Without KUBEBUILDER_ASSETS it fails with a message
// saying how to get them, rather than skipping: a skipped controller test is
// a test that silently did not run.
func Start(crdDir string) (*Env, error) {
	if crdDir == "" {
		crdDir = filepath.Join(Root(), "config", "crd", "bases")
	}
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		return nil, fmt.Errorf("KUBEBUILDER_ASSETS is not set: run `make test`, or " +
			"`export KUBEBUILDER_ASSETS=$(hack/envtest-assets.sh)` to build kube-apiserver and etcd into bin/ once")
	}
	scheme := kruntime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(elevsynkv1.AddToScheme(scheme))
	env := &envtest.Environment{
		CRDDirectoryPaths:     []string{crdDir},
		ErrorIfCRDPathMissing: true,
		Scheme:                scheme,
	}
	cfg, err := env.Start()
	if err != nil {
		return nil, fmt.Errorf("starting envtest control plane: %w", err)
	}
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		_ = env.Stop()
		return nil, err
	}
	return &Env{Config: cfg, Scheme: scheme, Client: c, env: env}, nil
}

// Stop stops the control plane.
func (e *Env) Stop() error { return e.env.Stop() }
