package rostergen

import "github.com/elevsynk/elevsynk/internal/roster"

// subject is a grundskola subject (SS 12000 Syllabus without course).
// Codes follow Skolverket's GRGR<ÄMN>01 pattern for Lgr; NO and SO, taught
// as blocks in years 1-6, are local subjects with no official code.
type subject struct {
	designation string // subjectDesignation, e.g. MA
	code        string // subjectCode, e.g. GRGRMAT01; empty when not official
	name        string
}

var (
	grSubjects    = map[string]subject{} // by designation; filled from grSubjectList
	grSubjectList = []subject{
		{"SV", "GRGRSVE01", "Svenska"},
		{"MA", "GRGRMAT01", "Matematik"},
		{"EN", "GRGRENG01", "Engelska"},
		{"NO", "", "Naturorienterande ämnen"},
		{"SO", "", "Samhällsorienterande ämnen"},
		{"BI", "GRGRBIO01", "Biologi"},
		{"FY", "GRGRFYS01", "Fysik"},
		{"KE", "GRGRKEM01", "Kemi"},
		{"GE", "GRGRGEO01", "Geografi"},
		{"HI", "GRGRHIS01", "Historia"},
		{"RE", "GRGRREL01", "Religionskunskap"},
		{"SH", "GRGRSAM01", "Samhällskunskap"},
		{"BL", "GRGRBIL01", "Bild"},
		{"IDH", "GRGRIDR01", "Idrott och hälsa"},
		{"MU", "GRGRMUS01", "Musik"},
		{"SL", "GRGRSLJ01", "Slöjd"},
		{"TK", "GRGRTEK01", "Teknik"},
		{"HKK", "GRGRHKK01", "Hem- och konsumentkunskap"},
	}
	// Förskoleklass (year 0) has no subjects; its class is its only group.
	grSubjectsYears1to6 = []string{"SV", "MA", "EN", "NO", "SO", "BL", "IDH", "MU", "SL"}
	grSubjectsYears7to9 = []string{"SV", "MA", "EN", "BI", "FY", "KE", "GE", "HI", "RE", "SH", "BL", "IDH", "MU", "SL", "TK", "HKK"}
)

func init() {
	for _, s := range grSubjectList {
		grSubjects[s.designation] = s
	}
}

func grSubjectsFor(year int) []string {
	switch {
	case year == 0:
		return nil
	case year <= 6:
		return grSubjectsYears1to6
	default:
		return grSubjectsYears7to9
	}
}

// course is a gymnasium course. Codes follow GY2011 (SUBSUBnnx); most are
// real, a few vocational ones are only realistic-looking: they are test data.
type course struct {
	code, name, subjectCode, subjectName string
}

var gyCourseList = []course{
	{"SVESVE01", "Svenska 1", "SVE", "Svenska"},
	{"SVESVE02", "Svenska 2", "SVE", "Svenska"},
	{"SVESVE03", "Svenska 3", "SVE", "Svenska"},
	{"ENGENG05", "Engelska 5", "ENG", "Engelska"},
	{"ENGENG06", "Engelska 6", "ENG", "Engelska"},
	{"MATMAT01a", "Matematik 1a", "MAT", "Matematik"},
	{"MATMAT01b", "Matematik 1b", "MAT", "Matematik"},
	{"MATMAT01c", "Matematik 1c", "MAT", "Matematik"},
	{"MATMAT02b", "Matematik 2b", "MAT", "Matematik"},
	{"MATMAT02c", "Matematik 2c", "MAT", "Matematik"},
	{"MATMAT03c", "Matematik 3c", "MAT", "Matematik"},
	{"IDRIDR01", "Idrott och hälsa 1", "IDR", "Idrott och hälsa"},
	{"HISHIS01a1", "Historia 1a1", "HIS", "Historia"},
	{"HISHIS01b", "Historia 1b", "HIS", "Historia"},
	{"SAMSAM01a1", "Samhällskunskap 1a1", "SAM", "Samhällskunskap"},
	{"SAMSAM01b", "Samhällskunskap 1b", "SAM", "Samhällskunskap"},
	{"RELREL01", "Religionskunskap 1", "REL", "Religionskunskap"},
	{"NAKNAK01a1", "Naturkunskap 1a1", "NAK", "Naturkunskap"},
	{"NAKNAK01b", "Naturkunskap 1b", "NAK", "Naturkunskap"},
	{"FYSFYS01a", "Fysik 1a", "FYS", "Fysik"},
	{"KEMKEM01", "Kemi 1", "KEM", "Kemi"},
	{"BIOBIO01", "Biologi 1", "BIO", "Biologi"},
	{"TEKTEK01", "Teknik 1", "TEK", "Teknik"},
	{"FÖRFÖR01", "Företagsekonomi 1", "FÖR", "Företagsekonomi"},
	{"PRIPRI01", "Privatjuridik", "PRI", "Privatjuridik"},
	{"PSKPSY01", "Psykologi 1", "PSK", "Psykologi"},
	{"FIOFIO01", "Filosofi 1", "FIO", "Filosofi"},
	{"ESTEST01", "Estetisk kommunikation 1", "EST", "Estetisk kommunikation"},
	{"BYGBYG01", "Bygg och anläggning 1", "BYG", "Bygg och anläggning"},
	{"DAODAT01a", "Datorteknik 1a", "DAO", "Datorteknik"},
	{"ELLELE01", "Elektromekanik", "ELL", "Elektroteknik"},
	{"GYARBETE", "Gymnasiearbete", "", "Gymnasiearbete"},
}

// programme is a national upper-secondary programme and the courses each of
// its three years reads (a realistic subset, not the full plan).
type programme struct {
	code, name string
	years      [3][]string
}

var gyProgrammes = []programme{
	{"NA", "Naturvetenskapsprogrammet", [3][]string{
		{"SVESVE01", "ENGENG05", "MATMAT01c", "IDRIDR01", "FYSFYS01a", "KEMKEM01", "BIOBIO01"},
		{"SVESVE02", "ENGENG06", "MATMAT02c", "HISHIS01b", "SAMSAM01b"},
		{"SVESVE03", "MATMAT03c", "RELREL01", "GYARBETE"},
	}},
	{"TE", "Teknikprogrammet", [3][]string{
		{"SVESVE01", "ENGENG05", "MATMAT01c", "IDRIDR01", "TEKTEK01", "FYSFYS01a"},
		{"SVESVE02", "ENGENG06", "MATMAT02c", "DAODAT01a", "HISHIS01a1"},
		{"SVESVE03", "MATMAT03c", "SAMSAM01a1", "GYARBETE"},
	}},
	{"EK", "Ekonomiprogrammet", [3][]string{
		{"SVESVE01", "ENGENG05", "MATMAT01b", "IDRIDR01", "FÖRFÖR01", "NAKNAK01b"},
		{"SVESVE02", "ENGENG06", "MATMAT02b", "PRIPRI01", "HISHIS01b", "SAMSAM01b"},
		{"SVESVE03", "PSKPSY01", "RELREL01", "GYARBETE"},
	}},
	{"SA", "Samhällsvetenskapsprogrammet", [3][]string{
		{"SVESVE01", "ENGENG05", "MATMAT01b", "IDRIDR01", "SAMSAM01b", "NAKNAK01b"},
		{"SVESVE02", "ENGENG06", "MATMAT02b", "HISHIS01b", "PSKPSY01"},
		{"SVESVE03", "FIOFIO01", "RELREL01", "GYARBETE"},
	}},
	{"ES", "Estetiska programmet", [3][]string{
		{"SVESVE01", "ENGENG05", "MATMAT01b", "IDRIDR01", "ESTEST01"},
		{"SVESVE02", "ENGENG06", "HISHIS01b", "NAKNAK01b"},
		{"SVESVE03", "FIOFIO01", "SAMSAM01b", "GYARBETE"},
	}},
	{"BA", "Bygg- och anläggningsprogrammet", [3][]string{
		{"SVESVE01", "ENGENG05", "MATMAT01a", "IDRIDR01", "BYGBYG01"},
		{"HISHIS01a1", "SAMSAM01a1", "NAKNAK01a1"},
		{"RELREL01", "GYARBETE"},
	}},
	{"EE", "El- och energiprogrammet", [3][]string{
		{"SVESVE01", "ENGENG05", "MATMAT01a", "IDRIDR01", "ELLELE01"},
		{"DAODAT01a", "HISHIS01a1", "SAMSAM01a1"},
		{"NAKNAK01a1", "RELREL01", "GYARBETE"},
	}},
}

// syllabuses returns the municipality's syllabuses in a fixed order: the
// grundskola subjects, then the gymnasium courses. Keys are designation or
// course code, used by the generator to find the syllabus of a group.
func syllabusTemplates() (keys []string, out []roster.Syllabus) {
	one, nine := 1, 9
	for _, s := range grSubjectList {
		keys = append(keys, "GR:"+s.designation)
		out = append(out, roster.Syllabus{
			SchoolType: roster.SchoolTypeGR, SubjectCode: s.code, SubjectName: s.name,
			SubjectDesignation: s.designation, StartSchoolYear: &one, EndSchoolYear: &nine,
			Official: s.code != "",
		})
	}
	for _, c := range gyCourseList {
		keys = append(keys, "GY:"+c.code)
		out = append(out, roster.Syllabus{
			SchoolType: roster.SchoolTypeGY, SubjectCode: c.subjectCode, SubjectName: c.subjectName,
			SubjectDesignation: c.subjectCode, CourseCode: c.code, CourseName: c.name, Official: true,
		})
	}
	return keys, out
}
