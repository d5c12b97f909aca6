package starling

import (
	"context"
	"strings"
)

// A subject-access request (UK GDPR article 15) asks the community what
// it holds about a person. Staff answer it from one page: a summary of
// the member's data, the reports by and about them, the audit entries
// about them, and the posts of others that mention or name them, with
// their full archive to send on. Safeguarding leads are left out on
// purpose: they see held posts to protect people, not members' sign-in
// records, and answering such requests is the data controller's duty,
// which staff carry. Every lookup and every export is written to the
// audit log with the reason, so the access itself is accountable.

// SubjectAccess is what staff see about one member.
type SubjectAccess struct {
	Account      *Account
	User         *User
	TwoFactor    bool
	Counts       map[string]int // rows of each kind; see ArchiveStore.AccountDataCounts
	ReportsBy    []*Report
	ReportsAbout []*Report
	Audit        []*AuditEntry // entries whose target is the account, with Actor
	Mentioned    []*Status     // posts by others that @mention them
	Named        []*Status     // posts the search finds naming them in their text
}

// subjectAccessList bounds each list on the page; the archive has the rest.
const subjectAccessList = 100

// subjectAccessStaff checks that by may answer subject-access requests
// and that a reason is given.
func subjectAccessStaff(by *Account, byUser *User, reason string) (string, error) {
	if by == nil || byUser == nil || byUser.AccountID != by.ID || !byUser.IsStaff() || byUser.Disabled {
		return "", Errorf(EFORBIDDEN, "This action is not allowed")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", Errorf(EINVALID, "Validation failed: Reason can't be blank")
	}
	return reason, checkText("reason", reason, 1000)
}

// subjectAccessTarget keeps the accounts of staff and safeguarding leads
// to admins, as account actions on them are: a moderator reading an
// admin's messages and sign-in record would be reading up the hierarchy.
func subjectAccessTarget(by, target *User) error {
	if target.HandlesReports() && by.Role != RoleAdmin {
		return Errorf(EFORBIDDEN, "Only admins may answer requests about staff and safeguarding leads")
	}
	return nil
}

// FindSubject finds a local member by username ("name", "@name") or
// email; ENOTFOUND if there is none. Staff only; it writes nothing.
func (svc *Service) FindSubject(ctx context.Context, by *Account, byUser *User, who string) (*Account, error) {
	if by == nil || byUser == nil || !byUser.IsStaff() {
		return nil, Errorf(EFORBIDDEN, "This action is not allowed")
	}
	who = strings.TrimPrefix(strings.TrimSpace(who), "@")
	if who == "" {
		return nil, Errorf(EINVALID, "Validation failed: Type a username or an email address")
	}
	if strings.Contains(who, "@") {
		u, err := svc.store.UserByEmail(ctx, who)
		if err != nil {
			return nil, err
		}
		return svc.store.Account(ctx, u.AccountID)
	}
	return svc.store.AccountByUsername(ctx, who, "")
}

// SubjectAccessLookup shows staff what Starling holds about a member and
// writes "subject_access.lookup" to the audit log with the reason.
func (svc *Service) SubjectAccessLookup(ctx context.Context, by *Account, byUser *User, accountID int64, reason string) (*SubjectAccess, error) {
	reason, err := subjectAccessStaff(by, byUser, reason)
	if err != nil {
		return nil, err
	}
	out := &SubjectAccess{}
	if out.Account, err = svc.store.Account(ctx, accountID); err != nil {
		return nil, err
	}
	if out.User, err = svc.store.User(ctx, accountID); err != nil {
		return nil, err
	}
	if err := subjectAccessTarget(byUser, out.User); err != nil {
		return nil, err
	}
	if err := svc.store.Update(ctx, func(tx Tx) error {
		return svc.audit(ctx, tx, by.ID, "subject_access.lookup", "account", accountID, reason)
	}); err != nil {
		return nil, err
	}
	if out.TwoFactor, err = svc.HasTwoFactor(ctx, accountID); err != nil {
		return nil, err
	}
	if out.Counts, err = svc.store.AccountDataCounts(ctx, accountID); err != nil {
		return nil, err
	}
	if out.ReportsBy, err = svc.store.AccountReports(ctx, accountID, false, subjectAccessList); err != nil {
		return nil, err
	}
	if out.ReportsAbout, err = svc.store.AccountReports(ctx, accountID, true, subjectAccessList); err != nil {
		return nil, err
	}
	if err := svc.hydrateReports(ctx, by, append(append([]*Report{}, out.ReportsBy...), out.ReportsAbout...)); err != nil {
		return nil, err
	}
	if out.Audit, err = svc.store.AuditEntriesFor(ctx, "account", accountID, subjectAccessList); err != nil {
		return nil, err
	}
	actors := map[int64]bool{}
	for _, e := range out.Audit {
		actors[e.ActorID] = true
	}
	accounts, err := svc.store.Accounts(ctx, keys(actors))
	if err != nil {
		return nil, err
	}
	for _, e := range out.Audit {
		e.Actor = accounts[e.ActorID]
	}
	ids, err := svc.store.MentioningStatusIDs(ctx, accountID, subjectAccessList)
	if err != nil {
		return nil, err
	}
	// Every mention, whoever may read the post: the member was addressed
	// in it, so it is data about them whatever its visibility.
	list, err := svc.statusesAsIs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, s := range list {
		if !s.AuthorDeleted && s.Account != nil {
			out.Mentioned = append(out.Mentioned, s)
		}
	}
	// Posts naming them without an @mention: the search staff themselves
	// could run, so only what they may read.
	res, err := svc.Search(ctx, by, SearchQuery{Q: `"` + out.Account.Username + `"`, Type: "statuses", Limit: 40})
	if err != nil && ErrorCode(err) != EINVALID {
		return nil, err
	}
	if res != nil {
		for _, s := range res.Statuses {
			if s.AccountID != accountID {
				out.Named = append(out.Named, s)
			}
		}
	}
	return out, nil
}

// SubjectAccessExport gives staff a member's archive (the same zip the
// member downloads) to send on, and writes "subject_access.export" to
// the audit log with the reason. Staff exports are not rate limited:
// each is audited instead.
func (svc *Service) SubjectAccessExport(ctx context.Context, by *Account, byUser *User, accountID int64, reason string) (*Account, ArchiveWriter, error) {
	reason, err := subjectAccessStaff(by, byUser, reason)
	if err != nil {
		return nil, nil, err
	}
	a, err := svc.store.Account(ctx, accountID)
	if err != nil {
		return nil, nil, err
	}
	target, err := svc.store.User(ctx, accountID)
	if err != nil {
		return nil, nil, err // remote accounts have no archive here
	}
	if err := subjectAccessTarget(byUser, target); err != nil {
		return nil, nil, err
	}
	if err := svc.store.Update(ctx, func(tx Tx) error {
		return svc.audit(ctx, tx, by.ID, "subject_access.export", "account", accountID, reason)
	}); err != nil {
		return nil, nil, err
	}
	return a, svc.archiveWriter(ctx, accountID), nil
}
