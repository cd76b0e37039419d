package fileget

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// SFTP is an export on an SFTP server: a file, a zip file or a
// directory of files. The server must show one of HostKeys.
type SFTP struct {
	Host     string
	Port     int
	User     string
	Path     string
	Signer   ssh.Signer
	HostKeys []ssh.PublicKey
	// Field names HostKeys in errors, e.g. spec.imsEnterprise.sftp.hostKeys.
	Field   string
	TempDir string
	// Timeout bounds the connection and handshake.
	Timeout time.Duration
}

// HostKeyError is a server whose key is not pinned.
type HostKeyError struct {
	Addr, Fingerprint, Field string
}

func (e *HostKeyError) Error() string {
	return fmt.Sprintf("%s showed host key %s, which is not one of %s: if the server's key changed, add the new key there", e.Addr, e.Fingerprint, e.Field)
}

// AuthError is a server that refused the key.
type AuthError struct{ Addr, User string }

func (e *AuthError) Error() string {
	return fmt.Sprintf("%s refused user %s with the key in the Secret: check the user and that the server has the key's public half", e.Addr, e.User)
}

// ParseHostKeys reads authorized_keys lines; an error is a *KeyError
// naming the line that does not parse.
func ParseHostKeys(lines []string) ([]ssh.PublicKey, error) {
	keys := make([]ssh.PublicKey, 0, len(lines))
	for i, l := range lines {
		k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(l))
		if err != nil {
			return nil, &KeyError{Index: i, Err: err}
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// KeyError is a host key line that does not parse.
type KeyError struct {
	Index int
	Err   error
}

func (e *KeyError) Error() string {
	return "not a public key in authorized_keys form, e.g. ssh-ed25519 AAAAC3Nza... (ssh-keyscan prints them)"
}

func (e *KeyError) Unwrap() error { return e.Err }

func (s SFTP) addr() string {
	port := s.Port
	if port == 0 {
		port = 22
	}
	return net.JoinHostPort(s.Host, strconv.Itoa(port))
}

func (s SFTP) dial(ctx context.Context) (*ssh.Client, error) {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	addr := s.addr()
	cfg := &ssh.ClientConfig{
		User: s.User,
		Auth: []ssh.AuthMethod{ssh.PublicKeys(s.Signer)},
		HostKeyCallback: func(_ string, _ net.Addr, key ssh.PublicKey) error {
			for _, k := range s.HostKeys {
				if k.Type() == key.Type() && bytes.Equal(k.Marshal(), key.Marshal()) {
					return nil
				}
			}
			return &HostKeyError{Addr: addr, Fingerprint: key.Type() + " " + ssh.FingerprintSHA256(key), Field: s.Field}
		},
		Timeout: timeout,
	}
	// Offer only the pinned keys' algorithms, so the server shows one of
	// them rather than another key it also holds.
	for _, k := range s.HostKeys {
		if !slices.Contains(cfg.HostKeyAlgorithms, k.Type()) {
			cfg.HostKeyAlgorithms = append(cfg.HostKeyAlgorithms, algorithmsOf(k.Type())...)
		}
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	c, chans, reqs, err := ssh.NewClientConn(conn, addr, cfg)
	if err != nil {
		conn.Close()
		var hk *HostKeyError
		if !errors.As(err, &hk) && strings.Contains(err.Error(), "unable to authenticate") {
			return nil, &AuthError{Addr: addr, User: s.User}
		}
		return nil, err
	}
	return ssh.NewClient(c, chans, reqs), nil
}

// algorithmsOf are the host key algorithms a key type signs with: an RSA
// key signs as rsa-sha2-512 and rsa-sha2-256 (RFC 8332) as well.
func algorithmsOf(keyType string) []string {
	if keyType == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{keyType}
}

// Get lists the export, and downloads it unless its listing is since's.
func (s SFTP) Get(ctx context.Context, since string) (_ *Export, err error) {
	conn, err := s.dial(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	c, err := sftp.NewClient(conn)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	e := &Export{Requests: 1}
	entries, dir, err := s.list(c)
	e.Requests++
	if err != nil {
		return nil, err
	}
	e.Version = listVersion(entries)
	if e.Version == since {
		e.Unchanged = true
		return e, nil
	}
	tmp, err := os.MkdirTemp(s.TempDir, "elevsynk-sftp-*")
	if err != nil {
		return nil, fmt.Errorf("a temporary directory for the download: %w", err)
	}
	e.cleanup = append(e.cleanup, func() error { return os.RemoveAll(tmp) })
	defer func() {
		if err != nil {
			e.Close()
		}
	}()
	for _, en := range entries {
		remote := s.Path
		if dir {
			remote = path.Join(s.Path, en.name)
		}
		n, err := s.download(c, remote, filepath.Join(tmp, en.name))
		e.Requests++
		e.Bytes += n
		if err != nil {
			return nil, err
		}
	}
	// The listing after the download must be the one before it.
	again, _, err := s.list(c)
	e.Requests++
	if err != nil {
		return nil, err
	}
	if !slices.Equal(again, entries) {
		return nil, &ChangedError{Where: s.addr() + ":" + s.Path}
	}
	if dir {
		e.FS = os.DirFS(tmp)
		return e, nil
	}
	if err := openLocal(e, filepath.Join(tmp, entries[0].name), entries[0].name); err != nil {
		return nil, err
	}
	return e, nil
}

func (s SFTP) list(c *sftp.Client) ([]entry, bool, error) {
	info, err := c.Stat(s.Path)
	if err != nil {
		return nil, false, fmt.Errorf("%s:%s: %w", s.addr(), s.Path, err)
	}
	if !info.IsDir() {
		return []entry{{path.Base(s.Path), info.Size(), info.ModTime()}}, false, nil
	}
	infos, err := c.ReadDir(s.Path)
	if err != nil {
		return nil, true, fmt.Errorf("%s:%s: %w", s.addr(), s.Path, err)
	}
	var out []entry
	for _, fi := range infos {
		if fi.Mode().IsRegular() && !skip(fi.Name()) {
			out = append(out, entry{fi.Name(), fi.Size(), fi.ModTime()})
		}
	}
	slices.SortFunc(out, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	return out, true, nil
}

func (s SFTP) download(c *sftp.Client, remote, local string) (int64, error) {
	src, err := c.Open(remote)
	if err != nil {
		return 0, fmt.Errorf("%s:%s: %w", s.addr(), remote, err)
	}
	defer src.Close()
	dst, err := os.OpenFile(local, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(dst, src)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("%s:%s: the download broke off after %s: %w", s.addr(), remote, sizeText(n), err)
	}
	return n, nil
}
