package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"starling"
)

// RecentTagUses implements starling.TrendStore, through status_tags_status
// by ID range: status IDs grow with time.
func (q *queries) RecentTagUses(ctx context.Context, sinceID int64) ([]starling.TagUse, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT st.tag, s.account_id, s.created_at FROM status_tags st JOIN statuses s ON s.id = st.status_id
		WHERE st.status_id >= $1 AND s.visibility = 'public' AND s.local = TRUE AND s.reblog_of_id IS NULL`, sinceID)
	if err != nil {
		return nil, fmt.Errorf("recent tag uses: %w", err)
	}
	defer rows.Close()
	var out []starling.TagUse
	for rows.Next() {
		var u starling.TagUse
		var at int64
		if err := rows.Scan(&u.Tag, &u.AccountID, &at); err != nil {
			return nil, err
		}
		u.CreatedAt = fromMS(at)
		out = append(out, u)
	}
	return out, rows.Err()
}

// HiddenTrendTags implements starling.TrendStore.
func (q *queries) HiddenTrendTags(ctx context.Context) (map[string]bool, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT tag FROM trend_tags WHERE hidden = TRUE`)
	if err != nil {
		return nil, fmt.Errorf("hidden trend tags: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out[t] = true
	}
	return out, rows.Err()
}

// HiddenTrendReviews implements starling.TrendStore.
func (q *queries) HiddenTrendReviews(ctx context.Context) ([]starling.TrendReview, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT tag, reviewed_by, reviewed_at FROM trend_tags WHERE hidden = TRUE ORDER BY reviewed_at DESC, tag`)
	if err != nil {
		return nil, fmt.Errorf("hidden trend reviews: %w", err)
	}
	defer rows.Close()
	var out []starling.TrendReview
	for rows.Next() {
		var r starling.TrendReview
		var by sql.NullInt64
		var at int64
		if err := rows.Scan(&r.Tag, &by, &at); err != nil {
			return nil, err
		}
		r.ReviewedBy, r.ReviewedAt = by.Int64, fromMS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetTrendTagHidden implements starling.TrendStore.
func (q *queries) SetTrendTagHidden(ctx context.Context, tag string, hidden bool, by int64, at time.Time) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO trend_tags (tag, hidden, reviewed_by, reviewed_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (tag) DO UPDATE SET hidden = excluded.hidden, reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at`,
		tag, hidden, nullID(by), ms(at))
	if err != nil {
		return fmt.Errorf("review trend tag: %w", err)
	}
	return nil
}

// RecentEngagement implements starling.TrendStore.
func (q *queries) RecentEngagement(ctx context.Context, sinceID int64) ([]starling.Engagement, error) {
	// Engagement by limited, suspended or deleted accounts does not count:
	// staff limiting a spam ring must stop it pushing posts into trends.
	return q.engagements(ctx, `SELECT f.status_id, f.account_id, 0 FROM favourites f JOIN statuses s ON s.id = f.status_id
		JOIN accounts a ON a.id = f.account_id AND `+trendCounts+`
		WHERE f.id >= $1 AND s.visibility = 'public' AND s.local = TRUE AND f.account_id <> s.account_id
		UNION ALL
		SELECT r.reblog_of_id, r.account_id, 0 FROM statuses r JOIN statuses s ON s.id = r.reblog_of_id
		JOIN accounts a ON a.id = r.account_id AND `+trendCounts+`
		WHERE r.id >= $1 AND s.visibility = 'public' AND s.local = TRUE AND r.account_id <> s.account_id`, sinceID)
}

// RecentLinkShares implements starling.TrendStore.
func (q *queries) RecentLinkShares(ctx context.Context, sinceID int64) ([]starling.Engagement, error) {
	return q.engagements(ctx, `SELECT s.id, s.account_id, s.card_id FROM statuses s JOIN accounts a ON a.id = s.account_id AND `+trendCounts+`
		WHERE s.id >= $1 AND s.card_id IS NOT NULL AND s.visibility = 'public' AND s.local = TRUE`, sinceID)
}

// trendCounts is the condition on an account (a) whose posts and
// engagement count towards trends.
const trendCounts = `a.silenced_at = 0 AND a.suspended_at = 0 AND a.deleted_at = 0`

func (q *queries) engagements(ctx context.Context, query string, sinceID int64) ([]starling.Engagement, error) {
	rows, err := q.q.QueryContext(ctx, query, sinceID)
	if err != nil {
		return nil, fmt.Errorf("recent engagement: %w", err)
	}
	defer rows.Close()
	var out []starling.Engagement
	for rows.Next() {
		var e starling.Engagement
		if err := rows.Scan(&e.StatusID, &e.AccountID, &e.CardID); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
