package rostergen

import (
	"strconv"
	"strings"
)

// Name lists: common Swedish names, with å, ä, ö and é on purpose, since
// account keys, templates and sorting must cope with them.
var (
	girlNames = []string{
		"Alice", "Maja", "Elsa", "Astrid", "Wilma", "Freja", "Ella", "Alma", "Olivia", "Selma",
		"Vera", "Ebba", "Saga", "Agnes", "Clara", "Stella", "Alva", "Signe", "Ines", "Nora",
		"Elin", "Linnéa", "Märta", "Åsa", "Ylva", "Lovisa", "Greta", "Ingrid", "Sofia", "Moa",
		"Tyra", "Majken", "Hedda", "Edith", "Juni", "Siri", "Liv", "Tindra", "Lea", "Nova",
		"Ellen", "Hanna", "Ida", "Emma", "Matilda", "Julia", "Klara", "Emilia", "Lykke", "Ronja",
		"Aurora", "Märit", "Renée", "Töva", "Birgitta", "Karin", "Annika", "Eva", "Malin", "Zahra",
	}
	boyNames = []string{
		"William", "Liam", "Noah", "Hugo", "Lucas", "Oliver", "Oscar", "Elias", "Adam", "Matteo",
		"Vincent", "Alexander", "Nils", "Axel", "Leo", "Ludvig", "Theo", "Sixten", "Melvin", "Frans",
		"Albin", "Viggo", "Gustav", "Arvid", "Malte", "Olle", "Sigge", "Ebbe", "Love", "Björn",
		"Göran", "Örjan", "Åke", "Måns", "Sören", "Jöns", "Pär", "Håkan", "Anders", "Erik",
		"Karl", "Johan", "Per", "Lars", "Mikael", "Jonas", "Emil", "André", "Rasmus", "Kalle",
		"Ali", "Omar", "Yusuf", "Milo", "Loke", "Valter", "Harry", "Jack", "Colin", "Tage",
	}
	familyNames = []string{
		"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson",
		"Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Olofsson",
		"Lindström", "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren", "Lundqvist",
		"Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Forsberg", "Sjöberg", "Wallin", "Ali", "Engström",
		"Mohamed", "Eklund", "Danielsson", "Lundin", "Håkansson", "Björk", "Bergman", "Gunnarsson", "Holm", "Wikström",
		"Samuelsson", "Isaksson", "Fransson", "Bergqvist", "Nyström", "Holmberg", "Arvidsson", "Löfgren", "Söderberg", "Nyberg",
		"Blomqvist", "Claesson", "Nordström", "Mårtensson", "Lundström", "Ahmed", "Viklund", "Björklund", "Eliasson", "Pålsson",
		"Berggren", "Sandström", "Lund", "Nordin", "Ström", "Åberg", "Hermansson", "Ekström", "Holmgren", "Sundberg",
		"Hedlund", "Dahlberg", "Hellström", "Sjögren", "Abrahamsson", "Falk", "Öberg", "Martinsson", "Andreasson", "Blom",
		"Ek", "Månsson", "Strand", "Åkesson", "Söderström", "Dahl", "Hosseini", "Nguyen", "Yilmaz", "Öhman",
	}
	// School names are built as prefix+suffix ("Björk"+"skolan").
	schoolPrefixes = []string{
		"Björk", "Ek", "Lind", "Tall", "Gran", "Asp", "Al", "Rönn", "Sälg", "Hassel",
		"Lönn", "Alm", "Sol", "Äng", "Sjö", "Berg", "Dal", "Å", "Hav", "Strand",
		"Kvarn", "Hag", "Torp", "Mo", "Näs", "Vik", "Ås", "Ljung", "Kärr", "Hed",
	}
	compulsorySuffixes = []string{"skolan", "backaskolan", "dalsskolan", "ängsskolan", "hagsskolan", "viksskolan"}
	upperSuffixes      = []string{"gymnasiet", "dalsgymnasiet", "viksgymnasiet"}
)

// schoolName returns the i-th name of a kind; past the combinations it
// appends a number, which real municipalities also do ("Ekskolan 2").
func schoolName(i int, suffixes []string) string {
	n := len(schoolPrefixes) * len(suffixes)
	name := schoolPrefixes[i%len(schoolPrefixes)] + suffixes[(i/len(schoolPrefixes))%len(suffixes)]
	if i >= n {
		name += " " + strconv.Itoa(i/n+1)
	}
	return name
}

// accountFold turns a name into the ASCII local part of an account key the
// way Swedish IT departments do: lower case, å/ä→a, ö→o, é→e, and anything
// else that is not a letter or digit dropped ("Britt-Marie" → "brittmarie").
func accountFold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'å', 'ä', 'à', 'á':
			b.WriteByte('a')
		case 'ö', 'ø', 'ó':
			b.WriteByte('o')
		case 'é', 'è', 'ë':
			b.WriteByte('e')
		case 'ü':
			b.WriteByte('u')
		default:
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
