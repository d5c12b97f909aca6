package starling

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"
)

// SignUp is what a person gives to join.
type SignUp struct {
	Username  string
	Email     string
	Password  string
	Reason    string // why they want to join (approval mode)
	Locale    string
	Agreement bool // accepted the rules

	// Set only by trusted callers (the admin command line).
	Admin         bool
	SkipApproval  bool
	AllowReserved bool
	SkipAgreement bool
}

// reservedUsernames cannot be taken by sign-ups, so nobody can pose as the
// people who run the server.
var reservedUsernames = []string{"admin", "administrator", "root", "support", "help", "moderator", "mod", "webmaster", "postmaster", "abuse", "security", "starling", "staff"}

// Validate checks the sign-up's fields.
func (s *SignUp) Validate(text TextProcessor) error {
	s.Username = strings.TrimSpace(s.Username)
	s.Email = strings.TrimSpace(s.Email)
	for field, v := range map[string]string{"Password": s.Password, "Locale": s.Locale} {
		if err := checkEncoding(field, v); err != nil {
			return err
		}
	}
	if !text.ValidUsername(s.Username) {
		return Errorf(EINVALID, "Validation failed: Username must be 1 to 30 letters, digits or underscores")
	}
	if !s.AllowReserved && slices.Contains(reservedUsernames, strings.ToLower(s.Username)) {
		return Errorf(EINVALID, "Validation failed: Username is reserved")
	}
	if at := strings.LastIndexByte(s.Email, '@'); at < 1 || at == len(s.Email)-1 || len(s.Email) > 254 || strings.ContainsAny(s.Email, " \t\r\n<>") || !utf8.ValidString(s.Email) {
		return Errorf(EINVALID, "Validation failed: Email is invalid")
	}
	if utf8.RuneCountInString(s.Password) < MinPasswordChars {
		return Errorf(EINVALID, "Validation failed: Password is too short (minimum is %d characters)", MinPasswordChars)
	}
	if len(s.Password) > MaxPasswordBytes {
		return Errorf(EINVALID, "Validation failed: Password is too long")
	}
	if !s.SkipAgreement && !s.Agreement {
		return Errorf(EINVALID, "Validation failed: Agreement must be accepted")
	}
	if err := checkText("reason", s.Reason, 500); err != nil {
		return err
	}
	return nil
}

// Register creates an account. With registrations closed only trusted callers
// (SkipApproval) may; in approval mode the new user waits for an admin.
func (svc *Service) Register(ctx context.Context, s SignUp) (*Account, *User, error) {
	if svc.instance.Registrations == RegistrationsClosed && !s.SkipApproval {
		return nil, nil, Errorf(EFORBIDDEN, "Registrations are closed on this server")
	}
	if err := s.Validate(svc.text); err != nil {
		return nil, nil, err
	}
	hash, err := svc.passwords.Hash(s.Password)
	if err != nil {
		return nil, nil, err
	}
	now := svc.now()
	a := &Account{
		ID: svc.newID(now), Username: s.Username, CreatedAt: now, UpdatedAt: now,
		Discoverable: true,
	}
	u := &User{
		AccountID: a.ID, Email: s.Email, PasswordHash: hash, Role: RoleUser,
		Approved:  s.SkipApproval || svc.instance.Registrations == RegistrationsOpen,
		Confirmed: true, // no e-mail is sent yet, so there is nothing to confirm
		Reason:    strings.TrimSpace(s.Reason), Locale: s.Locale, CreatedAt: now, FeedActiveAt: now,
	}
	if s.Admin {
		u.Role = RoleAdmin
	}
	err = svc.store.Update(ctx, func(tx Tx) error {
		if err := tx.CreateAccount(ctx, a, u); err != nil {
			return err
		}
		if !u.Approved {
			return svc.notifyStaffOfSignUp(ctx, tx, a)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return a, u, nil
}

// notifyStaffOfSignUp tells every admin that someone waits for approval.
func (svc *Service) notifyStaffOfSignUp(ctx context.Context, tx Tx, a *Account) error {
	// Pending users are few, and admins fewer; a scan is fine here.
	admins, err := tx.StaffAccountIDs(ctx)
	if err != nil {
		return err
	}
	now := svc.now()
	for _, id := range admins {
		n := &Notification{ID: svc.newID(now), AccountID: id, FromAccountID: a.ID, Type: NotifyAdminSignUp, CreatedAt: now}
		if _, err := tx.CreateNotification(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

// SignIn checks an email (or username) and password, and that the user may
// sign in. A login with too many recent failures is refused with
// ERATELIMITED (a *RetryError saying how long to wait) before the password
// is looked at; see signin_lockout.go.
func (svc *Service) SignIn(ctx context.Context, login, password string) (*Account, *User, error) {
	login = strings.TrimSpace(login)
	key := SignInKey(login)
	if err := svc.reserveSignInAttempt(ctx, key); err != nil {
		return nil, nil, err
	}
	a, u, err := svc.checkPassword(ctx, login, password)
	if err != nil {
		return nil, nil, err // a wrong password stays counted
	}
	if err := svc.clearSignInFailures(ctx, key); err != nil {
		return nil, nil, err
	}
	if err := u.CanSignIn(); err != nil {
		return nil, nil, err
	}
	return a, u, nil
}

// checkPassword finds the user by login and checks the password.
func (svc *Service) checkPassword(ctx context.Context, login, password string) (*Account, *User, error) {
	var u *User
	var err error
	if strings.Contains(login, "@") {
		u, err = svc.store.UserByEmail(ctx, login)
	} else {
		var a *Account
		if a, err = svc.store.AccountByUsername(ctx, login, ""); err == nil {
			u, err = svc.store.User(ctx, a.ID)
		}
	}
	badLogin := Errorf(EUNAUTHORIZED, "Invalid email or password")
	if ErrorCode(err) == ENOTFOUND {
		// Hash anyway, so response time does not tell which emails exist.
		svc.dummyOnce.Do(func() { svc.dummyHash, _ = svc.passwords.Hash("starling-no-such-user") })
		_, _ = svc.passwords.Verify(svc.dummyHash, password)
		return nil, nil, badLogin
	} else if err != nil {
		return nil, nil, err
	}
	ok, err := svc.passwords.Verify(u.PasswordHash, password)
	if err != nil {
		return nil, nil, err
	} else if !ok {
		return nil, nil, badLogin
	}
	a, err := svc.store.Account(ctx, u.AccountID)
	if err != nil {
		return nil, nil, err
	}
	if a.Suspended() {
		return nil, nil, svc.suspendedError(ctx, a)
	}
	return a, u, nil
}

// ChangePassword sets a new password after checking the current one, and
// signs out every other session and app: whoever knew the old password may
// have used it to get a token. keepTokenID (0 for none) stays valid.
func (svc *Service) ChangePassword(ctx context.Context, u *User, current, next string, keepTokenID int64) error {
	ok, err := svc.passwords.Verify(u.PasswordHash, current)
	if err != nil {
		return err
	} else if !ok {
		return Errorf(EINVALID, "Current password is incorrect")
	}
	if utf8.RuneCountInString(next) < MinPasswordChars {
		return Errorf(EINVALID, "Validation failed: Password is too short (minimum is %d characters)", MinPasswordChars)
	} else if len(next) > MaxPasswordBytes {
		return Errorf(EINVALID, "Validation failed: Password is too long")
	}
	hash, err := svc.passwords.Hash(next)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	return svc.store.Update(ctx, func(tx Tx) error {
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		tokens, err := tx.AccountTokens(ctx, u.AccountID)
		if err != nil {
			return err
		}
		for _, t := range tokens {
			if t.ID != keepTokenID {
				if err := tx.DeleteToken(ctx, t.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// PendingSignUps lists the sign-ups waiting for approval; staff only.
func (svc *Service) PendingSignUps(ctx context.Context, staff *User) ([]*User, map[int64]*Account, error) {
	if staff == nil || !staff.IsStaff() {
		return nil, nil, Errorf(EFORBIDDEN, "This action is not allowed")
	}
	users, err := svc.store.PendingUsers(ctx, 200)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.AccountID
	}
	accounts, err := svc.store.Accounts(ctx, ids)
	return users, accounts, err
}

// ApproveSignUp lets a pending user in; staff only.
func (svc *Service) ApproveSignUp(ctx context.Context, staff *User, accountID int64) error {
	if staff == nil || !staff.IsStaff() {
		return Errorf(EFORBIDDEN, "This action is not allowed")
	}
	return svc.store.Update(ctx, func(tx Tx) error {
		u, err := tx.User(ctx, accountID)
		if err != nil {
			return err
		}
		u.Approved = true
		return svc.audited(ctx, tx, tx.UpdateUser(ctx, u), staff.AccountID, "account.approve", "account", accountID)
	})
}

// RejectSignUp deletes a pending sign-up; staff only. Approved accounts cannot be removed this way.
func (svc *Service) RejectSignUp(ctx context.Context, staff *User, accountID int64) error {
	if staff == nil || !staff.IsStaff() {
		return Errorf(EFORBIDDEN, "This action is not allowed")
	}
	return svc.store.Update(ctx, func(tx Tx) error {
		u, err := tx.User(ctx, accountID)
		if err != nil {
			return err
		}
		if u.Approved {
			return Errorf(EINVALID, "This account is already approved")
		}
		return svc.audited(ctx, tx, tx.DeleteAccount(ctx, accountID), staff.AccountID, "account.reject", "account", accountID)
	})
}

// UpdateProfile changes the signed-in account's profile.
func (svc *Service) UpdateProfile(ctx context.Context, a *Account, u ProfileUpdate) (*Account, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if err := svc.checkPersonalData(ctx, a, subjectProfile, u.ConfirmPersonalData, svc.profileTexts(&u)...); err != nil {
		return nil, err
	}
	var out *Account
	err := svc.store.Update(ctx, func(tx Tx) error {
		cur, err := tx.Account(ctx, a.ID)
		if err != nil {
			return err
		}
		u.Apply(cur)
		cur.UpdatedAt = svc.now()
		out = cur
		return tx.UpdateAccount(ctx, cur)
	})
	return out, err
}

// Account returns an account by ID.
func (svc *Service) Account(ctx context.Context, id int64) (*Account, error) {
	return svc.store.Account(ctx, id)
}

// LookupAccount finds an account by its handle: "user", "@user", "user@domain".
func (svc *Service) LookupAccount(ctx context.Context, acct string) (*Account, error) {
	acct = strings.TrimPrefix(strings.TrimSpace(acct), "@")
	username, domain, _ := strings.Cut(acct, "@")
	if username == "" {
		return nil, Errorf(ENOTFOUND, "Record not found")
	}
	if svc.instance.IsLocalDomain(domain) {
		domain = ""
	}
	return svc.store.AccountByUsername(ctx, username, strings.ToLower(domain))
}

// SuggestedAccounts returns members worth following for someone new:
// the most followed discoverable members viewer does not follow yet.
func (svc *Service) SuggestedAccounts(ctx context.Context, viewer *Account, limit int) ([]*Account, error) {
	return svc.store.SuggestedAccounts(ctx, viewer.ID, Page{Limit: limit}.Clamp(10, 40).Limit)
}

// SearchAccounts finds accounts by username or display name prefix.
func (svc *Service) SearchAccounts(ctx context.Context, q string, limit, offset int) ([]*Account, error) {
	q = strings.TrimPrefix(strings.TrimSpace(q), "@")
	if q == "" {
		return nil, nil
	}
	if username, domain, ok := strings.Cut(q, "@"); ok {
		if a, err := svc.LookupAccount(ctx, username+"@"+domain); err == nil {
			return []*Account{a}, nil
		}
		return nil, nil
	}
	return svc.store.SearchAccounts(ctx, q, limit, offset)
}

// Directory lists the community's discoverable members for the profile
// directory: order "new" for the newest, otherwise the most recently active.
func (svc *Service) Directory(ctx context.Context, order string, limit, offset int) ([]*Account, error) {
	return svc.store.Directory(ctx, order == "new", Page{Limit: limit}.Clamp(40, 80).Limit, max(offset, 0))
}

// Suggestion is an account worth following, and why: "staff" (on a list
// staff suggest), "friends_of_friends" (followed by people one follows) or
// "global" (followed by many).
type Suggestion struct {
	Account *Account
	Source  string
}

// Suggestions lists accounts for viewer to follow: those on lists staff
// suggest first, then those the people viewer follows follow, then the
// most followed; never viewer or someone viewer follows.
func (svc *Service) Suggestions(ctx context.Context, viewer *Account, limit int) ([]Suggestion, error) {
	limit = Page{Limit: limit}.Clamp(40, 80).Limit
	seen := map[int64]bool{viewer.ID: true}
	var out []Suggestion
	add := func(source string, list []*Account) {
		for _, a := range list {
			if len(out) < limit && !seen[a.ID] && a.Discoverable {
				seen[a.ID] = true
				out = append(out, Suggestion{Account: a, Source: source})
			}
		}
	}
	featured, err := svc.FeaturedLists(ctx)
	if err != nil {
		return nil, err
	}
	var staff []*Account
	for _, l := range featured {
		staff = append(staff, l.Members...)
	}
	if len(staff) > 0 {
		ids := make([]int64, len(staff))
		for i, a := range staff {
			ids[i] = a.ID
		}
		rel, err := svc.store.Relationships(ctx, viewer.ID, ids)
		if err != nil {
			return nil, err
		}
		for _, a := range staff {
			if r := rel[a.ID]; r != nil && (r.Following || r.Requested) {
				seen[a.ID] = true
			}
		}
	}
	add("staff", staff)
	fof, err := svc.store.FriendsOfFriends(ctx, viewer.ID, limit)
	if err != nil {
		return nil, err
	}
	add("friends_of_friends", fof)
	global, err := svc.store.SuggestedAccounts(ctx, viewer.ID, limit)
	if err != nil {
		return nil, err
	}
	add("global", global)
	return out, nil
}

// DirectoryFilter narrows the directory by what members say on their
// profile: words in the Role and Organisation fields, and the Region.
type DirectoryFilter struct {
	Role         string
	Organisation string
	Region       string
}

func (f DirectoryFilter) empty() bool { return f.Role == "" && f.Organisation == "" && f.Region == "" }

// matches reports whether an account's profile fields fit the filter.
func (f DirectoryFilter) matches(a *Account) bool {
	field := func(name string) string {
		for _, x := range a.Fields {
			if strings.EqualFold(strings.TrimSpace(x.Name), name) {
				return strings.ToLower(x.Value)
			}
		}
		return ""
	}
	has := func(name, want string) bool {
		return want == "" || strings.Contains(field(name), strings.ToLower(strings.TrimSpace(want)))
	}
	return has("Role", f.Role) && has("Organisation", f.Organisation) &&
		(f.Region == "" || strings.EqualFold(strings.TrimSpace(field("Region")), strings.TrimSpace(f.Region)))
}

// directoryScan bounds how many members a filtered directory page looks
// through: profile fields are free text, matched here rather than indexed.
const directoryScan = 10000

// FilteredDirectory is Directory narrowed by profile fields.
func (svc *Service) FilteredDirectory(ctx context.Context, order string, f DirectoryFilter, limit, offset int) ([]*Account, error) {
	if f.empty() {
		return svc.Directory(ctx, order, limit, offset)
	}
	limit = Page{Limit: limit}.Clamp(40, 80).Limit
	var out []*Account
	skipped := 0
	for from := 0; from < directoryScan && len(out) < limit; from += 200 {
		page, err := svc.store.Directory(ctx, order == "new", 200, from)
		if err != nil {
			return nil, err
		}
		for _, a := range page {
			if !f.matches(a) {
				continue
			}
			if skipped < offset {
				skipped++
			} else if len(out) < limit {
				out = append(out, a)
			}
		}
		if len(page) < 200 {
			break
		}
	}
	return out, nil
}
