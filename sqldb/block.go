package sqldb

import (
	"context"
	"fmt"
	"time"

	"starling"
)

// CreateBlock implements starling.BlockStore.
func (q *queries) CreateBlock(ctx context.Context, b *starling.Block) (bool, error) {
	n, err := q.exec(ctx, `INSERT INTO blocks (id, account_id, target_account_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		b.ID, b.AccountID, b.TargetAccountID, ms(b.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("block: %w", err)
	}
	return n > 0, nil
}

// DeleteBlock implements starling.BlockStore.
func (q *queries) DeleteBlock(ctx context.Context, accountID, targetID int64) (bool, error) {
	n, err := q.exec(ctx, `DELETE FROM blocks WHERE account_id = $1 AND target_account_id = $2`, accountID, targetID)
	if err != nil {
		return false, fmt.Errorf("unblock: %w", err)
	}
	return n > 0, nil
}

// Blocks implements starling.BlockStore.
func (q *queries) Blocks(ctx context.Context, accountID int64, p starling.Page) ([]starling.AccountRef, error) {
	a := args{accountID}
	where, order, rev := a.page("id", p)
	return q.accountRefs(ctx, `SELECT id, target_account_id FROM blocks WHERE account_id = $1`+where+order, a, rev)
}

// PutMute implements starling.BlockStore.
func (q *queries) PutMute(ctx context.Context, m *starling.Mute) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO mutes (id, account_id, target_account_id, notifications, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (account_id, target_account_id) DO UPDATE SET notifications = excluded.notifications, expires_at = excluded.expires_at, created_at = excluded.created_at`,
		m.ID, m.AccountID, m.TargetAccountID, m.Notifications, ms(m.ExpiresAt), ms(m.CreatedAt))
	if err != nil {
		return fmt.Errorf("mute: %w", err)
	}
	return nil
}

// DeleteMute implements starling.BlockStore.
func (q *queries) DeleteMute(ctx context.Context, accountID, targetID int64, mutedSince time.Time) (bool, error) {
	query, a := `DELETE FROM mutes WHERE account_id = $1 AND target_account_id = $2`, []any{accountID, targetID}
	if !mutedSince.IsZero() {
		query, a = query+` AND created_at = $3`, append(a, ms(mutedSince))
	}
	n, err := q.exec(ctx, query, a...)
	if err != nil {
		return false, fmt.Errorf("unmute: %w", err)
	}
	return n > 0, nil
}

// Mutes implements starling.BlockStore.
func (q *queries) Mutes(ctx context.Context, accountID int64, p starling.Page) ([]starling.MuteRef, error) {
	a := args{accountID}
	where, order, rev := a.page("id", p)
	rows, err := q.q.QueryContext(ctx, `SELECT id, target_account_id, expires_at FROM mutes WHERE account_id = $1`+where+order, a...)
	if err != nil {
		return nil, fmt.Errorf("mutes: %w", err)
	}
	defer rows.Close()
	var out []starling.MuteRef
	for rows.Next() {
		var r starling.MuteRef
		var expires int64
		if err := rows.Scan(&r.RowID, &r.AccountID, &expires); err != nil {
			return nil, err
		}
		if expires != 0 {
			r.ExpiresAt = fromMS(expires)
		}
		out = append(out, r)
	}
	if rev {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, rows.Err()
}

// Shunned implements starling.BlockStore.
func (q *queries) Shunned(ctx context.Context, accountID int64) (posts, notifications map[int64]bool, err error) {
	rows, err := q.q.QueryContext(ctx, `SELECT target_account_id, TRUE FROM blocks WHERE account_id = $1
		UNION ALL SELECT account_id, TRUE FROM blocks WHERE target_account_id = $1
		UNION ALL SELECT target_account_id, notifications FROM mutes WHERE account_id = $1`, accountID)
	if err != nil {
		return nil, nil, fmt.Errorf("shunned accounts: %w", err)
	}
	defer rows.Close()
	posts, notifications = map[int64]bool{}, map[int64]bool{}
	for rows.Next() {
		var id int64
		var noNotifications bool
		if err := rows.Scan(&id, &noNotifications); err != nil {
			return nil, nil, err
		}
		posts[id] = true
		if noNotifications {
			notifications[id] = true
		}
	}
	return posts, notifications, rows.Err()
}
