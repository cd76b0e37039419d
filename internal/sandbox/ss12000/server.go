package ss12000

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/elevsynk/elevsynk/internal/sandbox/fault"
	wire "github.com/elevsynk/elevsynk/internal/source/ss12000"
)

// AuthMode is how the API authenticates requests.
type AuthMode int

const (
	// AuthBearer wants a token from POST /token (the spec's only security
	// scheme is bearer: components/securitySchemes/BearerAuth).
	AuthBearer AuthMode = iota
	// AuthAPIKey wants Options.APIKey in Options.APIKeyHeader.
	AuthAPIKey
	// AuthMTLS wants a verified client certificate; run the server with
	// httptest.NewUnstartedServer, set TLS.ClientAuth to
	// tls.RequireAndVerifyClientCert and ClientCAs, then StartTLS.
	AuthMTLS
	// AuthNone accepts everything.
	AuthNone
)

// Options configure a Server. The zero value is a bearer-auth server under
// /v2.0 with client id "client" and secret "secret".
type Options struct {
	BasePath     string // e.g. "/v2.0" (IST style) or "/api/v1" (Edlevo style); "" means "/v2.0"
	Auth         AuthMode
	ClientID     string        // "" means "client"
	ClientSecret string        // "" means "secret"
	TokenTTL     time.Duration // 0 means one hour
	APIKeyHeader string        // "" means X-API-Key
	APIKey       string        // "" means "key"
	// Now is the clock for meta timestamps, deletions and token expiry;
	// nil means time.Now.
	Now func() time.Time
	// DefaultLimit is the page size when the client sends no limit; the
	// spec lets the server choose ("så många poster som möjligt"). 0 means 1000.
	DefaultLimit int
}

// Server is the emulator; use it as an http.Handler (httptest.NewServer).
type Server struct {
	opts Options
	key  []byte // page token MAC key

	mu         sync.Mutex
	orgs       map[string]wire.Organisation
	persons    map[string]wire.Person
	groups     map[string]wire.Group
	duties     map[string]wire.Duty
	activities map[string]wire.Activity
	syllabuses map[string]wire.Syllabus
	deletions  []deletion
	version    int64
	listCache  map[string][]string

	tokens map[string]time.Time // access token -> expiry

	faults   fault.List[Fault]
	counts   fault.Tally[string]
	statuses fault.Tally[int]
	queries  map[string][]url.Values
}

type deletion struct {
	entity string // EndPointsEnum value: Person, Group, ...
	id     string
	at     time.Time
}

// New returns an empty server.
func New(opts Options) *Server {
	if opts.BasePath == "" {
		opts.BasePath = "/v2.0"
	}
	opts.BasePath = "/" + strings.Trim(opts.BasePath, "/")
	if opts.ClientID == "" {
		opts.ClientID = "client"
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = "secret"
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = time.Hour
	}
	if opts.APIKeyHeader == "" {
		opts.APIKeyHeader = "X-API-Key"
	}
	if opts.APIKey == "" {
		opts.APIKey = "key"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.DefaultLimit <= 0 {
		opts.DefaultLimit = 1000
	}
	s := &Server{opts: opts, key: []byte("sandbox page token key")}
	s.reset()
	return s
}

func (s *Server) reset() {
	s.orgs = map[string]wire.Organisation{}
	s.persons = map[string]wire.Person{}
	s.groups = map[string]wire.Group{}
	s.duties = map[string]wire.Duty{}
	s.activities = map[string]wire.Activity{}
	s.syllabuses = map[string]wire.Syllabus{}
	s.deletions = nil
	s.listCache = map[string][]string{}
	s.tokens = map[string]time.Time{}
	s.counts.Reset()
	s.statuses.Reset()
	s.queries = map[string][]url.Values{}
	s.version++
}

// BasePath is the path the API is served under.
func (s *Server) BasePath() string { return s.opts.BasePath }

// ServeHTTP routes POST /token (at the root, outside the base path, like
// IST's separate identity server) and GET <base>/<endpoint>[/<id>].
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/token" {
		s.count("token", r)
		if done, _ := s.injectFault(w, r, "token"); done {
			return
		}
		s.serveToken(w, r)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, s.opts.BasePath+"/")
	if !ok {
		s.writeError(w, http.StatusNotFound, "not_found", "no such path")
		return
	}
	ep, id, _ := strings.Cut(rest, "/")
	s.count(ep, r)
	if !s.authorised(w, r) {
		return
	}
	done, pageFault := s.injectFault(w, r, ep)
	if done {
		return
	}
	if r.Method != http.MethodGet {
		s.writeError(w, http.StatusMethodNotAllowed, "method", "only GET is emulated")
		return
	}
	switch {
	case ep == "deletedEntities" && id == "":
		s.serveDeleted(w, r, pageFault)
	case id == "":
		s.serveList(w, r, ep, pageFault)
	default:
		s.serveOne(w, ep, id)
	}
}
