package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	gomastodon "github.com/mattn/go-mastodon"

	"starling"
	"starling/sqldb/sqldbtest"
)

// TestReportsAPI files reports through an unmodified client library and
// over plain HTTP, and works the admin queue as staff; members and tokens
// without admin scopes are refused.
func TestReportsAPI(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		ts := MustServer(t, engine)
		ann, bob, mod := ts.MustUser(t, "ann"), ts.MustUser(t, "bob"), ts.MustUser(t, "mod")
		u, err := ts.DB.User(ctx, mod.Account.ID)
		if err != nil {
			t.Fatal(err)
		}
		u.Role = starling.RoleModerator
		if err := ts.DB.Update(ctx, func(tx starling.Tx) error { return tx.UpdateUser(ctx, u) }); err != nil {
			t.Fatal(err)
		}
		post1 := ts.MustPostText(t, bob.Token, "Buy cheap followers")
		post2 := ts.MustPostText(t, bob.Token, "Concerning post about a resident")

		client := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: ann.Token})
		rep, err := client.Report(ctx, gomastodon.ID(bob.ID()), []gomastodon.ID{gomastodon.ID(post1.ID)}, "spam")
		if err != nil || rep.ID == "" || rep.ActionTaken {
			t.Fatalf("report = %+v, %v", rep, err)
		}

		var sg struct {
			ID            string   `json:"id"`
			Category      string   `json:"category"`
			StatusIDs     []string `json:"status_ids"`
			RuleIDs       []string `json:"rule_ids"`
			ActionTakenAt *string  `json:"action_taken_at"`
			TargetAccount struct {
				ID string `json:"id"`
			} `json:"target_account"`
		}
		ts.MustCall(t, request{method: "POST", path: "/api/v1/reports", token: ann.Token, json: map[string]any{
			"account_id": bob.ID(), "status_ids": []string{post2.ID}, "category": "safeguarding", "comment": "please look", "forward": true,
		}}, http.StatusOK, &sg)
		if sg.Category != "safeguarding" || len(sg.StatusIDs) != 1 || sg.StatusIDs[0] != post2.ID || sg.RuleIDs == nil || sg.ActionTakenAt != nil || sg.TargetAccount.ID != bob.ID() {
			t.Errorf("safeguarding report = %+v", sg)
		}
		// The held post is gone for others, there for its author.
		ts.MustError(t, get("/api/v1/statuses/"+post2.ID, ann.Token), http.StatusNotFound)
		ts.MustCall(t, get("/api/v1/statuses/"+post2.ID, mod.Token), http.StatusOK, nil) // staff see it
		ts.MustCall(t, get("/api/v1/statuses/"+post2.ID, bob.Token), http.StatusOK, nil)

		// Bad input.
		for name, form := range map[string]url.Values{
			"self":       {"account_id": {bob.ID()}},
			"category":   {"account_id": {bob.ID()}, "category": {"rude"}},
			"rules":      {"account_id": {bob.ID()}, "rule_ids[]": {"1"}},
			"not theirs": {"account_id": {ann.ID()}, "status_ids[]": {post1.ID}},
			"no account": {},
		} {
			t.Run(name, func(t *testing.T) {
				ts.MustError(t, post("/api/v1/reports", bob.Token, form), http.StatusUnprocessableEntity)
			})
		}
		ts.MustError(t, post("/api/v1/reports", ann.Token, url.Values{"account_id": {"99999999"}}), http.StatusNotFound)
		readOnly := ts.MustTokenFor(t, ann.Account.ID, "read")
		ts.MustError(t, post("/api/v1/reports", readOnly, url.Values{"account_id": {bob.ID()}}), http.StatusForbidden)

		// The admin API: staff with admin scopes only.
		adminToken := ts.MustTokenFor(t, mod.Account.ID, "admin:read:reports", "admin:write:reports")
		ts.MustError(t, get("/api/v1/admin/reports", mod.Token), http.StatusForbidden) // no admin scope
		memberAdmin := ts.MustTokenFor(t, ann.Account.ID, "admin:read", "admin:write")
		ts.MustError(t, get("/api/v1/admin/reports", memberAdmin), http.StatusForbidden)
		ts.MustError(t, post("/api/v1/admin/reports/"+sg.ID+"/resolve", memberAdmin, nil), http.StatusForbidden)

		admin := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: adminToken})
		open, err := admin.GetAdminReports(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(open) != 2 || string(open[0].ID) != sg.ID || open[0].Category != "safeguarding" || len(open[0].Statuses) != 1 ||
			open[0].TargetAccount == nil || string(open[0].TargetAccount.ID) != bob.ID() {
			t.Fatalf("open reports = %+v", open)
		}
		one, err := admin.GetAdminReport(ctx, rep.ID)
		if err != nil || one.Comment != "spam" || one.ActionTaken {
			t.Fatalf("report = %+v, %v", one, err)
		}
		done, err := admin.AdminReportResolve(ctx, gomastodon.ID(sg.ID))
		if err != nil || !done.ActionTaken || done.ActionTakenAt == nil {
			t.Fatalf("resolve = %+v, %v", done, err)
		}
		ts.MustCall(t, get("/api/v1/statuses/"+post2.ID, ann.Token), http.StatusOK, nil) // the hold is lifted
		var resolved []struct {
			ID string `json:"id"`
		}
		ts.MustCall(t, get("/api/v1/admin/reports?resolved=true", adminToken), http.StatusOK, &resolved)
		if len(resolved) != 1 || resolved[0].ID != sg.ID {
			t.Errorf("resolved = %+v", resolved)
		}
		again, err := admin.AdminReportReopen(ctx, gomastodon.ID(sg.ID))
		if err != nil || again.ActionTaken {
			t.Fatalf("reopen = %+v, %v", again, err)
		}
		ts.MustError(t, get("/api/v1/statuses/"+post2.ID, ann.Token), http.StatusNotFound) // held again
		ts.MustError(t, get("/api/v1/admin/reports/99999999", adminToken), http.StatusNotFound)
	})
}
