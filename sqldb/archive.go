package sqldb

import (
	"context"
	"fmt"
	"time"

	"starling"
)

// ArchiveStatusIDs implements starling.ArchiveStore.
func (q *queries) ArchiveStatusIDs(ctx context.Context, accountID, before int64, limit int) ([]int64, error) {
	if before <= 0 {
		before = maxID
	}
	return q.ids(ctx, `SELECT id FROM statuses WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, args{accountID, before, limit})
}

// ArchiveStatuses implements starling.ArchiveStore.
func (q *queries) ArchiveStatuses(ctx context.Context, ids []int64) (map[int64]*starling.Status, error) {
	return q.statusesFromDB(ctx, ids)
}

// SentFollowRequests implements starling.ArchiveStore.
func (q *queries) SentFollowRequests(ctx context.Context, accountID int64, p starling.Page) ([]starling.AccountRef, error) {
	a := args{accountID}
	where, order, rev := a.page("id", p)
	return q.accountRefs(ctx, `SELECT id, target_account_id FROM follow_requests WHERE account_id = $1`+where+order, a, rev)
}

// AccountReports implements starling.ArchiveStore.
func (q *queries) AccountReports(ctx context.Context, accountID int64, about bool, limit int) ([]*starling.Report, error) {
	col := `account_id`
	if about {
		col = `target_account_id`
	}
	return q.queryReports(ctx, col+` = $1 ORDER BY id DESC LIMIT $2`, accountID, limit)
}

// AuditEntriesFor implements starling.ArchiveStore. The audit log has no
// index on its target: it is small, and read this way only by staff
// answering a subject-access request.
func (q *queries) AuditEntriesFor(ctx context.Context, targetType string, targetID int64, limit int) ([]*starling.AuditEntry, error) {
	return q.queryAudit(ctx, `WHERE target_type = $1 AND target_id = $2 ORDER BY id DESC LIMIT $3`, targetType, targetID, limit)
}

// MentioningStatusIDs implements starling.ArchiveStore.
func (q *queries) MentioningStatusIDs(ctx context.Context, accountID int64, limit int) ([]int64, error) {
	return q.ids(ctx, `SELECT m.status_id FROM mentions m JOIN statuses s ON s.id = m.status_id
		WHERE m.account_id = $1 AND s.account_id <> $1 ORDER BY m.status_id DESC LIMIT $2`, args{accountID, limit})
}

// accountDataCounts are the rows AccountDataCounts counts, by name.
var accountDataCounts = []struct{ name, query string }{
	{"statuses", `SELECT count(*) FROM statuses WHERE account_id = $1`},
	{"media", `SELECT count(*) FROM media_attachments WHERE account_id = $1`},
	{"following", `SELECT count(*) FROM follows WHERE account_id = $1`},
	{"followers", `SELECT count(*) FROM follows WHERE target_account_id = $1`},
	{"follow_requests_sent", `SELECT count(*) FROM follow_requests WHERE account_id = $1`},
	{"follow_requests_received", `SELECT count(*) FROM follow_requests WHERE target_account_id = $1`},
	{"favourites", `SELECT count(*) FROM favourites WHERE account_id = $1`},
	{"bookmarks", `SELECT count(*) FROM bookmarks WHERE account_id = $1`},
	{"lists", `SELECT count(*) FROM lists WHERE account_id = $1`},
	{"on_others_lists", `SELECT count(*) FROM list_members WHERE account_id = $1`},
	{"blocks", `SELECT count(*) FROM blocks WHERE account_id = $1`},
	{"mutes", `SELECT count(*) FROM mutes WHERE account_id = $1`},
	{"filters", `SELECT count(*) FROM filters WHERE account_id = $1`},
	{"followed_tags", `SELECT count(*) FROM tag_follows WHERE account_id = $1`},
	{"featured_tags", `SELECT count(*) FROM featured_tags WHERE account_id = $1`},
	{"poll_votes", `SELECT count(*) FROM poll_votes WHERE account_id = $1`},
	{"notifications", `SELECT count(*) FROM notifications WHERE account_id = $1`},
	{"mentioned_in", `SELECT count(*) FROM mentions WHERE account_id = $1`},
	{"reports_filed", `SELECT count(*) FROM reports WHERE account_id = $1`},
	{"reports_about", `SELECT count(*) FROM reports WHERE target_account_id = $1`},
	{"sessions", `SELECT count(*) FROM tokens WHERE account_id = $1`},
}

// AccountDataCounts implements starling.ArchiveStore.
func (q *queries) AccountDataCounts(ctx context.Context, accountID int64) (map[string]int, error) {
	out := make(map[string]int, len(accountDataCounts))
	for _, c := range accountDataCounts {
		var n int
		if err := q.q.QueryRowContext(ctx, c.query, accountID).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", c.name, err)
		}
		out[c.name] = n
	}
	return out, nil
}

// StartArchiveDownload implements starling.ArchiveStore in one statement:
// the insert, or the update of an old enough row, is the check.
func (q *queries) StartArchiveDownload(ctx context.Context, accountID int64, at, notBefore time.Time) (bool, error) {
	n, err := q.exec(ctx, `INSERT INTO archive_downloads (account_id, downloaded_at) VALUES ($1, $2)
		ON CONFLICT (account_id) DO UPDATE SET downloaded_at = excluded.downloaded_at WHERE archive_downloads.downloaded_at <= $3`,
		accountID, ms(at), ms(notBefore))
	if err != nil {
		return false, fmt.Errorf("archive download: %w", err)
	}
	return n > 0, nil
}

// AccountPollVotes implements starling.ArchiveStore.
func (q *queries) AccountPollVotes(ctx context.Context, accountID int64, limit int) ([]starling.ArchiveVote, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT p.status_id, v.choice, v.created_at FROM poll_votes v JOIN polls p ON p.id = v.poll_id
		WHERE v.account_id = $1 ORDER BY v.created_at, v.poll_id, v.choice LIMIT $2`, accountID, limit)
	if err != nil {
		return nil, fmt.Errorf("select votes: %w", err)
	}
	defer rows.Close()
	var out []starling.ArchiveVote
	for rows.Next() {
		var status, at int64
		var v starling.ArchiveVote
		if err := rows.Scan(&status, &v.Choice, &at); err != nil {
			return nil, err
		}
		v.StatusID, v.CreatedAt = starling.FormatID(status), fromMS(at)
		out = append(out, v)
	}
	return out, rows.Err()
}
