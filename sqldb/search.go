package sqldb

import (
	"context"
	"fmt"
	"strings"

	"starling"
)

// searchConfig is the PostgreSQL text-search configuration of statuses.search
// (migration 0011): English stemming, as the porter tokenizer gives the
// SQLite index, so "carers" finds "carer" on both engines.
const searchConfig = "english"

// fewStatuses is how many statuses an account may have for a search of
// its statuses to test each against the full-text index rather than read
// the index's matches (dialect.matchText): 500 lookups take 5 to 50 ms,
// while a common word can match a third of all posts.
const fewStatuses = 500

// SearchStatuses implements starling.SearchStore. The index holds every
// status that is not a reblog, kept in step by the database itself (FTS5
// triggers on SQLite, a generated column on PostgreSQL); who may find what
// is decided here, per row.
func (q *queries) SearchStatuses(ctx context.Context, f starling.StatusSearch) ([]int64, error) {
	if f.Limit <= 0 {
		f.Limit = 20
	}
	var a args
	from, idCol := `statuses s`, `s.id`
	var w strings.Builder
	if len(f.Words)+len(f.Phrases)+len(f.Without) > 0 {
		few := false
		if f.AccountID != 0 {
			var posted int
			err := q.q.QueryRowContext(ctx, `SELECT statuses_count FROM accounts WHERE id = $1`, f.AccountID).Scan(&posted)
			if err := notFound(err); starling.ErrorCode(err) == starling.ENOTFOUND {
				return nil, nil
			} else if err != nil {
				return nil, fmt.Errorf("search statuses: %w", err)
			}
			few = posted <= fewStatuses
		}
		var cond string
		from, cond, idCol = q.d.matchText(&a, f, few)
		w.WriteString(` AND ` + cond)
	}
	w.WriteString(` AND s.reblog_of_id IS NULL`)
	if f.AccountID != 0 {
		fmt.Fprintf(&w, ` AND s.account_id = %s`, a.add(f.AccountID))
	}
	if f.HasMedia {
		w.WriteString(` AND s.media_count > 0`)
	}
	if f.MaxID != 0 {
		fmt.Fprintf(&w, ` AND %s < %s`, idCol, a.add(f.MaxID))
	}
	if f.MinID != 0 {
		fmt.Fprintf(&w, ` AND %s > %s`, idCol, a.add(f.MinID))
	}
	// What the searcher may find: the public posts of accounts that let
	// themselves be found, and their unlisted and followers-only posts too
	// if the searcher follows them (their home timeline shows those); and
	// whatever the searcher wrote, was mentioned in or kept. The author
	// comes by a join, not a subquery, so that PostgreSQL can hash the
	// accounts once when it reads many matches, or look each author up
	// when it reads few (at 1,000,000 posts, 8 ms rather than 14 ms for a
	// word in 4,000 posts).
	w.WriteString(` AND (acc.discoverable AND (s.visibility = 'public'`)
	if f.ViewerID != 0 {
		v := a.add(f.ViewerID)
		fmt.Fprintf(&w, ` OR s.visibility IN ('unlisted', 'private')
				AND EXISTS (SELECT 1 FROM follows fo WHERE fo.account_id = %[1]s AND fo.target_account_id = s.account_id))
			OR s.account_id = %[1]s
			OR EXISTS (SELECT 1 FROM mentions m WHERE m.status_id = s.id AND m.account_id = %[1]s)
			OR EXISTS (SELECT 1 FROM favourites fav WHERE fav.status_id = s.id AND fav.account_id = %[1]s)
			OR EXISTS (SELECT 1 FROM bookmarks bm WHERE bm.status_id = s.id AND bm.account_id = %[1]s)
			OR EXISTS (SELECT 1 FROM statuses rb WHERE rb.reblog_of_id = s.id AND rb.account_id = %[1]s)`, v)
	} else {
		w.WriteString(`)`)
	}
	w.WriteString(`)`)
	query := `SELECT s.id FROM ` + from + ` JOIN accounts acc ON acc.id = s.account_id WHERE TRUE` + w.String() +
		` ORDER BY ` + idCol + ` DESC LIMIT ` + a.add(f.Limit) + ` OFFSET ` + a.add(max(f.Offset, 0))
	rows, err := q.q.QueryUnpreparedContext(ctx, query, append(q.d.planEachRun(), a...)...)
	if err != nil {
		return nil, fmt.Errorf("search statuses: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("search statuses: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// fts5Query writes an FTS5 query that matches text holding every one of
// terms and none of without. Each term is one FTS5 string, in double
// quotes with its own double quotes doubled: inside a string FTS5 sees no
// operators, column filters, prefixes or NEAR groups, only text that its
// tokenizer splits into words, which must then appear one after another.
// A string with no word in it matches nothing on its own and is ignored
// beside others. With no terms, it is the query for any of without.
func fts5Query(terms, without []string) string {
	quote := func(t string) string { return `"` + strings.ReplaceAll(t, `"`, `""`) + `"` }
	var b strings.Builder
	if len(terms) == 0 {
		for i, t := range without {
			if i > 0 {
				b.WriteString(" OR ")
			}
			b.WriteString(quote(t))
		}
		return b.String()
	}
	b.WriteByte('(')
	for i, t := range terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quote(t))
	}
	b.WriteByte(')')
	for _, t := range without {
		b.WriteString(" NOT " + quote(t))
	}
	return b.String()
}
