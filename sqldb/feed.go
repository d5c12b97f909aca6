package sqldb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"starling"
)

// FanOut implements starling.FeedStore with one INSERT … SELECT per feed
// kind, so the cost of a post grows with its audience inside the database,
// not with round trips. The filters follow what people expect of a home
// timeline: replies to someone show only to those who follow both ends of the
// conversation; reblogs respect "show reblogs"; nobody sees reblogs of their
// own posts; exclusive lists keep their members' posts out of home.
func (q *queries) FanOut(ctx context.Context, s *starling.Status, scope starling.FanOutScope) error {
	origin := s.ID
	if s.ReblogOfID != 0 {
		origin = s.ReblogOfID
	}
	// A post shows once in a feed: a reblog is left out where the post itself
	// is (checked here), or another reblog of it (the partial unique index).
	if _, err := q.q.ExecContext(ctx, `INSERT INTO home_feed (account_id, status_id, origin_id, author_id)
		SELECT $1, $2, $3, $1 WHERE NOT EXISTS (SELECT 1 FROM home_feed h WHERE h.account_id = $1 AND h.status_id = $3 AND $3 <> $2)
		ON CONFLICT DO NOTHING`, s.AccountID, s.ID, origin); err != nil {
		return fmt.Errorf("fan out to author: %w", err)
	}
	if !scope.AuthorOnly {
		if err := q.fanOutToFollowers(ctx, s, origin, scope.ActiveSince); err != nil {
			return err
		}
	}
	if s.Visibility == starling.VisibilityDirect {
		return nil
	}
	return q.fanOutToLists(ctx, s, origin)
}

// fanOutToFollowers adds s to the home feeds of the author's followers who
// read theirs since activeSince and should see it.
func (q *queries) fanOutToFollowers(ctx context.Context, s *starling.Status, origin int64, activeSince time.Time) error {
	sel, a, err := q.followersToReach(ctx, s, origin, activeSince)
	if err != nil {
		return err
	}
	_, err = q.q.ExecContext(ctx, `INSERT INTO home_feed (account_id, status_id, origin_id, author_id)
		SELECT x.account_id, $1, $2, $3 FROM (`+sel+`) x WHERE TRUE ON CONFLICT DO NOTHING`, a...)
	if err != nil {
		return fmt.Errorf("fan out to followers: %w", err)
	}
	return nil
}

// followersToReach returns the query for the followers whose home feeds s
// goes to, with its arguments: $1 is s, $2 its origin, $3 its author.
func (q *queries) followersToReach(ctx context.Context, s *starling.Status, origin int64, activeSince time.Time) (string, args, error) {
	a := args{s.ID, origin, s.AccountID, ms(activeSince)}
	var w strings.Builder
	w.WriteString(`SELECT f.account_id FROM follows f WHERE f.target_account_id = $3 AND f.follower_active_at >= $4`)
	if s.Visibility == starling.VisibilityDirect {
		w.WriteString(` AND f.account_id IN (SELECT m.account_id FROM mentions m WHERE m.status_id = $1)`)
	}
	if s.ReblogOfID != 0 {
		w.WriteString(` AND f.show_reblogs = TRUE AND f.account_id <> (SELECT o.account_id FROM statuses o WHERE o.id = $2)
			AND NOT EXISTS (SELECT 1 FROM home_feed h WHERE h.account_id = f.account_id AND h.status_id = $2)`)
	}
	if r := s.InReplyToAccountID; r != 0 && r != s.AccountID {
		p := a.add(r)
		fmt.Fprintf(&w, ` AND (f.account_id = %s OR EXISTS (SELECT 1 FROM follows f2 WHERE f2.account_id = f.account_id AND f2.target_account_id = %s))`, p, p)
	}
	// Most authors are in nobody's exclusive list; ask once, not per follower.
	var exclusive int
	if err := q.q.QueryRowContext(ctx, `SELECT count(*) FROM list_members lm JOIN lists l ON l.id = lm.list_id
		WHERE lm.account_id = $1 AND l.exclusive = TRUE`, s.AccountID).Scan(&exclusive); err != nil {
		return "", nil, fmt.Errorf("fan out: exclusive lists: %w", err)
	}
	if exclusive > 0 {
		w.WriteString(` AND NOT EXISTS (SELECT 1 FROM list_members lm JOIN lists l ON l.id = lm.list_id
			WHERE lm.account_id = $3 AND l.account_id = f.account_id AND l.exclusive = TRUE)`)
	}
	return w.String(), a, nil
}

// fanOutToLists adds s to the lists that include its author, honouring each
// list's replies policy.
func (q *queries) fanOutToLists(ctx context.Context, s *starling.Status, origin int64) error {
	sel, a := listsToReach(s, origin)
	if _, err := q.q.ExecContext(ctx, `INSERT INTO list_feed (list_id, status_id, origin_id, author_id)
		SELECT x.list_id, $1, $2, $3 FROM (`+sel+`) x WHERE TRUE ON CONFLICT DO NOTHING`, a...); err != nil {
		return fmt.Errorf("fan out to lists: %w", err)
	}
	return nil
}

// listsToReach returns the query for the lists whose feeds s goes to, with
// its arguments: $1 is s, $2 its origin, $3 its author.
func listsToReach(s *starling.Status, origin int64) (string, args) {
	a := args{s.ID, origin, s.AccountID}
	var w strings.Builder
	w.WriteString(`SELECT lm.list_id FROM list_members lm JOIN lists l ON l.id = lm.list_id
		WHERE lm.account_id = $3 AND (l.account_id = $3 OR EXISTS (SELECT 1 FROM follows f WHERE f.account_id = l.account_id AND f.target_account_id = $3))`)
	if s.ReblogOfID != 0 {
		w.WriteString(` AND NOT EXISTS (SELECT 1 FROM list_feed x WHERE x.list_id = lm.list_id AND x.status_id = $2)`)
	}
	if r := s.InReplyToAccountID; r != 0 && r != s.AccountID {
		p := a.add(r)
		fmt.Fprintf(&w, ` AND (l.replies_policy = 'followed' AND (l.account_id = %[1]s OR EXISTS (SELECT 1 FROM follows f2 WHERE f2.account_id = l.account_id AND f2.target_account_id = %[1]s))
			OR l.replies_policy = 'list' AND EXISTS (SELECT 1 FROM list_members lm2 WHERE lm2.list_id = l.id AND lm2.account_id = %[1]s))`, p)
	}
	return w.String(), a
}

// FanOutTargets implements starling.FeedStore: FanOut's audience, read
// rather than written, for feeds kept elsewhere.
func (q *queries) FanOutTargets(ctx context.Context, s *starling.Status, scope starling.FanOutScope) (homes, lists []int64, err error) {
	origin := s.ID
	if s.ReblogOfID != 0 {
		origin = s.ReblogOfID
	}
	homes = []int64{s.AccountID}
	if !scope.AuthorOnly {
		sel, a, err := q.followersToReach(ctx, s, origin, scope.ActiveSince)
		if err != nil {
			return nil, nil, err
		}
		// $1 and $2 may go unused in the query; PostgreSQL needs their types.
		followers, err := q.ids(ctx, sel+` AND CAST($1 AS BIGINT) > 0 AND CAST($2 AS BIGINT) > 0`, a)
		if err != nil {
			return nil, nil, fmt.Errorf("fan-out audience: %w", err)
		}
		homes = append(homes, followers...)
	}
	if s.Visibility == starling.VisibilityDirect {
		return homes, nil, nil
	}
	sel, a := listsToReach(s, origin)
	if lists, err = q.ids(ctx, sel+` AND CAST($1 AS BIGINT) > 0 AND CAST($2 AS BIGINT) > 0`, a); err != nil {
		return nil, nil, fmt.Errorf("fan-out audience: lists: %w", err)
	}
	return homes, lists, nil
}

// RebuildHome implements starling.FeedStore.
func (q *queries) RebuildHome(ctx context.Context, accountID int64, perAuthor int) error {
	if _, err := q.q.ExecContext(ctx, `DELETE FROM home_feed WHERE account_id = $1`, accountID); err != nil {
		return fmt.Errorf("rebuild home: %w", err)
	}
	followees, err := q.ids(ctx, `SELECT target_account_id FROM follows WHERE account_id = $1`, args{accountID})
	if err != nil {
		return fmt.Errorf("rebuild home: %w", err)
	}
	for _, author := range append(followees, accountID) {
		if err := q.AddToHome(ctx, accountID, author, perAuthor); err != nil {
			return err
		}
	}
	return nil
}

// recentByAuthor selects up to limit recent non-direct statuses by an author
// that reader would see in a timeline (no replies to people reader does not follow).
const recentByAuthor = `SELECT s.id, coalesce(s.reblog_of_id, s.id) AS origin, s.account_id FROM statuses s
	WHERE s.account_id = $2 AND s.visibility IN ('public', 'unlisted', 'private')
	AND (s.in_reply_to_account_id IS NULL OR s.in_reply_to_account_id = s.account_id OR s.in_reply_to_account_id = $4
		OR EXISTS (SELECT 1 FROM follows f2 WHERE f2.account_id = $4 AND f2.target_account_id = s.in_reply_to_account_id))
	ORDER BY s.id DESC LIMIT $3`

// notShownYet keeps a backfilled entry out of a feed that shows its post
// already, as the post itself or as a reblog of it ($1 is the feed's key).
const notShownYet = ` NOT EXISTS (SELECT 1 FROM %[1]s h WHERE h.%[2]s = $1 AND h.status_id = x.origin)
	AND NOT EXISTS (SELECT 1 FROM %[1]s h WHERE h.%[2]s = $1 AND h.origin_id = x.origin AND h.origin_id <> h.status_id)`

// AddToHome implements starling.FeedStore.
func (q *queries) AddToHome(ctx context.Context, accountID, authorID int64, limit int) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO home_feed (account_id, status_id, origin_id, author_id)
		SELECT $1, x.id, x.origin, x.account_id FROM (`+recentByAuthor+`) x WHERE`+fmt.Sprintf(notShownYet, "home_feed", "account_id")+` ON CONFLICT DO NOTHING`,
		accountID, authorID, limit, accountID)
	if err != nil {
		return fmt.Errorf("merge into home: %w", err)
	}
	return nil
}

// RemoveFromHome implements starling.FeedStore.
func (q *queries) RemoveFromHome(ctx context.Context, accountID, authorID int64) error {
	_, err := q.q.ExecContext(ctx, `DELETE FROM home_feed WHERE account_id = $1 AND author_id = $2`, accountID, authorID)
	return err
}

// AddToList implements starling.FeedStore.
func (q *queries) AddToList(ctx context.Context, listID, memberID int64, limit int) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO list_feed (list_id, status_id, origin_id, author_id)
		SELECT $1, x.id, x.origin, x.account_id FROM (`+recentByAuthor+`) x WHERE`+fmt.Sprintf(notShownYet, "list_feed", "list_id")+` ON CONFLICT DO NOTHING`,
		listID, memberID, limit, int64(-1)) // reader -1 matches nobody: the backfill leaves out replies to others
	if err != nil {
		return fmt.Errorf("merge into list: %w", err)
	}
	return nil
}

// RemoveFromList implements starling.FeedStore.
func (q *queries) RemoveFromList(ctx context.Context, listID, memberID int64) error {
	_, err := q.q.ExecContext(ctx, `DELETE FROM list_feed WHERE list_id = $1 AND author_id = $2`, listID, memberID)
	return err
}

// HomeTimeline implements starling.FeedStore.
func (q *queries) HomeTimeline(ctx context.Context, accountID int64, p starling.Page) ([]int64, error) {
	a := args{accountID}
	where, order, rev := a.page("status_id", p)
	return q.pagedIDs(ctx, `SELECT status_id FROM home_feed WHERE account_id = $1`+where+order, a, rev)
}

// largeAccountFloor is the follower count above which the accounts_large
// index holds accounts.
const largeAccountFloor = 1000

// LargeAccounts implements starling.FeedStore, through accounts_large when
// the limit is above its floor (the engines use a partial index only when
// the query repeats its condition).
func (q *queries) LargeAccounts(ctx context.Context, minFollowers int) ([]int64, error) {
	query := `SELECT id FROM accounts WHERE followers_count > $1`
	if minFollowers >= largeAccountFloor {
		query += fmt.Sprintf(` AND followers_count > %d`, largeAccountFloor)
	}
	ids, err := q.ids(ctx, query, args{minFollowers})
	if err != nil {
		return nil, fmt.Errorf("large accounts: %w", err)
	}
	return ids, nil
}

// HomeFromAuthors implements starling.FeedStore with FanOut's rules turned
// into a read: what fan-out would have written for viewer.
func (q *queries) HomeFromAuthors(ctx context.Context, viewerID int64, authors []int64, p starling.Page) ([]int64, error) {
	if len(authors) == 0 {
		return nil, nil
	}
	a := args{viewerID}
	query := `SELECT s.id FROM statuses s JOIN follows f ON f.account_id = $1 AND f.target_account_id = s.account_id
		WHERE s.account_id IN ` + a.in(authors) + `
		AND (s.visibility <> 'direct' OR EXISTS (SELECT 1 FROM mentions m WHERE m.status_id = s.id AND m.account_id = $1))
		AND (s.reblog_of_id IS NULL OR f.show_reblogs = TRUE AND (SELECT o.account_id FROM statuses o WHERE o.id = s.reblog_of_id) <> $1)
		AND (s.in_reply_to_account_id IS NULL OR s.in_reply_to_account_id = s.account_id OR s.in_reply_to_account_id = $1
			OR EXISTS (SELECT 1 FROM follows f2 WHERE f2.account_id = $1 AND f2.target_account_id = s.in_reply_to_account_id))
		AND NOT EXISTS (SELECT 1 FROM list_members lm JOIN lists l ON l.id = lm.list_id
			WHERE lm.account_id = s.account_id AND l.account_id = $1 AND l.exclusive = TRUE)`
	where, order, rev := a.page("s.id", p)
	ids, err := q.pagedIDs(ctx, query+where+order, a, rev)
	if err != nil {
		return nil, fmt.Errorf("home from large accounts: %w", err)
	}
	return ids, nil
}

// ListFromMembers implements starling.FeedStore with fanOutToLists' rules
// turned into a read.
func (q *queries) ListFromMembers(ctx context.Context, listID int64, members []int64, p starling.Page) ([]int64, error) {
	if len(members) == 0 {
		return nil, nil
	}
	a := args{listID}
	query := `SELECT s.id FROM statuses s JOIN lists l ON l.id = $1
		WHERE s.account_id IN ` + a.in(members) + `
		AND EXISTS (SELECT 1 FROM list_members lm WHERE lm.list_id = l.id AND lm.account_id = s.account_id)
		AND s.visibility <> 'direct'
		AND (l.account_id = s.account_id OR EXISTS (SELECT 1 FROM follows f WHERE f.account_id = l.account_id AND f.target_account_id = s.account_id))
		AND (s.in_reply_to_account_id IS NULL OR s.in_reply_to_account_id = s.account_id
			OR l.replies_policy = 'followed' AND (l.account_id = s.in_reply_to_account_id
				OR EXISTS (SELECT 1 FROM follows f2 WHERE f2.account_id = l.account_id AND f2.target_account_id = s.in_reply_to_account_id))
			OR l.replies_policy = 'list' AND EXISTS (SELECT 1 FROM list_members lm2 WHERE lm2.list_id = l.id AND lm2.account_id = s.in_reply_to_account_id))`
	where, order, rev := a.page("s.id", p)
	ids, err := q.pagedIDs(ctx, query+where+order, a, rev)
	if err != nil {
		return nil, fmt.Errorf("list from members: %w", err)
	}
	return ids, nil
}

// ListTimeline implements starling.FeedStore.
func (q *queries) ListTimeline(ctx context.Context, listID int64, p starling.Page) ([]int64, error) {
	a := args{listID}
	where, order, rev := a.page("status_id", p)
	return q.pagedIDs(ctx, `SELECT status_id FROM list_feed WHERE list_id = $1`+where+order, a, rev)
}

// PublicTimeline implements starling.FeedStore. Like Mastodon's, it leaves
// out reblogs and replies to other people; threads by one author stay.
func (q *queries) PublicTimeline(ctx context.Context, f starling.PublicFilter, p starling.Page) ([]int64, error) {
	if f.RemoteOnly || f.OnlyMedia { // no remote statuses before federation, no media before uploads
		return nil, nil
	}
	var a args
	where, order, rev := a.page("s.id", p)
	return q.pagedIDs(ctx, `SELECT s.id FROM statuses s WHERE s.visibility = 'public' AND s.reblog_of_id IS NULL
		AND (s.in_reply_to_account_id IS NULL OR s.in_reply_to_account_id = s.account_id)`+localFilter(f)+where+order, a, rev)
}

func localFilter(f starling.PublicFilter) string {
	if f.LocalOnly {
		return ` AND s.local = TRUE`
	}
	return ""
}

// TagTimeline implements starling.FeedStore.
func (q *queries) TagTimeline(ctx context.Context, tq starling.TagQuery, f starling.PublicFilter, p starling.Page) ([]int64, error) {
	if f.RemoteOnly || f.OnlyMedia {
		return nil, nil
	}
	var a args
	var w strings.Builder
	fmt.Fprintf(&w, `SELECT DISTINCT st.status_id FROM status_tags st JOIN statuses s ON s.id = st.status_id
		WHERE st.tag IN %s AND s.visibility = 'public' AND s.reblog_of_id IS NULL`, a.inStrings(tq.Any))
	w.WriteString(localFilter(f))
	for _, t := range tq.All {
		fmt.Fprintf(&w, ` AND EXISTS (SELECT 1 FROM status_tags x WHERE x.status_id = st.status_id AND x.tag = %s)`, a.add(t))
	}
	if len(tq.None) > 0 {
		fmt.Fprintf(&w, ` AND NOT EXISTS (SELECT 1 FROM status_tags x WHERE x.status_id = st.status_id AND x.tag IN %s)`, a.inStrings(tq.None))
	}
	where, order, rev := a.page("st.status_id", p)
	return q.pagedIDs(ctx, w.String()+where+order, a, rev)
}
