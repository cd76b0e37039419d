package msgraph

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
)

// maxIn is the number of values per "in" filter; Graph caps the operator
// at 15 values.
const maxIn = 15

// user is a user as members, owners and user lookups return it.
type user struct {
	ID                string `json:"id"`
	UserPrincipalName string `json:"userPrincipalName"`
	Mail              string `json:"mail"`
	EmployeeID        string `json:"employeeId"`
}

func (u user) attr(name string) string {
	switch name {
	case "mail":
		return u.Mail
	case "employeeId":
		return u.EmployeeID
	}
	return u.UserPrincipalName
}

// userSelect is the $select of every read that returns users.
func (t *Target) userSelect() []string { return []string{"id", t.attr} }

// resolve looks up the user ids of account keys not in the cache: $filter
// "attr in (…)" with 15 keys per request and 20 requests per $batch, so
// 300 keys cost one round trip. "id:<objectId>" keys need no lookup.
func (t *Target) resolve(ctx context.Context, keys []string) error {
	var missing []string
	for _, k := range keys {
		lk := strings.ToLower(k)
		if _, ok := t.state.userID[lk]; ok || strings.HasPrefix(k, "id:") {
			continue
		}
		missing = append(missing, lk)
	}
	slices.Sort(missing)
	return t.lookupUsers(ctx, t.attr, slices.Compact(missing))
}

// resolveIDs learns the account keys of user ids seen in delta; users
// gone from the directory are reported as "id:<objectId>".
func (t *Target) resolveIDs(ctx context.Context, ids []string) error {
	if err := t.lookupUsers(ctx, "id", ids); err != nil {
		return err
	}
	for _, id := range ids {
		if _, ok := t.state.userKey[id]; !ok {
			t.state.learnUser(id, "")
		}
	}
	return nil
}

func (t *Target) lookupUsers(ctx context.Context, attr string, values []string) error {
	var calls []*call
	for start := 0; start < len(values); start += maxIn {
		chunk := values[start:min(start+maxIn, len(values))]
		q := make([]string, len(chunk))
		for i, v := range chunk {
			q[i] = quote(v)
		}
		f := attr + " in (" + strings.Join(q, ",") + ")"
		calls = append(calls, &call{ri: t.get(query{filter: f, sel: t.userSelect(), top: maxIn}, "users")})
	}
	if err := t.run(ctx, calls); err != nil {
		return err
	}
	for _, c := range calls {
		if ge := c.err(); ge != nil {
			return ge
		}
		var p struct {
			Value []user `json:"value"`
		}
		if err := c.decode(&p); err != nil {
			return err
		}
		for _, u := range p.Value {
			t.state.learnUser(u.ID, u.attr(t.attr))
		}
	}
	return nil
}

// learnUsers records the users of a members or owners page and returns
// their ids.
func (t *Target) learnUsers(raw json.RawMessage) ([]string, string, error) {
	var p struct {
		Value    []user `json:"value"`
		NextLink string `json:"@odata.nextLink"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, "", err
	}
	ids := make([]string, len(p.Value))
	for i, u := range p.Value {
		t.state.learnUser(u.ID, u.attr(t.attr))
		ids[i] = u.ID
	}
	return ids, p.NextLink, nil
}
