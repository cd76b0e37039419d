package e2e

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// replica is one manager process, restarted under the same name.
type replica struct {
	name string
	args []string
	logs string // directory of its logs, one file per start
	// ports keeps the default metrics and probe addresses (:8080, :8081);
	// otherwise both are off, so replicas never compete for them.
	ports bool

	mu      sync.Mutex
	cmd     *exec.Cmd
	starts  int
	done    chan struct{} // closed when the current process has exited
	leading chan struct{} // closed when the current process logs that it leads
}

// start runs the binary afresh. Its log goes to a file: it is the
// manager's, never the test output.
func (r *replica) start(t *testing.T) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.starts++
	logFile, err := os.Create(filepath.Join(r.logs, r.name+"-"+strconv.Itoa(r.starts)+".log"))
	if err != nil {
		t.Fatal(err)
	}
	args := r.args
	if !r.ports {
		args = append([]string{"--metrics-bind-address=0", "--health-probe-bind-address=0"}, args...)
	}
	cmd := exec.Command(managerBin, args...)
	cmd.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig)
	// A test binary that dies (a timeout) takes its managers with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = logFile, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done, leading := make(chan struct{}), make(chan struct{})
	scanned := make(chan struct{})
	go func() {
		// client-go's leader election logs this once the lease is ours.
		defer close(scanned)
		lead := leading
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			_, _ = logFile.WriteString(line + "\n")
			if lead != nil && strings.Contains(line, "Successfully acquired lease") {
				close(lead)
				lead = nil
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	go func() {
		_ = cmd.Wait()
		pw.Close()
		<-scanned
		logFile.Close()
		close(done)
	}()
	r.cmd, r.done, r.leading = cmd, done, leading
}

// kill sends SIGKILL: no shutdown, no lease release, requests in flight
// cut off. It returns the channel closed when the process has gone.
func (r *replica) kill() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	_ = r.cmd.Process.Signal(syscall.SIGKILL)
	return r.done
}

// current is the running process's done and leading channels.
func (r *replica) current() (done, leading <-chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.done, r.leading
}

// dump makes the running process print its goroutines into its log
// (the Go runtime's answer to SIGQUIT), for a test that found it stuck.
func (r *replica) dump() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	_ = r.cmd.Process.Signal(syscall.SIGQUIT)
	return r.done
}

// stop kills the replica for good and waits for it.
func (r *replica) stop() { <-r.kill() }
