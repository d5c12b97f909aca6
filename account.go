package starling

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Account is a profile that posts and follows: a member of this community or,
// once federation arrives, of another server (Domain set). Counters are kept
// up to date by the stores in the same transaction as the change they count.
type Account struct {
	ID           int64
	Username     string // as chosen; unique per domain, case-insensitively
	Domain       string // "" for local accounts
	DisplayName  string
	Note         string // the bio as typed (plain text); rendered to HTML on output
	Fields       []Field
	Locked       bool // follows need approval
	Bot          bool
	Discoverable bool // may be listed in the directory and found in search
	CreatedAt    time.Time
	UpdatedAt    time.Time
	LastStatusAt time.Time // zero if never posted
	// Moderation (see account_action.go); zero when not in force.
	SilencedAt   time.Time // limited: hidden from public surfaces for non-followers
	SuspendedAt  time.Time // suspended: cannot sign in, posts hidden everywhere
	SensitizedAt time.Time // its media is always marked sensitive

	FollowersCount int
	FollowingCount int
	StatusesCount  int
}

// Acct is the account's handle as the API shows it: "user" for local accounts,
// "user@domain" for remote ones.
func (a *Account) Acct() string {
	if a.Domain == "" {
		return a.Username
	}
	return a.Username + "@" + a.Domain
}

// Limited reports whether staff limited the account (Mastodon's "silenced").
func (a *Account) Limited() bool { return !a.SilencedAt.IsZero() }

// Suspended reports whether staff suspended the account.
func (a *Account) Suspended() bool { return !a.SuspendedAt.IsZero() }

// Sensitized reports whether staff marked the account's media sensitive.
func (a *Account) Sensitized() bool { return !a.SensitizedAt.IsZero() }

// Field is one name/value pair on a profile ("Role: Social worker").
type Field struct {
	Name  string
	Value string
}

// Profile limits, as Mastodon's defaults.
const (
	MaxDisplayNameChars = 30
	MaxNoteChars        = 500
	MaxFields           = 4
	MaxFieldNameChars   = 255
	MaxFieldValueChars  = 255
	MinPasswordChars    = 8
	MaxPasswordBytes    = 72 * 4 // generous, but bounds hashing work
)

// ProfileUpdate holds the profile fields a member may change; nil leaves a field as it is.
type ProfileUpdate struct {
	DisplayName  *string
	Note         *string
	Locked       *bool
	Bot          *bool
	Discoverable *bool
	Fields       *[]Field
	// ConfirmPersonalData: see NewStatus.
	ConfirmPersonalData bool
}

// Validate checks the update against the profile limits.
func (u *ProfileUpdate) Validate() error {
	if u.DisplayName != nil {
		if err := checkText("display_name", *u.DisplayName, MaxDisplayNameChars); err != nil {
			return err
		}
	}
	if u.Note != nil {
		if err := checkText("note", *u.Note, MaxNoteChars); err != nil {
			return err
		}
	}
	if u.Fields != nil {
		if len(*u.Fields) > MaxFields {
			return Errorf(EINVALID, "Validation failed: Fields: at most %d profile fields are allowed", MaxFields)
		}
		for _, f := range *u.Fields {
			if err := checkText("fields_attributes name", f.Name, MaxFieldNameChars); err != nil {
				return err
			}
			if err := checkText("fields_attributes value", f.Value, MaxFieldValueChars); err != nil {
				return err
			}
		}
	}
	return nil
}

// Apply copies the set fields of u onto a.
func (u *ProfileUpdate) Apply(a *Account) {
	if u.DisplayName != nil {
		a.DisplayName = strings.TrimSpace(*u.DisplayName)
	}
	if u.Note != nil {
		a.Note = strings.TrimSpace(*u.Note)
	}
	if u.Locked != nil {
		a.Locked = *u.Locked
	}
	if u.Bot != nil {
		a.Bot = *u.Bot
	}
	if u.Discoverable != nil {
		a.Discoverable = *u.Discoverable
	}
	if u.Fields != nil {
		var fs []Field
		for _, f := range *u.Fields {
			f.Name, f.Value = strings.TrimSpace(f.Name), strings.TrimSpace(f.Value)
			if f.Name != "" || f.Value != "" { // empty rows are how clients delete a field
				fs = append(fs, f)
			}
		}
		a.Fields = fs
	}
}

func checkText(name, s string, max int) error {
	if err := checkEncoding(name, s); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(s); n > max {
		return Errorf(EINVALID, "Validation failed: %s is too long (%d characters, maximum is %d)", name, n, max)
	}
	return nil
}

// checkEncoding refuses text that is not valid UTF-8 or holds NUL
// characters, which no one types and PostgreSQL cannot store.
func checkEncoding(name, s string) error {
	if !utf8.ValidString(s) {
		return Errorf(EINVALID, "Validation failed: %s is not valid UTF-8", name)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return Errorf(EINVALID, "Validation failed: %s contains a NUL character", name)
	}
	return nil
}

// Role is what a member may do beyond posting.
type Role string

const (
	RoleUser      Role = "user"
	RoleModerator Role = "moderator"
	RoleAdmin     Role = "admin"
	// RoleSafeguardingLead handles safeguarding reports and sees the
	// posts they hold; otherwise a member like any other.
	RoleSafeguardingLead Role = "safeguarding_lead"
)

// User is the sign-in record of a local account. Remote accounts have none.
type User struct {
	AccountID    int64
	Email        string
	PasswordHash string // argon2id, PHC string format
	Role         Role
	Approved     bool // false while a sign-up waits in the approval queue
	Confirmed    bool
	Disabled     bool
	Reason       string // why they want to join, shown to the admin approving them
	Locale       string
	CreatedAt    time.Time
	FeedActiveAt time.Time // when they last read their home timeline (to the hour); see Service.HomeTimeline
}

// CanSignIn reports whether the user may use the API and web pages, and if not, why not.
func (u *User) CanSignIn() error {
	switch {
	case u.Disabled:
		return Errorf(EFORBIDDEN, "Your login is currently disabled")
	case !u.Approved:
		return Errorf(EFORBIDDEN, "Your login is currently pending approval")
	case !u.Confirmed:
		return Errorf(EFORBIDDEN, "Your login is missing a confirmed e-mail address")
	}
	return nil
}

// IsStaff reports whether the user moderates or administers the community.
func (u *User) IsStaff() bool { return u.Role == RoleAdmin || u.Role == RoleModerator }

// AccountStore reads and writes accounts and their users.
type AccountStore interface {
	// CreateAccount inserts a and, for local accounts, u. Returns EINVALID if
	// the username or email is taken.
	CreateAccount(ctx context.Context, a *Account, u *User) error
	// UpdateAccount writes a's profile fields.
	UpdateAccount(ctx context.Context, a *Account) error
	// Account returns the account with that ID, or ENOTFOUND.
	Account(ctx context.Context, id int64) (*Account, error)
	// Accounts returns the accounts with these IDs, keyed by ID; missing ones are left out.
	Accounts(ctx context.Context, ids []int64) (map[int64]*Account, error)
	// AccountByUsername finds an account by username and domain, case-insensitively, or ENOTFOUND.
	AccountByUsername(ctx context.Context, username, domain string) (*Account, error)
	// SearchAccounts returns accounts whose username or display name starts with q (case-insensitive).
	SearchAccounts(ctx context.Context, q string, limit, offset int) ([]*Account, error)
	// SuggestedAccounts returns local, discoverable, approved members that
	// viewerID does not follow yet, most followed first.
	SuggestedAccounts(ctx context.Context, viewerID int64, limit int) ([]*Account, error)
	// User returns the user of a local account, or ENOTFOUND.
	User(ctx context.Context, accountID int64) (*User, error)
	// UserByEmail finds a user by email, case-insensitively, or ENOTFOUND.
	UserByEmail(ctx context.Context, email string) (*User, error)
	// UpdateUser writes u's role, flags and password hash.
	UpdateUser(ctx context.Context, u *User) error
	// MarkFeedActive records that the user read their home timeline at the given time.
	MarkFeedActive(ctx context.Context, accountID int64, at time.Time) error
	// PendingUsers lists users waiting for approval, oldest first.
	PendingUsers(ctx context.Context, limit int) ([]*User, error)
	// DeleteAccount removes an account and everything it owns.
	DeleteAccount(ctx context.Context, id int64) error
	// StaffAccountIDs returns the IDs of admins and moderators.
	StaffAccountIDs(ctx context.Context) ([]int64, error)
	// InstanceStats counts approved local members and their non-direct statuses.
	InstanceStats(ctx context.Context) (users, statuses int, err error)
	// Directory lists discoverable local accounts: most recently active
	// first (those that posted), or newest first.
	Directory(ctx context.Context, newest bool, limit, offset int) ([]*Account, error)
	// FriendsOfFriends lists discoverable local accounts that the accounts
	// viewerID follows follow, and viewerID does not: the most shared first.
	FriendsOfFriends(ctx context.Context, viewerID int64, limit int) ([]*Account, error)
}
