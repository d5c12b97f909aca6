package starling

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"time"
)

// Deleting an account (UK GDPR's right to erasure) happens in two steps.
// At once, in one transaction, the account is marked deleted: its profile
// and posts vanish from every read (accounts.deleted_at hides the account,
// statuses.author_deleted its posts, checked in filterReadableAs), its user
// cannot sign in, its tokens and sessions are revoked and its username is
// reserved for ever. A durable job then removes everything in small
// batches, through the same store path as deleting one post, so that
// others' counters, feeds and search rows are put right, and finally the
// user row, leaving the account row as a blank tombstone (see PurgeAccount).

// AccountDeletionStore marks accounts deleted and removes them bit by bit.
// Its writes run inside Update.
type AccountDeletionStore interface {
	// BeginAccountDeletion hides a local account at once: marks it and its
	// statuses deleted, disables its user, revokes its tokens, codes and
	// pending sign-ins, and reserves its username. ENOTFOUND if there is no
	// such local account or it is being deleted already.
	BeginAccountDeletion(ctx context.Context, id int64, at time.Time) error
	// LockDeletedAccount returns an account marked deleted, holding it so
	// that two workers never remove the same rows at once; ENOTFOUND once
	// it is purged (or was never marked).
	LockDeletedAccount(ctx context.Context, id int64) (*Account, error)
	// DeletedAccountStatusIDs returns up to limit IDs of the account's
	// statuses: its reblogs first, so that no reblog is deleted twice (once
	// with the post it carries).
	DeletedAccountStatusIDs(ctx context.Context, accountID int64, limit int) ([]int64, error)
	// AccountMedia returns up to limit of the account's attachments with
	// IDs above afterID, oldest first.
	AccountMedia(ctx context.Context, accountID, afterID int64, limit int) ([]*MediaAttachment, error)
	// DeleteMediaRecords deletes attachments' records (their files must be gone first).
	DeleteMediaRecords(ctx context.Context, ids []int64) error
	// DeleteAccountRows removes up to about limit rows that refer to the
	// account (follows both ways, favourites, bookmarks, votes,
	// notifications, lists, blocks, mutes, filters, feeds…), fixing the
	// counters of others, and returns how many; 0 when none are left.
	DeleteAccountRows(ctx context.Context, accountID int64, limit int) (int, error)
	// PurgeAccount ends a deletion: it deletes the user row (email,
	// password, second factor) and blanks the account row to a tombstone
	// that keeps only the ID and the reserved username. The tombstone is
	// what reports and moderation records about the account still point
	// to: a safeguarding concern must outlive the account it was about, or
	// deleting an account would be a way to escape a report.
	PurgeAccount(ctx context.Context, accountID int64) error
}

// AccountDeleteJob is the kind of the job that removes a deleted account.
const AccountDeleteJob = "account.delete"

type accountDeleteArgs struct {
	Account int64 `json:"account"`
}

// Batch sizes and time budget of the deletion job: each batch is one
// short transaction; a run stops after accountDeleteRun (well inside a
// job's lease) and hands on to a fresh job, so one large account never
// holds the worker for long.
const (
	accountDeleteStatuses = 100
	accountDeleteMedia    = 50
	accountDeleteRows     = 500
	accountDeleteLists    = 20
	accountDeleteRun      = 15 * time.Second
)

// DeleteOwnAccount deletes the signed-in member's own account after
// checking their password and, if they have two-factor sign-in on, a code
// from their app or a recovery code. Staff delete their own accounts this
// way too, except the last admin.
func (svc *Service) DeleteOwnAccount(ctx context.Context, a *Account, u *User, password, code string) error {
	if a == nil || u == nil || u.AccountID != a.ID {
		return Errorf(EUNAUTHORIZED, "This action requires a signed-in user")
	}
	ok, err := svc.passwords.Verify(u.PasswordHash, password)
	if err != nil {
		return err
	} else if !ok {
		return Errorf(EINVALID, "Current password is invalid")
	}
	on, err := svc.HasTwoFactor(ctx, a.ID)
	if err != nil {
		return err
	}
	if on {
		if err := svc.CheckTwoFactor(ctx, a.ID, code); err != nil {
			return err
		}
	}
	return svc.store.Update(ctx, func(tx Tx) error {
		if err := keepAnAdmin(ctx, tx, a.ID); err != nil {
			return err
		}
		return svc.beginAccountDeletion(ctx, tx, a.ID)
	})
}

// keepAnAdmin refuses to delete the community's last enabled admin, who
// must make someone else an admin first: the community must keep someone
// who can run it. It reads inside the deleting transaction, so two admins
// deleting themselves (or each other) at once do not both pass on SQLite,
// whose writers take turns; on PostgreSQL the window is the commit of the
// other transaction.
func keepAnAdmin(ctx context.Context, tx Tx, leaving int64) error {
	u, err := tx.User(ctx, leaving)
	if err != nil || u.Role != RoleAdmin {
		return err
	}
	admins, err := tx.AccountIDsWithRole(ctx, RoleAdmin) // enabled users only
	if err != nil {
		return err
	}
	if len(admins) <= 1 {
		return Errorf(EINVALID, "You are the only admin: make someone else an admin before you delete your account")
	}
	return nil
}

// DeleteAccount deletes someone else's account: staff only, with a reason
// that goes to the audit log ("account.delete"). Moderators may delete
// members' accounts; only admins may delete staff accounts. Staff cannot
// delete their own account here (DeleteOwnAccount asks for the password).
func (svc *Service) DeleteAccount(ctx context.Context, by *Account, byUser *User, accountID int64, reason string) error {
	if by == nil || byUser == nil || byUser.AccountID != by.ID || !byUser.IsStaff() || byUser.Disabled {
		return Errorf(EFORBIDDEN, "This action is not allowed")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Errorf(EINVALID, "Validation failed: Reason can't be blank")
	}
	if err := checkText("reason", reason, 1000); err != nil {
		return err
	}
	if accountID == by.ID {
		return Errorf(EINVALID, "Delete your own account from your settings")
	}
	return svc.store.Update(ctx, func(tx Tx) error {
		target, err := tx.User(ctx, accountID)
		if err != nil {
			return err
		}
		me, err := tx.User(ctx, by.ID) // read afresh, not the caller's copy
		if err != nil || me.Disabled || !me.IsStaff() {
			return Errorf(EFORBIDDEN, "This action is not allowed")
		}
		if target.HandlesReports() && me.Role != RoleAdmin { // staff and safeguarding leads, as ActOnAccount
			return Errorf(EFORBIDDEN, "Only admins may delete the accounts of staff and safeguarding leads")
		}
		if err := keepAnAdmin(ctx, tx, accountID); err != nil {
			return err
		}
		if err := svc.beginAccountDeletion(ctx, tx, accountID); err != nil {
			return err
		}
		return svc.audit(ctx, tx, by.ID, "account.delete", "account", accountID, reason)
	})
}

// beginAccountDeletion hides the account and enqueues the job that removes it.
func (svc *Service) beginAccountDeletion(ctx context.Context, tx Tx, id int64) error {
	now := svc.now()
	if err := tx.BeginAccountDeletion(ctx, id, now); err != nil {
		return err
	}
	return enqueueAccountDelete(ctx, tx, id, now)
}

func enqueueAccountDelete(ctx context.Context, tx Tx, id int64, at time.Time) error {
	args, err := json.Marshal(accountDeleteArgs{Account: id})
	if err != nil {
		return err
	}
	return tx.EnqueueJob(ctx, &Job{Kind: AccountDeleteJob, Args: args}, at, time.Time{})
}

// deleteAccountJob removes a deleted account: its statuses (as DeleteStatus
// does, so counters, feeds, reblogs, tags, search rows and polls are put
// right), its media files, every row that refers to it, and then the
// account. Every batch is its own transaction and safe to repeat: after a
// crash the job runs again and goes on from where it stopped.
func (svc *Service) deleteAccountJob(ctx context.Context, j *Job) error {
	var a accountDeleteArgs
	if err := json.Unmarshal(j.Args, &a); err != nil {
		return err
	}
	start := time.Now()
	for {
		done, err := svc.deleteAccountBatch(ctx, a.Account)
		if err != nil || done {
			return err
		}
		if time.Since(start) > accountDeleteRun {
			// Hand on: a new job goes on with the rest, this one is finished.
			return svc.store.Update(ctx, func(tx Tx) error { return enqueueAccountDelete(ctx, tx, a.Account, svc.now()) })
		}
	}
}

// deleteAccountBatch removes one batch of what is left of a deleted
// account and reports whether nothing is left.
func (svc *Service) deleteAccountBatch(ctx context.Context, id int64) (done bool, err error) {
	var media []*MediaAttachment
	err = svc.store.Update(ctx, func(tx Tx) error {
		done, media = false, nil
		acc, err := tx.LockDeletedAccount(ctx, id)
		if ErrorCode(err) == ENOTFOUND {
			done = true
			return nil
		} else if err != nil {
			return err
		}
		ids, err := tx.DeletedAccountStatusIDs(ctx, id, accountDeleteStatuses)
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			byID, err := tx.Statuses(ctx, ids)
			if err != nil {
				return err
			}
			for _, sid := range ids {
				if s := byID[sid]; s != nil {
					s.Account = acc // for the delete events streams send
					if err := tx.DeleteStatus(ctx, s); err != nil {
						return err
					}
				}
			}
			return nil
		}
		// The files go before their records: a crash in between leaves
		// records whose files are gone, which the next run deletes again.
		if media, err = tx.AccountMedia(ctx, id, 0, accountDeleteMedia); err != nil || len(media) > 0 {
			return err
		}
		// Lists go one by one through DeleteList, so feeds kept outside
		// the database (Redis) forget them too.
		lists, err := tx.Lists(ctx, id)
		if err != nil {
			return err
		}
		for i, l := range lists {
			if i == accountDeleteLists {
				return nil
			}
			if err := tx.DeleteList(ctx, l.ID); err != nil {
				return err
			}
		}
		if len(lists) > 0 {
			return nil
		}
		n, err := tx.DeleteAccountRows(ctx, id, accountDeleteRows)
		if err != nil || n > 0 {
			return err
		}
		// With no follows and no posts left this empties the home feed,
		// wherever it is kept.
		if err := tx.RebuildHome(ctx, id, 0); err != nil {
			return err
		}
		return tx.PurgeAccount(ctx, id)
	})
	if err != nil || len(media) == 0 {
		return done, err
	}
	if err := svc.deleteMediaFiles(ctx, media); err != nil {
		return false, err
	}
	ids := make([]int64, len(media))
	for i, m := range media {
		ids[i] = m.ID
	}
	return false, svc.store.Update(ctx, func(tx Tx) error { return tx.DeleteMediaRecords(ctx, ids) })
}

// deleteMediaFiles deletes the files of attachments; a file already gone
// is no error, any other failure is retried with the job.
func (svc *Service) deleteMediaFiles(ctx context.Context, media []*MediaAttachment) error {
	if svc.files == nil {
		return nil
	}
	for _, m := range media {
		for _, key := range []string{m.FileKey, m.PreviewKey} {
			if key == "" {
				continue
			}
			if err := svc.files.Delete(ctx, key); err != nil {
				slog.ErrorContext(ctx, "account deletion: delete media file", "media", m.ID, "err", err)
				return err
			}
		}
	}
	return nil
}
