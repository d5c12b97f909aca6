package starling_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"starling"
	"starling/apptest"
	"starling/diskmedia"
	"starling/imaging"
	"starling/safeguard"
	"starling/sqldb/sqldbtest"
)

// A valid NHS number (the one NHS Digital's documentation uses), and the
// same with a wrong check digit.
const (
	nhsNumber    = "943 476 5919"
	nhsDigits    = "9434765919"
	notNHSNumber = "943 476 5918"
)

// safeguardService is a service of the given policy with uploads to a
// temporary folder.
func safeguardService(t *testing.T, engine string, policy starling.SafeguardPolicy) *starling.Service {
	t.Helper()
	in := apptest.Instance()
	in.Safeguarding = policy
	svc, _ := apptest.MustService(t, engine, in)
	files, err := diskmedia.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc.SetMediaFiles(files, imaging.Processor{})
	return svc
}

// wantPersonalData checks err is the refusal of the safeguarding check
// with findings of rules in fields, and a message that names label and
// never holds the digits of nhsNumber.
func wantPersonalData(t *testing.T, err error, label string, confirmable bool, fields ...string) *starling.PersonalDataError {
	t.Helper()
	var pd *starling.PersonalDataError
	if !errors.As(err, &pd) {
		t.Fatalf("err = %v, want a *PersonalDataError", err)
	}
	if code := starling.ErrorCode(err); code != starling.EINVALID {
		t.Errorf("code %q, want EINVALID", code)
	}
	msg := starling.ErrorMessage(err)
	if !strings.Contains(msg, label) {
		t.Errorf("message %q does not name %q", msg, label)
	}
	if strings.Contains(msg, nhsNumber) || strings.Contains(msg, nhsDigits) || strings.Contains(msg, "476") {
		t.Errorf("message %q repeats the value", msg)
	}
	if pd.Confirmable != confirmable {
		t.Errorf("Confirmable = %v, want %v", pd.Confirmable, confirmable)
	}
	var got []string
	for _, f := range pd.Findings {
		got = append(got, f.Field)
	}
	if strings.Join(got, " ") != strings.Join(fields, " ") {
		t.Errorf("findings in %v, want %v", got, fields)
	}
	return pd
}

// TestSafeguardingBlocks: under the default policy, personal data is
// refused wherever a member publishes text (a post, its content warning, a
// poll answer, a direct message, an edit, an image description, a
// profile), nothing is stored, and the error says what and where without
// the value.
func TestSafeguardingBlocks(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc := safeguardService(t, engine, "") // "" is the default: block
		if p := svc.Instance().Safeguarding; p != starling.SafeguardBlock {
			t.Fatalf("default policy %q", p)
		}
		ann := apptest.MustAccount(t, svc, "ann")
		apptest.MustAccount(t, svc, "bob")

		text := "Mrs B's NHS number is " + nhsNumber + ", please update her record"
		_, err := svc.PostStatus(ctx, ann, starling.NewStatus{Text: text})
		pd := wantPersonalData(t, err, "an NHS number", false, "status")
		f := pd.Findings[0]
		if f.Rule != safeguard.NHSNumber || text[f.Start:f.End] != nhsNumber {
			t.Errorf("finding %+v: rule or offsets wrong (%q)", f, text[f.Start:f.End])
		}
		if msg := starling.ErrorMessage(err); !strings.Contains(msg, "in the text, ending …19") || !strings.HasPrefix(msg, "Validation failed: This post seems to contain") {
			t.Errorf("message %q", msg)
		}
		// Confirming changes nothing where the policy blocks.
		_, err = svc.PostStatus(ctx, ann, starling.NewStatus{Text: text, ConfirmPersonalData: true})
		wantPersonalData(t, err, "an NHS number", false, "status")

		// A ten-digit number whose check digit is wrong is no NHS number.
		if _, err := svc.PostStatus(ctx, ann, starling.NewStatus{Text: "Ticket " + notNHSNumber + " is closed"}); err != nil {
			t.Fatalf("a number that is no NHS number: %v", err)
		}

		_, err = svc.PostStatus(ctx, ann, starling.NewStatus{Text: "Update", SpoilerText: "re " + nhsNumber})
		wantPersonalData(t, err, "an NHS number", false, "spoiler_text")

		_, err = svc.PostStatus(ctx, ann, starling.NewStatus{Text: "Which one?",
			Poll: &starling.NewPoll{Options: []string{"Mr A", " NHS " + nhsNumber + " "}, ExpiresIn: time.Hour}})
		pd = wantPersonalData(t, err, "answer 2 of the poll", false, "poll[options][1]")
		if f := pd.Findings[0]; (" NHS " + nhsNumber + " ")[f.Start:f.End] != nhsNumber {
			t.Errorf("poll finding offsets %d-%d are not into the answer as sent", f.Start, f.End)
		}

		_, err = svc.PostStatus(ctx, ann, starling.NewStatus{Text: "@bob her NHS number is " + nhsDigits, Visibility: starling.VisibilityDirect})
		wantPersonalData(t, err, "an NHS number", false, "status")

		// Several findings are all named, in order.
		_, err = svc.PostStatus(ctx, ann, starling.NewStatus{Text: "Ring 0117 496 0123 or write to jo.bloggs@nhs.net about " + nhsNumber})
		pd = wantPersonalData(t, err, "a phone number (in the text, ending …23), an email address (in the text, ending …et) and an NHS number", false, "status", "status", "status")
		if pd.Findings[0].Rule != safeguard.Phone || pd.Findings[1].Rule != safeguard.Email {
			t.Errorf("findings %+v", pd.Findings)
		}

		if n, err := svc.AccountStatuses(ctx, ann, ann.ID, starling.AccountStatusesFilter{}, starling.Page{Limit: 40}); err != nil || len(n) != 1 {
			t.Fatalf("ann has %d posts (%v), want only the one without personal data", len(n), err)
		}

		// Edits.
		s, err := svc.PostStatus(ctx, ann, starling.NewStatus{Text: "Team meeting moved to Thursday"})
		if err != nil {
			t.Fatal(err)
		}
		edited := "Team meeting moved to Thursday; bring " + nhsNumber
		_, err = svc.EditStatus(ctx, ann, s.ID, starling.StatusChange{Text: &edited})
		wantPersonalData(t, err, "an NHS number", false, "status")
		if got, _ := svc.GetStatus(ctx, ann, s.ID); got.Text != "Team meeting moved to Thursday" || !got.EditedAt.IsZero() {
			t.Errorf("after a refused edit: %q edited %v", got.Text, got.EditedAt)
		}

		// Image descriptions: on upload, on change, and in an edit.
		_, err = svc.UploadMedia(ctx, ann, starling.MediaUpload{Body: bytes.NewReader(smallPNG(t)), Description: "Care plan of " + nhsNumber})
		pd = wantPersonalData(t, err, "an NHS number", false, "description")
		if msg := starling.ErrorMessage(err); !strings.Contains(msg, "This image description seems to contain") {
			t.Errorf("message %q", msg)
		}
		m, err := svc.UploadMedia(ctx, ann, starling.MediaUpload{Body: bytes.NewReader(smallPNG(t)), Description: "A garden"})
		if err != nil {
			t.Fatal(err)
		}
		bad := "A garden; resident " + nhsNumber
		_, err = svc.UpdateMedia(ctx, ann, m.ID, starling.MediaChange{Description: &bad})
		wantPersonalData(t, err, "an NHS number", false, "description")
		withImage, err := svc.PostStatus(ctx, ann, starling.NewStatus{Text: "Our garden", MediaIDs: []int64{m.ID}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.EditStatus(ctx, ann, withImage.ID, starling.StatusChange{Media: map[int64]starling.MediaChange{m.ID: {Description: &bad}}})
		wantPersonalData(t, err, "an image description", false, "media_attributes["+starling.FormatID(m.ID)+"][description]")
		if got, _ := svc.GetMedia(ctx, ann, m.ID); got.Description != "A garden" {
			t.Errorf("description %q after refused changes", got.Description)
		}

		// Profiles.
		name, bio := "Ann "+nhsNumber, "I support people in Leeds"
		_, err = svc.UpdateProfile(ctx, ann, starling.ProfileUpdate{DisplayName: &name, Note: &bio})
		wantPersonalData(t, err, "the display name", false, "display_name")
		bio = "Mr C, DOB 12/03/1941, moved in today"
		_, err = svc.UpdateProfile(ctx, ann, starling.ProfileUpdate{Note: &bio})
		wantPersonalData(t, err, "a date of birth (in the bio, ending …41)", false, "note")
		fields := []starling.Field{{Name: "Role", Value: "Carer"}, {Name: "Phone", Value: "07700 900123"}}
		_, err = svc.UpdateProfile(ctx, ann, starling.ProfileUpdate{Fields: &fields})
		wantPersonalData(t, err, "a phone number (in the profile detail “Phone”, ending …23)", false, "fields_attributes[1][value]")
		if a, _ := svc.Account(ctx, ann.ID); a.DisplayName != "" || a.Note != "" || len(a.Fields) != 0 {
			t.Errorf("profile changed by refused updates: %+v", a)
		}
	})
}

// TestSafeguardingWarn: where the policy warns, the same is refused
// unless the author confirms, and accepted when they do.
func TestSafeguardingWarn(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc := safeguardService(t, engine, starling.SafeguardWarn)
		ann := apptest.MustAccount(t, svc, "ann")

		text := "Our reference is " + nhsNumber
		_, err := svc.PostStatus(ctx, ann, starling.NewStatus{Text: text})
		wantPersonalData(t, err, "confirm it is not personal data", true, "status")
		s, err := svc.PostStatus(ctx, ann, starling.NewStatus{Text: text, ConfirmPersonalData: true})
		if err != nil || s.Text != text {
			t.Fatalf("confirmed post: %v", err)
		}

		edited := text + " (updated)"
		_, err = svc.EditStatus(ctx, ann, s.ID, starling.StatusChange{Text: &edited})
		wantPersonalData(t, err, "an NHS number", true, "status")
		if _, err := svc.EditStatus(ctx, ann, s.ID, starling.StatusChange{Text: &edited, ConfirmPersonalData: true}); err != nil {
			t.Fatalf("confirmed edit: %v", err)
		}

		desc := "Poster with " + nhsNumber
		_, err = svc.UploadMedia(ctx, ann, starling.MediaUpload{Body: bytes.NewReader(smallPNG(t)), Description: desc})
		wantPersonalData(t, err, "an NHS number", true, "description")
		m, err := svc.UploadMedia(ctx, ann, starling.MediaUpload{Body: bytes.NewReader(smallPNG(t)), Description: desc, ConfirmPersonalData: true})
		if err != nil {
			t.Fatalf("confirmed upload: %v", err)
		}
		if _, err := svc.UpdateMedia(ctx, ann, m.ID, starling.MediaChange{Description: &desc}); err == nil {
			t.Error("unconfirmed description change accepted")
		}
		if _, err := svc.UpdateMedia(ctx, ann, m.ID, starling.MediaChange{Description: &desc, ConfirmPersonalData: true}); err != nil {
			t.Errorf("confirmed description change: %v", err)
		}

		fields := []starling.Field{{Name: "Office", Value: "SW1A 1AA"}}
		_, err = svc.UpdateProfile(ctx, ann, starling.ProfileUpdate{Fields: &fields})
		wantPersonalData(t, err, "a postcode", true, "fields_attributes[0][value]")
		if a, err := svc.UpdateProfile(ctx, ann, starling.ProfileUpdate{Fields: &fields, ConfirmPersonalData: true}); err != nil || len(a.Fields) != 1 {
			t.Fatalf("confirmed profile: %v", err)
		}
	})
}

// TestSafeguardingOff: with the check off, nothing is refused.
func TestSafeguardingOff(t *testing.T) {
	ctx := context.Background()
	svc := safeguardService(t, "sqlite", starling.SafeguardOff)
	ann := apptest.MustAccount(t, svc, "ann")
	if _, err := svc.PostStatus(ctx, ann, starling.NewStatus{Text: "NHS " + nhsNumber}); err != nil {
		t.Fatal(err)
	}
	note := "Call 07700 900123"
	if _, err := svc.UpdateProfile(ctx, ann, starling.ProfileUpdate{Note: &note}); err != nil {
		t.Fatal(err)
	}
	if f := svc.FindPersonalData(starling.CheckedText{Field: "status", Text: nhsNumber}); f != nil {
		t.Errorf("FindPersonalData with the check off: %+v", f)
	}
}

// TestSafeguardingConfigured: an instance's own pattern is refused with
// its label, and allow-listed values (its switchboard number and office
// postcode, written any way) are not.
func TestSafeguardingConfigured(t *testing.T) {
	ctx := context.Background()
	svc := safeguardService(t, "sqlite", starling.SafeguardBlock)
	d, err := safeguard.New(safeguard.Config{
		Extra: []safeguard.Pattern{{Name: "case_ref", Label: "a case record number", Expr: `\bCR-?\d{6}\b`}},
		Allow: []string{"+44 (0)20 7946 0958", "sw1a 1aa"},
	})
	if err != nil {
		t.Fatal(err)
	}
	svc.SetSafeguard(d)
	ann := apptest.MustAccount(t, svc, "ann")
	if _, err := svc.PostStatus(ctx, ann, starling.NewStatus{Text: "Call the office on 020 7946 0958, or visit us at SW1A 1AA"}); err != nil {
		t.Fatalf("allow-listed values: %v", err)
	}
	text := "Notes for CR-123456 are on the system"
	_, err = svc.PostStatus(ctx, ann, starling.NewStatus{Text: text})
	pd := wantPersonalData(t, err, "This post seems to contain a case record number (in the text, ending …56)", false, "status")
	if f := pd.Findings[0]; f.Rule != "case_ref" || f.Label != "a case record number" || text[f.Start:f.End] != "CR-123456" {
		t.Errorf("finding %+v", f)
	}
	// The built-in rules still apply.
	_, err = svc.PostStatus(ctx, ann, starling.NewStatus{Text: "Or ring 020 7946 0000"})
	wantPersonalData(t, err, "a phone number", false, "status")

	svc.SetSafeguard(nil) // back to the built-in rules
	_, err = svc.PostStatus(ctx, ann, starling.NewStatus{Text: "Call the office on 020 7946 0958"})
	wantPersonalData(t, err, "a phone number", false, "status")
}

// TestSafeguardingNeverLogged: a refused or confirmed post logs which rule
// fired, never the value.
func TestSafeguardingNeverLogged(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&lockedWriter{&mu, &buf}, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })

	ctx := context.Background()
	for _, policy := range []starling.SafeguardPolicy{starling.SafeguardBlock, starling.SafeguardWarn} {
		svc := safeguardService(t, "sqlite", policy)
		ann := apptest.MustAccount(t, svc, "ann")
		text := "NHS number " + nhsNumber + ", DOB 12/03/1941"
		if _, err := svc.PostStatus(ctx, ann, starling.NewStatus{Text: text}); err == nil {
			t.Fatalf("%s: accepted", policy)
		}
		_, _ = svc.PostStatus(ctx, ann, starling.NewStatus{Text: text, ConfirmPersonalData: true})
		note := "07700 900123"
		_, _ = svc.UpdateProfile(ctx, ann, starling.ProfileUpdate{Note: &note})
	}
	mu.Lock()
	logs := buf.String()
	mu.Unlock()
	if !strings.Contains(logs, "safeguarding: post refused") || !strings.Contains(logs, "rule=nhs_number,date_of_birth") ||
		!strings.Contains(logs, "safeguarding: post confirmed") || !strings.Contains(logs, "safeguarding: profile refused") {
		t.Errorf("the log does not say which rules fired:\n%s", logs)
	}
	for _, v := range []string{nhsNumber, nhsDigits, "5919", "12/03/1941", "1941", "07700", "900123"} {
		if strings.Contains(logs, v) {
			t.Errorf("the log holds %q:\n%s", v, logs)
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestSafeguardingPolicy: the policy names parse, "" is block.
func TestSafeguardingPolicy(t *testing.T) {
	for in, want := range map[string]starling.SafeguardPolicy{"": starling.SafeguardBlock, "block": starling.SafeguardBlock,
		"warn": starling.SafeguardWarn, "off": starling.SafeguardOff} {
		if got, err := starling.ParseSafeguardPolicy(in); got != want || err != nil {
			t.Errorf("ParseSafeguardPolicy(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := starling.ParseSafeguardPolicy("strict"); err == nil {
		t.Error(`"strict" accepted`)
	}
}
