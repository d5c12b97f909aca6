package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"starling"
)

const reportColumns = `id, account_id, target_account_id, category, comment, rule_ids, forwarded, holding, action, action_taken_at, action_taken_by, created_at,
	coalesce((SELECT ` + "%s" + ` FROM report_statuses rs WHERE rs.report_id = reports.id), '')`

func (q *queries) reportCols() string {
	return fmt.Sprintf(reportColumns, q.d.listAgg("rs.status_id", ",", "rs.status_id"))
}

func scanReport(row interface{ Scan(...any) error }) (*starling.Report, error) {
	var r starling.Report
	var cat, rules, action, statuses string
	var taken, created int64
	if err := row.Scan(&r.ID, &r.AccountID, &r.TargetAccountID, &cat, &r.Comment, &rules, &r.Forwarded, &r.Holding, &action, &taken, &r.ActionTakenBy, &created, &statuses); err != nil {
		return nil, err
	}
	r.Category, r.Action = starling.ReportCategory(cat), starling.ReportAction(action)
	r.ActionTakenAt, r.CreatedAt = fromMS(taken), fromMS(created)
	r.RuleIDs = strings.Fields(rules)
	if r.RuleIDs == nil {
		r.RuleIDs = []string{}
	}
	r.StatusIDs = []int64{}
	for _, s := range strings.Split(statuses, ",") {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			r.StatusIDs = append(r.StatusIDs, id)
		}
	}
	return &r, nil
}

// CreateReport implements starling.ReportStore.
func (q *queries) CreateReport(ctx context.Context, r *starling.Report) error {
	if _, err := q.q.ExecContext(ctx, `INSERT INTO reports (id, account_id, target_account_id, category, comment, rule_ids, forwarded, holding, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		r.ID, r.AccountID, r.TargetAccountID, string(r.Category), r.Comment, strings.Join(r.RuleIDs, " "), r.Forwarded, r.Holding, ms(r.CreatedAt)); err != nil {
		return fmt.Errorf("insert report: %w", err)
	}
	for _, id := range r.StatusIDs {
		if _, err := q.q.ExecContext(ctx, `INSERT INTO report_statuses (report_id, status_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, r.ID, id); err != nil {
			return fmt.Errorf("insert report status: %w", err)
		}
	}
	return nil
}

// Report implements starling.ReportStore.
func (q *queries) Report(ctx context.Context, id int64) (*starling.Report, error) {
	r, err := scanReport(q.q.QueryRowContext(ctx, `SELECT `+q.reportCols()+` FROM reports WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, starling.Errorf(starling.ENOTFOUND, "Record not found")
	} else if err != nil {
		return nil, fmt.Errorf("select report: %w", err)
	}
	return r, nil
}

// Reports implements starling.ReportStore.
func (q *queries) Reports(ctx context.Context, resolved bool, limit int) ([]*starling.Report, error) {
	cond := `action_taken_at = 0`
	if resolved {
		cond = `action_taken_at > 0`
	}
	return q.queryReports(ctx, cond+` ORDER BY id DESC LIMIT $1`, limit)
}

// queryReports reads the reports a WHERE clause (with its ORDER BY and
// LIMIT) picks.
func (q *queries) queryReports(ctx context.Context, where string, a ...any) ([]*starling.Report, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT `+q.reportCols()+` FROM reports WHERE `+where, a...)
	if err != nil {
		return nil, fmt.Errorf("select reports: %w", err)
	}
	defer rows.Close()
	var out []*starling.Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// UpdateReport implements starling.ReportStore.
func (q *queries) UpdateReport(ctx context.Context, r *starling.Report) error {
	n, err := q.exec(ctx, `UPDATE reports SET holding = $1, action = $2, action_taken_at = $3, action_taken_by = $4 WHERE id = $5`,
		r.Holding, string(r.Action), ms(r.ActionTakenAt), r.ActionTakenBy, r.ID)
	if err != nil {
		return fmt.Errorf("update report: %w", err)
	} else if n == 0 {
		return starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return nil
}

// RefreshHeldStatuses implements starling.ReportStore.
func (q *queries) RefreshHeldStatuses(ctx context.Context, statusIDs []int64) error {
	if len(statusIDs) == 0 {
		return nil
	}
	var a args
	in := a.in(statusIDs)
	if _, err := q.q.ExecContext(ctx, `UPDATE statuses SET held_for_review = EXISTS (SELECT 1 FROM report_statuses rs JOIN reports r ON r.id = rs.report_id
		WHERE rs.status_id = statuses.id AND r.holding = TRUE) WHERE id IN `+in, a...); err != nil {
		return fmt.Errorf("hold statuses: %w", err)
	}
	q.touch.status(statusIDs...)
	return nil
}

// AccountIDsWithRole implements starling.ReportStore.
func (q *queries) AccountIDsWithRole(ctx context.Context, role starling.Role) ([]int64, error) {
	return q.ids(ctx, `SELECT account_id FROM users WHERE role = $1 AND disabled = FALSE ORDER BY account_id`, args{string(role)})
}

// WriteAudit implements starling.ReportStore.
func (q *queries) WriteAudit(ctx context.Context, e *starling.AuditEntry) error {
	if _, err := q.q.ExecContext(ctx, `INSERT INTO audit_log (id, actor_id, action, target_type, target_id, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		e.ID, e.ActorID, e.Action, e.TargetType, e.TargetID, e.Reason, ms(e.CreatedAt)); err != nil {
		return fmt.Errorf("write audit log: %w", err)
	}
	return nil
}

// AuditLog implements starling.ReportStore.
func (q *queries) AuditLog(ctx context.Context, limit int) ([]*starling.AuditEntry, error) {
	return q.queryAudit(ctx, `ORDER BY id DESC LIMIT $1`, limit)
}

// queryAudit reads the audit entries that a query's tail (WHERE, ORDER BY,
// LIMIT) picks.
func (q *queries) queryAudit(ctx context.Context, tail string, a ...any) ([]*starling.AuditEntry, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT id, actor_id, action, target_type, target_id, reason, created_at FROM audit_log `+tail, a...)
	if err != nil {
		return nil, fmt.Errorf("select audit log: %w", err)
	}
	defer rows.Close()
	var out []*starling.AuditEntry
	for rows.Next() {
		var e starling.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &e.ActorID, &e.Action, &e.TargetType, &e.TargetID, &e.Reason, &at); err != nil {
			return nil, err
		}
		e.CreatedAt = fromMS(at)
		out = append(out, &e)
	}
	return out, rows.Err()
}
