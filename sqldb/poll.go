package sqldb

import (
	"context"
	"fmt"
	"time"

	"starling"
)

// CreatePoll implements starling.PollStore.
func (q *queries) CreatePoll(ctx context.Context, p *starling.Poll) error {
	if _, err := q.q.ExecContext(ctx, `INSERT INTO polls (id, status_id, account_id, expires_at, multiple, hide_totals, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, p.ID, p.StatusID, p.AccountID, ms(p.ExpiresAt), p.Multiple, p.HideTotals, ms(p.CreatedAt)); err != nil {
		return fmt.Errorf("create poll: %w", err)
	}
	for i, o := range p.Options {
		if _, err := q.q.ExecContext(ctx, `INSERT INTO poll_options (poll_id, position, title) VALUES ($1, $2, $3)`, p.ID, i, o.Title); err != nil {
			return fmt.Errorf("create poll option: %w", err)
		}
	}
	if _, err := q.q.ExecContext(ctx, `UPDATE statuses SET poll_id = $1 WHERE id = $2`, p.ID, p.StatusID); err != nil {
		return fmt.Errorf("mark status with poll: %w", err)
	}
	q.touch.status(p.StatusID)
	return nil
}

// Polls implements starling.PollStore.
func (q *queries) Polls(ctx context.Context, ids []int64, viewerID int64) (map[int64]*starling.Poll, error) {
	out := map[int64]*starling.Poll{}
	if len(ids) == 0 {
		return out, nil
	}
	var a args
	in := a.in(ids)
	rows, err := q.q.QueryContext(ctx, `SELECT id, status_id, account_id, expires_at, multiple, hide_totals, voters_count, created_at
		FROM polls WHERE id IN `+in, a...)
	if err != nil {
		return nil, fmt.Errorf("read polls: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p := &starling.Poll{}
		var expires, created int64
		if err := rows.Scan(&p.ID, &p.StatusID, &p.AccountID, &expires, &p.Multiple, &p.HideTotals, &p.VotersCount, &created); err != nil {
			return nil, err
		}
		p.ExpiresAt, p.CreatedAt = fromMS(expires), fromMS(created)
		out[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	opts, err := q.q.QueryContext(ctx, `SELECT poll_id, title, votes_count FROM poll_options WHERE poll_id IN `+in+` ORDER BY poll_id, position`, a...)
	if err != nil {
		return nil, fmt.Errorf("read poll options: %w", err)
	}
	defer opts.Close()
	for opts.Next() {
		var id int64
		var o starling.PollOption
		if err := opts.Scan(&id, &o.Title, &o.Votes); err != nil {
			return nil, err
		}
		if p := out[id]; p != nil {
			p.Options = append(p.Options, o)
		}
	}
	if err := opts.Err(); err != nil {
		return nil, err
	}
	opts.Close()
	if viewerID == 0 {
		return out, nil
	}
	b := args{viewerID}
	votes, err := q.q.QueryContext(ctx, `SELECT poll_id, choice FROM poll_votes WHERE account_id = $1 AND poll_id IN `+b.in(ids)+` ORDER BY poll_id, choice`, b...)
	if err != nil {
		return nil, fmt.Errorf("read own votes: %w", err)
	}
	defer votes.Close()
	for votes.Next() {
		var id int64
		var c int
		if err := votes.Scan(&id, &c); err != nil {
			return nil, err
		}
		if p := out[id]; p != nil {
			p.OwnVotes = append(p.OwnVotes, c)
		}
	}
	return out, votes.Err()
}

// Vote implements starling.PollStore.
func (q *queries) Vote(ctx context.Context, p *starling.Poll, accountID int64, choices []int, now time.Time) error {
	for _, c := range choices {
		if _, err := q.q.ExecContext(ctx, `INSERT INTO poll_votes (poll_id, account_id, choice, created_at) VALUES ($1, $2, $3, $4)`,
			p.ID, accountID, c, ms(now)); err != nil {
			if q.d.isUniqueViolation(err) {
				return starling.Errorf(starling.EINVALID, "Validation failed: You have already voted on this poll")
			}
			return fmt.Errorf("vote: %w", err)
		}
		if _, err := q.q.ExecContext(ctx, `UPDATE poll_options SET votes_count = votes_count + 1 WHERE poll_id = $1 AND position = $2`, p.ID, c); err != nil {
			return fmt.Errorf("count vote: %w", err)
		}
	}
	if _, err := q.q.ExecContext(ctx, `UPDATE polls SET voters_count = voters_count + 1 WHERE id = $1`, p.ID); err != nil {
		return fmt.Errorf("count voter: %w", err)
	}
	return nil
}

// PollVotes implements starling.PollStore.
func (q *queries) PollVotes(ctx context.Context, pollID int64) ([]starling.PollVote, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT account_id, choice, created_at FROM poll_votes WHERE poll_id = $1 ORDER BY created_at, account_id, choice`, pollID)
	if err != nil {
		return nil, fmt.Errorf("read votes: %w", err)
	}
	defer rows.Close()
	var out []starling.PollVote
	for rows.Next() {
		var v starling.PollVote
		var at int64
		if err := rows.Scan(&v.AccountID, &v.Choice, &at); err != nil {
			return nil, err
		}
		v.CreatedAt = fromMS(at)
		out = append(out, v)
	}
	return out, rows.Err()
}
