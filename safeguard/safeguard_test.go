package safeguard

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The test values are made up. NHS numbers are built with nhsCheckDigit
// below (an implementation separate from the package's), phone numbers come
// from Ofcom's ranges for drama (020 7946 0xxx, 0113 496 0xxx, 0161 496 0xxx,
// 07700 900xxx), card numbers are the card schemes' published test numbers,
// NI numbers use made-up digits, and the domains are example.org and the like.

// nhsCheckDigit returns the check digit for nine NHS-number digits, or -1
// if no number can have them.
func nhsCheckDigit(nine string) int {
	sum := 0
	for i, c := range nine {
		sum += int(c-'0') * (10 - i)
	}
	switch c := 11 - sum%11; c {
	case 11:
		return 0
	case 10:
		return -1
	default:
		return c
	}
}

func TestNHSCheckDigits(t *testing.T) {
	// The first is the number NHS Digital's documentation uses as its
	// example; the rest were worked by hand.
	for nine, want := range map[string]int{
		"943476591": 9, "401023213": 7, "485777345": 7, "450557710": 4,
		"640157735": 5, "012345678": 9, "653534732": -1,
	} {
		if got := nhsCheckDigit(nine); got != want {
			t.Errorf("nhsCheckDigit(%s) = %d, want %d", nine, got, want)
		}
	}
}

// found returns what d finds in text as "rule=value".
func found(d *Detector, text string) []string {
	var out []string
	for _, m := range d.Scan(text) {
		out = append(out, m.Rule+"="+text[m.Start:m.End])
	}
	return out
}

func mustNew(t testing.TB, c Config) *Detector {
	t.Helper()
	d, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

type scanTest struct {
	in   string
	want []string // "rule=value"; nil means nothing is found
}

func runScanTests(t *testing.T, d *Detector, tests []scanTest) {
	t.Helper()
	for _, tt := range tests {
		got := found(d, tt.in)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Scan(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestNHSNumbers(t *testing.T) {
	runScanTests(t, mustNew(t, Config{}), []scanTest{
		{"NHS number 943 476 5919 please", []string{"nhs_number=943 476 5919"}},
		{"943-476-5919", []string{"nhs_number=943-476-5919"}},
		{"9434765919", []string{"nhs_number=9434765919"}},
		{"(nhs no. 4010232137)", []string{"nhs_number=4010232137"}},
		{"NHS:4857773457.", []string{"nhs_number=4857773457"}},
		{"his number is 450 557 7104, hers 640 157 7355", []string{"nhs_number=450 557 7104", "nhs_number=640 157 7355"}},
		{"CHI 1203411235 and 310 199 0017", []string{"nhs_number=1203411235", "nhs_number=310 199 0017"}},
		{"H&C 3501234562", []string{"nhs_number=3501234562"}},
		// Check digit right, range not issued (5xx, 8xx, CHI with no such
		// day or month).
		{"5201234569 812 345 6786 0113991231 0123456789", nil},
		{"943  476  5919", []string{"nhs_number=943  476  5919"}},
		{"943 - 476 - 5919", []string{"nhs_number=943 - 476 - 5919"}},
		{"943\u00a0476\u00a05919", []string{"nhs_number=943\u00a0476\u00a05919"}},
		{"room 2 943 476 5919", []string{"nhs_number=943 476 5919"}},
		{"943 476 5919 2 visits", []string{"nhs_number=943 476 5919"}},
		// Wrong check digits.
		{"943 476 5918", nil},
		{"9434765910", nil},
		{"401 023 2138", nil},
		{"4857773456", nil},
		// Nine digits whose check digit would be 10: no number is valid.
		{"6535347320 6535347321 6535347322 6535347323 6535347324", nil},
		{"6535347325 6535347326 6535347327 6535347328 6535347329", nil},
		// Placeholders pass the check but are not numbers.
		{"0000000000 1111111111 999 999 9999", nil},
		// Other groupings and glued digits.
		{"94 3476 5919", nil},
		{"9434 765 919", nil},
		{"94347659190", nil},
		{"19434765919", nil},
		{"REF9434765919", nil},
		{"ref 2024-9434765919", nil},
		{"943-476-5919-12", nil},
		{"9434765919kg", nil},
		{"#9434765919", nil},
		{"£9434765919", nil},
		{"9434765919.50", nil},
		{"1,943,476,5919", nil},
		{"https://example.org/patients/9434765919", nil},
		{"example.org/p/9434765919", nil},
		{"?id=9434765919", nil},
		{"**943 476 5919** `4010232137` |4857773457|", []string{"nhs_number=943 476 5919", "nhs_number=4010232137", "nhs_number=4857773457"}},
		{"9434765919/4010232137", []string{"nhs_number=9434765919", "nhs_number=4010232137"}},
		{"943.476.5919", nil},
	})
}

func TestNINumbers(t *testing.T) {
	runScanTests(t, mustNew(t, Config{}), []scanTest{
		{"NI AB 12 34 56 C thanks", []string{"ni_number=AB 12 34 56 C"}},
		{"AB123456C", []string{"ni_number=AB123456C"}},
		{"AB 123456 C", []string{"ni_number=AB 123456 C"}},
		{"AB 12 34 56", []string{"ni_number=AB 12 34 56"}},
		{"AB-12-34-56-D.", []string{"ni_number=AB-12-34-56-D"}},
		{"ab123456c", []string{"ni_number=ab123456c"}},
		{"ab 12 34 56 c", []string{"ni_number=ab 12 34 56 c"}},
		{"JR 98 76 54 A", []string{"ni_number=JR 98 76 54 A"}},
		{"NI: ZA123456B", []string{"ni_number=ZA123456B"}},
		{"AB 123456 Close", []string{"ni_number=AB 123456"}},
		{"(CE123456A)", []string{"ni_number=CE123456A"}},
		{"*CE123456A* `JR123456A`", []string{"ni_number=CE123456A", "ni_number=JR123456A"}},
		{"OA123456A", []string{"ni_number=OA123456A"}},
		// Letters not allowed first or second, and unallocated prefixes.
		{"QQ 12 34 56 C", nil},
		{"DA123456A FA123456A IA123456A QA123456A UA123456A VA123456A", nil},
		{"AD123456A AF123456A AI123456A AO123456A AQ123456A AU123456A AV123456A", nil},
		{"BG123456A GB123456A KN123456A NK123456A NT123456A TN123456A ZZ123456A", nil},
		// Suffixes beyond D, wrong digit counts, glued, lower case without a
		// suffix, mixed case.
		{"AB123456E", nil},
		{"AB12345C", nil},
		{"AB1234567C", nil},
		{"XAB123456C", nil},
		{"#AB123456C", nil},
		{"at 123456", nil},
		{"user ab123456", nil},
		{"Ab123456C", nil},
		{"AB 1 23456 C", nil},
		{"PO 123456", nil}, // a purchase order: O is never second
	})
}

func TestPostcodes(t *testing.T) {
	runScanTests(t, mustNew(t, Config{}), []scanTest{
		{"SW1A 1AA", []string{"postcode=SW1A 1AA"}},
		{"office at M1 1AE today", []string{"postcode=M1 1AE"}},
		{"B33 8TH", []string{"postcode=B33 8TH"}},
		{"CR2 6XH", []string{"postcode=CR2 6XH"}},
		{"DN55 1PT", []string{"postcode=DN55 1PT"}},
		{"SW1A1AA", []string{"postcode=SW1A1AA"}},
		{"sw1a 1aa", []string{"postcode=sw1a 1aa"}},
		{"b338th", []string{"postcode=b338th"}},
		{"M11AE", []string{"postcode=M11AE"}},
		{"W1A 0AX,", []string{"postcode=W1A 0AX"}},
		{"EC1A 1BB.", []string{"postcode=EC1A 1BB"}},
		{"(LS1 4AP)", []string{"postcode=LS1 4AP"}},
		{"GIR 0AA", []string{"postcode=GIR 0AA"}},
		{"lives at 12 Acacia Ave, Leeds LS6 2AB", []string{"postcode=LS6 2AB"}},
		// Outward codes alone, and things shaped like postcodes.
		{"SW1A", nil},
		{"M1", nil},
		{"the SW1A area and M1 district", nil},
		{"stuck on the M25 again, then the A1(M)", nil},
		{"B3 4th floor", nil},
		{"M1 1st", nil},
		{"Galaxy A5 4GB", nil},
		{"RX7 8GB", nil},
		{"QA1 1AA", nil},   // no area QA
		{"SW1A 1CA", nil},  // C is not used in inward codes
		{"SW1I 1AA", nil},  // I does not end an AA9A district
		{"SW1A  1AA", nil}, // two spaces
		{"#SW1A1AA", nil},
		{"XSW1A 1AA", nil},
		{"SW1A 1AAB", nil},
		{"N95 masks and FFP3", nil},
	})
}

func TestPhones(t *testing.T) {
	runScanTests(t, mustNew(t, Config{}), []scanTest{
		{"call 07700 900123", []string{"phone=07700 900123"}},
		{"07700900123", []string{"phone=07700900123"}},
		{"07700 900 123", []string{"phone=07700 900 123"}},
		{"07700-900-123", []string{"phone=07700-900-123"}},
		{"+44 7700 900123", []string{"phone=+44 7700 900123"}},
		{"+447700900123", []string{"phone=+447700900123"}},
		{"(+44) no: +44 (0)7700 900123", []string{"phone=+44 (0)7700 900123"}},
		{"0044 7700 900123", []string{"phone=0044 7700 900123"}},
		{"020 7946 0958", []string{"phone=020 7946 0958"}},
		{"0113 496 0000", []string{"phone=0113 496 0000"}},
		{"(0161) 496 0000", []string{"phone=(0161) 496 0000"}},
		{"tel: (0161) 4960000.", []string{"phone=(0161) 4960000"}},
		{"+44 20 7946 0958", []string{"phone=+44 20 7946 0958"}},
		{"+44 (0)20 7946 0958", []string{"phone=+44 (0)20 7946 0958"}},
		{"+44 020 7946 0958", []string{"phone=+44 020 7946 0958"}},
		{"02079460958", []string{"phone=02079460958"}},
		{"029 2018 0123", []string{"phone=029 2018 0123"}},
		{"0300 123 4567", []string{"phone=0300 123 4567"}},
		{"013873 12345 or 01387 12345", []string{"phone=013873 12345", "phone=01387 12345"}},
		{"016977 1234", []string{"phone=016977 1234"}},
		{"ring 2 07700 900123", []string{"phone=07700 900123"}},
		{"07700 900123 2 times", []string{"phone=07700 900123"}},
		{"mob:07700900123, home:0113 496 0000", []string{"phone=07700900123", "phone=0113 496 0000"}},
		{"0113 496 0000/07700 900123", []string{"phone=0113 496 0000", "phone=07700 900123"}},
		{"(020) 7946 0958", []string{"phone=(020) 7946 0958"}},
		{"(+44) 7700 900123", []string{"phone=(+44) 7700 900123"}},
		{"tel +44 (0) 161 496 0000", []string{"phone=+44 (0) 161 496 0000"}},
		{"+44(0)20 7946 0958", []string{"phone=+44(0)20 7946 0958"}},
		{"01632 960 123", []string{"phone=01632 960 123"}},
		{"tel.07700 900123", []string{"phone=07700 900123"}},
		{"07700 900123", []string{"phone=07700 900123"}},
		// Organisations' numbers, other countries, unused areas.
		{"0800 123 4567", nil},
		{"0808 808 1111", nil},
		{"0845 123 4567 and 0870 123 4567", nil},
		{"0906 123 4567", nil},
		{"+1 202 555 0123", nil},
		{"+33 1 23 45 67 89", nil},
		{"021 7946 0958", nil},
		{"0500 123456", nil},
		// Wrong lengths and groupings, glued digits.
		{"0770 0900 1234", nil},
		{"07700 90012", nil},
		{"0 7700 900123", nil},
		{"07 700 900 123", nil},
		{"0161496000", nil},
		{"lottery: 03 15 22 31 44 07", nil},
		{"#07700900123", nil},
		{"id=07700900123", nil},
		{"A07700900123", nil},
		{"07700900123456", nil},
		{"https://example.org/call/07700900123", nil},
		{"v07700.900.123", nil},
	})
}

func TestEmails(t *testing.T) {
	runScanTests(t, mustNew(t, Config{}), []scanTest{
		{"email jo.bloggs@example.org today", []string{"email=jo.bloggs@example.org"}},
		{"Jo.Bloggs+care@Example.NHS.uk.", []string{"email=Jo.Bloggs+care@Example.NHS.uk"}},
		{"<jo_b-1@mail.example.co.uk>", []string{"email=jo_b-1@mail.example.co.uk"}},
		{"mailto:jo@example.org", []string{"email=jo@example.org"}},
		{"(jo@example.org)", []string{"email=jo@example.org"}},
		{"...jo@example.org", []string{"email=jo@example.org"}},
		// Fediverse handles and other near-misses.
		{"thanks @alice@example.social!", nil},
		{"@alice", nil},
		{"jo@localhost", nil},
		{"jo@example.c0m", nil},
		{"jo@example.c", nil},
		{"jo@", nil},
		{"@example.org", nil},
		{"jo.@example.org", nil},
		{"jo@-example.org", nil},
		{"https://jo@example.org/x", nil},
		{"meet @ 2pm", nil},
	})
}

func TestCards(t *testing.T) {
	runScanTests(t, mustNew(t, Config{}), []scanTest{
		{"card 4111 1111 1111 1111 exp", []string{"card=4111 1111 1111 1111"}},
		{"4111111111111111", []string{"card=4111111111111111"}},
		{"4111-1111-1111-1111", []string{"card=4111-1111-1111-1111"}},
		{"5555 5555 5555 4444", []string{"card=5555 5555 5555 4444"}},
		{"3782 822463 10005", []string{"card=3782 822463 10005"}},
		{"378282246310005", []string{"card=378282246310005"}},
		{"6011 1111 1111 1117", []string{"card=6011 1111 1111 1117"}},
		{"3530 1113 3330 0000", []string{"card=3530 1113 3330 0000"}},
		{"4222222222222", []string{"card=4222222222222"}},
		{"6759 6498 2643 8453", []string{"card=6759 6498 2643 8453"}},
		{"2223 0031 2200 3222", []string{"card=2223 0031 2200 3222"}},
		{"3622 720627 1667", []string{"card=3622 720627 1667"}},
		{"paid with 4012 8888 8888 1881, thanks", []string{"card=4012 8888 8888 1881"}},
		// Luhn failures.
		{"4111 1111 1111 1112", nil},
		{"4111111111111113", nil},
		{"5555 5555 5555 4445", nil},
		{"378282246310006", nil},
		// Luhn passes, but no card scheme issues it.
		{"1111 1111 1111 1117", nil},   // no scheme starts with 1
		{"9111111111111111", nil},      // nor 9
		{"0000 0000 0000 0000", nil},   // nor 0
		{"4111111111111111111", nil},   // Luhn fails at 19
		{"41111111111111111", nil},     // Visa has no 17-digit numbers
		{"3782822463100056", nil},      // Amex numbers are 15 digits
		{"4111 11111 111 1111", nil},   // not a card grouping
		{"x4111111111111111", nil},     // glued
		{"4111111111111111x", nil},     // glued
		{"id 920061541986250758", nil}, // a post ID
		{"https://twitter.com/BarackObama/status/4111111111111111", nil},
	})
}

func TestDatesOfBirth(t *testing.T) {
	runScanTests(t, mustNew(t, Config{}), []scanTest{
		{"DOB 12/03/1941", []string{"date_of_birth=12/03/1941"}},
		{"DOB: 12/03/1941", []string{"date_of_birth=12/03/1941"}},
		{"dob:12.03.41", []string{"date_of_birth=12.03.41"}},
		{"D.O.B. 12-03-1941", []string{"date_of_birth=12-03-1941"}},
		{"D.O.B 1941-03-12", []string{"date_of_birth=1941-03-12"}},
		{"born 3 March 1941", []string{"date_of_birth=3 March 1941"}},
		{"born on 03-03-41", []string{"date_of_birth=03-03-41"}},
		{"Born on the 3rd of March, 1941 in Leeds", []string{"date_of_birth=3rd of March, 1941"}},
		{"born in Leeds on 3rd March 1941", []string{"date_of_birth=3rd March 1941"}},
		{"born March 3rd, 1941", []string{"date_of_birth=March 3rd, 1941"}},
		{"born Sept 3 1941", []string{"date_of_birth=Sept 3 1941"}},
		{"born 3-Mar-41", []string{"date_of_birth=3-Mar-41"}},
		{"born 3 Mar. '41", []string{"date_of_birth=3 Mar. '41"}},
		{"date of birth is 12/3/1941", []string{"date_of_birth=12/3/1941"}},
		{"Date of Birth – 12/03/1941", []string{"date_of_birth=12/03/1941"}},
		{"birthdate 3/12/1941", []string{"date_of_birth=3/12/1941"}},
		{"birthday: 31 December 1941", []string{"date_of_birth=31 December 1941"}},
		{"aged 82 (12/03/1941)", []string{"date_of_birth=12/03/1941"}},
		{"Age: 12/03/1941", []string{"date_of_birth=12/03/1941"}},
		{"US style, born 03/31/1941", []string{"date_of_birth=03/31/1941"}},
		// Dates without a cue, cues without a full date.
		{"the meeting on 12/03/2025", nil},
		{"visit booked 3 March 2025 at 14:30", nil},
		{"Age UK event on 12/03/2025", nil},
		{"age group meeting 12/03/2025", nil},
		{"born in 1941", nil},
		{"born in March", nil},
		{"DOB 12/03", nil},
		{"born and bred in Leeds, moved here 12/03/1990", nil},
		{"she was born. The meeting is on 12/03/2025", nil},
		{"Dobson visited 12/03/2025", nil},
		{"reborn 12/03/2025", nil},
		{"DOB 32/13/1941", nil},
		{"DOB 12/03/1741", nil},
		{"DOB 12/03/19411", nil},
		{"born 12/03-1941", nil},
	})
}

func TestTraps(t *testing.T) {
	// Text that looks like data and is not, as it turns up in care posts.
	runScanTests(t, mustNew(t, Config{}), []scanTest{
		{"Order ORD-2024-001234567 has shipped, ref AB12CD34EF", nil},
		{"Invoice INV20240315-0012 for £1,234.56 paid", nil},
		{"Band D council tax is £2,171.57 in 2024/25, up 4.99%", nil},
		{"Shift 14:30–22:00, handover at 2.30pm, 07:00 start", nil},
		{"Celebrating #NHS75 and #CareWeek2024 with @CareTeam", nil},
		{"Update to v2.14.3 (build 20240312) fixed it", nil},
		{"In 2024 we supported 1,250 people; 98% said good", nil},
		{"CQC location 1-1234567890 rated Good on 12/03/2024", nil},
		{"Read https://www.cqc.org.uk/location/1-1234567890?ref=94347659190 now", nil},
		{"www.example.org/posts/9434765919", nil},
		{"Call 111 or 999, or the council on 0800 123 4567", nil},
		{"Ofsted URN 123456, charity no. 1234567, company 01234567", nil},
		{"Care Act 2014 s.42 enquiry; Section 117 aftercare; MHA 1983", nil},
		{"Rota: 10 12 14 16 18 20 22 (even days)", nil},
		{"Scores: 3 - 1, 2 - 2, 07 - 12", nil},
		{"Meds at 08:00 12:00 18:00 22:00, 500mg x2, 2.5ml", nil},
		{"Temp 37.5, BP 120/80, sats 96%, pulse 72", nil},
		{"Tracking JD014600004123456789 via Royal Mail", nil},
		{"The M62 J25 to J26 is closed; use the A58", nil},
		{"Sept 2024: 12 new starters; 2nd cohort 3rd March", nil},
		{"£12.50/hr, rising to £12.60 from 1 April 2025", nil},
		{"Page 9434765918 of the log", nil}, // a bad NHS check digit
		{"Card ending 4111 1111 1111 1112", nil},
		{"Week 12, room 4B, bed 3", nil},
		{"Age UK Leeds 12/03/2025 10:30-12:00", nil},
		{"Download: https://example.org/forms/DOB-12-03-1941.pdf", nil},
		{"🎉🎉 100 years young! 🎂 #Centenarian", nil},
		{"Ward 7 bay 2, 2nd floor, M1 lift", nil},
		{"Ticket 2023-CS-0045821 closed", nil},
		{"3/4 staff, 24/7 care, 1:1 support", nil},
	})
}

func TestAllowList(t *testing.T) {
	d := mustNew(t, Config{Allow: []string{
		"+44 (0)20 7946 0958",   // the switchboard
		"sw1a 1aa",              // the office
		"Enquiries@Example.ORG", // the public address
		"943 476 5919",          // a documentation example
		"4111-1111-1111-1111",   // a test card
		"AB 12 34 56 C",         // a training example
		"07700900999",           // the duty mobile
		"",                      // ignored
		"   ",                   // ignored
	}})
	runScanTests(t, d, []scanTest{
		{"call 020 7946 0958 or 02079460958 or +44 20 7946 0958", nil},
		{"office SW1A 1AA, also SW1A1AA", nil},
		{"write to enquiries@example.org", nil},
		{"e.g. 9434765919", nil},
		{"4111 1111 1111 1111", nil},
		{"AB123456C", nil},
		{"+44 7700 900999", nil},
		// Others are still found.
		{"020 7946 0959", []string{"phone=020 7946 0959"}},
		{"SW1A 2AA", []string{"postcode=SW1A 2AA"}},
		{"jo@example.org", []string{"email=jo@example.org"}},
		{"4010232137", []string{"nhs_number=4010232137"}},
	})
}

func TestExtraPatterns(t *testing.T) {
	d := mustNew(t, Config{
		Extra: []Pattern{
			{Name: "case_ref", Label: "a case record number", Expr: `\bCR-?\d{6}\b`},
			{Name: "mosaic_id", Label: "a Mosaic person ID", Expr: `(?i)\bmosaic\s*(?:id)?[: ]\s*\d{5,8}\b`},
		},
		Allow:    []string{"CR-000000"},
		Disabled: []string{Postcode},
	})
	runScanTests(t, d, []scanTest{
		{"case CR-123456 closed", []string{"case_ref=CR-123456"}},
		{"CR123456 and Mosaic ID: 1234567", []string{"case_ref=CR123456", "mosaic_id=Mosaic ID: 1234567"}},
		{"example CR-000000", nil},
		{"see https://example.org/CR-123456", nil},
		{"SW1A 1AA", nil}, // disabled
		{"CR-123456 at 943 476 5919", []string{"case_ref=CR-123456", "nhs_number=943 476 5919"}},
	})
	var names []string
	for _, r := range d.Rules() {
		names = append(names, r.Name)
	}
	want := []string{NHSNumber, NINumber, Phone, Email, Card, DateOfBirth, "case_ref", "mosaic_id"}
	if !slices.Equal(names, want) {
		t.Errorf("Rules() = %q, want %q", names, want)
	}
}

func TestOverlap(t *testing.T) {
	// Overlapping matches: the earlier start wins, then the longer, then
	// the instance's own rule.
	d := mustNew(t, Config{Extra: []Pattern{
		{Name: "ten", Label: "ten digits", Expr: `\d{3} \d{3} \d{4}`},
		{Name: "labelled", Label: "a labelled number", Expr: `Patient \d+ \d+ \d+`},
		{Name: "tail", Label: "a tail", Expr: `476 5919`},
	}})
	runScanTests(t, d, []scanTest{
		{"943 476 5919", []string{"ten=943 476 5919"}},
		{"Patient 943 476 5919", []string{"labelled=Patient 943 476 5919"}},
		{"x 9943 476 5919", []string{"ten=943 476 5919"}},
	})
	d = mustNew(t, Config{Extra: []Pattern{{Name: "tail", Label: "a tail", Expr: `476 5919`}}})
	runScanTests(t, d, []scanTest{
		{"943 476 5919", []string{"nhs_number=943 476 5919"}},
	})
}

func TestNewErrors(t *testing.T) {
	for _, tt := range []struct {
		c    Config
		want string
	}{
		{Config{Extra: []Pattern{{Name: "case_ref", Label: "x", Expr: `CR(\d+`}}}, `"case_ref"`},
		{Config{Extra: []Pattern{{Name: "Case Ref", Label: "x", Expr: `x`}}}, `"Case Ref"`},
		{Config{Extra: []Pattern{{Name: "phone", Label: "x", Expr: `x`}}}, `"phone"`},
		{Config{Extra: []Pattern{{Name: "a", Label: "x", Expr: `x`}, {Name: "a", Label: "y", Expr: `y`}}}, `"a"`},
		{Config{Extra: []Pattern{{Name: "nolabel", Expr: `x`}}}, `"nolabel"`},
		{Config{Disabled: []string{"postcodes"}}, `"postcodes"`},
	} {
		_, err := New(tt.c)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%+v) error = %v, want one naming %s", tt.c, err, tt.want)
		}
	}
	if _, err := New(Config{Allow: []string{"0113 496 0000"}}); err != nil {
		t.Error(err)
	}
}

func TestRules(t *testing.T) {
	b := Builtin()
	if len(b) != 7 {
		t.Fatalf("Builtin() has %d rules", len(b))
	}
	for _, r := range b {
		if !validName.MatchString(r.Name) || r.Label == "" {
			t.Errorf("bad rule %+v", r)
		}
	}
	b[0].Name = "changed"
	if Builtin()[0].Name != NHSNumber {
		t.Error("Builtin returns the package's own slice")
	}
}

func TestMasked(t *testing.T) {
	d := mustNew(t, Config{})
	for _, tt := range []struct{ in, want string }{
		{"NHS 943 476 5919", "••• ••• ••19"},
		{"call +44 20 7946 0958", "+•• •• •••• ••58"},
		{"jo.bloggs@example.org", "••.••••••@•••••••.•rg"},
		{"AB 12 34 56 C", "•• •• •• •6 C"},
		{"4111 1111 1111 1111", "•••• •••• •••• ••11"},
		{"DOB 12/03/1941", "••/••/••41"},
		{"M1 1AE", "•• •••"}, // under six letters and digits: all hidden
		{"SW1A 1AA", "•••• •AA"},
	} {
		ms := d.Scan(tt.in)
		if len(ms) != 1 {
			t.Errorf("Scan(%q) = %v", tt.in, ms)
			continue
		}
		if got := ms[0].Masked(tt.in); got != tt.want {
			t.Errorf("Masked(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Short values are hidden entirely; bad offsets give "".
	if got := (Match{Start: 0, End: 4}).Masked("ab12"); got != "••••" {
		t.Errorf("short value: %q", got)
	}
	for _, m := range []Match{{Start: -1, End: 2}, {Start: 2, End: 1}, {Start: 0, End: 99}} {
		if got := m.Masked("abc"); got != "" {
			t.Errorf("%+v.Masked = %q", m, got)
		}
	}
	// Non-letters that are not punctuation, and bad UTF-8, are masked.
	if got := (Match{Start: 0, End: 10}).Masked("ab\xffc😀12345"); strings.ContainsAny(got, "abc\xff😀") {
		t.Errorf("Masked leaks: %q", got)
	}
}

// checkMatches checks what any scan must satisfy: offsets in range and in
// order, no overlaps, known rules, and a mask that does not give the value
// away.
func checkMatches(t *testing.T, d *Detector, text string, ms []Match) {
	t.Helper()
	labels := make(map[string]string)
	for _, r := range d.Rules() {
		labels[r.Name] = r.Label
	}
	prev := 0
	for _, m := range ms {
		if m.Start < prev || m.End <= m.Start || m.End > len(text) {
			t.Fatalf("Scan(%q): bad offsets %+v (previous end %d)", text, m, prev)
		}
		prev = m.End
		if labels[m.Rule] != m.Label {
			t.Fatalf("Scan(%q): %+v has an unknown rule or wrong label", text, m)
		}
		masked := m.Masked(text)
		shown := 0
		for _, r := range masked {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				shown++
			}
		}
		if shown > 2 {
			t.Fatalf("Scan(%q): %+v masked as %q shows %d characters", text, m, masked, shown)
		}
	}
}

func TestOddInput(t *testing.T) {
	d := mustNew(t, Config{Extra: []Pattern{{Name: "x", Label: "x", Expr: `x*`}}})
	inputs := []string{
		"", "\x00", "9434765919\x00", "\x009434765919\x00", "\xff\xfe943 476 5919\xff",
		"943 476 5919\xe2\x82", "\xc2", "@", "@@", "a@", "@b.cd", "+", "+4", "(", "(0",
		"born", "DOB", "D.O.B", "aged", "age 8", "born 3", "born 3 March", "born 3 March 19",
		"SW1A", "SW1A 1A", "AB12345", "GIR", "GIR 0A", "07700", "+44", "+44 (0)", "0044",
		strings.Repeat("9", 10000), strings.Repeat("1 ", 5000), strings.Repeat("born ", 2000),
		strings.Repeat("@a", 3000), strings.Repeat("a", 10000) + "@example.org",
		strings.Repeat("https://x ", 1000), strings.Repeat("4111 ", 2000),
		"９４３ ４７６ ５９１９",  // full-width digits: not read
		"９943 476 5919", // glued to a full-width digit
		"٩٤٣٤٧٦٥٩١٩",    // Arabic-Indic digits
		"𝟗𝟒𝟑𝟒𝟕𝟔𝟓𝟗𝟏𝟗",    // mathematical digits
		"😀943 476 5919😀",
	}
	for _, s := range inputs {
		ms := d.Scan(s)
		checkMatches(t, d, s, ms)
	}
	// Emoji and invalid UTF-8 around a number are not glue; full-width
	// and other non-ASCII digits are.
	base := mustNew(t, Config{})
	runScanTests(t, base, []scanTest{
		{"😀943 476 5919😀", []string{"nhs_number=943 476 5919"}},
		{"\xff943 476 5919\xff", []string{"nhs_number=943 476 5919"}},
		{"\x00943 476 5919\x00", []string{"nhs_number=943 476 5919"}},
		{"９４３ ４７６ ５９１９", nil},
		{"９943 476 5919", nil},
		{"é9434765919", nil},
	})
}

func TestConcurrentScan(t *testing.T) {
	d := mustNew(t, Config{Extra: []Pattern{{Name: "case_ref", Label: "a case number", Expr: `\bCR\d{6}\b`}}, Allow: []string{"020 7946 0958"}})
	want := found(d, postWithData)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if got := found(d, postWithData); !slices.Equal(got, want) {
					t.Errorf("concurrent Scan = %q, want %q", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// cleanPost and postWithData are realistic posts of 500 characters.
var (
	cleanPost = fit(`Lovely afternoon at the Oakwood day centre 🌞 Thanks to everyone ` +
		`who came to the #CareWeek2024 tea party – we raised £1,234.56 for Age UK! ` +
		`Shift handover moves to 14:30 from Monday 3 June, and the new rota (v2.3) ` +
		`is on the board in room 4B. Training on the Care Act 2014 s.42 is booked ` +
		`for 12/06/2024; 98% of staff have done it already. Questions? Ask your ` +
		`team leader or see https://example.org/care/training/2024 for details. ` +
		`Remember: 24/7 support line is 0800 123 4567. Well done all, proud of you 💙 #NHS75 ` +
		`#socialcare more text to pad it out`)
	postWithData = fit(`Urgent handover for Mrs B (NHS 943 476 5919, DOB 12/03/1941, ` +
		`NI AB 12 34 56 C). Lives at 12 Acacia Avenue, Leeds LS6 2AB. Daughter's mobile ` +
		`07700 900123, landline 0113 496 0000, email jo.bloggs@example.org. ` +
		`Shift at 14:30, £12.50/hr, rota v2.3 – see https://example.org/rota/2024 ` +
		`Paid the pharmacy with 4111 1111 1111 1111 by mistake, please cancel. ` +
		`Care plan review booked for 12/06/2024 in room 4B; Age UK attending. ` +
		`Thanks all 💙 #CareWeek2024 more text to pad it out to five hundred characters ok`)
)

// fit pads or cuts s to 500 bytes at a rune boundary.
func fit(s string) string {
	for len(s) < 500 {
		s += " and more text"
	}
	for len(s) > 500 || !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

func TestBenchPosts(t *testing.T) {
	d := mustNew(t, Config{})
	if got := found(d, cleanPost); got != nil {
		t.Errorf("clean post: found %q", got)
	}
	got := found(d, postWithData)
	want := []string{
		"nhs_number=943 476 5919", "date_of_birth=12/03/1941", "ni_number=AB 12 34 56 C",
		"postcode=LS6 2AB", "phone=07700 900123", "phone=0113 496 0000",
		"email=jo.bloggs@example.org", "card=4111 1111 1111 1111",
	}
	if !slices.Equal(got, want) {
		t.Errorf("post with data:\n got %q\nwant %q", got, want)
	}
}

func BenchmarkScan500(b *testing.B) {
	d := mustNew(b, Config{Allow: []string{"020 7946 0958", "SW1A 1AA"}})
	for _, bc := range []struct{ name, text string }{
		{"clean", cleanPost},
		{"identifiers", postWithData},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			b.ReportAllocs()
			for b.Loop() {
				d.Scan(bc.text)
			}
		})
	}
	extra := mustNew(b, Config{Extra: []Pattern{{Name: "case_ref", Label: "a case number", Expr: `\bCR-?\d{6}\b`}}})
	b.Run("clean+extra", func(b *testing.B) {
		b.SetBytes(int64(len(cleanPost)))
		b.ReportAllocs()
		for b.Loop() {
			extra.Scan(cleanPost)
		}
	})
}

// fuzzIDs are identifiers FuzzScan inserts into random text, with the rule
// that must find them. The value is the whole match, except for dates of
// birth, where the match is the date after "DOB ".
var fuzzIDs = []struct{ rule, text string }{
	{NHSNumber, "943 476 5919"},
	{NHSNumber, "4010232137"},
	{NHSNumber, "485-777-3457"},
	{NINumber, "AB 12 34 56 C"},
	{NINumber, "JR123456A"},
	{Postcode, "SW1A 1AA"},
	{Postcode, "b338th"},
	{Postcode, "DN55 1PT"},
	{Phone, "07700 900123"},
	{Phone, "+44 (0)20 7946 0958"},
	{Phone, "(0161) 496 0000"},
	{Email, "jo.bloggs@example.org"},
	{Card, "4111 1111 1111 1111"},
	{Card, "378282246310005"},
	{DateOfBirth, "DOB 12/03/1941"},
	{DateOfBirth, "born 3 March 1941"},
}

// FuzzScan checks that Scan never panics, that its matches are well formed,
// and that an identifier inserted anywhere into random text is found.
//
// The identifier is inserted with a line break on each side, which ends
// every token and run of digits. Nothing else is assumed about the random
// text: it may be invalid UTF-8, hold URLs, "@", cues, or other identifiers,
// and the insertion point may split a multi-byte character.
//
// It is also inserted with a space on each side, where the bytes beyond the
// spaces are neutral (see neutral). A space alone is not enough: digits on
// either side of it join the identifier's run of digit groups ("07700 " +
// "943 476 5919" reads as the phone number 07700 943 476), a hyphen or a
// parenthesis can too, and a letter or digit right next to an identifier
// glues it into a longer token ("X943…"); in all those cases the identifier
// is legitimately not found.
func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"", cleanPost, postWithData, "https://example.org/", "@alice@example.social",
		"born", "DOB", "+44", "0044", "(", "9", "4111 ", "www.", "\xff\xfe", "😀", "Age UK",
		"jo@", "@", "07700 ", " 943", "SW1A", "AB 12", "https://x", "date of birth",
	} {
		f.Add(s, uint16(len(s)/2), uint8(len(s)))
	}
	d := mustNew(f, Config{})
	f.Fuzz(func(t *testing.T, s string, pos uint16, which uint8) {
		checkMatches(t, d, s, d.Scan(s))

		id := fuzzIDs[int(which)%len(fuzzIDs)]
		p := int(pos) % (len(s) + 1)
		text := s[:p] + "\n" + id.text + "\n" + s[p:]
		ms := d.Scan(text)
		checkMatches(t, d, text, ms)
		start, end := p+1, p+1+len(id.text)
		if id.rule == DateOfBirth {
			start = p + 1 + strings.IndexAny(id.text, "0123456789")
		}
		mustFind(t, text, ms, id.rule, start, end)

		if neutral(s, p-1) && neutral(s, p) {
			text := s[:p] + " " + id.text + " " + s[p:]
			ms := d.Scan(text)
			checkMatches(t, d, text, ms)
			mustFind(t, text, ms, id.rule, start, end)
		}
	})
}

// neutral reports whether s[i] (if it exists) is an ASCII letter or
// punctuation that neither joins a run of digits nor makes a code.
func neutral(s string, i int) bool {
	return i < 0 || i >= len(s) || isLetter(s[i]) || strings.IndexByte(`.,;:!?"<>[]{}|*~`+"`", s[i]) >= 0
}

func mustFind(t *testing.T, text string, ms []Match, rule string, start, end int) {
	t.Helper()
	for _, m := range ms {
		if m.Rule == rule && m.Start == start && m.End == end {
			return
		}
	}
	t.Fatalf("%s at %d:%d not found in %q: %s", rule, start, end, text, fmt.Sprint(ms))
}

// extraExprs are patterns for checking the fast path of extra patterns
// against regexp's own search; fast says whether the fast path applies.
var extraExprs = []struct {
	expr string
	fast bool
}{
	{`\bCR-?\d{6}\b`, true},
	{`(?i)\bmosaic\s*(?:id)?[: ]\s*\d{5,8}\b`, true},
	{`\b\d{8}\b`, true},
	{`CR\d+`, true},
	{`(?i)k\d`, true}, // k also folds to the Kelvin sign
	{`(?i)s\d`, true}, // and s to the long s
	{`\bé\d`, true},
	{`\b-\d+`, true},
	{`(a|bc)+d`, true},
	{`\pL\d`, true},
	{`\b(?:ab|a)b?`, true},
	{`x?y*\d`, true},
	{`\d+\b|\bfoo`, false},
	{`[^a]b`, false},
	{`a?\bb`, false},
	{`(?m)x^y`, true},
	{`x*`, false},
	{`.\d`, false},
	{`\x{FFFD}\d`, false},
	{`^\d+`, false},
	{`a[^b]*b`, true}, // quadratic if tried at every "a" of "aaaa…"
}

func TestExtraFastPath(t *testing.T) {
	texts := []string{
		"", cleanPost, postWithData, "CR123456 CR-1234567 xCR123456 CR12345 CR123456",
		"Mosaic ID: 1234567, mosaic 12345678, MOSAIC:99999 mosaicid 1234567",
		"12345678 123456789 a12345678 _12345678 -12345678 ١٢٣٤٥٦٧٨ 12345678",
		"k1 K2 \u212a3 s4 S5 \u017f6 é7 xé8 \xe9\x39 -12 a-12 bcd abcbcd ad abbb ab aab",
		"x\ny xy x\x00y é1\xff\xbf2 \xef\xbf\xbd3 foo xfoo 123 123a",
		strings.Repeat("CR123456 ", 10000), // uses up attemptBytes
	}
	for _, x := range extraExprs {
		e, err := newExtra(Pattern{Name: "x", Label: "x", Expr: x.expr})
		if err != nil {
			t.Fatal(err)
		}
		if (e.first != nil) != x.fast {
			t.Errorf("%s: fast path %v, want %v", x.expr, e.first != nil, x.fast)
		}
		for _, text := range texts {
			checkExtraFind(t, &e, text)
		}
	}
}

// checkExtraFind checks e.find against regexp's FindAllStringIndex.
func checkExtraFind(t *testing.T, e *extraRule, text string) {
	t.Helper()
	var want [][2]int
	for _, loc := range e.re.FindAllStringIndex(text, -1) {
		if loc[0] < loc[1] {
			want = append(want, [2]int{loc[0], loc[1]})
		}
	}
	var got [][2]int
	for _, m := range e.find(text, nil) {
		got = append(got, [2]int{m.Start, m.End})
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s in %q: found %v, regexp finds %v", e.re, text, got, want)
	}
}

// FuzzExtra checks the fast path of extra patterns against regexp's own
// search on random text.
func FuzzExtra(f *testing.F) {
	f.Add("CR123456 Mosaic ID: 1234567 k1 \u212a3 é7", uint8(0))
	f.Add(postWithData, uint8(1))
	var rules []extraRule
	for _, x := range extraExprs {
		e, err := newExtra(Pattern{Name: "x", Label: "x", Expr: x.expr})
		if err != nil {
			f.Fatal(err)
		}
		rules = append(rules, e)
	}
	f.Fuzz(func(t *testing.T, text string, which uint8) {
		checkExtraFind(t, &rules[int(which)%len(rules)], text)
	})
}
