package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"starling"
)

const applicationColumns = `id, name, website, redirect_uris, scopes, client_id, client_secret_hash, created_at`

func scanApplication(row interface{ Scan(...any) error }) (*starling.Application, error) {
	var a starling.Application
	var uris, scopes string
	var created int64
	if err := row.Scan(&a.ID, &a.Name, &a.Website, &uris, &scopes, &a.ClientID, &a.ClientSecretHash, &created); err != nil {
		return nil, err
	}
	a.RedirectURIs, a.Scopes, a.CreatedAt = strings.Split(uris, "\n"), strings.Fields(scopes), fromMS(created)
	return &a, nil
}

// CreateApplication implements starling.OAuthStore.
func (q *queries) CreateApplication(ctx context.Context, a *starling.Application) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO applications (id, name, website, redirect_uris, scopes, client_id, client_secret_hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		a.ID, a.Name, a.Website, strings.Join(a.RedirectURIs, "\n"), a.Scopes.String(), a.ClientID, a.ClientSecretHash, ms(a.CreatedAt))
	if q.d.isUniqueViolation(err) {
		return starling.Errorf(starling.ECONFLICT, "Application already exists")
	} else if err != nil {
		return fmt.Errorf("insert application: %w", err)
	}
	return nil
}

// Application implements starling.OAuthStore.
func (q *queries) Application(ctx context.Context, id int64) (*starling.Application, error) {
	a, err := scanApplication(q.q.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id = $1`, id))
	return a, notFound(err)
}

// ApplicationByClientID implements starling.OAuthStore.
func (q *queries) ApplicationByClientID(ctx context.Context, clientID string) (*starling.Application, error) {
	a, err := scanApplication(q.q.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE client_id = $1`, clientID))
	return a, notFound(err)
}

// Applications implements starling.OAuthStore.
// Applications are never changed once registered, so outside transactions
// they are kept in memory after the first read (the shown name of every
// status's app would otherwise cost a query per page).
func (q *queries) Applications(ctx context.Context, ids []int64) (map[int64]*starling.Application, error) {
	out := map[int64]*starling.Application{}
	if len(ids) == 0 {
		return out, nil
	}
	missing := ids
	if q.cache != nil {
		missing = q.cache.apps.get(ids, out)
		if len(missing) == 0 {
			return out, nil
		}
	}
	var a args
	rows, err := q.q.QueryContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id IN `+a.in(missing), a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		app, err := scanApplication(rows)
		if err != nil {
			return nil, err
		}
		out[app.ID] = app
		if q.cache != nil {
			q.cache.apps.put(app)
		}
	}
	return out, rows.Err()
}

// CreateAuthCode implements starling.OAuthStore; it also sweeps expired codes.
func (q *queries) CreateAuthCode(ctx context.Context, c *starling.AuthCode) error {
	if _, err := q.q.ExecContext(ctx, `DELETE FROM auth_codes WHERE expires_at < $1`, ms(time.Now())); err != nil {
		return fmt.Errorf("expire auth codes: %w", err)
	}
	_, err := q.q.ExecContext(ctx, `INSERT INTO auth_codes (code_hash, application_id, account_id, redirect_uri, scopes, code_challenge, code_challenge_method, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		c.CodeHash, c.ApplicationID, c.AccountID, c.RedirectURI, c.Scopes.String(), c.CodeChallenge, c.CodeChallengeMethod, ms(c.ExpiresAt))
	if err != nil {
		return fmt.Errorf("insert auth code: %w", err)
	}
	return nil
}

// TakeAuthCode implements starling.OAuthStore.
func (q *queries) TakeAuthCode(ctx context.Context, codeHash string) (*starling.AuthCode, error) {
	var c starling.AuthCode
	var scopes string
	var expires int64
	err := q.q.QueryRowContext(ctx, `DELETE FROM auth_codes WHERE code_hash = $1
		RETURNING code_hash, application_id, account_id, redirect_uri, scopes, code_challenge, code_challenge_method, expires_at`, codeHash).
		Scan(&c.CodeHash, &c.ApplicationID, &c.AccountID, &c.RedirectURI, &scopes, &c.CodeChallenge, &c.CodeChallengeMethod, &expires)
	if err != nil {
		return nil, notFound(err)
	}
	c.Scopes, c.ExpiresAt = strings.Fields(scopes), fromMS(expires)
	return &c, nil
}

const tokenColumns = `id, token_hash, coalesce(refresh_hash, ''), application_id, coalesce(account_id, 0), scopes, created_at, expires_at, last_used_at`

func scanToken(row interface{ Scan(...any) error }) (*starling.Token, error) {
	var t starling.Token
	var scopes string
	var created, expires, used int64
	if err := row.Scan(&t.ID, &t.TokenHash, &t.RefreshHash, &t.ApplicationID, &t.AccountID, &scopes, &created, &expires, &used); err != nil {
		return nil, err
	}
	t.Scopes, t.CreatedAt, t.ExpiresAt, t.LastUsedAt = strings.Fields(scopes), fromMS(created), fromMS(expires), fromMS(used)
	return &t, nil
}

// CreateToken implements starling.OAuthStore.
func (q *queries) CreateToken(ctx context.Context, t *starling.Token) error {
	var refresh any
	if t.RefreshHash != "" {
		refresh = t.RefreshHash
	}
	_, err := q.q.ExecContext(ctx, `INSERT INTO tokens (id, token_hash, refresh_hash, application_id, account_id, scopes, created_at, expires_at, last_used_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		t.ID, t.TokenHash, refresh, t.ApplicationID, nullID(t.AccountID), t.Scopes.String(), ms(t.CreatedAt), ms(t.ExpiresAt), ms(t.LastUsedAt))
	if err != nil {
		return fmt.Errorf("insert token: %w", err)
	}
	return nil
}

// TokenByHash implements starling.OAuthStore.
func (q *queries) TokenByHash(ctx context.Context, hash string) (*starling.Token, error) {
	t, err := scanToken(q.q.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE token_hash = $1`, hash))
	return t, notFound(err)
}

// AuthByTokenHash implements starling.OAuthStore in one query. App tokens
// have no user or account: the outer joins give NULLs, which COALESCE turns
// into zero values the scanners accept.
func (q *queries) AuthByTokenHash(ctx context.Context, hash string) (*starling.Auth, error) {
	row := q.q.QueryRowContext(ctx, `SELECT t.id, t.token_hash, coalesce(t.refresh_hash, ''), t.application_id, coalesce(t.account_id, 0),
			t.scopes, t.created_at, t.expires_at, t.last_used_at, u.account_id IS NOT NULL AND a.id IS NOT NULL,
			coalesce(u.account_id, 0), coalesce(u.email, ''), coalesce(u.password_hash, ''), coalesce(u.role, ''),
			coalesce(u.approved, FALSE), coalesce(u.confirmed, FALSE), coalesce(u.disabled, FALSE), coalesce(u.reason, ''),
			coalesce(u.locale, ''), coalesce(u.created_at, 0), coalesce(u.feed_active_at, 0),
			coalesce(a.id, 0), coalesce(a.username, ''), coalesce(a.domain, ''), coalesce(a.display_name, ''), coalesce(a.note, ''),
			coalesce(a.fields, '[]'), coalesce(a.locked, FALSE), coalesce(a.bot, FALSE), coalesce(a.discoverable, FALSE),
			coalesce(a.created_at, 0), coalesce(a.updated_at, 0), coalesce(a.last_status_at, 0),
			coalesce(a.followers_count, 0), coalesce(a.following_count, 0), coalesce(a.statuses_count, 0),
			coalesce(a.silenced_at, 0), coalesce(a.suspended_at, 0), coalesce(a.sensitized_at, 0)
		FROM tokens t LEFT JOIN users u ON u.account_id = t.account_id LEFT JOIN accounts a ON a.id = t.account_id
		WHERE t.token_hash = $1`, hash)
	var t starling.Token
	var scopes string
	var created, expires, used int64
	var member bool
	var u userRow
	var a accountRow
	dest := []any{&t.ID, &t.TokenHash, &t.RefreshHash, &t.ApplicationID, &t.AccountID, &scopes, &created, &expires, &used, &member}
	dest = append(append(dest, u.dest()...), a.dest()...)
	if err := row.Scan(dest...); err != nil {
		return nil, notFound(err)
	}
	t.Scopes, t.CreatedAt, t.ExpiresAt, t.LastUsedAt = strings.Fields(scopes), fromMS(created), fromMS(expires), fromMS(used)
	auth := &starling.Auth{Token: &t}
	if member {
		auth.User = u.user()
		var err error
		if auth.Account, err = a.account(); err != nil {
			return nil, err
		}
	}
	return auth, nil
}

// TokenByRefreshHash implements starling.OAuthStore.
func (q *queries) TokenByRefreshHash(ctx context.Context, hash string) (*starling.Token, error) {
	if hash == "" {
		return nil, notFound(sql.ErrNoRows)
	}
	t, err := scanToken(q.q.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE refresh_hash = $1`, hash))
	return t, notFound(err)
}

// DeleteToken implements starling.OAuthStore.
func (q *queries) DeleteToken(ctx context.Context, id int64) error {
	_, err := q.q.ExecContext(ctx, `DELETE FROM tokens WHERE id = $1`, id)
	return err
}

// TouchToken implements starling.OAuthStore.
func (q *queries) TouchToken(ctx context.Context, id int64, at time.Time) error {
	_, err := q.q.ExecContext(ctx, `UPDATE tokens SET last_used_at = $1 WHERE id = $2`, ms(at), id)
	return err
}

// AccountTokens implements starling.OAuthStore.
func (q *queries) AccountTokens(ctx context.Context, accountID int64) ([]*starling.Token, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE account_id = $1 ORDER BY id DESC`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*starling.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
