// Package sftpd is an SFTP server for tests and the demo: it serves one
// directory read-only to one client key, with a host key derived from a
// fixed seed so a manifest can pin it ahead of time. Register exports such
// as Alvis' and Adela's are picked up from SFTP servers this way
// (notes-ss12000.md §3).
//
// It follows the SSH File Transfer Protocol as pkg/sftp's request server
// implements it (draft-ietf-secsh-filexfer-02, version 3): open, read,
// stat, lstat and readdir are answered; writes, renames and removals are
// refused with SSH_FX_PERMISSION_DENIED.
package sftpd

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/pem"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"path"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// key derives an Ed25519 key from a name: the sandbox's keys are public
// by design, like its TLS certificate (internal/sandbox/loopbacktls).
func key(name string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("elevsynk sandbox " + name))
	return ed25519.NewKeyFromSeed(seed[:])
}

// HostSigner is the server's host key.
func HostSigner() ssh.Signer {
	s, _ := ssh.NewSignerFromKey(key("sftp host key"))
	return s
}

// HostKey is the server's public host key in authorized_keys form, as a
// RegisterSource's spec.*.sftp.hostKeys holds it.
func HostKey() string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(HostSigner().PublicKey())))
}

// ClientKeyPEM is the private key the sandbox accepts, in OpenSSH PEM form,
// as a Secret's ssh-privatekey holds it.
func ClientKeyPEM() []byte {
	b, err := ssh.MarshalPrivateKey(key("sftp client key"), "elevsynk sandbox")
	if err != nil {
		panic(err) // an Ed25519 key always marshals
	}
	return pem.EncodeToMemory(b)
}

// Server serves Root over SFTP.
type Server struct {
	Root string
	User string

	ln       net.Listener
	wg       sync.WaitGroup
	sessions atomic.Int64
	reads    atomic.Int64
}

// Start listens on addr (e.g. 127.0.0.1:0) and serves root to user.
func Start(addr, root, user string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{Root: root, User: user, ln: ln}
	client, _ := ssh.NewSignerFromKey(key("sftp client key"))
	want := client.PublicKey().Marshal()
	cfg := &ssh.ServerConfig{
		PublicKeyCallback: func(c ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			if c.User() == user && string(k.Marshal()) == string(want) {
				return nil, nil
			}
			return nil, errors.New("unknown user or key")
		},
	}
	cfg.AddHostKey(HostSigner())
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serve(conn, cfg)
			}()
		}
	}()
	return s, nil
}

// Addr is where the server listens.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Sessions counts SFTP sessions served; Reads counts files opened.
func (s *Server) Sessions() int64 { return s.sessions.Load() }
func (s *Server) Reads() int64    { return s.reads.Load() }

// Close stops listening and waits for the sessions to end.
func (s *Server) Close() error {
	err := s.ln.Close()
	s.wg.Wait()
	return err
}

func (s *Server) serve(conn net.Conn, cfg *ssh.ServerConfig) {
	defer conn.Close()
	sc, chans, reqs, err := ssh.NewServerConn(conn, cfg)
	if err != nil {
		return
	}
	defer sc.Close()
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "only sessions")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			return
		}
		go func() {
			for req := range creqs {
				ok := req.Type == "subsystem" && len(req.Payload) >= 4 && string(req.Payload[4:]) == "sftp"
				req.Reply(ok, nil)
				if ok {
					s.sessions.Add(1)
					srv := sftp.NewRequestServer(ch, s.handlers())
					srv.Serve()
					srv.Close()
					return
				}
			}
		}()
	}
}

func (s *Server) handlers() sftp.Handlers {
	h := &readOnly{s: s}
	return sftp.Handlers{FileGet: h, FilePut: h, FileCmd: h, FileList: h}
}

// readOnly serves Root through os.Root, so no path leaves it.
type readOnly struct{ s *Server }

func (h *readOnly) open() (*os.Root, error) { return os.OpenRoot(h.s.Root) }

// rel is a request path inside Root: SFTP paths are absolute, "/" is Root.
func rel(p string) string {
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	if p == "" {
		return "."
	}
	return p
}

func (h *readOnly) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	root, err := h.open()
	if err != nil {
		return nil, err
	}
	defer root.Close()
	f, err := root.Open(rel(r.Filepath))
	if err != nil {
		return nil, err
	}
	h.s.reads.Add(1)
	return f, nil
}

func (h *readOnly) Filewrite(*sftp.Request) (io.WriterAt, error) {
	return nil, sftp.ErrSSHFxPermissionDenied
}
func (h *readOnly) Filecmd(*sftp.Request) error { return sftp.ErrSSHFxPermissionDenied }

func (h *readOnly) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	root, err := h.open()
	if err != nil {
		return nil, err
	}
	defer root.Close()
	p := rel(r.Filepath)
	switch r.Method {
	case "List":
		des, err := fs.ReadDir(root.FS(), p)
		if err != nil {
			return nil, err
		}
		infos := make([]os.FileInfo, 0, len(des))
		for _, de := range des {
			if fi, err := de.Info(); err == nil {
				infos = append(infos, fi)
			}
		}
		return lister(infos), nil
	case "Stat", "Lstat":
		fi, err := root.Stat(p)
		if err != nil {
			return nil, err
		}
		return lister{fi}, nil
	}
	return nil, sftp.ErrSSHFxOpUnsupported
}

type lister []os.FileInfo

func (l lister) ListAt(out []os.FileInfo, off int64) (int, error) {
	if off >= int64(len(l)) {
		return 0, io.EOF
	}
	n := copy(out, l[off:])
	if off+int64(n) >= int64(len(l)) {
		return n, io.EOF
	}
	return n, nil
}
