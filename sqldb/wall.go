package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"starling"
)

// Wall implements starling.WallStore.
func (q *queries) Wall(ctx context.Context, tag string) (*starling.Wall, error) {
	w := &starling.Wall{Tag: tag}
	var updatedAt int64
	var updatedBy sql.NullInt64
	err := q.q.QueryRowContext(ctx, `SELECT approve_first, updated_at, updated_by FROM walls WHERE tag = $1`, tag).
		Scan(&w.ApproveFirst, &updatedAt, &updatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return w, nil // never set up: the defaults
	} else if err != nil {
		return nil, fmt.Errorf("read wall: %w", err)
	}
	w.UpdatedAt, w.UpdatedBy = fromMS(updatedAt), updatedBy.Int64
	return w, nil
}

// SaveWall implements starling.WallStore.
func (q *queries) SaveWall(ctx context.Context, w *starling.Wall) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO walls (tag, approve_first, updated_at, updated_by) VALUES ($1, $2, $3, $4)
		ON CONFLICT (tag) DO UPDATE SET approve_first = excluded.approve_first, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		w.Tag, w.ApproveFirst, ms(w.UpdatedAt), nullID(w.UpdatedBy))
	if err != nil {
		return fmt.Errorf("save wall: %w", err)
	}
	return nil
}

// WallModerations implements starling.WallStore.
func (q *queries) WallModerations(ctx context.Context, tag string, statusIDs []int64) (map[int64]starling.WallModeration, error) {
	out := map[int64]starling.WallModeration{}
	if len(statusIDs) == 0 {
		return out, nil
	}
	a := args{tag}
	rows, err := q.q.QueryContext(ctx, `SELECT status_id, hidden, approved, pinned_at, moderated_by, moderated_at FROM wall_posts
		WHERE tag = $1 AND status_id IN `+a.in(statusIDs), a...)
	if err != nil {
		return nil, fmt.Errorf("read wall moderation: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m starling.WallModeration
		var pinnedAt, moderatedAt int64
		var by sql.NullInt64
		if err := rows.Scan(&m.StatusID, &m.Hidden, &m.Approved, &pinnedAt, &by, &moderatedAt); err != nil {
			return nil, err
		}
		m.PinnedAt, m.ModeratedAt, m.ModeratedBy = fromMS(pinnedAt), fromMS(moderatedAt), by.Int64
		out[m.StatusID] = m
	}
	return out, rows.Err()
}

// SaveWallModeration implements starling.WallStore.
func (q *queries) SaveWallModeration(ctx context.Context, tag string, m starling.WallModeration) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO wall_posts (tag, status_id, hidden, approved, pinned_at, moderated_by, moderated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (tag, status_id) DO UPDATE SET hidden = excluded.hidden, approved = excluded.approved,
			pinned_at = excluded.pinned_at, moderated_by = excluded.moderated_by, moderated_at = excluded.moderated_at`,
		tag, m.StatusID, m.Hidden, m.Approved, ms(m.PinnedAt), nullID(m.ModeratedBy), ms(m.ModeratedAt))
	if err != nil {
		return fmt.Errorf("save wall moderation: %w", err)
	}
	return nil
}

// wallShowable is the condition on statuses (as s) that every wall query
// shares: walls show what the hashtag page lists.
const wallShowable = ` s.visibility = 'public' AND s.reblog_of_id IS NULL`

// WallPins implements starling.WallStore.
func (q *queries) WallPins(ctx context.Context, tag string) ([]int64, error) {
	// The tag is checked again: an edit may have taken it out of the post.
	return q.ids(ctx, `SELECT w.status_id FROM wall_posts w
		JOIN status_tags st ON st.tag = w.tag AND st.status_id = w.status_id
		JOIN statuses s ON s.id = w.status_id
		WHERE w.tag = $1 AND w.pinned_at > 0 AND`+wallShowable+`
		ORDER BY w.pinned_at DESC, w.status_id DESC`, args{tag})
}

// WallTimeline implements starling.WallStore.
func (q *queries) WallTimeline(ctx context.Context, tag string, approvedOnly bool, p starling.Page) ([]int64, error) {
	a := args{tag}
	if approvedOnly {
		// Few posts are approved among many: start from the decisions.
		where, order, rev := a.page("w.status_id", p)
		return q.pagedIDs(ctx, `SELECT w.status_id FROM wall_posts w
			JOIN status_tags st ON st.tag = w.tag AND st.status_id = w.status_id
			JOIN statuses s ON s.id = w.status_id
			WHERE w.tag = $1 AND w.approved AND NOT w.hidden AND w.pinned_at = 0 AND`+wallShowable+where+order, a, rev)
	}
	where, order, rev := a.page("st.status_id", p)
	return q.pagedIDs(ctx, `SELECT st.status_id FROM status_tags st
		JOIN statuses s ON s.id = st.status_id
		LEFT JOIN wall_posts w ON w.tag = st.tag AND w.status_id = st.status_id
		WHERE st.tag = $1 AND`+wallShowable+`
		AND NOT COALESCE(w.hidden, FALSE) AND COALESCE(w.pinned_at, 0) = 0`+where+order, a, rev)
}
