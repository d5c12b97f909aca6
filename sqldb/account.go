package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"starling"
)

const accountColumns = `id, username, domain, display_name, note, fields, locked, bot, discoverable,
	created_at, updated_at, last_status_at, followers_count, following_count, statuses_count,
	silenced_at, suspended_at, sensitized_at`

// accountRow receives accountColumns from a row and builds the Account.
type accountRow struct {
	a                               starling.Account
	fields                          string
	created, updated, lastPost      int64
	silenced, suspended, sensitized int64
}

func (r *accountRow) dest() []any {
	a := &r.a
	return []any{&a.ID, &a.Username, &a.Domain, &a.DisplayName, &a.Note, &r.fields, &a.Locked, &a.Bot, &a.Discoverable,
		&r.created, &r.updated, &r.lastPost, &a.FollowersCount, &a.FollowingCount, &a.StatusesCount,
		&r.silenced, &r.suspended, &r.sensitized}
}

func (r *accountRow) account() (*starling.Account, error) {
	a := r.a
	a.CreatedAt, a.UpdatedAt, a.LastStatusAt = fromMS(r.created), fromMS(r.updated), fromMS(r.lastPost)
	a.SilencedAt, a.SuspendedAt, a.SensitizedAt = fromMS(r.silenced), fromMS(r.suspended), fromMS(r.sensitized)
	if err := json.Unmarshal([]byte(r.fields), &a.Fields); err != nil {
		return nil, fmt.Errorf("account %d fields: %w", a.ID, err)
	}
	return &a, nil
}

func scanAccount(row interface{ Scan(...any) error }) (*starling.Account, error) {
	var r accountRow
	if err := row.Scan(r.dest()...); err != nil {
		return nil, err
	}
	return r.account()
}

func fieldsJSON(fs []starling.Field) string {
	if fs == nil {
		fs = []starling.Field{}
	}
	b, _ := json.Marshal(fs) // a slice of string pairs always marshals
	return string(b)
}

// CreateAccount implements starling.AccountStore.
func (q *queries) CreateAccount(ctx context.Context, a *starling.Account, u *starling.User) error {
	if a.Domain == "" {
		if err := q.checkUsernameFree(ctx, a.Username); err != nil {
			return err
		}
	}
	_, err := q.q.ExecContext(ctx, `INSERT INTO accounts (id, username, domain, display_name, note, fields, locked, bot, discoverable, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		a.ID, a.Username, a.Domain, a.DisplayName, a.Note, fieldsJSON(a.Fields), a.Locked, a.Bot, a.Discoverable, ms(a.CreatedAt), ms(a.UpdatedAt))
	if q.d.isUniqueViolation(err) {
		return starling.Errorf(starling.EINVALID, "Validation failed: Username has already been taken")
	} else if err != nil {
		return fmt.Errorf("insert account: %w", err)
	}
	if u == nil {
		return nil
	}
	_, err = q.q.ExecContext(ctx, `INSERT INTO users (account_id, email, password_hash, role, approved, confirmed, disabled, reason, locale, created_at, feed_active_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		a.ID, u.Email, u.PasswordHash, string(u.Role), u.Approved, u.Confirmed, u.Disabled, u.Reason, u.Locale, ms(u.CreatedAt), ms(u.FeedActiveAt))
	if q.d.isUniqueViolation(err) {
		return starling.Errorf(starling.EINVALID, "Validation failed: Email has already been taken")
	} else if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	return nil
}

// UpdateAccount implements starling.AccountStore.
func (q *queries) UpdateAccount(ctx context.Context, a *starling.Account) error {
	n, err := q.exec(ctx, `UPDATE accounts SET display_name = $1, note = $2, fields = $3, locked = $4, bot = $5, discoverable = $6, updated_at = $7 WHERE id = $8`,
		a.DisplayName, a.Note, fieldsJSON(a.Fields), a.Locked, a.Bot, a.Discoverable, ms(a.UpdatedAt), a.ID)
	q.touch.account(a.ID)
	if err != nil {
		return fmt.Errorf("update account: %w", err)
	} else if n == 0 {
		return starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return nil
}

// DeleteAccount implements starling.AccountStore. Foreign keys cascade to
// everything the account owns; counters of others are fixed first.
func (q *queries) DeleteAccount(ctx context.Context, id int64) error {
	if q.touch != nil {
		q.touch.all = true // counters of many accounts and statuses change
	}
	for _, stmt := range []string{
		`UPDATE accounts SET followers_count = followers_count - 1 WHERE id IN (SELECT target_account_id FROM follows WHERE account_id = $1)`,
		`UPDATE accounts SET following_count = following_count - 1 WHERE id IN (SELECT account_id FROM follows WHERE target_account_id = $1)`,
		`DELETE FROM accounts WHERE id = $1`,
	} {
		if _, err := q.q.ExecContext(ctx, stmt, id); err != nil {
			return fmt.Errorf("delete account: %w", err)
		}
	}
	return nil
}

// Account implements starling.AccountStore.
func (q *queries) Account(ctx context.Context, id int64) (*starling.Account, error) {
	m, err := q.Accounts(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if a, ok := m[id]; ok {
		return a, nil
	}
	return nil, starling.Errorf(starling.ENOTFOUND, "Record not found")
}

// Accounts implements starling.AccountStore, through the row cache outside transactions.
func (q *queries) Accounts(ctx context.Context, ids []int64) (map[int64]*starling.Account, error) {
	out := make(map[int64]*starling.Account, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	missing, epoch := ids, uint64(0)
	if q.cache != nil {
		var hits map[int64]starling.Account
		now := time.Now()
		hits, missing, epoch = q.cache.accounts.lookup(ids, now)
		for id, a := range hits {
			out[id] = &a
		}
		if len(missing) == 0 {
			return out, nil
		}
	}
	var a args
	fetched := map[int64]starling.Account{}
	err := q.scanAccounts(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id IN `+a.in(missing)+` AND deleted_at = 0`, a, func(acc *starling.Account) {
		fetched[acc.ID] = *acc
		out[acc.ID] = acc
	})
	if err == nil && q.cache != nil {
		q.cache.accounts.put(fetched, epoch, time.Now())
	}
	return out, err
}

func (q *queries) scanAccounts(ctx context.Context, query string, a args, each func(*starling.Account)) error {
	rows, err := q.q.QueryContext(ctx, query, a...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		acc, err := scanAccount(rows)
		if err != nil {
			return err
		}
		each(acc)
	}
	return rows.Err()
}

// AccountByUsername implements starling.AccountStore.
func (q *queries) AccountByUsername(ctx context.Context, username, domain string) (*starling.Account, error) {
	a, err := scanAccount(q.q.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE lower(username) = $1 AND domain = $2 AND deleted_at = 0`,
		strings.ToLower(username), domain))
	return a, notFound(err)
}

// SearchAccounts implements starling.AccountStore. Exact username matches
// come first, then username prefixes, then display-name prefixes.
func (q *queries) SearchAccounts(ctx context.Context, s string, limit, offset int) ([]*starling.Account, error) {
	var a args
	lower := strings.ToLower(s)
	exact := a.add(lower)
	prefix := a.add(escapeLike(lower) + "%")
	words := a.add("% " + escapeLike(lower) + "%")
	query := `SELECT ` + accountColumns + ` FROM accounts
		WHERE suspended_at = 0 AND deleted_at = 0 AND (lower(username) LIKE ` + prefix + ` ESCAPE '\' OR lower(display_name) LIKE ` + prefix + ` ESCAPE '\' OR lower(display_name) LIKE ` + words + ` ESCAPE '\')
		ORDER BY CASE WHEN lower(username) = ` + exact + ` THEN 0 WHEN lower(username) LIKE ` + prefix + ` ESCAPE '\' THEN 1 ELSE 2 END, followers_count DESC, id
		LIMIT ` + a.add(limit) + ` OFFSET ` + a.add(offset)
	var out []*starling.Account
	return out, q.scanAccounts(ctx, query, a, func(acc *starling.Account) { out = append(out, acc) })
}

// SuggestedAccounts implements starling.AccountStore.
func (q *queries) SuggestedAccounts(ctx context.Context, viewerID int64, limit int) ([]*starling.Account, error) {
	var a args
	viewer := a.add(viewerID)
	query := `SELECT ` + accountColumns + ` FROM accounts
		WHERE domain = '' AND discoverable AND id <> ` + viewer + ` AND silenced_at = 0 AND suspended_at = 0
		AND id IN (SELECT account_id FROM users WHERE approved AND NOT disabled)
		AND id NOT IN (SELECT target_account_id FROM follows WHERE account_id = ` + viewer + `)
		ORDER BY followers_count DESC, id LIMIT ` + a.add(limit)
	var out []*starling.Account
	return out, q.scanAccounts(ctx, query, a, func(acc *starling.Account) { out = append(out, acc) })
}

// escapeLike escapes LIKE wildcards in user input.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

const userColumns = `account_id, email, password_hash, role, approved, confirmed, disabled, reason, locale, created_at, feed_active_at`

// userRow receives userColumns from a row and builds the User.
type userRow struct {
	u                   starling.User
	role                string
	created, feedActive int64
}

func (r *userRow) dest() []any {
	u := &r.u
	return []any{&u.AccountID, &u.Email, &u.PasswordHash, &r.role, &u.Approved, &u.Confirmed, &u.Disabled, &u.Reason, &u.Locale, &r.created, &r.feedActive}
}

func (r *userRow) user() *starling.User {
	u := r.u
	u.Role, u.CreatedAt, u.FeedActiveAt = starling.Role(r.role), fromMS(r.created), fromMS(r.feedActive)
	return &u
}

func scanUser(row interface{ Scan(...any) error }) (*starling.User, error) {
	var r userRow
	if err := row.Scan(r.dest()...); err != nil {
		return nil, err
	}
	return r.user(), nil
}

// User implements starling.AccountStore.
func (q *queries) User(ctx context.Context, accountID int64) (*starling.User, error) {
	u, err := scanUser(q.q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE account_id = $1`, accountID))
	return u, notFound(err)
}

// UserByEmail implements starling.AccountStore.
func (q *queries) UserByEmail(ctx context.Context, email string) (*starling.User, error) {
	u, err := scanUser(q.q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE lower(email) = $1`, strings.ToLower(email)))
	return u, notFound(err)
}

// UpdateUser implements starling.AccountStore.
func (q *queries) UpdateUser(ctx context.Context, u *starling.User) error {
	n, err := q.exec(ctx, `UPDATE users SET password_hash = $1, role = $2, approved = $3, confirmed = $4, disabled = $5, locale = $6 WHERE account_id = $7`,
		u.PasswordHash, string(u.Role), u.Approved, u.Confirmed, u.Disabled, u.Locale, u.AccountID)
	if err != nil {
		return fmt.Errorf("update user: %w", err)
	} else if n == 0 {
		return starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return nil
}

// MarkFeedActive implements starling.AccountStore.
func (q *queries) MarkFeedActive(ctx context.Context, accountID int64, at time.Time) error {
	if _, err := q.q.ExecContext(ctx, `UPDATE users SET feed_active_at = $1 WHERE account_id = $2`, ms(at), accountID); err != nil {
		return err
	}
	// Copied onto the member's follows, where fan-out finds it by index.
	_, err := q.q.ExecContext(ctx, `UPDATE follows SET follower_active_at = $1 WHERE account_id = $2`, ms(at), accountID)
	return err
}

// PendingUsers implements starling.AccountStore.
func (q *queries) PendingUsers(ctx context.Context, limit int) ([]*starling.User, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT `+userColumns+` FROM users WHERE approved = FALSE
		AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = users.account_id AND a.deleted_at > 0) ORDER BY created_at LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*starling.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// StaffAccountIDs implements starling.AccountStore.
func (q *queries) StaffAccountIDs(ctx context.Context) ([]int64, error) {
	return q.ids(ctx, `SELECT account_id FROM users WHERE role IN ('admin', 'moderator') AND disabled = FALSE ORDER BY account_id`, nil)
}

// InstanceStats implements starling.AccountStore.
func (q *queries) InstanceStats(ctx context.Context) (users, statuses int, err error) {
	err = q.q.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(a.statuses_count), 0) FROM users u JOIN accounts a ON a.id = u.account_id
		WHERE u.approved = TRUE AND u.disabled = FALSE`).Scan(&users, &statuses)
	return users, statuses, err
}

// Directory implements starling.AccountStore: discoverable local accounts
// that have posted, most recently active first, or newest first.
func (q *queries) Directory(ctx context.Context, newest bool, limit, offset int) ([]*starling.Account, error) {
	order := `last_status_at DESC, id DESC`
	where := ` AND last_status_at > 0`
	if newest {
		order, where = `created_at DESC, id DESC`, ``
	}
	var a args
	query := `SELECT ` + accountColumns + ` FROM accounts WHERE discoverable = TRUE AND domain = '' AND silenced_at = 0 AND suspended_at = 0` + where +
		` ORDER BY ` + order + ` LIMIT ` + a.add(limit) + ` OFFSET ` + a.add(offset)
	var out []*starling.Account
	return out, q.scanAccounts(ctx, query, a, func(acc *starling.Account) { out = append(out, acc) })
}

// FriendsOfFriends implements starling.AccountStore: accounts followed by
// the people viewerID follows, the most shared first.
func (q *queries) FriendsOfFriends(ctx context.Context, viewerID int64, limit int) ([]*starling.Account, error) {
	a := args{viewerID}
	query := `SELECT ` + accountColumns + ` FROM accounts JOIN (
			SELECT f2.target_account_id AS fid, count(*) AS shared FROM follows f1 JOIN follows f2 ON f2.account_id = f1.target_account_id
			WHERE f1.account_id = $1 GROUP BY f2.target_account_id) x ON x.fid = accounts.id
		WHERE accounts.id <> $1 AND discoverable = TRUE AND domain = '' AND silenced_at = 0 AND suspended_at = 0
		AND accounts.id NOT IN (SELECT target_account_id FROM follows WHERE account_id = $1)
		ORDER BY x.shared DESC, followers_count DESC, accounts.id LIMIT ` + a.add(limit)
	var out []*starling.Account
	return out, q.scanAccounts(ctx, query, a, func(acc *starling.Account) { out = append(out, acc) })
}
