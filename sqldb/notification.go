package sqldb

import (
	"context"
	"fmt"
	"strings"

	"starling"
)

// CreateNotification implements starling.NotificationStore.
func (q *queries) CreateNotification(ctx context.Context, n *starling.Notification) (bool, error) {
	c, err := q.exec(ctx, `INSERT INTO notifications (id, account_id, from_account_id, type, status_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
		n.ID, n.AccountID, n.FromAccountID, string(n.Type), nullID(n.StatusID), ms(n.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("insert notification: %w", err)
	}
	return c > 0, nil
}

const notificationColumns = `id, account_id, from_account_id, type, coalesce(status_id, 0), created_at`

func scanNotification(row interface{ Scan(...any) error }) (*starling.Notification, error) {
	var n starling.Notification
	var t string
	var created int64
	if err := row.Scan(&n.ID, &n.AccountID, &n.FromAccountID, &t, &n.StatusID, &created); err != nil {
		return nil, err
	}
	n.Type, n.CreatedAt = starling.NotificationType(t), fromMS(created)
	return &n, nil
}

func (a *args) notificationFilter(f starling.NotificationFilter) string {
	var w strings.Builder
	types := func(ts []starling.NotificationType) []string {
		out := make([]string, len(ts))
		for i, t := range ts {
			out[i] = string(t)
		}
		return out
	}
	if len(f.Types) > 0 {
		fmt.Fprintf(&w, ` AND type IN %s`, a.inStrings(types(f.Types)))
	}
	if len(f.ExcludeTypes) > 0 {
		fmt.Fprintf(&w, ` AND type NOT IN %s`, a.inStrings(types(f.ExcludeTypes)))
	}
	if f.FromAccountID != 0 {
		fmt.Fprintf(&w, ` AND from_account_id = %s`, a.add(f.FromAccountID))
	}
	return w.String()
}

// Notifications implements starling.NotificationStore.
func (q *queries) Notifications(ctx context.Context, accountID int64, f starling.NotificationFilter, p starling.Page) ([]*starling.Notification, error) {
	a := args{accountID}
	filter := a.notificationFilter(f)
	where, order, rev := a.page("id", p)
	rows, err := q.q.QueryContext(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE account_id = $1`+filter+where+order, a...)
	if err != nil {
		return nil, fmt.Errorf("select notifications: %w", err)
	}
	defer rows.Close()
	var out []*starling.Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	if rev {
		reverse(out)
	}
	return out, rows.Err()
}

// Notification implements starling.NotificationStore.
func (q *queries) Notification(ctx context.Context, accountID, id int64) (*starling.Notification, error) {
	n, err := scanNotification(q.q.QueryRowContext(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE account_id = $1 AND id = $2`, accountID, id))
	return n, notFound(err)
}

// DismissNotification implements starling.NotificationStore.
func (q *queries) DismissNotification(ctx context.Context, accountID, id int64) error {
	n, err := q.exec(ctx, `DELETE FROM notifications WHERE account_id = $1 AND id = $2`, accountID, id)
	if err != nil {
		return err
	} else if n == 0 {
		return starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return nil
}

// ClearNotifications implements starling.NotificationStore.
func (q *queries) ClearNotifications(ctx context.Context, accountID int64) error {
	_, err := q.q.ExecContext(ctx, `DELETE FROM notifications WHERE account_id = $1`, accountID)
	return err
}

// DeleteNotifications implements starling.NotificationStore.
func (q *queries) DeleteNotifications(ctx context.Context, t starling.NotificationType, fromAccountID, accountID, statusID int64) error {
	_, err := q.q.ExecContext(ctx, `DELETE FROM notifications WHERE account_id = $1 AND type = $2 AND from_account_id = $3 AND coalesce(status_id, 0) = $4`,
		accountID, string(t), fromAccountID, statusID)
	return err
}

// CountNotifications implements starling.NotificationStore.
func (q *queries) CountNotifications(ctx context.Context, accountID, sinceID int64, f starling.NotificationFilter, limit int) (int, error) {
	a := args{accountID, sinceID}
	filter := a.notificationFilter(f)
	var n int
	err := q.q.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM notifications WHERE account_id = $1 AND id > $2`+filter+
		` LIMIT `+a.add(limit)+`) x`, a...).Scan(&n)
	return n, err
}

// Markers implements starling.MarkerStore.
func (q *queries) Markers(ctx context.Context, accountID int64, timelines []string) ([]*starling.Marker, error) {
	if len(timelines) == 0 {
		return nil, nil
	}
	a := args{accountID}
	rows, err := q.q.QueryContext(ctx, `SELECT timeline, last_read_id, version, updated_at FROM markers WHERE account_id = $1 AND timeline IN `+a.inStrings(timelines)+` ORDER BY timeline`, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*starling.Marker
	for rows.Next() {
		var m starling.Marker
		var updated int64
		if err := rows.Scan(&m.Timeline, &m.LastReadID, &m.Version, &updated); err != nil {
			return nil, err
		}
		m.UpdatedAt = fromMS(updated)
		out = append(out, &m)
	}
	return out, rows.Err()
}

// SaveMarker implements starling.MarkerStore.
func (q *queries) SaveMarker(ctx context.Context, accountID int64, m *starling.Marker) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO markers (account_id, timeline, last_read_id, version, updated_at) VALUES ($1, $2, $3, 1, $4)
		ON CONFLICT (account_id, timeline) DO UPDATE SET last_read_id = excluded.last_read_id, version = markers.version + 1, updated_at = excluded.updated_at`,
		accountID, m.Timeline, m.LastReadID, ms(m.UpdatedAt))
	if err != nil {
		return fmt.Errorf("save marker: %w", err)
	}
	return nil
}
