package sqldb

import (
	"context"
	"fmt"

	"starling"
)

// FeaturedTags implements starling.FeaturedTagStore: counts are of the
// account's public posts with the tag, read through the account's own posts
// (statuses_account), so a tag the whole community uses costs no more than
// one only this member uses.
func (q *queries) FeaturedTags(ctx context.Context, accountID int64) ([]*starling.FeaturedTag, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT f.id, f.tag, f.created_at, count(s.id), coalesce(max(s.created_at), 0)
		FROM featured_tags f LEFT JOIN statuses s ON s.account_id = f.account_id AND s.visibility = 'public'
			AND EXISTS (SELECT 1 FROM status_tags st WHERE st.tag = f.tag AND st.status_id = s.id)
		WHERE f.account_id = $1 GROUP BY f.id, f.tag, f.created_at ORDER BY f.id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("featured tags: %w", err)
	}
	defer rows.Close()
	var out []*starling.FeaturedTag
	for rows.Next() {
		f := &starling.FeaturedTag{AccountID: accountID}
		var created, last int64
		if err := rows.Scan(&f.ID, &f.Name, &created, &f.StatusesCount, &last); err != nil {
			return nil, err
		}
		f.CreatedAt, f.LastStatusAt = fromMS(created), fromMS(last)
		out = append(out, f)
	}
	return out, rows.Err()
}

// AddFeaturedTag implements starling.FeaturedTagStore.
func (q *queries) AddFeaturedTag(ctx context.Context, f *starling.FeaturedTag) (bool, error) {
	n, err := q.exec(ctx, `INSERT INTO featured_tags (id, account_id, tag, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		f.ID, f.AccountID, f.Name, ms(f.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("feature tag: %w", err)
	}
	return n > 0, nil
}

// RemoveFeaturedTag implements starling.FeaturedTagStore.
func (q *queries) RemoveFeaturedTag(ctx context.Context, accountID, id int64) error {
	n, err := q.exec(ctx, `DELETE FROM featured_tags WHERE id = $1 AND account_id = $2`, id, accountID)
	if err != nil {
		return fmt.Errorf("unfeature tag: %w", err)
	}
	if n == 0 {
		return starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return nil
}
