package starling

import (
	"context"
	"strings"
	"time"
)

// Account actions: what staff do to an account that breaks the rules, as
// the UK Online Safety Act asks of a service (act on reports, tell the
// member why, let them complain). Each action needs a reason, is written
// to the audit log in the same transaction, and (but for undoing one) is
// sent to the member as an AccountWarning with a moderation_warning
// notification. Limits and suspensions take effect in the one visibility
// rule (filterReadableAs), so every surface obeys them.

// AccountActionType names an action, as Mastodon's admin API does.
type AccountActionType string

const (
	ActionWarn      AccountActionType = "none"      // a warning only
	ActionSensitive AccountActionType = "sensitive" // its media is always marked sensitive
	ActionDisable   AccountActionType = "disable"   // cannot sign in; the profile stays
	ActionSilence   AccountActionType = "silence"   // limited: see Account.Limited
	ActionSuspend   AccountActionType = "suspend"   // cannot sign in, posts hidden everywhere; data kept

	ActionUnsensitive AccountActionType = "unsensitive"
	ActionEnable      AccountActionType = "enable"
	ActionUnsilence   AccountActionType = "unsilence"
	ActionUnsuspend   AccountActionType = "unsuspend"
)

// undo reports whether t lifts an earlier action; those are audited but not
// sent to the member as a warning.
func (t AccountActionType) undo() bool {
	switch t {
	case ActionUnsensitive, ActionEnable, ActionUnsilence, ActionUnsuspend:
		return true
	}
	return false
}

// Label is how staff pages name the action.
func (t AccountActionType) Label() string {
	switch t {
	case ActionWarn:
		return "Warning"
	case ActionSensitive:
		return "Media marked sensitive"
	case ActionDisable:
		return "Sign-in disabled"
	case ActionSilence:
		return "Limited"
	case ActionSuspend:
		return "Suspended"
	}
	return string(t)
}

// Limits of account actions.
const (
	MaxWarningTextChars = 1000
	MaxAppealTextChars  = 2000
)

// AccountAction is what staff ask to do to an account.
type AccountAction struct {
	Type AccountActionType
	// Text is the reason, told to the member and kept in the audit log.
	Text string
	// ReportID, if set, is a report about the account that the action
	// resolves.
	ReportID int64
	// StatusIDs are posts of the account the action is about (shown with
	// the warning); by default those of the report.
	StatusIDs []int64
}

// AccountWarning is a staff action as the member is told of it. Its ID is
// also the ID of its moderation_warning notification.
type AccountWarning struct {
	ID         int64
	AccountID  int64
	ActorID    int64 // kept for staff; never shown to the member
	Action     AccountActionType
	Text       string
	StatusIDs  []int64
	ReportID   int64
	AppealText string
	AppealedAt time.Time // zero if not appealed
	CreatedAt  time.Time

	Account *Account // filled in for output
}

// Appealed reports whether the member appealed the warning.
func (w *AccountWarning) Appealed() bool { return !w.AppealedAt.IsZero() }

// NotifyModerationWarning tells a member of a staff action on their
// account (Mastodon 4.3); the notification is "from" the member.
const NotifyModerationWarning NotificationType = "moderation_warning"

// AdminAccountFilter narrows the staff list of accounts; zero values
// select everything.
type AdminAccountFilter struct {
	Origin      string // "local", "remote" or ""
	Status      string // "active", "pending", "disabled", "silenced", "suspended" or ""
	Username    string // prefix, case-insensitive
	DisplayName string // substring, case-insensitive
	Email       string // substring, case-insensitive
	Staff       bool   // only moderators and admins
}

// AdminAccount is an account as staff see it: with its user (nil for
// remote accounts).
type AdminAccount struct {
	Account *Account
	User    *User
}

// ModerationStore keeps account moderation state, warnings and the staff
// view of accounts.
type ModerationStore interface {
	// SetAccountModeration writes a's SilencedAt, SuspendedAt and SensitizedAt.
	SetAccountModeration(ctx context.Context, a *Account) error
	// CreateWarning inserts w.
	CreateWarning(ctx context.Context, w *AccountWarning) error
	// Warnings returns the warnings with these IDs, keyed by ID.
	Warnings(ctx context.Context, ids []int64) (map[int64]*AccountWarning, error)
	// AccountWarnings lists an account's warnings, newest first.
	AccountWarnings(ctx context.Context, accountID int64, limit int) ([]*AccountWarning, error)
	// AppealWarning records the member's appeal of a warning.
	AppealWarning(ctx context.Context, id int64, text string, at time.Time) error
	// AdminAccounts pages through accounts matching f, newest first.
	AdminAccounts(ctx context.Context, f AdminAccountFilter, p Page) ([]*AdminAccount, error)
	// DeleteAccountTokens revokes every token of the account.
	DeleteAccountTokens(ctx context.Context, accountID int64) error
}

// moderator returns staff's user if they may take action t: moderators
// and admins may take any; safeguarding leads, who handle safeguarding
// reports but are not staff, may only warn.
func (svc *Service) moderator(ctx context.Context, q Tx, staff *Account, t AccountActionType) (*User, error) {
	forbidden := Errorf(EFORBIDDEN, "This action is not allowed")
	if staff == nil {
		return nil, forbidden
	}
	u, err := q.User(ctx, staff.ID)
	if err != nil || u.Disabled {
		return nil, forbidden
	}
	if u.IsStaff() || u.Role == RoleSafeguardingLead && t == ActionWarn {
		return u, nil
	}
	return nil, forbidden
}

// ActOnAccount carries out staff's action on an account and returns the
// warning sent to the member (nil when undoing an action). With a ReportID
// it also resolves that report. Staff cannot act on themselves, and only
// admins may act on other staff.
func (svc *Service) ActOnAccount(ctx context.Context, staff *Account, targetID int64, act AccountAction) (*AccountWarning, error) {
	act.Text = strings.TrimSpace(act.Text)
	if act.Text == "" {
		return nil, Errorf(EINVALID, "Validation failed: a reason is required")
	}
	if err := checkText("text", act.Text, MaxWarningTextChars); err != nil {
		return nil, err
	}
	switch act.Type {
	case ActionWarn, ActionSensitive, ActionDisable, ActionSilence, ActionSuspend,
		ActionUnsensitive, ActionEnable, ActionUnsilence, ActionUnsuspend:
	default:
		return nil, Errorf(EINVALID, "Validation failed: type must be none, sensitive, disable, silence or suspend")
	}
	if len(act.StatusIDs) > MaxReportStatuses {
		return nil, Errorf(EINVALID, "Validation failed: at most %d posts", MaxReportStatuses)
	}
	me, err := svc.moderator(ctx, svc.store, staff, act.Type)
	if err != nil {
		return nil, err
	}
	var warning *AccountWarning
	err = svc.store.Update(ctx, func(tx Tx) error {
		target, err := tx.Account(ctx, targetID)
		if err != nil {
			return err
		}
		if target.ID == staff.ID {
			return Errorf(EINVALID, "You cannot take action against your own account")
		}
		user, err := tx.User(ctx, target.ID)
		if ErrorCode(err) == ENOTFOUND {
			user = nil // a remote account
		} else if err != nil {
			return err
		}
		if user != nil && (user.IsStaff() || user.Role == RoleSafeguardingLead) && me.Role != RoleAdmin {
			return Errorf(EFORBIDDEN, "Only admins may take action against staff")
		}
		if user == nil && (act.Type == ActionDisable || act.Type == ActionEnable) {
			return Errorf(EINVALID, "Only local accounts can be disabled")
		}
		if err := svc.applyAction(ctx, tx, target, user, act.Type); err != nil {
			return err
		}
		if act.ReportID != 0 {
			r, err := svc.resolveWithAction(ctx, tx, staff.ID, target.ID, act)
			if err != nil {
				return err
			}
			if len(act.StatusIDs) == 0 {
				act.StatusIDs = r.StatusIDs
			}
		}
		if err := svc.audit(ctx, tx, staff.ID, "account."+string(act.Type), "account", target.ID, act.Text); err != nil {
			return err
		}
		if act.Type.undo() {
			return nil
		}
		now := svc.now()
		warning = &AccountWarning{ID: svc.newID(now), AccountID: target.ID, ActorID: staff.ID, Action: act.Type, Text: act.Text,
			StatusIDs: act.StatusIDs, ReportID: act.ReportID, CreatedAt: now, Account: target}
		if err := tx.CreateWarning(ctx, warning); err != nil {
			return err
		}
		if user == nil {
			return nil // no one here to tell
		}
		n := &Notification{ID: warning.ID, AccountID: target.ID, FromAccountID: target.ID, Type: NotifyModerationWarning, CreatedAt: now}
		_, err = tx.CreateNotification(ctx, n)
		return err
	})
	if err != nil {
		return nil, err
	}
	switch act.Type {
	case ActionSilence, ActionUnsilence, ActionSuspend, ActionUnsuspend:
		svc.trends.mu.Lock()
		svc.trends.tags, svc.trends.at = nil, nil // the account's posts count, or no longer count, towards trends
		svc.trends.mu.Unlock()
	}
	return warning, nil
}

// applyAction changes the account's (and user's) state for t.
func (svc *Service) applyAction(ctx context.Context, tx Tx, a *Account, u *User, t AccountActionType) error {
	now := svc.now()
	set := func(field *time.Time, on bool) error {
		switch {
		case on && field.IsZero():
			*field = now
		case !on:
			*field = time.Time{}
		default:
			return nil // already in force: keep the first time
		}
		return tx.SetAccountModeration(ctx, a)
	}
	switch t {
	case ActionSensitive, ActionUnsensitive:
		return set(&a.SensitizedAt, t == ActionSensitive)
	case ActionSilence, ActionUnsilence:
		return set(&a.SilencedAt, t == ActionSilence)
	case ActionSuspend:
		if err := set(&a.SuspendedAt, true); err != nil {
			return err
		}
		// Signed out everywhere: every app and browser session.
		return tx.DeleteAccountTokens(ctx, a.ID)
	case ActionUnsuspend:
		return set(&a.SuspendedAt, false)
	case ActionDisable, ActionEnable:
		u.Disabled = t == ActionDisable
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if u.Disabled {
			return tx.DeleteAccountTokens(ctx, a.ID)
		}
	}
	return nil
}

// resolveWithAction closes an open report about target as resolved by an
// account action.
func (svc *Service) resolveWithAction(ctx context.Context, tx Tx, staffID, targetID int64, act AccountAction) (*Report, error) {
	r, err := tx.Report(ctx, act.ReportID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(EINVALID, "Validation failed: no such report")
	} else if err != nil {
		return nil, err
	}
	if r.TargetAccountID != targetID {
		return nil, Errorf(EINVALID, "Validation failed: the report is about another account")
	}
	if !r.Open() {
		return r, nil // already decided: the action stands on its own
	}
	r.Action, r.ActionTakenBy, r.ActionTakenAt = ReportAccountAction, staffID, svc.now()
	// A safeguarding report's posts stay hidden: acting on the account
	// (perhaps only warning it) says nothing about whether those posts are
	// safe to show again. Lifting the hold is its own decision on the
	// report page (Restore), audited as such.
	if r.Category != ReportSafeguarding {
		r.Holding = false
	}
	if err := tx.UpdateReport(ctx, r); err != nil {
		return nil, err
	}
	if err := svc.audit(ctx, tx, staffID, "report.resolve", "report", r.ID, act.Text); err != nil {
		return nil, err
	}
	return r, tx.RefreshHeldStatuses(ctx, r.StatusIDs)
}

// attachWarnings fills in Warning on moderation_warning notifications
// (whose ID is the warning's) and drops any whose warning is gone. It asks
// the database only when the list holds one, so ordinary pages keep their
// fixed number of queries.
func (svc *Service) attachWarnings(ctx context.Context, list []*Notification) ([]*Notification, error) {
	var ids []int64
	for _, n := range list {
		if n.Type == NotifyModerationWarning {
			ids = append(ids, n.ID)
		}
	}
	if len(ids) == 0 {
		return list, nil
	}
	byID, err := svc.store.Warnings(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, n := range list {
		if n.Type == NotifyModerationWarning {
			if n.Warning = byID[n.ID]; n.Warning == nil {
				continue
			}
			n.Warning.Account = n.FromAccount
		}
		out = append(out, n)
	}
	return out, nil
}

// AppealWarning lets a member contest a warning, once: the text goes to
// staff on the account's moderation page.
func (svc *Service) AppealWarning(ctx context.Context, member *Account, warningID int64, text string) (*AccountWarning, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, Errorf(EINVALID, "Validation failed: say why you disagree")
	}
	if err := checkText("text", text, MaxAppealTextChars); err != nil {
		return nil, err
	}
	var w *AccountWarning
	err := svc.store.Update(ctx, func(tx Tx) error {
		byID, err := tx.Warnings(ctx, []int64{warningID})
		if err != nil {
			return err
		}
		if w = byID[warningID]; w == nil || w.AccountID != member.ID {
			return Errorf(ENOTFOUND, "Record not found")
		}
		if w.Appealed() {
			return Errorf(EINVALID, "You have already appealed this decision")
		}
		w.AppealText, w.AppealedAt = text, svc.now()
		return tx.AppealWarning(ctx, w.ID, w.AppealText, w.AppealedAt)
	})
	return w, err
}

// MemberWarning returns one of member's own warnings.
func (svc *Service) MemberWarning(ctx context.Context, member *Account, id int64) (*AccountWarning, error) {
	byID, err := svc.store.Warnings(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if w := byID[id]; w != nil && w.AccountID == member.ID {
		w.Account = member
		return w, nil
	}
	return nil, Errorf(ENOTFOUND, "Record not found")
}

// suspendedError is what a suspended member sees on signing in: the
// reason staff gave, so they know what happened and may complain.
func (svc *Service) suspendedError(ctx context.Context, a *Account) error {
	msg := "Your account has been suspended"
	if list, err := svc.store.AccountWarnings(ctx, a.ID, 20); err == nil {
		for _, w := range list {
			if w.Action == ActionSuspend {
				msg += ". Reason: " + w.Text
				break
			}
		}
	}
	return Errorf(EFORBIDDEN, "%s", msg)
}

// AdminAccounts pages through accounts for staff (and safeguarding
// leads, who may warn).
func (svc *Service) AdminAccounts(ctx context.Context, staff *Account, f AdminAccountFilter, p Page) ([]*AdminAccount, error) {
	me, err := svc.moderator(ctx, svc.store, staff, ActionWarn)
	if err != nil {
		return nil, err
	}
	switch f.Origin {
	case "", "local", "remote":
	default:
		return nil, Errorf(EINVALID, "Validation failed: origin must be local or remote")
	}
	switch f.Status {
	case "", "active", "pending", "disabled", "silenced", "suspended":
	default:
		return nil, Errorf(EINVALID, "Validation failed: status must be active, pending, disabled, silenced or suspended")
	}
	for _, s := range []string{f.Username, f.DisplayName, f.Email} {
		if err := checkText("search", s, 200); err != nil {
			return nil, err
		}
	}
	if !me.IsStaff() && f.Email != "" {
		return nil, Errorf(EFORBIDDEN, "Only moderators and admins may search by email address")
	}
	list, err := svc.store.AdminAccounts(ctx, f, p.Clamp(100, 200))
	for _, aa := range list {
		hideEmail(me, aa)
	}
	return list, err
}

// hideEmail blanks the email address of aa for a viewer who is not staff:
// safeguarding leads see accounts to warn them, not their addresses.
func hideEmail(viewer *User, aa *AdminAccount) {
	if aa.User != nil && !viewer.IsStaff() {
		u := *aa.User
		u.Email = ""
		aa.User = &u
	}
}

// AdminAccount returns one account for staff.
func (svc *Service) AdminAccount(ctx context.Context, staff *Account, id int64) (*AdminAccount, error) {
	me, err := svc.moderator(ctx, svc.store, staff, ActionWarn)
	if err != nil {
		return nil, err
	}
	a, err := svc.store.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	u, err := svc.store.User(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		u = nil
	} else if err != nil {
		return nil, err
	}
	aa := &AdminAccount{Account: a, User: u}
	hideEmail(me, aa)
	return aa, nil
}

// AccountRecord is what staff see on an account's moderation page.
type AccountRecord struct {
	*AdminAccount
	Warnings []*AccountWarning // newest first, with appeals
	Reports  []*Report         // about the account, newest first
	Actors   map[int64]*Account
}

// AccountModeration returns an account's moderation record for staff.
func (svc *Service) AccountModeration(ctx context.Context, staff *Account, id int64) (*AccountRecord, error) {
	aa, err := svc.AdminAccount(ctx, staff, id)
	if err != nil {
		return nil, err
	}
	rec := &AccountRecord{AdminAccount: aa}
	if rec.Warnings, err = svc.store.AccountWarnings(ctx, id, 100); err != nil {
		return nil, err
	}
	if rec.Reports, err = svc.store.AccountReports(ctx, id, true, 100); err != nil {
		return nil, err
	}
	ids := map[int64]bool{}
	for _, w := range rec.Warnings {
		ids[w.ActorID] = true
	}
	for _, r := range rec.Reports {
		ids[r.AccountID] = true
	}
	if rec.Actors, err = svc.store.Accounts(ctx, keys(ids)); err != nil {
		return nil, err
	}
	return rec, nil
}

// ApproveSignUpBy and RejectSignUpBy are ApproveSignUp and RejectSignUp for
// callers holding the staff account rather than its user.
func (svc *Service) ApproveSignUpBy(ctx context.Context, staff *Account, accountID int64) error {
	u, err := svc.moderator(ctx, svc.store, staff, ActionDisable)
	if err != nil {
		return err
	}
	return svc.ApproveSignUp(ctx, u, accountID)
}

// RejectSignUpBy: see ApproveSignUpBy.
func (svc *Service) RejectSignUpBy(ctx context.Context, staff *Account, accountID int64) error {
	u, err := svc.moderator(ctx, svc.store, staff, ActionDisable)
	if err != nil {
		return err
	}
	return svc.RejectSignUp(ctx, u, accountID)
}
