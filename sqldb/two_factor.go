package sqldb

import (
	"context"
	"fmt"
	"time"

	"starling"
)

// TwoFactor implements starling.TwoFactorStore.
func (q *queries) TwoFactor(ctx context.Context, accountID int64) (*starling.TwoFactor, error) {
	var t starling.TwoFactor
	var enabled, created int64
	err := q.q.QueryRowContext(ctx, `SELECT account_id, secret, enabled_at, last_step, created_at FROM two_factors WHERE account_id = $1`, accountID).
		Scan(&t.AccountID, &t.Secret, &enabled, &t.LastStep, &created)
	if err != nil {
		return nil, notFound(err)
	}
	if enabled != 0 {
		t.EnabledAt = fromMS(enabled)
	}
	t.CreatedAt = fromMS(created)
	return &t, nil
}

// PutTwoFactor implements starling.TwoFactorStore.
func (q *queries) PutTwoFactor(ctx context.Context, t *starling.TwoFactor) error {
	var enabled int64
	if !t.EnabledAt.IsZero() {
		enabled = ms(t.EnabledAt)
	}
	_, err := q.q.ExecContext(ctx, `INSERT INTO two_factors (account_id, secret, enabled_at, last_step, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (account_id) DO UPDATE SET secret = excluded.secret, enabled_at = excluded.enabled_at, last_step = excluded.last_step, created_at = excluded.created_at`,
		t.AccountID, t.Secret, enabled, t.LastStep, ms(t.CreatedAt))
	if err != nil {
		return fmt.Errorf("put two-factor: %w", err)
	}
	return nil
}

// UseTwoFactorStep implements starling.TwoFactorStore.
func (q *queries) UseTwoFactorStep(ctx context.Context, accountID, step int64) (bool, error) {
	n, err := q.exec(ctx, `UPDATE two_factors SET last_step = $1 WHERE account_id = $2 AND last_step < $1`, step, accountID)
	if err != nil {
		return false, fmt.Errorf("use two-factor step: %w", err)
	}
	return n > 0, nil
}

// SetTwoFactorSecret implements starling.TwoFactorStore.
func (q *queries) SetTwoFactorSecret(ctx context.Context, accountID int64, secret string) error {
	if _, err := q.q.ExecContext(ctx, `UPDATE two_factors SET secret = $1 WHERE account_id = $2`, secret, accountID); err != nil {
		return fmt.Errorf("set two-factor secret: %w", err)
	}
	return nil
}

// DeleteTwoFactor implements starling.TwoFactorStore.
func (q *queries) DeleteTwoFactor(ctx context.Context, accountID int64) error {
	if _, err := q.q.ExecContext(ctx, `DELETE FROM recovery_codes WHERE account_id = $1`, accountID); err != nil {
		return fmt.Errorf("delete recovery codes: %w", err)
	}
	if _, err := q.q.ExecContext(ctx, `DELETE FROM two_factors WHERE account_id = $1`, accountID); err != nil {
		return fmt.Errorf("delete two-factor: %w", err)
	}
	return nil
}

// SetRecoveryCodes implements starling.TwoFactorStore.
func (q *queries) SetRecoveryCodes(ctx context.Context, accountID int64, hashes []string) error {
	if _, err := q.q.ExecContext(ctx, `DELETE FROM recovery_codes WHERE account_id = $1`, accountID); err != nil {
		return fmt.Errorf("replace recovery codes: %w", err)
	}
	for _, h := range hashes {
		if _, err := q.q.ExecContext(ctx, `INSERT INTO recovery_codes (account_id, code_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING`, accountID, h); err != nil {
			return fmt.Errorf("add recovery code: %w", err)
		}
	}
	return nil
}

// TakeRecoveryCode implements starling.TwoFactorStore.
func (q *queries) TakeRecoveryCode(ctx context.Context, accountID int64, hash string) (bool, error) {
	n, err := q.exec(ctx, `DELETE FROM recovery_codes WHERE account_id = $1 AND code_hash = $2`, accountID, hash)
	if err != nil {
		return false, fmt.Errorf("take recovery code: %w", err)
	}
	return n > 0, nil
}

// CountRecoveryCodes implements starling.TwoFactorStore.
func (q *queries) CountRecoveryCodes(ctx context.Context, accountID int64) (int, error) {
	var n int
	if err := q.q.QueryRowContext(ctx, `SELECT count(*) FROM recovery_codes WHERE account_id = $1`, accountID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count recovery codes: %w", err)
	}
	return n, nil
}

// CreatePendingSignIn implements starling.TwoFactorStore.
func (q *queries) CreatePendingSignIn(ctx context.Context, p *starling.PendingSignIn, now time.Time) error {
	if _, err := q.q.ExecContext(ctx, `DELETE FROM pending_sign_ins WHERE expires_at < $1`, ms(now)); err != nil {
		return fmt.Errorf("sweep pending sign-ins: %w", err)
	}
	_, err := q.q.ExecContext(ctx, `INSERT INTO pending_sign_ins (token_hash, account_id, attempts, expires_at) VALUES ($1, $2, $3, $4)`,
		p.TokenHash, p.AccountID, p.Attempts, ms(p.ExpiresAt))
	if err != nil {
		return fmt.Errorf("create pending sign-in: %w", err)
	}
	return nil
}

// PendingSignIn implements starling.TwoFactorStore.
func (q *queries) PendingSignIn(ctx context.Context, tokenHash string) (*starling.PendingSignIn, error) {
	var p starling.PendingSignIn
	var expires int64
	err := q.q.QueryRowContext(ctx, `SELECT token_hash, account_id, attempts, expires_at FROM pending_sign_ins WHERE token_hash = $1`, tokenHash).
		Scan(&p.TokenHash, &p.AccountID, &p.Attempts, &expires)
	if err != nil {
		return nil, notFound(err)
	}
	p.ExpiresAt = fromMS(expires)
	return &p, nil
}

// FailPendingSignIn implements starling.TwoFactorStore.
func (q *queries) FailPendingSignIn(ctx context.Context, tokenHash string) error {
	if _, err := q.q.ExecContext(ctx, `UPDATE pending_sign_ins SET attempts = attempts + 1 WHERE token_hash = $1`, tokenHash); err != nil {
		return fmt.Errorf("count failed sign-in: %w", err)
	}
	return nil
}

// DeletePendingSignIn implements starling.TwoFactorStore.
func (q *queries) DeletePendingSignIn(ctx context.Context, tokenHash string) (bool, error) {
	n, err := q.exec(ctx, `DELETE FROM pending_sign_ins WHERE token_hash = $1`, tokenHash)
	if err != nil {
		return false, fmt.Errorf("delete pending sign-in: %w", err)
	}
	return n > 0, nil
}
