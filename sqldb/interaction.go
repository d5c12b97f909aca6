package sqldb

import (
	"context"
	"fmt"
	"time"

	"starling"
)

// Favourite implements starling.InteractionStore.
func (q *queries) Favourite(ctx context.Context, id, accountID, statusID int64, at time.Time) (bool, error) {
	n, err := q.exec(ctx, `INSERT INTO favourites (id, account_id, status_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		id, accountID, statusID, ms(at))
	if err != nil || n == 0 {
		return false, err
	}
	q.touch.status(statusID)
	_, err = q.q.ExecContext(ctx, `UPDATE statuses SET favourites_count = favourites_count + 1 WHERE id = $1`, statusID)
	return err == nil, err
}

// Unfavourite implements starling.InteractionStore.
func (q *queries) Unfavourite(ctx context.Context, accountID, statusID int64) (bool, error) {
	n, err := q.exec(ctx, `DELETE FROM favourites WHERE account_id = $1 AND status_id = $2`, accountID, statusID)
	if err != nil || n == 0 {
		return false, err
	}
	q.touch.status(statusID)
	_, err = q.q.ExecContext(ctx, `UPDATE statuses SET favourites_count = favourites_count - 1 WHERE id = $1 AND favourites_count > 0`, statusID)
	return err == nil, err
}

// Favourites implements starling.InteractionStore.
func (q *queries) Favourites(ctx context.Context, accountID int64, p starling.Page) ([]starling.StatusRef, error) {
	a := args{accountID}
	where, order, rev := a.page("id", p)
	return q.statusRefs(ctx, `SELECT id, status_id FROM favourites WHERE account_id = $1`+where+order, a, rev)
}

// FavouritedBy implements starling.InteractionStore.
func (q *queries) FavouritedBy(ctx context.Context, statusID int64, p starling.Page) ([]starling.AccountRef, error) {
	a := args{statusID}
	where, order, rev := a.page("id", p)
	return q.accountRefs(ctx, `SELECT id, account_id FROM favourites WHERE status_id = $1`+where+order, a, rev)
}

// RebloggedBy implements starling.InteractionStore.
func (q *queries) RebloggedBy(ctx context.Context, statusID int64, p starling.Page) ([]starling.AccountRef, error) {
	a := args{statusID}
	where, order, rev := a.page("id", p)
	return q.accountRefs(ctx, `SELECT id, account_id FROM statuses WHERE reblog_of_id = $1`+where+order, a, rev)
}

// Bookmark implements starling.InteractionStore.
func (q *queries) Bookmark(ctx context.Context, id, accountID, statusID int64, at time.Time) (bool, error) {
	n, err := q.exec(ctx, `INSERT INTO bookmarks (id, account_id, status_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		id, accountID, statusID, ms(at))
	return n > 0, err
}

// Unbookmark implements starling.InteractionStore.
func (q *queries) Unbookmark(ctx context.Context, accountID, statusID int64) (bool, error) {
	n, err := q.exec(ctx, `DELETE FROM bookmarks WHERE account_id = $1 AND status_id = $2`, accountID, statusID)
	return n > 0, err
}

// Bookmarks implements starling.InteractionStore.
func (q *queries) Bookmarks(ctx context.Context, accountID int64, p starling.Page) ([]starling.StatusRef, error) {
	a := args{accountID}
	where, order, rev := a.page("id", p)
	return q.statusRefs(ctx, `SELECT id, status_id FROM bookmarks WHERE account_id = $1`+where+order, a, rev)
}

// Pin implements starling.InteractionStore.
func (q *queries) Pin(ctx context.Context, accountID, statusID int64, at time.Time) (bool, error) {
	n, err := q.exec(ctx, `INSERT INTO pins (account_id, status_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, accountID, statusID, ms(at))
	return n > 0, err
}

// Unpin implements starling.InteractionStore.
func (q *queries) Unpin(ctx context.Context, accountID, statusID int64) (bool, error) {
	n, err := q.exec(ctx, `DELETE FROM pins WHERE account_id = $1 AND status_id = $2`, accountID, statusID)
	return n > 0, err
}

// CountPins implements starling.InteractionStore.
func (q *queries) CountPins(ctx context.Context, accountID int64) (int, error) {
	var n int
	err := q.q.QueryRowContext(ctx, `SELECT count(*) FROM pins WHERE account_id = $1`, accountID).Scan(&n)
	return n, err
}

// SearchTags implements starling.TagStore.
func (q *queries) SearchTags(ctx context.Context, prefix string, limit int) ([]string, error) {
	a := args{escapeLike(prefix) + "%", limit}
	pairs, err := q.stringPairs(ctx, `SELECT uses, name FROM tags WHERE name LIKE $1 ESCAPE '\' ORDER BY uses DESC, name LIMIT $2`, a)
	if err != nil {
		return nil, fmt.Errorf("search tags: %w", err)
	}
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p.s
	}
	return out, nil
}

// TagExists implements starling.TagStore.
func (q *queries) TagExists(ctx context.Context, name string) (bool, error) {
	var n int
	err := q.q.QueryRowContext(ctx, `SELECT count(*) FROM tags WHERE name = $1`, name).Scan(&n)
	return n > 0, err
}
