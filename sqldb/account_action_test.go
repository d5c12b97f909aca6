package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/sqldb/sqldbtest"
)

// TestAccountModerationStore: moderation times round-trip and reach the
// row cache at once; warnings keep their posts and appeal; the staff list
// pages both ways and filters; an account's tokens go in one statement;
// two moderation_warning notifications of one member both stay.
func TestAccountModerationStore(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := newFixture(t, engine)
		ann, bob, cat := f.MustCreateAccount("ann"), f.MustCreateAccount("bob"), f.MustCreateAccount("cat")

		if _, err := f.db.Account(ctx, bob.ID); err != nil { // now cached
			t.Fatal(err)
		}
		bob.SilencedAt, bob.SuspendedAt = f.now.Truncate(time.Millisecond), f.now.Add(time.Second).Truncate(time.Millisecond)
		f.update(func(tx starling.Tx) error { return tx.SetAccountModeration(ctx, bob) })
		got, err := f.db.Account(ctx, bob.ID)
		if err != nil || !got.SilencedAt.Equal(bob.SilencedAt) || !got.SuspendedAt.Equal(bob.SuspendedAt) || got.Sensitized() {
			t.Fatalf("after moderation: %+v, %v", got, err)
		}
		if err := f.db.Update(ctx, func(tx starling.Tx) error { return tx.SetAccountModeration(ctx, &starling.Account{ID: 999}) }); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("unknown account: %v", err)
		}

		w1 := &starling.AccountWarning{ID: f.id(), AccountID: bob.ID, ActorID: ann.ID, Action: starling.ActionSilence, Text: "Spam", StatusIDs: []int64{5, 7}, CreatedAt: f.now}
		w2 := &starling.AccountWarning{ID: f.id(), AccountID: bob.ID, ActorID: ann.ID, Action: starling.ActionWarn, Text: "Again", StatusIDs: []int64{}, ReportID: 42, CreatedAt: f.now}
		for _, w := range []*starling.AccountWarning{w1, w2} {
			f.update(func(tx starling.Tx) error {
				if err := tx.CreateWarning(ctx, w); err != nil {
					return err
				}
				ok, err := tx.CreateNotification(ctx, &starling.Notification{ID: w.ID, AccountID: bob.ID, FromAccountID: bob.ID, Type: starling.NotifyModerationWarning, CreatedAt: f.now})
				if !ok && err == nil {
					t.Errorf("warning %d: notification not created", w.ID)
				}
				return err
			})
		}
		f.update(func(tx starling.Tx) error { return tx.AppealWarning(ctx, w1.ID, "No", f.now) })
		list, err := f.db.AccountWarnings(ctx, bob.ID, 10)
		if err != nil || len(list) != 2 {
			t.Fatalf("warnings: %d, %v", len(list), err)
		}
		w1.AppealText, w1.AppealedAt = "No", f.now
		if diff := cmp.Diff([]*starling.AccountWarning{w2, w1}, list); diff != "" {
			t.Errorf("warnings (-want +got):\n%s", diff)
		}
		notes, err := f.db.Notifications(ctx, bob.ID, starling.NotificationFilter{}, starling.Page{Limit: 10})
		if err != nil || len(notes) != 2 {
			t.Errorf("moderation_warning notifications: %d, %v", len(notes), err)
		}

		// The staff list, newest first, by pages of one both ways.
		all, err := f.db.AdminAccounts(ctx, starling.AdminAccountFilter{}, starling.Page{Limit: 10})
		if err != nil || len(all) != 3 || all[0].Account.ID != cat.ID || all[0].User == nil || all[0].User.Email != "cat@example.org" {
			t.Fatalf("all: %+v, %v", all, err)
		}
		older, err := f.db.AdminAccounts(ctx, starling.AdminAccountFilter{}, starling.Page{Limit: 1, MaxID: cat.ID})
		if err != nil || len(older) != 1 || older[0].Account.ID != bob.ID {
			t.Errorf("max_id page: %+v, %v", older, err)
		}
		newer, err := f.db.AdminAccounts(ctx, starling.AdminAccountFilter{}, starling.Page{Limit: 2, MinID: ann.ID})
		if err != nil || len(newer) != 2 || newer[0].Account.ID != cat.ID || newer[1].Account.ID != bob.ID {
			t.Errorf("min_id page: %+v, %v", newer, err)
		}
		for name, tc := range map[string]struct {
			f    starling.AdminAccountFilter
			want int
		}{
			"suspended":    {starling.AdminAccountFilter{Status: "suspended"}, 1},
			"silenced":     {starling.AdminAccountFilter{Status: "silenced"}, 1},
			"active":       {starling.AdminAccountFilter{Status: "active"}, 2},
			"display name": {starling.AdminAccountFilter{DisplayName: "%"}, 0}, // wildcards are literal
			"email":        {starling.AdminAccountFilter{Email: "B@EXAMPLE"}, 1},
		} {
			l, err := f.db.AdminAccounts(ctx, tc.f, starling.Page{Limit: 10})
			if err != nil || len(l) != tc.want {
				t.Errorf("%s: %d accounts, %v; want %d", name, len(l), err, tc.want)
			}
		}

		tok := &starling.Token{ID: f.id(), TokenHash: "h1", ApplicationID: 0, AccountID: bob.ID, Scopes: []string{"read"}, CreatedAt: f.now}
		app := &starling.Application{ID: f.id(), Name: "app", ClientID: "c", ClientSecretHash: "s", RedirectURIs: []string{starling.OOBRedirectURI}, Scopes: starling.Scopes{"read"}, CreatedAt: f.now}
		tok.ApplicationID = app.ID
		f.update(func(tx starling.Tx) error {
			if err := tx.CreateApplication(ctx, app); err != nil {
				return err
			}
			return tx.CreateToken(ctx, tok)
		})
		f.update(func(tx starling.Tx) error { return tx.DeleteAccountTokens(ctx, bob.ID) })
		if toks, err := f.db.AccountTokens(ctx, bob.ID); err != nil || len(toks) != 0 {
			t.Errorf("tokens after deleting: %d, %v", len(toks), err)
		}
	})
}

// TestRuleStore: rules upsert and keep their order; texts upsert.
func TestRuleStore(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := newFixture(t, engine)
		a := &starling.Rule{ID: f.id(), Position: 1, Text: "Second", CreatedAt: f.now, UpdatedAt: f.now}
		b := &starling.Rule{ID: f.id(), Position: 0, Text: "First", Hint: "why", CreatedAt: f.now, UpdatedAt: f.now}
		f.update(func(tx starling.Tx) error {
			for _, r := range []*starling.Rule{a, b} {
				if err := tx.PutRule(ctx, r); err != nil {
					return err
				}
			}
			a.Text = "Second, edited"
			return tx.PutRule(ctx, a)
		})
		list, err := f.db.Rules(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]*starling.Rule{b, a}, list); diff != "" {
			t.Errorf("rules (-want +got):\n%s", diff)
		}
		if err := f.db.Update(ctx, func(tx starling.Tx) error { return tx.DeleteRule(ctx, 12345) }); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("delete unknown rule: %v", err)
		}
		if _, err := f.db.InstanceText(ctx, starling.TextTerms); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("unwritten text: %v", err)
		}
		for _, body := range []string{"one", "two"} {
			f.update(func(tx starling.Tx) error {
				return tx.PutInstanceText(ctx, &starling.InstanceText{Name: starling.TextTerms, Body: body, UpdatedAt: f.now})
			})
		}
		if got, err := f.db.InstanceText(ctx, starling.TextTerms); err != nil || got.Body != "two" || !got.UpdatedAt.Equal(f.now) {
			t.Errorf("text: %+v, %v", got, err)
		}
	})
}
