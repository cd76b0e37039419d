package config_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	rbacv1 "k8s.io/api/rbac/v1"
	"sigs.k8s.io/yaml"
)

// The namespaced install mode grants in each tenant namespace exactly what
// the generated ClusterRole grants cluster-wide: no more, and nothing the
// controllers' markers added since is missing.
func TestNamespacedRoleMatchesClusterRole(t *testing.T) {
	var cluster rbacv1.ClusterRole
	readYAML(t, "rbac/role.yaml", 0, &cluster)
	var role rbacv1.Role
	readYAML(t, "namespaced/tenant_role.yaml", 0, &role)
	if diff := cmp.Diff(cluster.Rules, role.Rules); diff != "" {
		t.Errorf("namespaced/tenant_role.yaml differs from the generated rbac/role.yaml (-cluster +namespaced):\n%s", diff)
	}
	var binding rbacv1.RoleBinding
	readYAML(t, "namespaced/tenant_role.yaml", 1, &binding)
	if binding.Namespace != role.Namespace || binding.RoleRef.Name != role.Name || binding.RoleRef.Kind != "Role" {
		t.Errorf("the RoleBinding (%s/%s → %s %s) does not bind the Role %s/%s",
			binding.Namespace, binding.Name, binding.RoleRef.Kind, binding.RoleRef.Name, role.Namespace, role.Name)
	}
	kust, err := os.ReadFile("namespaced/kustomization.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(kust, []byte("--watch-namespaces="+role.Namespace)) {
		t.Errorf("namespaced/kustomization.yaml does not watch the Role's namespace %s", role.Namespace)
	}
}

// readYAML decodes the n-th document of a YAML file.
func readYAML(t *testing.T, path string, n int, into any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	docs := bytes.Split(bytes.TrimPrefix(data, []byte("---\n")), []byte("\n---\n"))
	if n >= len(docs) {
		t.Fatalf("%s has %d documents, not %d", path, len(docs), n+1)
	}
	if err := yaml.UnmarshalStrict(docs[n], into); err != nil {
		t.Fatalf("%s document %d: %v", path, n, err)
	}
}
