package validate

import (
	"sync"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/config/crd"
)

// loaded compiles the CRDs once per test binary: it is the slow part.
var loaded = sync.OnceValues(func() (*Schemas, error) { return LoadSchemas(crd.Bases) })

func schemas(t testing.TB) *Schemas {
	t.Helper()
	s, err := loaded()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func testScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(s))
	utilruntime.Must(elevsynkv1.AddToScheme(s))
	return s
}
