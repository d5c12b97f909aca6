package starling_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"starling"
	"starling/apptest"
	"starling/sqldb"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

// TestVisitorsReadReplica: with a read replica, visitors' public and
// profile timelines come from it, members' from the primary. The replica
// here is a snapshot of the primary (CREATE DATABASE … TEMPLATE) that
// stops following it, so what each read shows tells where it went.
func TestVisitorsReadReplica(t *testing.T) {
	ctx := context.Background()
	primary := sqldbtest.MustDSN(t, "postgres")
	in := apptest.Instance()
	db, err := sqldb.Open(ctx, primary, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, nil)
	ann, bob := apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "bob")
	before := MustPost(t, svc, ann, "before the snapshot", starling.VisibilityPublic)
	db.Close() // a template must have no connections

	u, _ := url.Parse(primary)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "starling_test_replica_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", os.Getenv(sqldbtest.PostgresEnv))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + u.Path[1:]); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`) })
	u.Path = "/" + name

	if db, err = sqldb.Open(ctx, primary, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.AddReplica(ctx, u.String()); err != nil {
		t.Fatal(err)
	}
	svc = starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, nil)
	svc.SetReplica(db.Replica())
	after := MustPost(t, svc, ann, "after the snapshot", starling.VisibilityPublic)

	for name, read := range map[string]func(*starling.Account) ([]*starling.Status, error){
		"public": func(v *starling.Account) ([]*starling.Status, error) {
			return svc.PublicTimeline(ctx, v, starling.PublicFilter{}, starling.Page{})
		},
		"profile": func(v *starling.Account) ([]*starling.Status, error) {
			return svc.AccountStatuses(ctx, v, ann.ID, starling.AccountStatusesFilter{}, starling.Page{})
		},
	} {
		visitor, err := read(nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(visitor); len(got) != 1 || got[0] != before.ID {
			t.Errorf("%s timeline for a visitor = %v, want the replica's [%d]", name, got, before.ID)
		}
		member, err := read(bob)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(member); len(got) != 2 || got[0] != after.ID {
			t.Errorf("%s timeline for a member = %v, want the primary's [%d %d]", name, got, after.ID, before.ID)
		}
	}
	if err := db.AddReplica(ctx, "postgres://127.0.0.1:1/none?connect_timeout=1"); err == nil {
		t.Error("a second replica URL was taken")
	}
}
