package starling_test

import (
	"bytes"
	"context"
	"testing"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
)

// TestSubjectAccess: staff, and only staff, look up what Starling holds
// about a member and export their archive; each lookup and export is
// audited with its reason.
func TestSubjectAccess(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		e := mustDeletionEnv(t, engine)
		svc := e.svc
		staff, lead, sam, bob := apptest.MustAccount(t, svc, "staffer"), apptest.MustAccount(t, svc, "lead"), apptest.MustAccount(t, svc, "sam"), apptest.MustAccount(t, svc, "bob")
		setRole := func(a *starling.Account, role starling.Role) *starling.User { return mustUserRole(t, svc, a, role) }
		staffU, leadU, samU := setRole(staff, starling.RoleModerator), setRole(lead, starling.RoleSafeguardingLead), setRole(sam, "")
		MustFollow(t, svc, staff, bob) // staff's search reads bob's posts like anyone's
		MustPost(t, svc, sam, "My first post", starling.VisibilityPublic)
		mention := MustPost(t, svc, bob, "@sam see you at the meeting", starling.VisibilityPublic)
		dm := MustPost(t, svc, bob, "@sam this one is private", starling.VisibilityDirect)
		named := MustPost(t, svc, bob, "Ask sam about the rota", starling.VisibilityPublic)
		if _, err := svc.CreateReport(ctx, sam, starling.NewReport{AccountID: bob.ID, Comment: "Rude"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateReport(ctx, bob, starling.NewReport{AccountID: sam.ID, Comment: "Spam"}); err != nil {
			t.Fatal(err)
		}

		t.Run("Find", func(t *testing.T) {
			for _, who := range []string{"SAM", "@sam", "sam@example.org"} {
				a, err := svc.FindSubject(ctx, staff, staffU, who)
				if err != nil || a.ID != sam.ID {
					t.Errorf("find %q: %v, %v", who, a, err)
				}
			}
			if _, err := svc.FindSubject(ctx, staff, staffU, "nobody"); starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Errorf("find nobody: %v", err)
			}
		})
		for name, tc := range map[string]struct {
			by     *starling.Account
			byUser *starling.User
			reason string
			code   string
		}{
			"ErrMember":   {sam, samU, "curious", starling.EFORBIDDEN},
			"ErrLead":     {lead, leadU, "safeguarding", starling.EFORBIDDEN},
			"ErrNoReason": {staff, staffU, "  ", starling.EINVALID},
		} {
			t.Run(name, func(t *testing.T) {
				if _, err := svc.SubjectAccessLookup(ctx, tc.by, tc.byUser, sam.ID, tc.reason); starling.ErrorCode(err) != tc.code {
					t.Errorf("lookup: %v, want %s", err, tc.code)
				}
				if _, _, err := svc.SubjectAccessExport(ctx, tc.by, tc.byUser, sam.ID, tc.reason); starling.ErrorCode(err) != tc.code {
					t.Errorf("export: %v, want %s", err, tc.code)
				}
			})
		}
		t.Run("ErrModeratorOnLead", func(t *testing.T) {
			if _, err := svc.SubjectAccessLookup(ctx, staff, staffU, lead.ID, "SAR"); starling.ErrorCode(err) != starling.EFORBIDDEN {
				t.Errorf("a moderator looks up a safeguarding lead: %v", err)
			}
			if _, _, err := svc.SubjectAccessExport(ctx, staff, staffU, lead.ID, "SAR"); starling.ErrorCode(err) != starling.EFORBIDDEN {
				t.Errorf("a moderator exports a safeguarding lead: %v", err)
			}
		})
		t.Run("Lookup", func(t *testing.T) {
			sa, err := svc.SubjectAccessLookup(ctx, staff, staffU, sam.ID, "SAR received 30 Nov by email")
			if err != nil {
				t.Fatal(err)
			}
			if sa.User.Email != "sam@example.org" || sa.Counts["statuses"] != 1 || sa.Counts["reports_filed"] != 1 || sa.Counts["reports_about"] != 1 {
				t.Errorf("summary: %s, %v", sa.User.Email, sa.Counts)
			}
			if len(sa.ReportsBy) != 1 || sa.ReportsBy[0].Comment != "Rude" || len(sa.ReportsAbout) != 1 || sa.ReportsAbout[0].Comment != "Spam" {
				t.Errorf("reports by %v, about %v", sa.ReportsBy, sa.ReportsAbout)
			}
			if got := ids(sa.Mentioned); len(got) != 2 || got[0] != dm.ID || got[1] != mention.ID {
				t.Errorf("mentioned in %v, want the direct message and the public mention", got)
			}
			found := false
			for _, s := range sa.Named {
				found = found || s.ID == named.ID
			}
			if !found {
				t.Errorf("named in %v, want %d", ids(sa.Named), named.ID)
			}
			log, err := svc.AuditLog(ctx, staff, 5)
			if err != nil {
				t.Fatal(err)
			}
			if len(log) == 0 || log[0].Action != "subject_access.lookup" || log[0].TargetID != sam.ID || log[0].Reason != "SAR received 30 Nov by email" {
				t.Errorf("audit = %+v", log)
			}
			// The lookup itself shows in the next one.
			again, err := svc.SubjectAccessLookup(ctx, staff, staffU, sam.ID, "checking")
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Audit) != 2 || again.Audit[1].Action != "subject_access.lookup" || again.Audit[1].Actor == nil {
				t.Errorf("audit entries about sam: %+v", again.Audit)
			}
		})
		t.Run("Export", func(t *testing.T) {
			a, write, err := svc.SubjectAccessExport(ctx, staff, staffU, sam.ID, "SAR received 30 Nov by email")
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if a.ID != sam.ID || write(&buf) != nil {
				t.Fatal("no archive")
			}
			if files := readZip(t, buf.Bytes()); !bytes.Contains(files["posts.json"], []byte("My first post")) {
				t.Error("the export is not sam's archive")
			}
			log, _ := svc.AuditLog(ctx, staff, 1)
			if len(log) != 1 || log[0].Action != "subject_access.export" || log[0].TargetID != sam.ID {
				t.Errorf("audit = %+v", log)
			}
			// Staff exports do not use up the member's own allowance.
			if _, err := svc.DownloadArchive(ctx, sam, samU); err != nil {
				t.Errorf("sam's own download after staff's: %v", err)
			}
		})
	})
}
