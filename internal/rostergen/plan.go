package rostergen

import (
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// The plan decides the municipality's shape (schools, classes, staff
// numbers) before any entity is built, so that every slice can be
// allocated once at its final size.

type schoolPlan struct {
	name    string
	upper   bool // gymnasium (GY) rather than F-9 (FKLASS + GR)
	pupils  int
	classes []classPlan
	staff   []staffPlan
}

type classPlan struct {
	name      string // "7A", "FA", "NA24a"
	year      int    // SS 12000 schoolYear: 0 = förskoleklass, 1-9 GR, 1-3 GY
	startYear int    // calendar year the class (GY) or school year (GR) began
	pupils    int
	prog      *programme // GY only
	subjects  []string   // syllabus keys of the class's teaching groups
}

type staffPlan struct {
	role        roster.DutyRole
	description string
	count       int
}

// Pupils per school: F-9 schools of 250-600 and gymnasiums of 600-1500
// come out of dividing by these typical sizes; classes are capped at these.
const (
	typicalCompulsory = 425
	typicalUpper      = 1000
	maxClassGR        = 26
	maxClassGY        = 32
	pupilsPerTeacher  = 12
)

func plan(cfg Config, cal calendar, r *rand.Rand) []schoolPlan {
	// Ten cohorts (F-9) against three (GY): the national proportion.
	upper := int(math.Round(float64(cfg.Pupils) * 3 / 13))
	compulsory := cfg.Pupils - upper
	var schools []schoolPlan
	for i, n := range split(compulsory, schoolCount(compulsory, typicalCompulsory), r) {
		schools = append(schools, compulsorySchool(schoolName(i, compulsorySuffixes), n, cal))
	}
	for i, n := range split(upper, schoolCount(upper, typicalUpper), r) {
		schools = append(schools, upperSchool(schoolName(i, upperSuffixes), n, cal, r))
	}
	return schools
}

func schoolCount(pupils, typical int) int {
	if pupils == 0 {
		return 0
	}
	return max(1, int(math.Round(float64(pupils)/float64(typical))))
}

// split divides n into k parts of varying size (±30 %) that sum to n.
func split(n, k int, r *rand.Rand) []int {
	if k == 0 {
		return nil
	}
	w := make([]float64, k)
	sum := 0.0
	for i := range w {
		w[i] = 0.7 + 0.6*r.Float64()
		sum += w[i]
	}
	parts := make([]int, k)
	left := n
	for i := range parts {
		parts[i] = int(float64(n) * w[i] / sum)
		left -= parts[i]
	}
	for i := 0; left > 0; i = (i + 1) % k {
		parts[i]++
		left--
	}
	return parts
}

// even splits n into k near-equal parts (first ones larger).
func even(n, k int) []int {
	parts := make([]int, k)
	for i := range parts {
		parts[i] = n / k
		if i < n%k {
			parts[i]++
		}
	}
	return parts
}

func compulsorySchool(name string, n int, cal calendar) schoolPlan {
	sp := schoolPlan{name: name, pupils: n}
	for year, k := range even(n, 10) {
		if k == 0 {
			continue
		}
		label := strconv.Itoa(year)
		if year == 0 {
			label = "F"
		}
		var subjects []string
		for _, d := range grSubjectsFor(year) {
			subjects = append(subjects, "GR:"+d)
		}
		for c, size := range even(k, ceilDiv(k, maxClassGR)) {
			sp.classes = append(sp.classes, classPlan{
				name: label + string(rune('A'+c)), year: year, startYear: cal.year,
				pupils: size, subjects: subjects,
			})
		}
	}
	sp.staff = staffFor(n, false)
	return sp
}

func upperSchool(name string, n int, cal calendar, r *rand.Rand) schoolPlan {
	sp := schoolPlan{name: name, upper: true, pupils: n}
	progs := make([]*programme, len(gyProgrammes))
	for i := range gyProgrammes {
		progs[i] = &gyProgrammes[i]
	}
	r.Shuffle(len(progs), func(i, j int) { progs[i], progs[j] = progs[j], progs[i] })
	progs = progs[:min(len(progs), max(2, n/180))]
	for year, cohort := range even(n, 3) {
		start := cal.year - year
		for p, k := range even(cohort, len(progs)) {
			if k == 0 {
				continue
			}
			prog := progs[p]
			var subjects []string
			for _, c := range prog.years[year] {
				subjects = append(subjects, "GY:"+c)
			}
			for c, size := range even(k, ceilDiv(k, maxClassGY)) {
				sp.classes = append(sp.classes, classPlan{
					name: prog.code + twoDigits(start) + string(rune('a'+c)), year: year + 1,
					startYear: start, pupils: size, prog: prog, subjects: subjects,
				})
			}
		}
	}
	sp.staff = staffFor(n, true)
	return sp
}

// staffFor sizes a school's staff. There is no "Elevassistent" DutyRole in
// SS 12000, so assistants are Annan personal with a description, as
// registers record them.
func staffFor(pupils int, upper bool) []staffPlan {
	s := []staffPlan{
		{roster.DutyRektor, "", 1},
		{roster.DutyLarare, "", max(3, ceilDiv(pupils, pupilsPerTeacher))},
		{roster.DutyAnnanPersonal, "Elevassistent", max(1, pupils/120)},
		{roster.DutyKurator, "", max(1, pupils/500)},
		{roster.DutySkolskoterska, "", max(1, pupils/500)},
		{roster.DutyStudieOchYrkesvagledare, "", max(1, pupils/800)},
		{roster.DutySkoladministrator, "", 1},
	}
	if !upper {
		s = append(s, staffPlan{roster.DutyFritidspedagog, "", max(1, pupils/150)})
	}
	return s
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func twoDigits(year int) string {
	y := year % 100
	return string([]byte{byte('0' + y/10), byte('0' + y%10)})
}
