package memlimit

import (
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, content string
		want          int64
		err           string
	}{
		{"a limit", "2147483648\n", 2 << 30, ""},
		{"no limit", "max\n", 0, ""},
		{"absent", "", 0, ""},
		{"garbage", "lots\n", 0, `"lots" is not a byte count`},
		{"negative", "-1\n", 0, "is not a byte count"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			if tc.name != "absent" {
				if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, err := Read(path)
			if got != tc.want || (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Read = %d, %v; want %d and an error with %q", got, err, tc.want, tc.err)
			}
		})
	}
}

// The limit is 90 % of the container's, and GOMEMLIMIT or no limit leaves
// the runtime's alone.
func TestSet(t *testing.T) {
	t.Cleanup(func() { debug.SetMemoryLimit(math.MaxInt64) })
	path := filepath.Join(t.TempDir(), "memory.max")
	if err := os.WriteFile(path, []byte("1000000000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if n, err := set("", path); err != nil || n != 900000000 || debug.SetMemoryLimit(-1) != 900000000 {
		t.Errorf("set = %d, %v; runtime limit %d; want 900000000", n, err, debug.SetMemoryLimit(-1))
	}
	debug.SetMemoryLimit(math.MaxInt64)
	if n, _ := set("1GiB", path); n != 0 || debug.SetMemoryLimit(-1) != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set: %d, runtime limit %d; want it left alone", n, debug.SetMemoryLimit(-1))
	}
	if err := os.WriteFile(path, []byte("max\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if n, _ := set("", path); n != 0 || debug.SetMemoryLimit(-1) != math.MaxInt64 {
		t.Errorf("with no container limit: %d, runtime limit %d; want it left alone", n, debug.SetMemoryLimit(-1))
	}
}
