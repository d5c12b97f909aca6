package sqldb

import (
	"context"
	"fmt"
	"strings"

	"starling"
)

// FollowTag implements starling.TagFollowStore.
func (q *queries) FollowTag(ctx context.Context, f *starling.FollowedTag) (bool, error) {
	n, err := q.exec(ctx, `INSERT INTO tag_follows (id, account_id, tag, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		f.ID, f.AccountID, f.Name, ms(f.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("follow tag: %w", err)
	}
	return n > 0, nil
}

// UnfollowTag implements starling.TagFollowStore.
func (q *queries) UnfollowTag(ctx context.Context, accountID int64, tag string) (bool, error) {
	n, err := q.exec(ctx, `DELETE FROM tag_follows WHERE account_id = $1 AND tag = $2`, accountID, tag)
	if err != nil {
		return false, fmt.Errorf("unfollow tag: %w", err)
	}
	return n > 0, nil
}

// FollowedTags implements starling.TagFollowStore.
func (q *queries) FollowedTags(ctx context.Context, accountID int64, p starling.Page) ([]*starling.FollowedTag, error) {
	a := args{accountID}
	where, order, rev := a.page("id", p)
	rows, err := q.q.QueryContext(ctx, `SELECT id, tag, created_at FROM tag_follows WHERE account_id = $1`+where+order, a...)
	if err != nil {
		return nil, fmt.Errorf("followed tags: %w", err)
	}
	defer rows.Close()
	var out []*starling.FollowedTag
	for rows.Next() {
		f := &starling.FollowedTag{AccountID: accountID}
		var created int64
		if err := rows.Scan(&f.ID, &f.Name, &created); err != nil {
			return nil, err
		}
		f.CreatedAt = fromMS(created)
		out = append(out, f)
	}
	if rev {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, rows.Err()
}

// CountFollowedTags implements starling.TagFollowStore.
func (q *queries) CountFollowedTags(ctx context.Context, accountID int64) (int, error) {
	var n int
	err := q.q.QueryRowContext(ctx, `SELECT count(*) FROM tag_follows WHERE account_id = $1`, accountID).Scan(&n)
	return n, err
}

// FollowsTag implements starling.TagFollowStore.
func (q *queries) FollowsTag(ctx context.Context, accountID int64, tag string) (bool, error) {
	var n int
	err := q.q.QueryRowContext(ctx, `SELECT count(*) FROM tag_follows WHERE account_id = $1 AND tag = $2`, accountID, tag).Scan(&n)
	return n > 0, err
}

// HomeFromFollowedTags implements starling.TagFollowStore with one limited
// scan per followed tag, down the (tag, status_id) key of status_tags, so a
// tag with a hundred thousand posts costs a page of them, not all; the
// engines would sort every post of every tag for one IN query.
func (q *queries) HomeFromFollowedTags(ctx context.Context, viewerID int64, p starling.Page) ([]int64, error) {
	tags, err := q.followedTagNames(ctx, viewerID)
	if err != nil || len(tags) == 0 {
		return nil, err
	}
	a := args{viewerID}
	parts := make([]string, len(tags))
	var order string
	var rev bool
	for i, tag := range tags {
		t := a.add(tag)
		var where string
		where, order, rev = a.page("st.status_id", p)
		parts[i] = fmt.Sprintf(`SELECT id FROM (SELECT st.status_id AS id FROM status_tags st JOIN statuses s ON s.id = st.status_id
			WHERE st.tag = %s AND s.visibility = 'public' AND s.reblog_of_id IS NULL AND s.account_id <> $1%s%s) t%d`, t, where, order, i)
	}
	// The outer query orders and limits like the inner ones, on their column's new name.
	outer := strings.Replace(order, "st.status_id", "id", 1)
	ids, err := q.pagedIDs(ctx, `SELECT id FROM (`+strings.Join(parts, " UNION ")+`) u WHERE TRUE`+outer, a, rev)
	if err != nil {
		return nil, fmt.Errorf("home from followed tags: %w", err)
	}
	return ids, nil
}

func (q *queries) followedTagNames(ctx context.Context, accountID int64) ([]string, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT tag FROM tag_follows WHERE account_id = $1`, accountID)
	if err != nil {
		return nil, fmt.Errorf("followed tags: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
