package starling

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Reports: a member tells staff about an account and, perhaps, some of its
// posts. A safeguarding report (a concern about a person's safety) also
// holds the reported posts: while it is open they are hidden from everyone
// but their author and those who handle reports (see filterReadableAs).
// Every staff decision on a report is written to the audit log in the same
// transaction.

// ReportCategory says why a member reports.
type ReportCategory string

const (
	ReportSpam      ReportCategory = "spam"
	ReportLegal     ReportCategory = "legal"
	ReportViolation ReportCategory = "violation"
	ReportOther     ReportCategory = "other"
	// ReportSafeguarding is a safeguarding concern about a person: its posts
	// are held for review and the report goes to the safeguarding leads.
	ReportSafeguarding ReportCategory = "safeguarding"
)

// ReportAction is what staff did with a report; "" while it is open.
type ReportAction string

const (
	ReportResolved   ReportAction = "resolved"    // closed, no action
	ReportRemoved    ReportAction = "removed"     // the reported posts were deleted
	ReportKeptHidden ReportAction = "kept_hidden" // closed, the posts stay hidden
	ReportRestored   ReportAction = "restored"    // closed, the hold on the posts lifted
	// ReportAccountAction: closed by an action on the account (see ActOnAccount).
	ReportAccountAction ReportAction = "account_action"
)

// Report limits.
const (
	MaxReportCommentChars = 1000
	MaxReportStatuses     = 50
	MaxAuditReasonChars   = 1000
)

// Report is one member's report of an account.
type Report struct {
	ID              int64
	AccountID       int64 // who reported
	TargetAccountID int64
	Category        ReportCategory
	Comment         string
	StatusIDs       []int64
	RuleIDs         []string
	Forwarded       bool
	// Holding is true while the reported posts are hidden for review.
	Holding       bool
	Action        ReportAction
	ActionTakenAt time.Time // zero while open
	ActionTakenBy int64
	CreatedAt     time.Time

	// Filled in for staff views.
	Account       *Account
	TargetAccount *Account
	Statuses      []*Status // those not deleted since
	Rules         []*Rule   // the cited rules that still exist
}

// Open reports whether staff have not decided on the report yet.
func (r *Report) Open() bool { return r.ActionTakenAt.IsZero() }

// AuditEntry is one staff action. It holds IDs, the action's name and the
// moderator's reason only: never post text or personal data.
type AuditEntry struct {
	ID         int64
	ActorID    int64
	Action     string // "report.resolve", "status.remove", …
	TargetType string // "report", "status", "account", "tag"
	TargetID   int64
	Reason     string
	CreatedAt  time.Time

	Actor *Account // filled in for the staff page; nil once deleted
}

// ReportStore keeps reports and the audit log.
type ReportStore interface {
	// CreateReport inserts r with its status IDs.
	CreateReport(ctx context.Context, r *Report) error
	// Report returns a report, or ENOTFOUND.
	Report(ctx context.Context, id int64) (*Report, error)
	// Reports lists open (or, if resolved, decided) reports, newest first.
	Reports(ctx context.Context, resolved bool, limit int) ([]*Report, error)
	// UpdateReport writes r's holding and action fields.
	UpdateReport(ctx context.Context, r *Report) error
	// RefreshHeldStatuses sets each status's held_for_review flag to
	// whether some holding report names it.
	RefreshHeldStatuses(ctx context.Context, statusIDs []int64) error
	// AccountIDsWithRole lists the enabled users with that role.
	AccountIDsWithRole(ctx context.Context, role Role) ([]int64, error)
	// WriteAudit appends to the audit log.
	WriteAudit(ctx context.Context, e *AuditEntry) error
	// AuditLog lists the newest entries first.
	AuditLog(ctx context.Context, limit int) ([]*AuditEntry, error)
}

// HandlesReports reports whether the user may see the report queue and
// posts held for review: staff and safeguarding leads.
func (u *User) HandlesReports() bool {
	return u != nil && (u.IsStaff() || u.Role == RoleSafeguardingLead)
}

// NewReport is a member's report as they send it.
type NewReport struct {
	AccountID int64
	StatusIDs []int64
	Comment   string
	Category  ReportCategory // "" is other
	RuleIDs   []string       // rules broken: at least one for ReportViolation; ignored otherwise
	Forward   bool           // ignored: no federation yet
}

func (in *NewReport) validate(reporter *Account) error {
	if in.AccountID == reporter.ID {
		return Errorf(EINVALID, "Validation failed: You cannot report yourself")
	}
	switch in.Category {
	case "":
		in.Category = ReportOther
	case ReportSpam, ReportLegal, ReportViolation, ReportOther, ReportSafeguarding:
	default:
		return Errorf(EINVALID, "Validation failed: Category must be spam, legal, violation, other or safeguarding")
	}
	if err := checkEncoding("comment", in.Comment); err != nil {
		return err
	}
	in.Comment = strings.TrimSpace(in.Comment)
	if n := utf8.RuneCountInString(in.Comment); n > MaxReportCommentChars {
		return Errorf(EINVALID, "Validation failed: Comment is too long (%d characters, maximum is %d)", n, MaxReportCommentChars)
	}
	slices.Sort(in.StatusIDs)
	in.StatusIDs = slices.Compact(in.StatusIDs)
	if len(in.StatusIDs) > MaxReportStatuses {
		return Errorf(EINVALID, "Validation failed: at most %d posts can be reported at once", MaxReportStatuses)
	}
	return nil
}

// CreateReport files reporter's report. The posts must be the reported
// account's and readable by the reporter. Those who handle reports are
// notified: for a safeguarding report the safeguarding leads, if there are
// any, else all staff.
func (svc *Service) CreateReport(ctx context.Context, reporter *Account, in NewReport) (*Report, error) {
	if err := in.validate(reporter); err != nil {
		return nil, err
	}
	now := svc.now()
	r := &Report{ID: svc.newID(now), AccountID: reporter.ID, TargetAccountID: in.AccountID, Category: in.Category,
		Comment: in.Comment, StatusIDs: in.StatusIDs, RuleIDs: []string{}, CreatedAt: now}
	r.Holding = r.Category == ReportSafeguarding && len(r.StatusIDs) > 0
	err := svc.store.Update(ctx, func(tx Tx) error {
		if r.Category == ReportViolation || len(in.RuleIDs) > 0 {
			rules, _, err := svc.rulesIn(ctx, tx)
			if err != nil {
				return err
			}
			ids, err := checkRuleIDs(rules, in.RuleIDs)
			if err != nil {
				return err
			}
			if r.Category == ReportViolation { // other categories cite no rule: Mastodon ignores them there too
				if len(ids) == 0 {
					return Errorf(EINVALID, "Validation failed: Rules: a report of a violation must name at least one rule")
				}
				r.RuleIDs = ids
			}
		}
		target, err := tx.Account(ctx, in.AccountID)
		if err != nil {
			return err
		}
		r.TargetAccount = target
		if len(r.StatusIDs) > 0 {
			byID, err := tx.Statuses(ctx, r.StatusIDs)
			if err != nil {
				return err
			}
			var list []*Status
			for _, id := range r.StatusIDs {
				s := byID[id]
				if s == nil {
					return Errorf(EINVALID, "Validation failed: a reported post does not exist")
				}
				if s.AccountID != target.ID {
					return Errorf(EINVALID, "Validation failed: a reported post is not by the reported account")
				}
				list = append(list, s)
			}
			readable, err := svc.filterReadableAs(ctx, tx, reporter, list, readOne)
			if err != nil {
				return err
			}
			if len(readable) != len(list) {
				return Errorf(EINVALID, "Validation failed: a reported post does not exist")
			}
		}
		if err := tx.CreateReport(ctx, r); err != nil {
			return err
		}
		if r.Holding {
			if err := tx.RefreshHeldStatuses(ctx, r.StatusIDs); err != nil {
				return err
			}
		}
		return svc.notifyOfReport(ctx, tx, r)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// notifyOfReport tells those who handle reports that one arrived.
func (svc *Service) notifyOfReport(ctx context.Context, tx Tx, r *Report) error {
	var to []int64
	if r.Category == ReportSafeguarding {
		leads, err := tx.AccountIDsWithRole(ctx, RoleSafeguardingLead)
		if err != nil {
			return err
		}
		to = leads
	}
	if len(to) == 0 {
		staff, err := tx.StaffAccountIDs(ctx)
		if err != nil {
			return err
		}
		to = staff
	}
	now := svc.now()
	for _, id := range to {
		if id == r.AccountID || id == r.TargetAccountID {
			continue // not about oneself, nor to oneself
		}
		n := &Notification{ID: svc.newID(now), AccountID: id, FromAccountID: r.AccountID, Type: NotifyAdminReport, CreatedAt: now}
		if _, err := tx.CreateNotification(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

// reportHandler returns staff's user if they may handle reports.
func (svc *Service) reportHandler(ctx context.Context, staff *Account) (*User, error) {
	if staff == nil {
		return nil, Errorf(EFORBIDDEN, "This action is not allowed")
	}
	u, err := svc.store.User(ctx, staff.ID)
	if err != nil || !u.HandlesReports() {
		return nil, Errorf(EFORBIDDEN, "This action is not allowed")
	}
	return u, nil
}

// Reports lists open reports for staff (or, if resolved, decided ones):
// safeguarding reports first, then newest first, with their accounts and
// posts.
func (svc *Service) Reports(ctx context.Context, staff *Account, resolved bool) ([]*Report, error) {
	if _, err := svc.reportHandler(ctx, staff); err != nil {
		return nil, err
	}
	list, err := svc.store.Reports(ctx, resolved, 200)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(list, func(a, b *Report) int {
		return cmp.Compare(b2i(b.Category == ReportSafeguarding && b.Open()), b2i(a.Category == ReportSafeguarding && a.Open()))
	})
	if err := svc.hydrateReports(ctx, staff, list); err != nil {
		return nil, err
	}
	return list, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// GetReport returns one report for staff.
func (svc *Service) GetReport(ctx context.Context, staff *Account, id int64) (*Report, error) {
	if _, err := svc.reportHandler(ctx, staff); err != nil {
		return nil, err
	}
	r, err := svc.store.Report(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := svc.hydrateReports(ctx, staff, []*Report{r}); err != nil {
		return nil, err
	}
	return r, nil
}

// hydrateReports loads the reports' accounts and surviving posts: staff
// see the reported posts whatever their visibility.
func (svc *Service) hydrateReports(ctx context.Context, staff *Account, list []*Report) error {
	accIDs, stIDs := map[int64]bool{}, map[int64]bool{}
	for _, r := range list {
		accIDs[r.AccountID], accIDs[r.TargetAccountID] = true, true
		for _, id := range r.StatusIDs {
			stIDs[id] = true
		}
	}
	accounts, err := svc.store.Accounts(ctx, keys(accIDs))
	if err != nil {
		return err
	}
	statuses, err := svc.store.Statuses(ctx, keys(stIDs))
	if err != nil {
		return err
	}
	var all []*Status
	for _, s := range statuses {
		all = append(all, s)
	}
	if err := svc.hydrate(ctx, svc.store, staff, all); err != nil {
		return err
	}
	var rules []*Rule
	if slices.ContainsFunc(list, func(r *Report) bool { return len(r.RuleIDs) > 0 }) {
		if rules, err = svc.Rules(ctx); err != nil {
			return err
		}
	}
	for _, r := range list {
		r.Rules = nil
		for _, rule := range rules {
			if slices.Contains(r.RuleIDs, FormatID(rule.ID)) {
				r.Rules = append(r.Rules, rule)
			}
		}
		r.Account, r.TargetAccount = accounts[r.AccountID], accounts[r.TargetAccountID]
		r.Statuses = nil
		for _, id := range r.StatusIDs {
			if s := statuses[id]; s != nil {
				r.Statuses = append(r.Statuses, s)
			}
		}
	}
	return nil
}

// ReportDecision is a staff decision on a report.
type ReportDecision string

const (
	DecideResolve    ReportDecision = "resolve"     // close, no action (lifts a hold)
	DecideRemove     ReportDecision = "remove"      // delete the reported posts and close
	DecideKeepHidden ReportDecision = "keep_hidden" // close, the posts stay hidden
	DecideRestore    ReportDecision = "restore"     // lift the hold and close
	DecideReopen     ReportDecision = "reopen"      // open again (a safeguarding report holds again)
)

// DecideReport carries out staff's decision on a report and writes it, with
// their reason, to the audit log in the same transaction.
func (svc *Service) DecideReport(ctx context.Context, staff *Account, id int64, d ReportDecision, reason string) (*Report, error) {
	if _, err := svc.reportHandler(ctx, staff); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if err := checkText("reason", reason, MaxAuditReasonChars); err != nil {
		return nil, err
	}
	now := svc.now()
	err := svc.store.Update(ctx, func(tx Tx) error {
		r, err := tx.Report(ctx, id)
		if err != nil {
			return err
		}
		var action ReportAction
		switch d {
		case DecideResolve, DecideRemove, DecideKeepHidden:
			if !r.Open() {
				return Errorf(EINVALID, "This report is already closed")
			}
			if d == DecideKeepHidden && r.Category != ReportSafeguarding {
				return Errorf(EINVALID, "Only posts of a safeguarding report are held")
			}
			action = map[ReportDecision]ReportAction{DecideResolve: ReportResolved, DecideRemove: ReportRemoved, DecideKeepHidden: ReportKeptHidden}[d]
			r.Holding = d == DecideKeepHidden && len(r.StatusIDs) > 0
		case DecideRestore:
			if !r.Holding {
				return Errorf(EINVALID, "The posts of this report are not hidden")
			}
			action, r.Holding = ReportRestored, false
		case DecideReopen:
			if r.Open() {
				return Errorf(EINVALID, "This report is already open")
			}
			r.Holding = r.Category == ReportSafeguarding && len(r.StatusIDs) > 0
		default:
			return Errorf(EINVALID, "Validation failed: unknown action")
		}
		r.Action, r.ActionTakenBy, r.ActionTakenAt = action, staff.ID, now
		if d == DecideReopen {
			r.ActionTakenBy, r.ActionTakenAt = 0, time.Time{}
		}
		if err := tx.UpdateReport(ctx, r); err != nil {
			return err
		}
		if err := svc.audit(ctx, tx, staff.ID, "report."+string(d), "report", r.ID, reason); err != nil {
			return err
		}
		if d == DecideRemove {
			byID, err := tx.Statuses(ctx, r.StatusIDs)
			if err != nil {
				return err
			}
			for _, sid := range r.StatusIDs {
				s := byID[sid]
				if s == nil {
					continue // deleted meanwhile
				}
				if err := deleteStatusWithMedia(ctx, tx, s, now); err != nil {
					return err
				}
				if err := svc.audit(ctx, tx, staff.ID, "status.remove", "status", s.ID, reason); err != nil {
					return err
				}
			}
		}
		return tx.RefreshHeldStatuses(ctx, r.StatusIDs)
	})
	if err != nil {
		return nil, err
	}
	return svc.GetReport(ctx, staff, id)
}

// audit writes one entry to the audit log in tx.
func (svc *Service) audit(ctx context.Context, tx Tx, actorID int64, action, targetType string, targetID int64, reason string) error {
	now := svc.now()
	return tx.WriteAudit(ctx, &AuditEntry{ID: svc.newID(now), ActorID: actorID, Action: action, TargetType: targetType, TargetID: targetID, Reason: reason, CreatedAt: now})
}

// AuditLog lists the newest audit entries for staff, with their actors.
func (svc *Service) AuditLog(ctx context.Context, staff *Account, limit int) ([]*AuditEntry, error) {
	if _, err := svc.reportHandler(ctx, staff); err != nil {
		return nil, err
	}
	list, err := svc.store.AuditLog(ctx, limit)
	if err != nil {
		return nil, err
	}
	ids := map[int64]bool{}
	for _, e := range list {
		ids[e.ActorID] = true
	}
	accounts, err := svc.store.Accounts(ctx, keys(ids))
	if err != nil {
		return nil, err
	}
	for _, e := range list {
		e.Actor = accounts[e.ActorID]
	}
	return list, nil
}

// audited writes an audit entry in tx after a staff action that returned
// err, unless it failed: one call wraps the action.
func (svc *Service) audited(ctx context.Context, tx Tx, err error, actorID int64, action, targetType string, targetID int64) error {
	if err != nil {
		return err
	}
	return svc.audit(ctx, tx, actorID, action, targetType, targetID, "")
}
