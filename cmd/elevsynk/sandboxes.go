package main

import (
	"fmt"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	"net/http"

	gsandbox "github.com/elevsynk/elevsynk/internal/sandbox/google"
	graphsandbox "github.com/elevsynk/elevsynk/internal/sandbox/graph"
	sdssandbox "github.com/elevsynk/elevsynk/internal/sandbox/sds"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
)

// sandboxDomain is rostergen's account domain, and so the Workspace domain
// of the Google sandbox (config/samples/target-google.yaml).
const sandboxDomain = "exempelstad.se"

// sandboxes are the register and the targets the demo and `elevsynk
// sandbox` serve: a generated municipality, and a Microsoft 365 tenant and
// a Workspace whose users are its people. The users carry names, so the
// demo's privacy test can show none reaches a status or a log.
type sandboxes struct {
	register *sandbox.Server
	graph    *graphsandbox.Server
	google   *gsandbox.Server
	// sds is School Data Sync's Graph beta industryData and data lake,
	// served beside graph (tenant, tokens) by graphAndSDS.
	sds  *sdssandbox.Server
	snap *roster.Snapshot
}

func (g *genFlags) sandboxes() (*sandboxes, error) {
	if g.pupils < 1 {
		return nil, fmt.Errorf("-pupils must be at least 1, not %d", g.pupils)
	}
	snap, _ := rostergen.Generate(rostergen.Config{Seed: g.seed, Pupils: g.pupils})
	reg := sandbox.New(sandbox.Options{ClientID: sandboxClientID, ClientSecret: sandboxClientSecret})
	reg.FromSnapshot(snap)
	sb := &sandboxes{register: reg, snap: snap}
	sb.serveUsersOf(snap)
	return sb, nil
}

// serveUsersOf makes the targets' directories hold the people of snap.
func (sb *sandboxes) serveUsersOf(snap *roster.Snapshot) {
	var (
		google []gsandbox.User
		graph  []graphsandbox.User
	)
	for _, p := range snap.Persons {
		for _, k := range p.EduPersonPrincipalNames {
			google = append(google, gsandbox.User{Email: k, GivenName: p.GivenName, FamilyName: p.FamilyName})
			graph = append(graph, graphsandbox.User{UserPrincipalName: k, Mail: k, DisplayName: p.GivenName + " " + p.FamilyName})
		}
	}
	sb.google = gsandbox.New(gsandbox.Options{Domain: sandboxDomain, Users: google})
	sb.graph = graphsandbox.New(graphsandbox.Options{Users: graph, TenantID: graphTenantID, ClientID: graphClientID, ClientSecret: graphClientSecret})
	upns := make([]string, len(graph))
	for i, u := range graph {
		upns[i] = u.UserPrincipalName
	}
	sb.sds = sdssandbox.New(sdssandbox.Options{Authorised: sb.graph.Authorised, Users: upns, RunPolls: 1})
}

// graphAndSDS serves the Graph sandbox, and under /beta/ and /lake/ the
// School Data Sync sandbox, on one address: one tenant, one authority.
func (sb *sandboxes) graphAndSDS() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/beta/", sb.sds)
	mux.Handle("/lake/", sb.sds)
	mux.Handle("/", sb.graph)
	return mux
}
