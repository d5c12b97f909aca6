package sqldb

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"starling"
)

// SetAccountModeration implements starling.ModerationStore.
func (q *queries) SetAccountModeration(ctx context.Context, a *starling.Account) error {
	n, err := q.exec(ctx, `UPDATE accounts SET silenced_at = $1, suspended_at = $2, sensitized_at = $3 WHERE id = $4`,
		ms(a.SilencedAt), ms(a.SuspendedAt), ms(a.SensitizedAt), a.ID)
	q.touch.account(a.ID)
	if err != nil {
		return fmt.Errorf("update account moderation: %w", err)
	} else if n == 0 {
		return starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return nil
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func splitIDs(s string) []int64 {
	out := []int64{}
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// CreateWarning implements starling.ModerationStore.
func (q *queries) CreateWarning(ctx context.Context, w *starling.AccountWarning) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO account_warnings (id, account_id, actor_id, action, text, status_ids, report_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		w.ID, w.AccountID, w.ActorID, string(w.Action), w.Text, joinIDs(w.StatusIDs), w.ReportID, ms(w.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert warning: %w", err)
	}
	return nil
}

const warningColumns = `id, account_id, actor_id, action, text, status_ids, report_id, appeal_text, appealed_at, created_at`

func (q *queries) scanWarnings(ctx context.Context, query string, a args) ([]*starling.AccountWarning, error) {
	rows, err := q.q.QueryContext(ctx, query, a...)
	if err != nil {
		return nil, fmt.Errorf("select warnings: %w", err)
	}
	defer rows.Close()
	var out []*starling.AccountWarning
	for rows.Next() {
		var w starling.AccountWarning
		var action, statuses string
		var appealed, created int64
		if err := rows.Scan(&w.ID, &w.AccountID, &w.ActorID, &action, &w.Text, &statuses, &w.ReportID, &w.AppealText, &appealed, &created); err != nil {
			return nil, err
		}
		w.Action, w.StatusIDs = starling.AccountActionType(action), splitIDs(statuses)
		w.AppealedAt, w.CreatedAt = fromMS(appealed), fromMS(created)
		out = append(out, &w)
	}
	return out, rows.Err()
}

// Warnings implements starling.ModerationStore.
func (q *queries) Warnings(ctx context.Context, ids []int64) (map[int64]*starling.AccountWarning, error) {
	out := map[int64]*starling.AccountWarning{}
	if len(ids) == 0 {
		return out, nil
	}
	var a args
	list, err := q.scanWarnings(ctx, `SELECT `+warningColumns+` FROM account_warnings WHERE id IN `+a.in(ids), a)
	for _, w := range list {
		out[w.ID] = w
	}
	return out, err
}

// AccountWarnings implements starling.ModerationStore.
func (q *queries) AccountWarnings(ctx context.Context, accountID int64, limit int) ([]*starling.AccountWarning, error) {
	return q.scanWarnings(ctx, `SELECT `+warningColumns+` FROM account_warnings WHERE account_id = $1 ORDER BY id DESC LIMIT $2`, args{accountID, limit})
}

// AppealWarning implements starling.ModerationStore.
func (q *queries) AppealWarning(ctx context.Context, id int64, text string, at time.Time) error {
	n, err := q.exec(ctx, `UPDATE account_warnings SET appeal_text = $1, appealed_at = $2 WHERE id = $3 AND appealed_at = 0`, text, ms(at), id)
	if err != nil {
		return fmt.Errorf("appeal warning: %w", err)
	} else if n == 0 {
		return starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return nil
}

// AdminAccounts implements starling.ModerationStore: accounts with their
// users (remote accounts have none), newest first, by keyset on the ID.
func (q *queries) AdminAccounts(ctx context.Context, f starling.AdminAccountFilter, p starling.Page) ([]*starling.AdminAccount, error) {
	var a args
	var w strings.Builder
	switch f.Origin {
	case "local":
		w.WriteString(` AND a.domain = ''`)
	case "remote":
		w.WriteString(` AND a.domain <> ''`)
	}
	switch f.Status {
	case "active":
		w.WriteString(` AND a.suspended_at = 0 AND (u.account_id IS NULL OR (u.approved AND NOT u.disabled))`)
	case "pending":
		w.WriteString(` AND u.account_id IS NOT NULL AND NOT u.approved`)
	case "disabled":
		w.WriteString(` AND u.disabled`)
	case "silenced":
		w.WriteString(` AND a.silenced_at > 0`)
	case "suspended":
		w.WriteString(` AND a.suspended_at > 0`)
	}
	if f.Username != "" {
		fmt.Fprintf(&w, ` AND lower(a.username) LIKE %s ESCAPE '\'`, a.add(escapeLike(strings.ToLower(f.Username))+"%"))
	}
	if f.DisplayName != "" {
		fmt.Fprintf(&w, ` AND lower(a.display_name) LIKE %s ESCAPE '\'`, a.add("%"+escapeLike(strings.ToLower(f.DisplayName))+"%"))
	}
	if f.Email != "" {
		fmt.Fprintf(&w, ` AND lower(u.email) LIKE %s ESCAPE '\'`, a.add("%"+escapeLike(strings.ToLower(f.Email))+"%"))
	}
	if f.Staff {
		w.WriteString(` AND u.role IN ('admin', 'moderator')`)
	}
	where, order, rev := a.page("a.id", p)
	cols := strings.ReplaceAll("a."+accountColumns, ", ", ", a.")
	cols = strings.ReplaceAll(cols, ",\n\t", ",\n\ta.")
	query := `SELECT ` + cols + `, u.account_id IS NOT NULL,
			coalesce(u.account_id, 0), coalesce(u.email, ''), '', coalesce(u.role, ''), coalesce(u.approved, FALSE), coalesce(u.confirmed, FALSE),
			coalesce(u.disabled, FALSE), coalesce(u.reason, ''), coalesce(u.locale, ''), coalesce(u.created_at, 0), coalesce(u.feed_active_at, 0)
		FROM accounts a LEFT JOIN users u ON u.account_id = a.id WHERE a.deleted_at = 0` + w.String() + where + order
	rows, err := q.q.QueryContext(ctx, query, a...)
	if err != nil {
		return nil, fmt.Errorf("select admin accounts: %w", err)
	}
	defer rows.Close()
	var out []*starling.AdminAccount
	for rows.Next() {
		var ar accountRow
		var ur userRow
		var local bool
		dest := append(append(ar.dest(), &local), ur.dest()...)
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		acc, err := ar.account()
		if err != nil {
			return nil, err
		}
		aa := &starling.AdminAccount{Account: acc}
		if local {
			aa.User = ur.user()
		}
		out = append(out, aa)
	}
	if rev {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, rows.Err()
}

// DeleteAccountTokens implements starling.ModerationStore.
func (q *queries) DeleteAccountTokens(ctx context.Context, accountID int64) error {
	if _, err := q.q.ExecContext(ctx, `DELETE FROM tokens WHERE account_id = $1`, accountID); err != nil {
		return fmt.Errorf("delete tokens: %w", err)
	}
	return nil
}
