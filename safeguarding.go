package starling

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"starling/safeguard"
)

// Safeguarding: every post, edit, poll answer, image description, profile
// field and direct message is checked for personal data (an NHS number, a
// phone number, a postcode…: see package safeguard) before it is stored.
// What happens on a match is the community's policy. The value found is
// never logged, stored or repeated in full: errors say what kind of value
// was found and where, with at most its last two characters.

// SafeguardPolicy says what happens when text seems to hold personal data.
type SafeguardPolicy string

const (
	// SafeguardBlock refuses the text (HTTP 422); the author must remove
	// the value. The default.
	SafeguardBlock SafeguardPolicy = "block"
	// SafeguardWarn refuses the text unless the author confirms it is not
	// personal data (the API's confirm_personal_data parameter, a checkbox
	// on the web pages).
	SafeguardWarn SafeguardPolicy = "warn"
	// SafeguardOff checks nothing.
	SafeguardOff SafeguardPolicy = "off"
)

// ParseSafeguardPolicy reads a policy name; "" is SafeguardBlock.
func ParseSafeguardPolicy(s string) (SafeguardPolicy, error) {
	switch p := SafeguardPolicy(s); p {
	case "":
		return SafeguardBlock, nil
	case SafeguardBlock, SafeguardWarn, SafeguardOff:
		return p, nil
	}
	return "", Errorf(EINVALID, "Validation failed: Safeguarding must be block, warn or off")
}

// SetSafeguard sets the detector the service checks text with; nil restores
// the built-in rules (package safeguard's zero Config).
func (svc *Service) SetSafeguard(d *safeguard.Detector) {
	if d == nil {
		d = defaultDetector()
	}
	svc.safeguard = d
}

// defaultDetector is the detector of the built-in rules, shared: a
// Detector does not change after safeguard.New.
var defaultDetector = sync.OnceValue(func() *safeguard.Detector {
	d, err := safeguard.New(safeguard.Config{})
	if err != nil {
		panic("starling: the built-in safeguarding rules: " + err.Error()) // cannot happen: the zero Config is valid
	}
	return d
})

// CheckedText is one piece of text a member wants to publish, named for
// the messages and details of a PersonalDataError.
type CheckedText struct {
	// Field names the input for programs: the API parameter ("status",
	// "poll[options][1]", "fields_attributes[0][value]") or, on the web
	// pages, the form input's name.
	Field string
	// Where names it for people, to follow "in": "the text", "answer 2 of
	// the poll", "the bio".
	Where string
	Text  string
}

// SafeguardFinding is one value that looks like personal data: what kind
// of value, and where. It never holds the value.
type SafeguardFinding struct {
	Rule  string `json:"rule"`  // the rule's stable name, such as "nhs_number"
	Label string `json:"label"` // the kind for people, with its article: "an NHS number"
	Field string `json:"field"` // CheckedText.Field of the text it is in
	Start int    `json:"start"` // byte offsets of the value in that text (UTF-8)
	End   int    `json:"end"`
	// Where is CheckedText.Where; Ending is at most the last two letters or
	// digits of the value ("19"), "" for a short value, so that a message
	// can point at it without repeating it.
	Where  string `json:"-"`
	Ending string `json:"-"`
}

// PersonalDataError is the error of text that seems to hold personal
// data: an EINVALID *Error (HTTP 422) whose message names the kinds found
// and where, with the findings for programs. Get it with errors.As.
type PersonalDataError struct {
	Err      *Error
	Findings []SafeguardFinding
	// Confirmable is true under SafeguardWarn: the same request, confirmed
	// (ConfirmPersonalData), would be accepted.
	Confirmable bool
}

func (e *PersonalDataError) Error() string { return e.Err.Error() }

// Unwrap gives the *Error, so that ErrorCode and ErrorMessage see it.
func (e *PersonalDataError) Unwrap() error { return e.Err }

// FindPersonalData returns what looks like personal data in texts, in
// order, whether the policy blocks or warns; nil when it is off. It logs
// nothing: the web pages use it to warn as the member types.
func (svc *Service) FindPersonalData(texts ...CheckedText) []SafeguardFinding {
	if svc.instance.Safeguarding == SafeguardOff {
		return nil
	}
	var out []SafeguardFinding
	for _, t := range texts {
		for _, m := range svc.safeguard.Scan(t.Text) {
			out = append(out, SafeguardFinding{Rule: m.Rule, Label: m.Label, Field: t.Field, Start: m.Start, End: m.End,
				Where: t.Where, Ending: ending(m.Masked(t.Text))})
		}
	}
	return out
}

// ending returns the characters Masked left visible at the end of a value
// ("19" of "••• ••• ••19"), or "".
func ending(masked string) string {
	i := strings.LastIndex(masked, "•")
	if i < 0 {
		return "" // nothing masked: no value to point at
	}
	rest := masked[i+len("•"):]
	return strings.TrimLeftFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// What is being checked, for the wording of the message.
type safeguardSubject int

const (
	subjectPost safeguardSubject = iota
	subjectMedia
	subjectProfile
)

var subjects = [...]struct {
	this, rule, log string
}{
	subjectPost:    {"This post", "Posts must not identify people who use services.", "post"},
	subjectMedia:   {"This image description", "Image descriptions must not identify people who use services.", "image description"},
	subjectProfile: {"Your profile", "Profiles must not hold personal data about people who use services.", "profile"},
}

// CheckPersonalData checks texts as a post's would be checked, under the
// policy: nil if nothing is found, the policy is off, or it warns and
// confirmed is true; a *PersonalDataError otherwise. The web pages use it
// to check a whole compose box, images' descriptions too, before uploading
// anything. A refusal is logged as PostStatus logs it; a confirmation is
// left to the use case that follows.
func (svc *Service) CheckPersonalData(ctx context.Context, author *Account, confirmed bool, texts ...CheckedText) error {
	return svc.checkPersonalDataLogged(ctx, author, subjectPost, confirmed, false, texts)
}

// checkPersonalData is the check of the use cases, which logs the rules
// (never the values) when text is refused or its author confirms it.
func (svc *Service) checkPersonalData(ctx context.Context, author *Account, subject safeguardSubject, confirmed bool, texts ...CheckedText) error {
	return svc.checkPersonalDataLogged(ctx, author, subject, confirmed, true, texts)
}

func (svc *Service) checkPersonalDataLogged(ctx context.Context, author *Account, subject safeguardSubject, confirmed, logConfirmed bool, texts []CheckedText) error {
	found := svc.FindPersonalData(texts...)
	if len(found) == 0 {
		return nil
	}
	err := svc.personalDataError(subject, confirmed, found)
	if err == nil && !logConfirmed {
		return nil
	}
	rules := make([]string, 0, len(found))
	for _, f := range found {
		if !slices.Contains(rules, f.Rule) {
			rules = append(rules, f.Rule)
		}
	}
	var id int64
	if author != nil {
		id = author.ID
	}
	if err != nil {
		slog.InfoContext(ctx, "safeguarding: "+subjects[subject].log+" refused", "rule", strings.Join(rules, ","),
			"policy", string(svc.instance.Safeguarding), "account", id)
	} else {
		slog.InfoContext(ctx, "safeguarding: "+subjects[subject].log+" confirmed as not personal data", "rule", strings.Join(rules, ","),
			"account", id)
	}
	return err
}

// maxNamed is how many findings a message names; the rest are counted.
const maxNamed = 3

// personalDataError returns the error for found under the policy, or nil.
func (svc *Service) personalDataError(subject safeguardSubject, confirmed bool, found []SafeguardFinding) error {
	if len(found) == 0 {
		return nil
	}
	warn := svc.instance.Safeguarding == SafeguardWarn
	if warn && confirmed {
		return nil
	}
	s := subjects[subject]
	action := "Remove it and try again."
	if len(found) > 1 {
		action = "Remove them and try again."
	}
	if warn {
		action = "Remove it, or confirm it is not personal data."
		if len(found) > 1 {
			action = "Remove them, or confirm they are not personal data."
		}
	}
	msg := "Validation failed: " + s.this + " seems to contain " + DescribeFindings(found) + ". " + s.rule + " " + action
	return &PersonalDataError{Err: &Error{Code: EINVALID, Message: msg}, Findings: found, Confirmable: warn}
}

// DescribeFindings names what was found and where, for a message: "an
// NHS number (in the text, ending …19) and a phone number (in answer 2 of
// the poll)". It names three findings at most and counts the rest.
func DescribeFindings(found []SafeguardFinding) string {
	var parts []string
	for i, f := range found {
		if i == maxNamed {
			parts = append(parts, strconv.Itoa(len(found)-maxNamed)+" more")
			break
		}
		var about []string
		if f.Where != "" {
			about = append(about, "in "+f.Where)
		}
		if f.Ending != "" {
			about = append(about, "ending …"+f.Ending)
		}
		p := f.Label
		if len(about) > 0 {
			p += " (" + strings.Join(about, ", ") + ")"
		}
		parts = append(parts, p)
	}
	return joinAnd(parts)
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// postTexts are the texts of a new post to check.
func postTexts(in *NewStatus) []CheckedText {
	texts := []CheckedText{
		{Field: "status", Where: "the text", Text: in.Text},
		{Field: "spoiler_text", Where: "the content warning", Text: in.SpoilerText},
	}
	if in.Poll != nil {
		for i, o := range in.Poll.Options {
			texts = append(texts, CheckedText{Field: "poll[options][" + strconv.Itoa(i) + "]", Where: "answer " + strconv.Itoa(i+1) + " of the poll", Text: o})
		}
	}
	return texts
}

// profileTexts are the texts of a profile update to check. A detail is
// named by its label unless the label itself is what is found.
func (svc *Service) profileTexts(u *ProfileUpdate) []CheckedText {
	var texts []CheckedText
	if u.DisplayName != nil {
		texts = append(texts, CheckedText{Field: "display_name", Where: "the display name", Text: *u.DisplayName})
	}
	if u.Note != nil {
		texts = append(texts, CheckedText{Field: "note", Where: "the bio", Text: *u.Note})
	}
	if u.Fields != nil {
		for i, f := range *u.Fields {
			n := strconv.Itoa(i)
			where := "profile detail " + strconv.Itoa(i+1)
			if name := strings.TrimSpace(f.Name); name != "" && utf8.RuneCountInString(name) <= 40 && svc.safeguard.Scan(name) == nil {
				where = "the profile detail “" + name + "”"
			}
			texts = append(texts,
				CheckedText{Field: "fields_attributes[" + n + "][name]", Where: "the label of profile detail " + strconv.Itoa(i+1), Text: f.Name},
				CheckedText{Field: "fields_attributes[" + n + "][value]", Where: where, Text: f.Value})
		}
	}
	return texts
}

// editTexts are the texts an edit changes, to check. The descriptions are
// in the order of the attachments' IDs, so messages do not change from one
// try to the next.
func editTexts(c *StatusChange) []CheckedText {
	var texts []CheckedText
	if c.Text != nil {
		texts = append(texts, CheckedText{Field: "status", Where: "the text", Text: *c.Text})
	}
	if c.SpoilerText != nil {
		texts = append(texts, CheckedText{Field: "spoiler_text", Where: "the content warning", Text: *c.SpoilerText})
	}
	for _, id := range slices.Sorted(maps.Keys(c.Media)) {
		if d := c.Media[id].Description; d != nil {
			texts = append(texts, CheckedText{Field: "media_attributes[" + FormatID(id) + "][description]", Where: "an image description", Text: *d})
		}
	}
	return texts
}
