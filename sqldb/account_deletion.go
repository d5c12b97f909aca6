package sqldb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"starling"
)

// checkUsernameFree refuses a local username that a deleted account held:
// it stays reserved for ever, case-insensitively.
func (q *queries) checkUsernameFree(ctx context.Context, username string) error {
	var n int
	if err := q.q.QueryRowContext(ctx, `SELECT count(*) FROM reserved_usernames WHERE username = $1`, strings.ToLower(username)).Scan(&n); err != nil {
		return fmt.Errorf("reserved usernames: %w", err)
	}
	if n > 0 {
		return starling.Errorf(starling.EINVALID, "Validation failed: Username has already been taken")
	}
	return nil
}

// BeginAccountDeletion implements starling.AccountDeletionStore.
func (q *queries) BeginAccountDeletion(ctx context.Context, id int64, at time.Time) error {
	if q.touch != nil {
		q.touch.all = true // the account and all its statuses change
	}
	n, err := q.exec(ctx, `UPDATE accounts SET deleted_at = $2, discoverable = FALSE WHERE id = $1 AND domain = '' AND deleted_at = 0`, id, ms(at))
	if err != nil {
		return fmt.Errorf("mark account deleted: %w", err)
	} else if n == 0 {
		return starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	for _, stmt := range []string{
		`UPDATE users SET disabled = TRUE WHERE account_id = $1`,
		`UPDATE statuses SET author_deleted = TRUE WHERE account_id = $1`,
		`DELETE FROM tokens WHERE account_id = $1`,
		`DELETE FROM auth_codes WHERE account_id = $1`,
		`DELETE FROM pending_sign_ins WHERE account_id = $1`,
	} {
		if _, err := q.q.ExecContext(ctx, stmt, id); err != nil {
			return fmt.Errorf("mark account deleted: %w", err)
		}
	}
	_, err = q.q.ExecContext(ctx, `INSERT INTO reserved_usernames (username, account_id, created_at)
		SELECT lower(username), id, $2 FROM accounts WHERE id = $1 ON CONFLICT DO NOTHING`, id, ms(at))
	if err != nil {
		return fmt.Errorf("reserve username: %w", err)
	}
	return nil
}

// LockDeletedAccount implements starling.AccountDeletionStore. The no-op
// update takes the row's write lock on PostgreSQL (SQLite has one writer).
func (q *queries) LockDeletedAccount(ctx context.Context, id int64) (*starling.Account, error) {
	n, err := q.exec(ctx, `UPDATE accounts SET deleted_at = deleted_at WHERE id = $1 AND deleted_at > 0
		AND EXISTS (SELECT 1 FROM users WHERE users.account_id = accounts.id)`, id)
	if err != nil {
		return nil, fmt.Errorf("lock deleted account: %w", err)
	} else if n == 0 {
		return nil, starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return q.anyAccount(ctx, id)
}

// anyAccount reads an account whether or not it is marked deleted.
func (q *queries) anyAccount(ctx context.Context, id int64) (*starling.Account, error) {
	a, err := scanAccount(q.q.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
	return a, notFound(err)
}

// DeletedAccountStatusIDs implements starling.AccountDeletionStore.
func (q *queries) DeletedAccountStatusIDs(ctx context.Context, accountID int64, limit int) ([]int64, error) {
	ids, err := q.ids(ctx, `SELECT id FROM statuses WHERE account_id = $1 AND reblog_of_id IS NOT NULL ORDER BY id LIMIT $2`, args{accountID, limit})
	if err != nil || len(ids) > 0 {
		return ids, err
	}
	return q.ids(ctx, `SELECT id FROM statuses WHERE account_id = $1 ORDER BY id LIMIT $2`, args{accountID, limit})
}

// AccountMedia implements starling.AccountDeletionStore.
func (q *queries) AccountMedia(ctx context.Context, accountID, afterID int64, limit int) ([]*starling.MediaAttachment, error) {
	return q.mediaWhere(ctx, `account_id = $1 AND id > $2 ORDER BY id LIMIT $3`, args{accountID, afterID, limit})
}

// DeleteMediaRecords implements starling.AccountDeletionStore.
func (q *queries) DeleteMediaRecords(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	var a args
	if _, err := q.q.ExecContext(ctx, `DELETE FROM media_attachments WHERE id IN `+a.in(ids), a...); err != nil {
		return fmt.Errorf("delete media records: %w", err)
	}
	return nil
}

// accountRowDeletes remove rows that refer to a deleted account and change
// no one's counters, $2 at a time. Each names the rows by key, so it
// deletes only what its bounded subquery picked.
var accountRowDeletes = []string{
	`DELETE FROM bookmarks WHERE id IN (SELECT id FROM bookmarks WHERE account_id = $1 LIMIT $2)`,
	`DELETE FROM notifications WHERE id IN (SELECT id FROM notifications WHERE account_id = $1 LIMIT $2)`,
	`DELETE FROM notifications WHERE id IN (SELECT id FROM notifications WHERE from_account_id = $1 LIMIT $2)`,
	`DELETE FROM follow_requests WHERE id IN (SELECT id FROM follow_requests WHERE account_id = $1 LIMIT $2)`,
	`DELETE FROM follow_requests WHERE id IN (SELECT id FROM follow_requests WHERE target_account_id = $1 LIMIT $2)`,
	`DELETE FROM blocks WHERE id IN (SELECT id FROM blocks WHERE account_id = $1 LIMIT $2)`,
	`DELETE FROM blocks WHERE id IN (SELECT id FROM blocks WHERE target_account_id = $1 LIMIT $2)`,
	`DELETE FROM mutes WHERE id IN (SELECT id FROM mutes WHERE account_id = $1 LIMIT $2)`,
	`DELETE FROM mutes WHERE id IN (SELECT id FROM mutes WHERE target_account_id = $1 LIMIT $2)`,
	`DELETE FROM home_feed WHERE account_id = $1 AND status_id IN (SELECT status_id FROM home_feed WHERE account_id = $1 LIMIT $2)`,
	`DELETE FROM list_members WHERE account_id = $1 AND list_id IN (SELECT list_id FROM list_members WHERE account_id = $1 LIMIT $2)`,
	// The account's own lists went already, through DeleteList.
	`DELETE FROM mentions WHERE account_id = $1 AND status_id IN (SELECT status_id FROM mentions WHERE account_id = $1 LIMIT $2)`,
	`DELETE FROM account_conversations WHERE account_id = $1
		AND conversation_id IN (SELECT conversation_id FROM account_conversations WHERE account_id = $1 LIMIT $2)`,
	`DELETE FROM idempotency_keys WHERE account_id = $1 AND key IN (SELECT key FROM idempotency_keys WHERE account_id = $1 LIMIT $2)`,
	`DELETE FROM filters WHERE id IN (SELECT id FROM filters WHERE account_id = $1 LIMIT $2)`,
	`DELETE FROM tag_follows WHERE id IN (SELECT id FROM tag_follows WHERE account_id = $1 LIMIT $2)`,
	`DELETE FROM featured_tags WHERE id IN (SELECT id FROM featured_tags WHERE account_id = $1 LIMIT $2)`,
}

// DeleteAccountRows implements starling.AccountDeletionStore. Rows that
// others' counters count go first, each deleted with RETURNING so that a
// row two workers both picked is counted off once.
func (q *queries) DeleteAccountRows(ctx context.Context, accountID int64, limit int) (int, error) {
	if q.touch != nil {
		q.touch.all = true // counters of many accounts and statuses change
	}
	total := 0
	counted := []struct{ del, fix string }{
		{`DELETE FROM favourites WHERE id IN (SELECT id FROM favourites WHERE account_id = $1 LIMIT $2) RETURNING status_id`,
			`UPDATE statuses SET favourites_count = favourites_count - 1 WHERE favourites_count > 0 AND id IN `},
		{`DELETE FROM follows WHERE id IN (SELECT id FROM follows WHERE account_id = $1 LIMIT $2) RETURNING target_account_id`,
			`UPDATE accounts SET followers_count = followers_count - 1 WHERE followers_count > 0 AND id IN `},
		{`DELETE FROM follows WHERE id IN (SELECT id FROM follows WHERE target_account_id = $1 LIMIT $2) RETURNING account_id`,
			`UPDATE accounts SET following_count = following_count - 1 WHERE following_count > 0 AND id IN `},
	}
	for _, c := range counted {
		ids, err := q.ids(ctx, c.del, args{accountID, limit - total})
		if err != nil {
			return 0, fmt.Errorf("delete account rows: %w", err)
		}
		if len(ids) > 0 {
			var a args
			if _, err := q.q.ExecContext(ctx, c.fix+a.in(ids), a...); err != nil {
				return 0, fmt.Errorf("delete account rows: %w", err)
			}
		}
		if total += len(ids); total >= limit {
			return total, nil
		}
	}
	n, err := q.deletePollVotes(ctx, accountID, limit-total)
	if err != nil {
		return 0, err
	}
	if total += n; total >= limit {
		return total, nil
	}
	for _, stmt := range accountRowDeletes {
		n, err := q.exec(ctx, stmt, accountID, limit-total)
		if err != nil {
			return 0, fmt.Errorf("delete account rows: %w", err)
		}
		if total += int(n); total >= limit {
			break
		}
	}
	return total, nil
}

// deletePollVotes takes the account's votes off up to limit polls, with
// their counts.
func (q *queries) deletePollVotes(ctx context.Context, accountID int64, limit int) (int, error) {
	polls, err := q.ids(ctx, `SELECT DISTINCT poll_id FROM poll_votes WHERE account_id = $1 LIMIT $2`, args{accountID, limit})
	if err != nil {
		return 0, fmt.Errorf("delete votes: %w", err)
	}
	for _, poll := range polls {
		choices, err := q.ids(ctx, `DELETE FROM poll_votes WHERE poll_id = $1 AND account_id = $2 RETURNING choice`, args{poll, accountID})
		if err != nil {
			return 0, fmt.Errorf("delete votes: %w", err)
		}
		if len(choices) == 0 {
			continue
		}
		var a args
		p := a.add(poll)
		if _, err := q.q.ExecContext(ctx, `UPDATE poll_options SET votes_count = votes_count - 1 WHERE votes_count > 0 AND poll_id = `+p+` AND position IN `+a.in(choices), a...); err != nil {
			return 0, fmt.Errorf("delete votes: %w", err)
		}
		if _, err := q.q.ExecContext(ctx, `UPDATE polls SET voters_count = voters_count - 1 WHERE voters_count > 0 AND id = $1`, poll); err != nil {
			return 0, fmt.Errorf("delete votes: %w", err)
		}
	}
	return len(polls), nil
}

// PurgeAccount implements starling.AccountDeletionStore.
func (q *queries) PurgeAccount(ctx context.Context, accountID int64) error {
	if q.touch != nil {
		q.touch.account(accountID)
	}
	// The account row stays, so nothing cascades: every table of the
	// member's own settings and secrets is emptied here by name.
	for _, table := range []string{"users", "two_factors", "recovery_codes", "markers", "domain_blocks", "archive_downloads"} {
		if _, err := q.q.ExecContext(ctx, `DELETE FROM `+table+` WHERE account_id = $1`, accountID); err != nil {
			return fmt.Errorf("purge account: %s: %w", table, err)
		}
	}
	if _, err := q.q.ExecContext(ctx, `UPDATE accounts SET display_name = '', note = '', fields = '[]', locked = FALSE, bot = FALSE,
		discoverable = FALSE, last_status_at = 0, followers_count = 0, following_count = 0, statuses_count = 0
		WHERE id = $1 AND deleted_at > 0`, accountID); err != nil {
		return fmt.Errorf("purge account: %w", err)
	}
	return nil
}
