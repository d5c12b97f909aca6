package sqldb

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"starling"
)

const statusColumns = `id, account_id, text, content, spoiler_text, sensitive, visibility, language,
	coalesce(in_reply_to_id, 0), coalesce(in_reply_to_account_id, 0), coalesce(reblog_of_id, 0), conversation_id,
	coalesce(application_id, 0), created_at, edited_at, replies_count, reblogs_count, favourites_count, media_count, coalesce(poll_id, 0), coalesce(card_id, 0),
	coalesce(quote_of_id, 0), quote_state, quote_policy, quotes_count, held_for_review, author_deleted`

// statusRow receives statusColumns from a row and builds the Status.
type statusRow struct {
	s               starling.Status
	vis             string
	created, edited int64
	quotePolicy     string
}

func (r *statusRow) dest() []any {
	s := &r.s
	return []any{&s.ID, &s.AccountID, &s.Text, &s.Content, &s.SpoilerText, &s.Sensitive, &r.vis, &s.Language,
		&s.InReplyToID, &s.InReplyToAccountID, &s.ReblogOfID, &s.ConversationID,
		&s.ApplicationID, &r.created, &r.edited, &s.RepliesCount, &s.ReblogsCount, &s.FavouritesCount, &s.MediaCount, &s.PollID, &s.CardID,
		&s.QuoteOfID, &s.QuoteState, &r.quotePolicy, &s.QuotesCount, &s.HeldForReview, &s.AuthorDeleted}
}

func (r *statusRow) status() *starling.Status {
	s := r.s
	s.Visibility, s.CreatedAt, s.EditedAt = starling.Visibility(r.vis), fromMS(r.created), fromMS(r.edited)
	s.QuotePolicy = starling.QuotePolicy(r.quotePolicy)
	return &s
}

func scanStatus(row interface{ Scan(...any) error }) (*starling.Status, error) {
	var r statusRow
	if err := row.Scan(r.dest()...); err != nil {
		return nil, err
	}
	return r.status(), nil
}

// CreateStatus implements starling.StatusStore.
func (q *queries) CreateStatus(ctx context.Context, s *starling.Status) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO statuses (id, account_id, text, content, spoiler_text, sensitive, visibility, language,
		in_reply_to_id, in_reply_to_account_id, reblog_of_id, conversation_id, application_id, created_at, media_count,
		quote_of_id, quote_state, quote_policy, author_deleted)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
		  (SELECT deleted_at > 0 FROM accounts WHERE id = $2))`, // a post racing its author's deletion is born hidden
		s.ID, s.AccountID, s.Text, s.Content, s.SpoilerText, s.Sensitive, string(s.Visibility), s.Language,
		nullID(s.InReplyToID), nullID(s.InReplyToAccountID), nullID(s.ReblogOfID), s.ConversationID, nullID(s.ApplicationID), ms(s.CreatedAt), len(s.MediaIDs),
		nullID(s.QuoteOfID), s.QuoteState, string(cmp.Or(s.QuotePolicy, starling.QuotePublic)))
	if q.d.isUniqueViolation(err) && s.ReblogOfID != 0 {
		return starling.Errorf(starling.EINVALID, "Validation failed: You have already reblogged this post")
	} else if err != nil {
		return fmt.Errorf("insert status: %w", err)
	}
	q.touch.account(s.AccountID)
	q.touch.status(s.InReplyToID, s.ReblogOfID, s.QuoteOfID) // their counters change
	if s.QuoteOfID != 0 && s.QuoteState == starling.QuoteAccepted {
		if err := q.countQuote(ctx, s.QuoteOfID, 1); err != nil {
			return err
		}
	}
	if err := q.writeTags(ctx, s); err != nil {
		return err
	}
	if err := q.writeMentions(ctx, s); err != nil {
		return err
	}
	if err := q.attachMedia(ctx, s); err != nil {
		return err
	}
	if s.Visibility != starling.VisibilityDirect {
		if _, err := q.q.ExecContext(ctx, `UPDATE accounts SET statuses_count = statuses_count + 1, last_status_at = $1 WHERE id = $2`, ms(s.CreatedAt), s.AccountID); err != nil {
			return fmt.Errorf("count status: %w", err)
		}
	}
	if s.InReplyToID != 0 {
		if _, err := q.q.ExecContext(ctx, `UPDATE statuses SET replies_count = replies_count + 1 WHERE id = $1`, s.InReplyToID); err != nil {
			return fmt.Errorf("count reply: %w", err)
		}
	}
	if s.ReblogOfID != 0 {
		if _, err := q.q.ExecContext(ctx, `UPDATE statuses SET reblogs_count = reblogs_count + 1 WHERE id = $1`, s.ReblogOfID); err != nil {
			return fmt.Errorf("count reblog: %w", err)
		}
	}
	return nil
}

func (q *queries) writeTags(ctx context.Context, s *starling.Status) error {
	for _, tag := range s.Tags {
		if _, err := q.q.ExecContext(ctx, `INSERT INTO tags (name, display_name, uses, created_at, last_status_at) VALUES ($1, $1, 1, $2, $2)
			ON CONFLICT (name) DO UPDATE SET uses = tags.uses + 1, last_status_at = excluded.last_status_at`, tag, ms(s.CreatedAt)); err != nil {
			return fmt.Errorf("insert tag: %w", err)
		}
		if _, err := q.q.ExecContext(ctx, `INSERT INTO status_tags (tag, status_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, tag, s.ID); err != nil {
			return fmt.Errorf("insert status tag: %w", err)
		}
	}
	return nil
}

func (q *queries) writeMentions(ctx context.Context, s *starling.Status) error {
	for i, id := range s.MentionIDs {
		if _, err := q.q.ExecContext(ctx, `INSERT INTO mentions (status_id, account_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, s.ID, id, i); err != nil {
			return fmt.Errorf("insert mention: %w", err)
		}
	}
	return nil
}

// UpdateStatus implements starling.StatusStore.
func (q *queries) UpdateStatus(ctx context.Context, s *starling.Status) error {
	n, err := q.exec(ctx, `UPDATE statuses SET text = $1, content = $2, spoiler_text = $3, sensitive = $4, language = $5, edited_at = $6 WHERE id = $7`,
		s.Text, s.Content, s.SpoilerText, s.Sensitive, s.Language, ms(s.EditedAt), s.ID)
	q.touch.status(s.ID)
	if err != nil {
		return fmt.Errorf("update status: %w", err)
	} else if n == 0 {
		return starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	for _, stmt := range []string{`DELETE FROM status_tags WHERE status_id = $1`, `DELETE FROM mentions WHERE status_id = $1`} {
		if _, err := q.q.ExecContext(ctx, stmt, s.ID); err != nil {
			return fmt.Errorf("update status: %w", err)
		}
	}
	if err := q.writeTags(ctx, s); err != nil {
		return err
	}
	return q.writeMentions(ctx, s)
}

// CreateStatusEdit implements starling.StatusStore.
func (q *queries) CreateStatusEdit(ctx context.Context, e *starling.StatusEdit) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO status_edits (id, status_id, account_id, text, content, spoiler_text, sensitive, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e.ID, e.StatusID, e.AccountID, e.Text, e.Content, e.SpoilerText, e.Sensitive, ms(e.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert status edit: %w", err)
	}
	return nil
}

// DeleteStatus implements starling.StatusStore. Foreign keys cascade to the
// status's reblogs, feed entries, favourites, bookmarks, notifications and
// history; counters that cascades cannot fix are fixed first.
func (q *queries) DeleteStatus(ctx context.Context, s *starling.Status) error {
	// The reblogs go too, by cascade: note them and their authors for the caches.
	reblogs, err := q.refs(ctx, `SELECT id, account_id FROM statuses WHERE reblog_of_id = $1`, args{s.ID}, false)
	if err != nil {
		return fmt.Errorf("delete status: %w", err)
	}
	for _, r := range reblogs {
		q.touch.status(r[0])
		q.touch.account(r[1])
	}
	q.touch.status(s.ID, s.InReplyToID, s.ReblogOfID)
	q.touch.account(s.AccountID)
	type stmt struct {
		sql  string
		args []any
	}
	stmts := []stmt{
		// Rebloggers lose a status each.
		{`UPDATE accounts SET statuses_count = statuses_count - 1 WHERE id IN (SELECT account_id FROM statuses WHERE reblog_of_id = $1 AND visibility <> 'direct')`, []any{s.ID}},
		// Direct conversations whose last message goes fall back to the one before.
		{`UPDATE account_conversations SET last_status_id = coalesce((SELECT max(o.id) FROM statuses o
			WHERE o.conversation_id = account_conversations.conversation_id AND o.visibility = 'direct' AND o.id <> $1), 0)
			WHERE last_status_id = $1`, []any{s.ID}},
		{`DELETE FROM account_conversations WHERE last_status_id = 0`, nil},
	}
	if s.Visibility != starling.VisibilityDirect {
		stmts = append(stmts, stmt{`UPDATE accounts SET statuses_count = statuses_count - 1 WHERE id = $1`, []any{s.AccountID}})
	}
	if s.InReplyToID != 0 {
		stmts = append(stmts, stmt{`UPDATE statuses SET replies_count = replies_count - 1 WHERE id = $1 AND replies_count > 0`, []any{s.InReplyToID}})
	}
	if s.ReblogOfID != 0 {
		stmts = append(stmts, stmt{`UPDATE statuses SET reblogs_count = reblogs_count - 1 WHERE id = $1 AND reblogs_count > 0`, []any{s.ReblogOfID}})
	}
	if s.QuoteOfID != 0 { // an accepted quote, as stored, counts no more
		q.touch.status(s.QuoteOfID)
		stmts = append(stmts, stmt{`UPDATE statuses SET quotes_count = quotes_count - 1 WHERE quotes_count > 0
			AND id = (SELECT quote_of_id FROM statuses WHERE id = $1 AND quote_state = 'accepted')`, []any{s.ID}})
	}
	stmts = append(stmts, stmt{`DELETE FROM statuses WHERE id = $1`, []any{s.ID}})
	for _, st := range stmts {
		if _, err := q.q.ExecContext(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("delete status: %w", err)
		}
	}
	return nil
}

// Status implements starling.StatusStore.
func (q *queries) Status(ctx context.Context, id int64) (*starling.Status, error) {
	m, err := q.Statuses(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if s, ok := m[id]; ok {
		return s, nil
	}
	return nil, starling.Errorf(starling.ENOTFOUND, "Record not found")
}

// Statuses implements starling.StatusStore, through the row cache outside
// transactions.
func (q *queries) Statuses(ctx context.Context, ids []int64) (map[int64]*starling.Status, error) {
	if q.cache == nil || len(ids) == 0 {
		return q.statusesFromDB(ctx, ids)
	}
	now := time.Now()
	hits, missing, epoch := q.cache.statuses.lookup(ids, now)
	// The originals of cached reblogs are wanted too.
	var originals []int64
	for _, s := range hits {
		if _, ok := hits[s.ReblogOfID]; s.ReblogOfID != 0 && !ok {
			originals = append(originals, s.ReblogOfID)
		}
	}
	if len(originals) > 0 {
		more, alsoMissing, _ := q.cache.statuses.lookup(originals, now)
		for id, s := range more {
			hits[id] = s
		}
		missing = append(missing, alsoMissing...)
	}
	out := make(map[int64]*starling.Status, len(ids))
	for id, s := range hits {
		out[id] = &s
	}
	if len(missing) == 0 {
		return out, nil
	}
	fetched, err := q.statusesFromDB(ctx, missing)
	if err != nil {
		return nil, err
	}
	vals := make(map[int64]starling.Status, len(fetched))
	for id, s := range fetched {
		out[id] = s
		vals[id] = *s
	}
	q.cache.statuses.put(vals, epoch, now)
	return out, nil
}

// statusesFromDB reads statuses in one query whatever the number of IDs,
// the originals of reblogs included: tags and mentions come aggregated into
// a column each.
func (q *queries) statusesFromDB(ctx context.Context, ids []int64) (map[int64]*starling.Status, error) {
	out := make(map[int64]*starling.Status, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var a args
	in := a.in(ids)
	cols := statusColumns + `,
		coalesce((SELECT ` + q.d.listAgg("st.tag", " ", "st.tag") + ` FROM status_tags st WHERE st.status_id = statuses.id), ''),
		coalesce((SELECT ` + q.d.listAgg("m.account_id", ",", "m.position") + ` FROM mentions m WHERE m.status_id = statuses.id), '')`
	// Two index lookups joined by UNION ALL; "id IN … OR id IN (subquery)"
	// would make PostgreSQL scan the whole table. A status in both halves
	// comes twice and lands once in the map.
	rows, err := q.q.QueryContext(ctx, `SELECT `+cols+` FROM statuses WHERE id IN `+in+`
		UNION ALL SELECT `+cols+` FROM statuses WHERE id IN (SELECT reblog_of_id FROM statuses WHERE id IN `+in+` AND reblog_of_id IS NOT NULL)`, a...)
	if err != nil {
		return nil, fmt.Errorf("select statuses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r statusRow
		var tags, mentions string
		if err := rows.Scan(append(r.dest(), &tags, &mentions)...); err != nil {
			return nil, err
		}
		s := r.status()
		s.Tags = strings.Fields(tags)
		for _, m := range strings.Split(mentions, ",") {
			if id, err := strconv.ParseInt(m, 10, 64); err == nil {
				s.MentionIDs = append(s.MentionIDs, id)
			}
		}
		out[s.ID] = s
	}
	return out, rows.Err()
}

type idString struct {
	id int64
	s  string
}

func (q *queries) stringPairs(ctx context.Context, query string, a args) ([]idString, error) {
	rows, err := q.q.QueryContext(ctx, query, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []idString
	for rows.Next() {
		var p idString
		if err := rows.Scan(&p.id, &p.s); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// StatusHistory implements starling.StatusStore.
func (q *queries) StatusHistory(ctx context.Context, statusID int64) ([]*starling.StatusEdit, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT id, status_id, account_id, text, content, spoiler_text, sensitive, created_at
		FROM status_edits WHERE status_id = $1 ORDER BY id`, statusID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*starling.StatusEdit
	for rows.Next() {
		var e starling.StatusEdit
		var created int64
		if err := rows.Scan(&e.ID, &e.StatusID, &e.AccountID, &e.Text, &e.Content, &e.SpoilerText, &e.Sensitive, &created); err != nil {
			return nil, err
		}
		e.CreatedAt = fromMS(created)
		out = append(out, &e)
	}
	return out, rows.Err()
}

// AccountStatuses implements starling.StatusStore.
func (q *queries) AccountStatuses(ctx context.Context, accountID int64, f starling.AccountStatusesFilter, p starling.Page) ([]int64, error) {
	var a args
	var w strings.Builder
	fmt.Fprintf(&w, `SELECT s.id FROM statuses s WHERE s.account_id = %s`, a.add(accountID))
	vis := make([]string, len(f.Visibilities))
	for i, v := range f.Visibilities {
		vis[i] = string(v)
	}
	if f.ViewerID != 0 {
		v := a.add(f.ViewerID)
		fmt.Fprintf(&w, ` AND (s.visibility IN %s
			OR s.visibility = 'private' AND EXISTS (SELECT 1 FROM follows f WHERE f.account_id = %[2]s AND f.target_account_id = s.account_id)
			OR EXISTS (SELECT 1 FROM mentions m WHERE m.status_id = s.id AND m.account_id = %[2]s))`, a.inStrings(vis), v)
	} else {
		fmt.Fprintf(&w, ` AND s.visibility IN %s`, a.inStrings(vis))
	}
	if f.ExcludeReplies {
		w.WriteString(` AND (s.in_reply_to_id IS NULL OR s.in_reply_to_account_id = s.account_id)`)
	}
	if f.ExcludeReblogs {
		w.WriteString(` AND s.reblog_of_id IS NULL`)
	}
	if f.Pinned {
		w.WriteString(` AND EXISTS (SELECT 1 FROM pins p WHERE p.account_id = s.account_id AND p.status_id = s.id)`)
	}
	if f.Tagged != "" {
		fmt.Fprintf(&w, ` AND EXISTS (SELECT 1 FROM status_tags t WHERE t.status_id = s.id AND t.tag = %s)`, a.add(f.Tagged))
	}
	where, order, reversed := a.page("s.id", p)
	return q.pagedIDs(ctx, w.String()+where+order, a, reversed)
}

// ConversationStatuses implements starling.StatusStore.
func (q *queries) ConversationStatuses(ctx context.Context, conversationID int64, limit int) ([]int64, error) {
	return q.ids(ctx, `SELECT id FROM statuses WHERE conversation_id = $1 AND reblog_of_id IS NULL ORDER BY id LIMIT $2`, args{conversationID, limit})
}

// ReblogOf implements starling.StatusStore.
func (q *queries) ReblogOf(ctx context.Context, accountID, statusID int64) (*starling.Status, error) {
	s, err := scanStatus(q.q.QueryRowContext(ctx, `SELECT `+statusColumns+` FROM statuses WHERE account_id = $1 AND reblog_of_id = $2`, accountID, statusID))
	return s, notFound(err)
}

// ViewerStates implements starling.StatusStore in one round trip.
func (q *queries) ViewerStates(ctx context.Context, accountID int64, statusIDs []int64) (map[int64]starling.StatusViewer, error) {
	out := make(map[int64]starling.StatusViewer, len(statusIDs))
	if len(statusIDs) == 0 {
		return out, nil
	}
	var a args
	viewer := a.add(accountID)
	in := a.in(statusIDs)
	pairs, err := q.stringPairs(ctx, `SELECT status_id, 'f' FROM favourites WHERE account_id = `+viewer+` AND status_id IN `+in+`
		UNION ALL SELECT status_id, 'b' FROM bookmarks WHERE account_id = `+viewer+` AND status_id IN `+in+`
		UNION ALL SELECT status_id, 'p' FROM pins WHERE account_id = `+viewer+` AND status_id IN `+in+`
		UNION ALL SELECT reblog_of_id, 'r' FROM statuses WHERE account_id = `+viewer+` AND reblog_of_id IN `+in, a)
	if err != nil {
		return nil, fmt.Errorf("viewer states: %w", err)
	}
	for _, p := range pairs {
		v := out[p.id]
		switch p.s {
		case "f":
			v.Favourited = true
		case "b":
			v.Bookmarked = true
		case "p":
			v.Pinned = true
		case "r":
			v.Reblogged = true
		}
		out[p.id] = v
	}
	return out, nil
}

// StatusByIdempotencyKey implements starling.StatusStore.
func (q *queries) StatusByIdempotencyKey(ctx context.Context, accountID int64, key string, since time.Time) (int64, error) {
	if !q.d.singleWriter() {
		// PostgreSQL runs writers side by side: without this, two requests
		// with one key could each find none and each post. The second now
		// waits here until the first commits, then finds its key.
		if _, err := q.q.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, $2))`, key, accountID); err != nil {
			return 0, fmt.Errorf("lock idempotency key: %w", err)
		}
	}
	var id int64
	err := q.q.QueryRowContext(ctx, `SELECT status_id FROM idempotency_keys WHERE account_id = $1 AND key = $2 AND created_at >= $3`,
		accountID, key, ms(since)).Scan(&id)
	return id, notFound(err)
}

// SaveIdempotencyKey implements starling.StatusStore; it also forgets the
// account's keys older than a day, so the table stays small.
func (q *queries) SaveIdempotencyKey(ctx context.Context, accountID int64, key string, statusID int64, at time.Time) error {
	if _, err := q.q.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE account_id = $1 AND (key = $2 OR created_at < $3)`,
		accountID, key, ms(at.Add(-24*time.Hour))); err != nil {
		return fmt.Errorf("expire idempotency keys: %w", err)
	}
	_, err := q.q.ExecContext(ctx, `INSERT INTO idempotency_keys (account_id, key, status_id, created_at) VALUES ($1, $2, $3, $4)`,
		accountID, key, statusID, ms(at))
	if err != nil {
		return fmt.Errorf("save idempotency key: %w", err)
	}
	return nil
}

// SetQuoteState implements starling.QuoteStore, keeping the quoted post's
// count of accepted quotes.
func (q *queries) SetQuoteState(ctx context.Context, statusID int64, state string) error {
	var quoted int64
	var was string
	if err := q.q.QueryRowContext(ctx, `SELECT coalesce(quote_of_id, 0), quote_state FROM statuses WHERE id = $1`, statusID).Scan(&quoted, &was); err != nil {
		return fmt.Errorf("set quote state: %w", notFound(err))
	}
	if _, err := q.q.ExecContext(ctx, `UPDATE statuses SET quote_state = $1 WHERE id = $2`, state, statusID); err != nil {
		return fmt.Errorf("set quote state: %w", err)
	}
	q.touch.status(statusID)
	switch {
	case quoted == 0 || (was == starling.QuoteAccepted) == (state == starling.QuoteAccepted):
	case state == starling.QuoteAccepted:
		return q.countQuote(ctx, quoted, 1)
	default:
		return q.countQuote(ctx, quoted, -1)
	}
	return nil
}

// countQuote adds delta to a post's count of accepted quotes.
func (q *queries) countQuote(ctx context.Context, quotedID int64, delta int) error {
	if _, err := q.q.ExecContext(ctx, `UPDATE statuses SET quotes_count = quotes_count + $1 WHERE id = $2`, delta, quotedID); err != nil {
		return fmt.Errorf("count quote: %w", err)
	}
	q.touch.status(quotedID)
	return nil
}

// Quotes implements starling.QuoteStore.
func (q *queries) Quotes(ctx context.Context, statusID int64, p starling.Page) ([]int64, error) {
	a := args{statusID}
	where, order, rev := a.page("id", p)
	return q.pagedIDs(ctx, `SELECT id FROM statuses WHERE quote_of_id = $1`+where+order, a, rev)
}
