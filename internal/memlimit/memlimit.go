// Package memlimit sets the Go runtime's soft memory limit from the
// container's memory limit. Without one the heap may grow to twice what is
// live before a collection (GOGC=100): the first pass of a 120 000-pupil
// tenant holds about 450 MiB but peaks well above 1 GiB, and a pod limit
// below that peak is an OOM kill rather than a busier collector. With the
// limit the runtime collects harder as the heap nears it
// (https://go.dev/doc/gc-guide#Memory_limit).
package memlimit

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// cgroupMax is the cgroup v2 memory limit of the container
// (https://docs.kernel.org/admin-guide/cgroup-v2.html, memory.max).
const cgroupMax = "/sys/fs/cgroup/memory.max"

// share is the part of the container's limit given to the Go heap; the
// rest is for stacks, the runtime's own structures and memory the
// collector has not yet returned.
const share = 0.9

// FromCgroup sets the limit to share of the container's memory limit,
// unless GOMEMLIMIT is set (the operator's choice wins) or there is no
// limit. It returns the limit set, or 0.
func FromCgroup() (int64, error) { return set(os.Getenv("GOMEMLIMIT"), cgroupMax) }

func set(env, path string) (int64, error) {
	if env != "" {
		return 0, nil
	}
	limit, err := Read(path)
	if err != nil || limit == 0 {
		return 0, err
	}
	n := int64(float64(limit) * share)
	debug.SetMemoryLimit(n)
	return n, nil
}

// Read returns the byte limit in a cgroup v2 memory.max file: 0 when the
// file is absent (not in a container, or cgroup v1) or says "max".
func Read(path string) (int64, error) {
	raw, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	v := strings.TrimSpace(string(raw))
	if v == "max" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s: %q is not a byte count", path, v)
	}
	return n, nil
}
