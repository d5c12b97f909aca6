package sqldb_test

import (
	"context"
	"testing"
	"time"

	"starling"
	"starling/sqldb/sqldbtest"
)

// TestAccountDeletionStore: marking an account deleted hides it from the
// account reads and flags its statuses; its name stays reserved in any
// case; the row deletes run in bounded batches and, run again, find nothing.
func TestAccountDeletionStore(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := newFixture(t, engine)
		del, bob := f.MustCreateAccount("Del"), f.MustCreateAccount("bob")
		f.MustFollow(bob, del)
		f.MustFollow(del, bob)
		s := f.MustPost(del, starling.VisibilityPublic)
		bobPost := f.MustPost(bob, starling.VisibilityPublic)
		f.update(func(tx starling.Tx) error {
			_, err := tx.Favourite(ctx, f.id(), del.ID, bobPost.ID, f.now)
			return err
		})
		f.update(func(tx starling.Tx) error { return tx.BeginAccountDeletion(ctx, del.ID, f.now) })

		t.Run("Hidden", func(t *testing.T) {
			if _, err := f.db.Account(ctx, del.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Errorf("Account: %v", err)
			}
			if _, err := f.db.AccountByUsername(ctx, "DEL", ""); starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Errorf("AccountByUsername: %v", err)
			}
			if found, _ := f.db.SearchAccounts(ctx, "de", 10, 0); len(found) != 0 {
				t.Errorf("SearchAccounts found %d", len(found))
			}
			got, err := f.db.Status(ctx, s.ID)
			if err != nil || !got.AuthorDeleted {
				t.Errorf("status: %+v, %v; want it flagged", got, err)
			}
			// A post written as the deletion began (a request already in
			// flight) is flagged as it is stored.
			late := f.MustPost(del, starling.VisibilityPublic)
			if got, err := f.db.Status(ctx, late.ID); err != nil || !got.AuthorDeleted {
				t.Errorf("a post stored after the deletion began: %+v, %v; want it flagged", got, err)
			}
			if u, err := f.db.User(ctx, del.ID); err != nil || !u.Disabled {
				t.Errorf("user: %+v, %v; want disabled", u, err)
			}
		})
		t.Run("NotPending", func(t *testing.T) {
			pending := &starling.Account{ID: f.id(), Username: "waiting", CreatedAt: f.now, UpdatedAt: f.now}
			f.update(func(tx starling.Tx) error {
				return tx.CreateAccount(ctx, pending, &starling.User{AccountID: pending.ID, Email: "waiting@example.org", PasswordHash: "x", Role: starling.RoleUser, CreatedAt: f.now})
			})
			f.update(func(tx starling.Tx) error { return tx.BeginAccountDeletion(ctx, pending.ID, f.now) })
			if list, err := f.db.PendingUsers(ctx, 10); err != nil || len(list) != 0 {
				t.Errorf("pending users: %d (%v), want the deleted sign-up left out", len(list), err)
			}
		})
		t.Run("ErrTwice", func(t *testing.T) {
			err := f.db.Update(ctx, func(tx starling.Tx) error { return tx.BeginAccountDeletion(ctx, del.ID, f.now) })
			if starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("NameReserved", func(t *testing.T) {
			for _, name := range []string{"del", "DEL"} {
				a := &starling.Account{ID: f.id(), Username: name, CreatedAt: f.now, UpdatedAt: f.now}
				u := &starling.User{AccountID: a.ID, Email: name + "2@example.org", PasswordHash: "x", Role: starling.RoleUser, CreatedAt: f.now}
				err := f.db.Update(ctx, func(tx starling.Tx) error { return tx.CreateAccount(ctx, a, u) })
				if starling.ErrorCode(err) != starling.EINVALID {
					t.Errorf("create %s: %v, want EINVALID", name, err)
				}
			}
		})
		t.Run("Batches", func(t *testing.T) {
			f.update(func(tx starling.Tx) error {
				ids, err := tx.DeletedAccountStatusIDs(ctx, del.ID, 10)
				if err != nil {
					return err
				}
				for _, id := range ids {
					st, err := tx.Status(ctx, id)
					if err != nil {
						return err
					}
					if err := tx.DeleteStatus(ctx, st); err != nil {
						return err
					}
				}
				return nil
			})
			var n1, n2, n3 int
			f.update(func(tx starling.Tx) (err error) { n1, err = tx.DeleteAccountRows(ctx, del.ID, 2); return err })
			f.update(func(tx starling.Tx) (err error) { n2, err = tx.DeleteAccountRows(ctx, del.ID, 100); return err })
			f.update(func(tx starling.Tx) (err error) { n3, err = tx.DeleteAccountRows(ctx, del.ID, 100); return err })
			if n1 != 2 || n2 == 0 || n3 != 0 {
				t.Errorf("batches removed %d, %d, %d rows; want 2 (the limit), some, none", n1, n2, n3)
			}
			var b *starling.Account
			var p *starling.Status
			f.update(func(tx starling.Tx) (err error) {
				if b, err = tx.Account(ctx, bob.ID); err == nil {
					p, err = tx.Status(ctx, bobPost.ID)
				}
				return err
			})
			if b.FollowersCount != 0 || b.FollowingCount != 0 || p.FavouritesCount != 0 {
				t.Errorf("bob: %d followers, %d following, post %d favourites; want 0", b.FollowersCount, b.FollowingCount, p.FavouritesCount)
			}
			f.update(func(tx starling.Tx) error { return tx.PurgeAccount(ctx, del.ID) })
			err := f.db.Update(ctx, func(tx starling.Tx) error { _, err := tx.LockDeletedAccount(ctx, del.ID); return err })
			if starling.ErrorCode(err) != starling.ENOTFOUND {
				t.Errorf("after purge: %v", err)
			}
		})
	})
}

// TestStartArchiveDownload: one download per window per account.
func TestStartArchiveDownload(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := newFixture(t, engine)
		a := f.MustCreateAccount("ann")
		t0 := f.now
		for _, tc := range []struct {
			at   time.Time
			want bool
		}{{t0, true}, {t0.Add(5 * time.Minute), false}, {t0.Add(10 * time.Minute), true}, {t0.Add(11 * time.Minute), false}} {
			var ok bool
			f.update(func(tx starling.Tx) (err error) {
				ok, err = tx.StartArchiveDownload(ctx, a.ID, tc.at, tc.at.Add(-10*time.Minute))
				return err
			})
			if ok != tc.want {
				t.Errorf("download at %v: %v, want %v", tc.at.Sub(t0), ok, tc.want)
			}
		}
	})
}
