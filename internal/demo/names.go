package demo

import (
	"strings"
	"unicode"
)

// namePool holds invented-but-plausible first and last names of one language.
type namePool struct {
	first, last []string
}

var (
	frenchNames = namePool{
		first: []string{"Camille", "Louis", "Emma", "Lucas", "Chloé", "Hugo", "Léa", "Arthur", "Manon", "Jules", "Sarah", "Nathan", "Julie", "Théo", "Élise", "Maxime", "Inès", "Antoine", "Clara", "Baptiste"},
		last:  []string{"Dubois", "Lambert", "Martin", "Leroy", "Moreau", "Laurent", "Simon", "Michel", "Lefèvre", "Garnier", "Dupont", "Renard", "Fontaine", "Chevalier", "Mercier"},
	}
	flemishNames = namePool{
		first: []string{"Jens", "Lotte", "Wout", "Sofie", "Pieter", "Annelies", "Bram", "Lien", "Tom", "Hanne", "Koen", "Eline", "Stijn", "Fien"},
		last:  []string{"Peeters", "Janssens", "Maes", "Jacobs", "Willems", "Claes", "Goossens", "Wouters", "De Smet", "Vermeulen", "Mertens", "Hermans", "Van Damme"},
	}
	germanNames = namePool{
		first: []string{"Lukas", "Anna", "Jonas", "Lea", "Felix", "Marie", "Paul", "Laura", "Maximilian", "Hannah", "Tobias", "Katharina", "Jan", "Sophie"},
		last:  []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Schulz", "Koch", "Richter", "Krüger"},
	}
	dutchNames = namePool{
		first: []string{"Daan", "Sanne", "Bram", "Femke", "Thijs", "Lieke", "Ruben", "Eva", "Joris", "Anouk", "Niels", "Iris"},
		last:  []string{"de Vries", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos", "Dekker", "van Leeuwen"},
	}
	spanishNames = namePool{
		first: []string{"Alejandro", "Lucía", "Pablo", "María", "Javier", "Carmen", "Diego", "Elena", "Sergio", "Marta", "Álvaro", "Nuria"},
		last:  []string{"García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Navarro", "Torres", "Ruiz", "Ortega", "Castillo", "Molina"},
	}
	italianNames = namePool{
		first: []string{"Marco", "Giulia", "Luca", "Francesca", "Matteo", "Chiara", "Andrea", "Sara", "Davide", "Elisa"},
		last:  []string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco"},
	}
	englishNames = namePool{
		first: []string{"Liam", "Emily", "Jack", "Grace", "Noah", "Olivia", "James", "Sophie", "Conor", "Aoife", "Ethan", "Hannah", "Oliver", "Isla"},
		last:  []string{"Murphy", "Kelly", "Walsh", "Smith", "Brown", "Taylor", "Wilson", "O'Brien", "Clarke", "Evans", "Johnson", "Miller", "Byrne", "Hughes"},
	}
	portugueseNames = namePool{
		first: []string{"João", "Beatriz", "Tiago", "Mariana", "Rafael", "Inês", "Pedro", "Ana", "Gustavo", "Larissa"},
		last:  []string{"Silva", "Santos", "Ferreira", "Pereira", "Costa", "Oliveira", "Rodrigues", "Almeida", "Souza", "Carvalho"},
	}
	polishNames = namePool{
		first: []string{"Jakub", "Zuzanna", "Kacper", "Julia", "Szymon", "Maja", "Piotr", "Natalia"},
		last:  []string{"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański"},
	}
	nordicNames = namePool{
		first: []string{"Erik", "Astrid", "Oskar", "Ingrid", "Mikkel", "Freja", "Aleksi", "Aino", "Lars", "Sofia"},
		last:  []string{"Andersson", "Johansson", "Nielsen", "Hansen", "Virtanen", "Korhonen", "Lindqvist", "Berg", "Lindholm", "Dahl"},
	}
	czechNames = namePool{
		first: []string{"Tomáš", "Tereza", "Jakub", "Eliška", "Martin", "Kateřina"},
		last:  []string{"Novák", "Svoboda", "Dvořák", "Černý", "Procházka", "Kučera"},
	}
	romanianNames = namePool{
		first: []string{"Andrei", "Ioana", "Mihai", "Elena", "Radu", "Ana"},
		last:  []string{"Popescu", "Ionescu", "Popa", "Stan", "Dumitru", "Constantin"},
	}
	lithuanianNames = namePool{
		first: []string{"Lukas", "Emilija", "Matas", "Gabija", "Jonas", "Austėja"},
		last:  []string{"Kazlauskas", "Jankauskas", "Petrauskas", "Stankevičius", "Vasiliauskas", "Žukauskas"},
	}
	indianNames = namePool{
		first: []string{"Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Kavya", "Arjun", "Isha", "Siddharth", "Neha"},
		last:  []string{"Sharma", "Patel", "Iyer", "Nair", "Reddy", "Gupta", "Desai", "Menon", "Kulkarni", "Joshi"},
	}
	arabicNames = namePool{
		first: []string{"Omar", "Layla", "Khalid", "Fatima", "Yousef", "Mariam", "Hamad", "Noor", "Faisal", "Aisha"},
		last:  []string{"Al Mansouri", "Al Hashimi", "Haddad", "Khoury", "Al Suwaidi", "Nasser", "Farouk", "Saleh", "Al Kaabi", "Hassan"},
	}
)

// namesOf returns the name pool people of a country are drawn from. Belgium
// is drawn half from French and half from Flemish names by the caller.
func namesOf(country string) namePool {
	switch country {
	case "FR", "LU", "CH":
		return frenchNames
	case "BE":
		return flemishNames
	case "DE", "AT":
		return germanNames
	case "NL":
		return dutchNames
	case "ES":
		return spanishNames
	case "IT":
		return italianNames
	case "PT", "BR":
		return portugueseNames
	case "PL":
		return polishNames
	case "SE", "DK", "FI", "NO":
		return nordicNames
	case "CZ":
		return czechNames
	case "RO":
		return romanianNames
	case "LT":
		return lithuanianNames
	case "IN":
		return indianNames
	case "AE", "SA", "QA", "KW", "OM", "BH", "EG", "JO":
		return arabicNames
	default:
		return englishNames
	}
}

// weighted is a country and how often it is drawn.
type weighted struct {
	country string
	weight  int
}

// customerCountries is where Lumora's users mostly live: the EU, with Belgium
// first, and a few elsewhere.
var customerCountries = []weighted{
	{"BE", 30}, {"FR", 18}, {"DE", 16}, {"NL", 14}, {"ES", 10}, {"IT", 10}, {"LU", 4}, {"IE", 5},
	{"PT", 5}, {"AT", 5}, {"PL", 6}, {"SE", 4}, {"DK", 3}, {"FI", 3}, {"CZ", 3}, {"RO", 3}, {"LT", 2},
	{"GB", 6}, {"CH", 3}, {"US", 4}, {"CA", 2}, {"BR", 2}, {"IN", 2},
}

var (
	madridCountries = []weighted{{"ES", 18}, {"PT", 4}, {"FR", 3}, {"IT", 3}, {"BE", 2}, {"DE", 2}}
	dubaiCountries  = []weighted{{"AE", 6}, {"SA", 2}, {"QA", 1}, {"KW", 1}, {"OM", 1}, {"EG", 1}, {"GB", 1}}
	mumbaiCountries = []weighted{{"IN", 9}, {"GB", 1}}
)

// companies are invented business customers and leads.
var companies = []string{
	"Brightforge", "Hexacore Systems", "Marlow & Finch", "Verdant Loop", "Quillstone", "Nordhavn Logistics",
	"Atelier Novalis", "Castellan Foods", "Bluefen Energy", "Orchard Lane Retail", "Kestrelbrook", "Sundial Supplies",
	"Vantor Mobility", "Lindvik Tools", "Peregrine Textiles", "Cobaltic", "Driftwood Studios", "Tidewater Marine",
	"Amberline Print", "Solenne Cosmetics", "Granite & Gale", "Fernhill Analytics", "Mosaic Ledger", "Ironbark Construction",
	"Luma Vista Travel", "Saffron Lane Catering", "Polaris Fleet", "Redwick Brokers", "Silverbirch Accounting", "Taurus Freight",
	"Umbra Architects", "Velvet Crate", "Westmere Dental", "Yarrow Legal", "Zephyr Bikes", "Cinderhall Games",
	"Ostara Garden Supply", "Quayside Hotels", "Rivermark Education", "Harbourlight Media",
}

// personalDomains are the domains of private e-mail addresses.
var personalDomains = []string{"example.com", "example.org", "example.net"}

// slug turns a name into the ASCII lower-case letters and digits of an
// e-mail local part or domain label.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if a, ok := ascii[r]; ok {
			b.WriteString(a)
			continue
		}
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// companyDomain is the invented domain of a company.
func companyDomain(company string) string { return slug(company) + ".example" }

var ascii = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ä': "a", 'ã': "a", 'å': "a",
	'ç': "c", 'č': "c", 'ć': "c",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ě': "e", 'ė': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
	'ñ': "n", 'ń': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'ö': "o", 'õ': "o",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ů': "u",
	'ý': "y", 'ř': "r", 'š': "s", 'ś': "s", 'ž': "z", 'ż': "z", 'ź': "z", 'ł': "l", 'ß': "ss",
}
