package rostergen

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// streamDirectory draws the directory's faults, apart from the register's.
const streamDirectory = 4

// Account is a generated municipality's directory account, as Active
// Directory holds it: the civic number in employeeID, the login name, the
// user principal name and an e-mail address of the directory's own domain.
type Account struct {
	SAMAccountName    string
	UserPrincipalName string
	Mail              string
	EmployeeID        string // civic number; empty for an account without one
}

// DirectoryConfig says which directory to generate for a register.
type DirectoryConfig struct {
	Seed int64
	// MailDomain of the accounts' addresses, different from the register's
	// so a test can tell whose address a room holds. Default
	// "skola.exempelstad.se".
	MailDomain string
	// Faults to inject; nil means DefaultDirectoryFaults.
	Faults *DirectoryFaults
}

// DirectoryFaults are what goes wrong between a register and the directory
// that should mirror it. Counts are exact (each picks distinct people).
type DirectoryFaults struct {
	// Missing: register people with no account.
	Missing int
	// Duplicated: register people with a second account carrying the
	// same employeeID (a re-created account never cleaned up).
	Duplicated int
	// OtherCase: register people whose account has the user principal
	// name and mail in other letter case than the register's
	// eduPersonPrincipalName (AD keeps what was typed).
	OtherCase int
	// Extra: accounts with an employeeID no register person has (left
	// pupils, staff of other organisers).
	Extra int
	// WithoutEmployeeID: accounts with no employeeID at all (service and
	// shared accounts).
	WithoutEmployeeID int
}

// DefaultDirectoryFaults are a handful of each, for a demo register.
func DefaultDirectoryFaults() DirectoryFaults {
	return DirectoryFaults{Missing: 7, Duplicated: 3, OtherCase: 11, Extra: 5, WithoutEmployeeID: 4}
}

// DirectoryReport lists what was injected, by register person id (ids are
// not personal data), each list sorted.
type DirectoryReport struct {
	Missing, Duplicated, OtherCase []string
	Extra, WithoutEmployeeID       int
}

// Directory generates the directory accounts of snap's people with the
// configured faults. Output depends only on snap and cfg.
func Directory(snap *roster.Snapshot, cfg DirectoryConfig) ([]Account, DirectoryReport) {
	if cfg.MailDomain == "" {
		cfg.MailDomain = "skola.exempelstad.se"
	}
	faults := DefaultDirectoryFaults()
	if cfg.Faults != nil {
		faults = *cfg.Faults
	}
	r := rand.New(rand.NewPCG(uint64(cfg.Seed), streamDirectory))
	// One permutation of the people, cut into the faults, so every fault
	// picks distinct people.
	order := r.Perm(len(snap.Persons))
	take := func(n int) map[int]bool {
		n = min(n, len(order))
		picked := make(map[int]bool, n)
		for _, i := range order[:n] {
			picked[i] = true
		}
		order = order[n:]
		return picked
	}
	missing, duplicated, otherCase := take(faults.Missing), take(faults.Duplicated), take(faults.OtherCase)

	var rep DirectoryReport
	var out []Account
	for i := range snap.Persons {
		p := &snap.Persons[i]
		if missing[i] {
			rep.Missing = append(rep.Missing, p.ID)
			continue
		}
		a := accountOf(p, i, cfg.MailDomain)
		if otherCase[i] {
			a.UserPrincipalName, a.Mail = titleCase(a.UserPrincipalName), titleCase(a.Mail)
			rep.OtherCase = append(rep.OtherCase, p.ID)
		}
		out = append(out, a)
		if duplicated[i] {
			dup := a
			dup.SAMAccountName = samOf(a.SAMAccountName+"-2", "-"+strconv.Itoa(i+1)+"b")
			local, domain, _ := strings.Cut(a.UserPrincipalName, "@")
			dup.UserPrincipalName = local + ".2@" + domain
			dup.Mail = strings.ToLower(local) + ".2@" + cfg.MailDomain
			out = append(out, dup)
			rep.Duplicated = append(rep.Duplicated, p.ID)
		}
	}
	for n := range faults.Extra {
		sam := "slutat" + strconv.Itoa(n+1)
		out = append(out, Account{SAMAccountName: sam, UserPrincipalName: sam + "@exempelstad.se",
			Mail: sam + "@" + cfg.MailDomain, EmployeeID: "1900010100" + strconv.Itoa(10+n)})
	}
	rep.Extra = faults.Extra
	for n := range faults.WithoutEmployeeID {
		sam := "tjanst" + strconv.Itoa(n+1)
		out = append(out, Account{SAMAccountName: sam, UserPrincipalName: sam + "@exempelstad.se", Mail: sam + "@" + cfg.MailDomain})
	}
	rep.WithoutEmployeeID = faults.WithoutEmployeeID
	for _, l := range [][]string{rep.Missing, rep.Duplicated, rep.OtherCase} {
		slices.Sort(l)
	}
	return out, rep
}

// accountOf is a person's account: login and principal name from the
// register's eduPersonPrincipalName (or, for a person without one, from the
// index), the address in the directory's domain.
func accountOf(p *roster.Person, i int, mailDomain string) Account {
	local := "elev" + strconv.Itoa(i+1)
	upn := local + "@exempelstad.se"
	if len(p.EduPersonPrincipalNames) > 0 {
		upn = p.EduPersonPrincipalNames[0]
		local, _, _ = strings.Cut(upn, "@")
	}
	return Account{SAMAccountName: samOf(local, "-"+strconv.Itoa(i+1)), UserPrincipalName: upn,
		Mail: local + "@" + mailDomain, EmployeeID: p.CivicNo.Reveal()}
}

// samOf keeps a login name within AD's 20 characters of sAMAccountName,
// which must be unique: a longer one is cut and given tag, unique per
// account, at its end (as administrators number long names).
func samOf(name, tag string) string {
	const max = 20
	if len(name) <= max {
		return name
	}
	return name[:max-len(tag)] + tag
}

// titleCase upper-cases the first letter of each dot-separated part of
// an address's local part: anna.lind1@x becomes Anna.Lind1@x.
func titleCase(addr string) string {
	local, domain, _ := strings.Cut(addr, "@")
	parts := strings.Split(local, ".")
	for i, p := range parts {
		if p != "" {
			parts[i] = string(unicode.ToUpper(rune(p[0]))) + p[1:]
		}
	}
	return strings.Join(parts, ".") + "@" + domain
}

// Join is how a directory should join its register, in counts.
type Join struct {
	Matched, PeopleWithoutEntry, PeopleWithDuplicates int
	EntriesWithoutPerson, DuplicateKeys               int
}

// ByEmployeeID is how the directory joins snap by civic number in
// employeeID: a missing person has no entry; a duplicated one has two,
// which name nobody for certain; the extra accounts name nobody; other
// case does not matter to a civic number. A person without a civic number
// has an account without employeeID, which is not joined at all.
func (r DirectoryReport) ByEmployeeID(snap *roster.Snapshot) Join {
	missing, dup := idSet(r.Missing), idSet(r.Duplicated)
	j := Join{EntriesWithoutPerson: r.Extra, DuplicateKeys: len(r.Duplicated)}
	for i := range snap.Persons {
		switch p := &snap.Persons[i]; {
		case missing[p.ID] || p.CivicNo.Reveal() == "":
			j.PeopleWithoutEntry++
		case dup[p.ID]:
			j.PeopleWithDuplicates++
		default:
			j.Matched++
		}
	}
	return j
}

func idSet(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
