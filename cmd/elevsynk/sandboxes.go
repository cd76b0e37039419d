package main

import (
	"fmt"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	gsandbox "github.com/elevsynk/elevsynk/internal/sandbox/google"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
)

// sandboxDomain is rostergen's account domain, and so the Workspace domain
// of the Google sandbox (config/samples/target-google.yaml).
const sandboxDomain = "exempelstad.se"

// sandboxes are the register and the targets the demo and `elevsynk
// sandbox` serve: a generated municipality, and a Workspace whose users are
// its people.
type sandboxes struct {
	register *sandbox.Server
	google   *gsandbox.Server
	snap     *roster.Snapshot
}

func (g *genFlags) sandboxes() (*sandboxes, error) {
	if g.pupils < 1 {
		return nil, fmt.Errorf("-pupils must be at least 1, not %d", g.pupils)
	}
	snap, _ := rostergen.Generate(rostergen.Config{Seed: g.seed, Pupils: g.pupils})
	reg := sandbox.New(sandbox.Options{ClientID: sandboxClientID, ClientSecret: sandboxClientSecret})
	reg.FromSnapshot(snap)
	return &sandboxes{register: reg, google: gsandbox.New(gsandbox.Options{Domain: sandboxDomain, Users: accountsOf(snap)}), snap: snap}, nil
}

// accountsOf is everyone in the register with an account key, as Workspace
// users.
func accountsOf(snap *roster.Snapshot) []gsandbox.User {
	var users []gsandbox.User
	for _, p := range snap.Persons {
		for _, k := range p.EduPersonPrincipalNames {
			users = append(users, gsandbox.User{Email: k})
		}
	}
	return users
}
