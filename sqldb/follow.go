package sqldb

import (
	"context"
	"fmt"

	"starling"
)

// CreateFollow implements starling.FollowStore.
func (q *queries) CreateFollow(ctx context.Context, f *starling.Follow) (bool, error) {
	n, err := q.exec(ctx, `INSERT INTO follows (id, account_id, target_account_id, show_reblogs, notify, created_at, follower_active_at)
		VALUES ($1, $2, $3, $4, $5, $6, coalesce((SELECT u.feed_active_at FROM users u WHERE u.account_id = $2), 0)) ON CONFLICT DO NOTHING`,
		f.ID, f.AccountID, f.TargetAccountID, f.ShowReblogs, f.Notify, ms(f.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("insert follow: %w", err)
	}
	if n == 0 {
		_, err := q.q.ExecContext(ctx, `UPDATE follows SET show_reblogs = $1, notify = $2 WHERE account_id = $3 AND target_account_id = $4`,
			f.ShowReblogs, f.Notify, f.AccountID, f.TargetAccountID)
		return false, err
	}
	q.touch.account(f.AccountID, f.TargetAccountID)
	if _, err := q.q.ExecContext(ctx, `UPDATE accounts SET following_count = following_count + 1 WHERE id = $1`, f.AccountID); err != nil {
		return false, err
	}
	if _, err := q.q.ExecContext(ctx, `UPDATE accounts SET followers_count = followers_count + 1 WHERE id = $1`, f.TargetAccountID); err != nil {
		return false, err
	}
	return true, nil
}

// DeleteFollow implements starling.FollowStore.
func (q *queries) DeleteFollow(ctx context.Context, accountID, targetID int64) (bool, error) {
	n, err := q.exec(ctx, `DELETE FROM follows WHERE account_id = $1 AND target_account_id = $2`, accountID, targetID)
	if err != nil || n == 0 {
		return false, err
	}
	q.touch.account(accountID, targetID)
	if _, err := q.q.ExecContext(ctx, `UPDATE accounts SET following_count = following_count - 1 WHERE id = $1`, accountID); err != nil {
		return false, err
	}
	if _, err := q.q.ExecContext(ctx, `UPDATE accounts SET followers_count = followers_count - 1 WHERE id = $1`, targetID); err != nil {
		return false, err
	}
	return true, nil
}

// Follow implements starling.FollowStore.
func (q *queries) Follow(ctx context.Context, accountID, targetID int64) (*starling.Follow, error) {
	var f starling.Follow
	var created int64
	err := q.q.QueryRowContext(ctx, `SELECT id, account_id, target_account_id, show_reblogs, notify, created_at FROM follows
		WHERE account_id = $1 AND target_account_id = $2`, accountID, targetID).
		Scan(&f.ID, &f.AccountID, &f.TargetAccountID, &f.ShowReblogs, &f.Notify, &created)
	if err != nil {
		return nil, notFound(err)
	}
	f.CreatedAt = fromMS(created)
	return &f, nil
}

// CreateFollowRequest implements starling.FollowStore.
func (q *queries) CreateFollowRequest(ctx context.Context, r *starling.FollowRequest) (bool, error) {
	n, err := q.exec(ctx, `INSERT INTO follow_requests (id, account_id, target_account_id, show_reblogs, notify, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
		r.ID, r.AccountID, r.TargetAccountID, r.ShowReblogs, r.Notify, ms(r.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("insert follow request: %w", err)
	}
	return n > 0, nil
}

// DeleteFollowRequest implements starling.FollowStore.
func (q *queries) DeleteFollowRequest(ctx context.Context, accountID, targetID int64) (*starling.FollowRequest, error) {
	var r starling.FollowRequest
	var created int64
	err := q.q.QueryRowContext(ctx, `DELETE FROM follow_requests WHERE account_id = $1 AND target_account_id = $2
		RETURNING id, account_id, target_account_id, show_reblogs, notify, created_at`, accountID, targetID).
		Scan(&r.ID, &r.AccountID, &r.TargetAccountID, &r.ShowReblogs, &r.Notify, &created)
	if err != nil {
		return nil, notFound(err)
	}
	r.CreatedAt = fromMS(created)
	return &r, nil
}

// FollowRequests implements starling.FollowStore.
func (q *queries) FollowRequests(ctx context.Context, targetID int64, p starling.Page) ([]starling.AccountRef, error) {
	a := args{targetID}
	where, order, rev := a.page("id", p)
	return q.accountRefs(ctx, `SELECT id, account_id FROM follow_requests WHERE target_account_id = $1`+where+order, a, rev)
}

// Relationships implements starling.FollowStore in one round trip.
func (q *queries) Relationships(ctx context.Context, viewerID int64, ids []int64) (map[int64]*starling.Relationship, error) {
	out := make(map[int64]*starling.Relationship, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	for _, id := range ids {
		out[id] = &starling.Relationship{ID: id}
	}
	var a args
	viewer := a.add(viewerID)
	in := a.in(ids)
	rows, err := q.q.QueryContext(ctx, `
		SELECT target_account_id, 'following', show_reblogs, notify FROM follows WHERE account_id = `+viewer+` AND target_account_id IN `+in+`
		UNION ALL SELECT account_id, 'followed_by', FALSE, FALSE FROM follows WHERE target_account_id = `+viewer+` AND account_id IN `+in+`
		UNION ALL SELECT target_account_id, 'requested', show_reblogs, notify FROM follow_requests WHERE account_id = `+viewer+` AND target_account_id IN `+in+`
		UNION ALL SELECT account_id, 'requested_by', FALSE, FALSE FROM follow_requests WHERE target_account_id = `+viewer+` AND account_id IN `+in+`
		UNION ALL SELECT target_account_id, 'blocking', FALSE, FALSE FROM blocks WHERE account_id = `+viewer+` AND target_account_id IN `+in+`
		UNION ALL SELECT account_id, 'blocked_by', FALSE, FALSE FROM blocks WHERE target_account_id = `+viewer+` AND account_id IN `+in+`
		UNION ALL SELECT target_account_id, 'muting', FALSE, notifications FROM mutes WHERE account_id = `+viewer+` AND target_account_id IN `+in+`
		UNION ALL SELECT acct.id, 'domain_blocking', FALSE, FALSE FROM accounts acct JOIN domain_blocks db ON db.account_id = `+viewer+`
		  WHERE acct.id IN `+in+` AND `+onBlockedDomain, a...)
	if err != nil {
		return nil, fmt.Errorf("relationships: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind string
		var reblogs, notify bool
		if err := rows.Scan(&id, &kind, &reblogs, &notify); err != nil {
			return nil, err
		}
		r := out[id]
		switch kind {
		case "following":
			r.Following, r.ShowingReblogs, r.Notifying = true, reblogs, notify
		case "followed_by":
			r.FollowedBy = true
		case "requested":
			r.Requested, r.ShowingReblogs, r.Notifying = true, reblogs, notify
		case "requested_by":
			r.RequestedBy = true
		case "blocking":
			r.Blocking = true
		case "blocked_by":
			r.BlockedBy = true
		case "muting":
			r.Muting, r.MutingNotifications = true, notify
		case "domain_blocking":
			r.DomainBlocking = true
		}
	}
	return out, rows.Err()
}

// Followers implements starling.FollowStore.
func (q *queries) Followers(ctx context.Context, targetID int64, p starling.Page) ([]starling.AccountRef, error) {
	a := args{targetID}
	where, order, rev := a.page("id", p)
	return q.accountRefs(ctx, `SELECT id, account_id FROM follows WHERE target_account_id = $1`+where+order, a, rev)
}

// Following implements starling.FollowStore.
func (q *queries) Following(ctx context.Context, accountID int64, p starling.Page) ([]starling.AccountRef, error) {
	a := args{accountID}
	where, order, rev := a.page("id", p)
	return q.accountRefs(ctx, `SELECT id, target_account_id FROM follows WHERE account_id = $1`+where+order, a, rev)
}
