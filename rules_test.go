package starling_test

import (
	"context"
	"testing"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
)

// TestRules: staff keep the rules in order; members cannot; a report of a
// violation must cite existing rules.
func TestRules(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, db := apptest.MustService(t, engine, apptest.Instance())
		mod, ann, bob := apptest.MustAccount(t, svc, "mod"), apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "bob")
		mustRole(t, db, mod, starling.RoleModerator)
		if _, err := svc.SaveRule(ctx, ann, starling.Rule{Text: "No spam"}); starling.ErrorCode(err) != starling.EFORBIDDEN {
			t.Errorf("member adds a rule: %v", err)
		}
		if _, err := svc.SaveRule(ctx, mod, starling.Rule{Text: "  "}); starling.ErrorCode(err) != starling.EINVALID {
			t.Errorf("blank rule: %v", err)
		}
		var rules []*starling.Rule
		for _, text := range []string{"Be kind", "No spam", "No patient details"} {
			r, err := svc.SaveRule(ctx, mod, starling.Rule{Text: text, Hint: "Why: " + text})
			if err != nil {
				t.Fatal(err)
			}
			rules = append(rules, r)
		}
		if err := svc.MoveRule(ctx, mod, rules[2].ID, -1); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SaveRule(ctx, mod, starling.Rule{ID: rules[0].ID, Text: "Be kind to each other"}); err != nil {
			t.Fatal(err)
		}
		if err := svc.DeleteRule(ctx, mod, rules[1].ID); err != nil {
			t.Fatal(err)
		}
		got, err := svc.Rules(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, r := range got {
			texts = append(texts, r.Text)
		}
		// After the four rules every community starts with.
		if len(texts) != 6 || texts[4] != "Be kind to each other" || texts[5] != "No patient details" {
			t.Errorf("rules: %q", texts)
		}

		keep := starling.FormatID(rules[2].ID)
		for name, tc := range map[string]struct {
			in   starling.NewReport
			want string
		}{
			"violation without rules": {starling.NewReport{AccountID: bob.ID, Category: starling.ReportViolation}, starling.EINVALID},
			"deleted rule":            {starling.NewReport{AccountID: bob.ID, Category: starling.ReportViolation, RuleIDs: []string{starling.FormatID(rules[1].ID)}}, starling.EINVALID},
			"not a rule":              {starling.NewReport{AccountID: bob.ID, Category: starling.ReportSpam, RuleIDs: []string{"12"}}, starling.EINVALID},
			"violation":               {starling.NewReport{AccountID: bob.ID, Category: starling.ReportViolation, RuleIDs: []string{keep, keep}}, ""},
		} {
			r, err := svc.CreateReport(ctx, ann, tc.in)
			if starling.ErrorCode(err) != tc.want {
				t.Errorf("%s: got %v, want %q", name, err, tc.want)
			}
			if err == nil && (len(r.RuleIDs) != 1 || r.RuleIDs[0] != keep) {
				t.Errorf("%s: rule IDs %q", name, r.RuleIDs)
			}
		}

		// The terms: unset until an admin writes them; moderators cannot.
		terms, err := svc.InstanceText(ctx, starling.TextTerms)
		if err != nil || terms.Set() {
			t.Fatalf("terms before: %+v, %v", terms, err)
		}
		if _, err := svc.SetInstanceText(ctx, mod, starling.TextTerms, "Be good"); starling.ErrorCode(err) != starling.EFORBIDDEN {
			t.Errorf("moderator writes the terms: %v", err)
		}
		admin := apptest.MustAccount(t, svc, "admin")
		mustRole(t, db, admin, starling.RoleAdmin)
		if _, err := svc.SetInstanceText(ctx, admin, starling.TextPrivacy, "We keep\r\n\r\nlittle."); err != nil {
			t.Fatal(err)
		}
		p, err := svc.InstanceText(ctx, starling.TextPrivacy)
		if err != nil || !p.Set() || p.Body != "We keep\n\nlittle." {
			t.Errorf("privacy: %+v, %v", p, err)
		}
	})
}
