package starling

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TwoFactor is a member's TOTP (RFC 6238) second factor for signing in on
// the web. The secret is stored as is, because checking a code needs it:
// whoever can read the database can compute codes (see docs/web.md).
type TwoFactor struct {
	AccountID int64
	Secret    string    // base32, as shown to the member
	EnabledAt time.Time // zero while set-up waits for a first code
	LastStep  int64     // the last time step a code was accepted for; older and equal steps are refused
	CreatedAt time.Time
}

// Enabled reports whether set-up was confirmed.
func (t *TwoFactor) Enabled() bool { return t != nil && !t.EnabledAt.IsZero() }

// PendingSignIn is a sign-in that got the right password and waits for
// the second factor. The browser holds the token; the store only its hash.
type PendingSignIn struct {
	TokenHash string
	AccountID int64
	Attempts  int // wrong codes so far
	ExpiresAt time.Time
}

// TwoFactorStore keeps second factors, their recovery codes (hashed) and
// sign-ins waiting for a code.
type TwoFactorStore interface {
	// TwoFactor returns the account's second factor, ENOTFOUND if none.
	TwoFactor(ctx context.Context, accountID int64) (*TwoFactor, error)
	// PutTwoFactor creates or replaces the account's second factor.
	PutTwoFactor(ctx context.Context, t *TwoFactor) error
	// UseTwoFactorStep records step as used; false if it, or a later one, already was.
	UseTwoFactorStep(ctx context.Context, accountID, step int64) (bool, error)
	// SetTwoFactorSecret replaces the stored secret (encrypted on its next use).
	SetTwoFactorSecret(ctx context.Context, accountID int64, secret string) error
	// DeleteTwoFactor removes the second factor and the recovery codes.
	DeleteTwoFactor(ctx context.Context, accountID int64) error
	// SetRecoveryCodes replaces the account's recovery codes.
	SetRecoveryCodes(ctx context.Context, accountID int64, hashes []string) error
	// TakeRecoveryCode deletes a recovery code; false if the account had no such code.
	TakeRecoveryCode(ctx context.Context, accountID int64, hash string) (bool, error)
	// CountRecoveryCodes says how many recovery codes are left.
	CountRecoveryCodes(ctx context.Context, accountID int64) (int, error)
	// CreatePendingSignIn stores p, and forgets pending sign-ins that expired before now.
	CreatePendingSignIn(ctx context.Context, p *PendingSignIn, now time.Time) error
	// PendingSignIn returns a pending sign-in by token hash, ENOTFOUND if none.
	PendingSignIn(ctx context.Context, tokenHash string) (*PendingSignIn, error)
	// FailPendingSignIn counts a wrong code against a pending sign-in.
	FailPendingSignIn(ctx context.Context, tokenHash string) error
	// DeletePendingSignIn forgets a pending sign-in; false if there was none.
	DeletePendingSignIn(ctx context.Context, tokenHash string) (bool, error)
}

const (
	totpPeriod            = 30 // seconds per time step
	totpDigits            = otp.DigitsSix
	recoveryCodeCount     = 10
	pendingSignInLifetime = 5 * time.Minute
	pendingSignInAttempts = 5 // wrong codes before the password must be typed again
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1}

// TwoFactorSetup is what a member needs to add Starling to an authenticator app.
type TwoFactorSetup struct {
	Secret string // base32, for typing in
	URI    string // otpauth://totp/…, what a QR code would hold
}

// errBadCode is the answer to a wrong, reused or malformed code.
var errBadCode = Errorf(EINVALID, "Invalid two-factor code")

// TwoFactorStatus reports whether the member's second factor is on and how
// many recovery codes are left.
func (svc *Service) TwoFactorStatus(ctx context.Context, u *User) (enabled bool, recoveryCodes int, err error) {
	t, err := svc.store.TwoFactor(ctx, u.AccountID)
	if ErrorCode(err) == ENOTFOUND {
		return false, 0, nil
	} else if err != nil {
		return false, 0, err
	}
	if !t.Enabled() {
		return false, 0, nil
	}
	n, err := svc.store.CountRecoveryCodes(ctx, u.AccountID)
	return true, n, err
}

// HasTwoFactor reports whether the account signs in with a second factor.
func (svc *Service) HasTwoFactor(ctx context.Context, accountID int64) (bool, error) {
	t, err := svc.store.TwoFactor(ctx, accountID)
	if ErrorCode(err) == ENOTFOUND {
		return false, nil
	}
	return t.Enabled(), err
}

// BeginTwoFactor starts (or shows again) set-up: a new secret, not yet in
// force until ConfirmTwoFactor gets a code computed from it.
func (svc *Service) BeginTwoFactor(ctx context.Context, u *User) (*TwoFactorSetup, error) {
	a, err := svc.store.Account(ctx, u.AccountID)
	if err != nil {
		return nil, err
	}
	t, _, err := svc.twoFactor(ctx, u.AccountID)
	switch {
	case err == nil && t.Enabled():
		return nil, Errorf(ECONFLICT, "Two-factor sign-in is already on")
	case err == nil:
		// Set-up already begun: show the same secret, so a reload does not
		// break what the member added to their app.
	case ErrorCode(err) == ENOTFOUND:
		key, err := totp.Generate(totp.GenerateOpts{Issuer: svc.instance.Title, AccountName: a.Username + "@" + svc.instance.Domain,
			Period: totpPeriod, SecretSize: 20, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return nil, err
		}
		t = &TwoFactor{AccountID: u.AccountID, Secret: key.Secret(), CreatedAt: svc.now()}
		if err := svc.store.Update(ctx, func(tx Tx) error { return tx.PutTwoFactor(ctx, svc.sealedTwoFactor(t)) }); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	return &TwoFactorSetup{Secret: t.Secret, URI: svc.otpauthURI(a, t.Secret)}, nil
}

func (svc *Service) otpauthURI(a *Account, secret string) string {
	issuer := svc.instance.Title
	if issuer == "" {
		issuer = svc.instance.Domain
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: a.Username + "@" + svc.instance.Domain,
		Period: totpPeriod, Secret: mustBase32(secret), Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return ""
	}
	return key.URL()
}

func mustBase32(s string) []byte {
	b, _ := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(s))
	return b
}

// ConfirmTwoFactor turns the second factor on once the member shows a code
// from their app, and returns the recovery codes, which are shown once.
func (svc *Service) ConfirmTwoFactor(ctx context.Context, u *User, code string) ([]string, error) {
	t, _, err := svc.twoFactor(ctx, u.AccountID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(EINVALID, "Start setting up two-factor sign-in first")
	} else if err != nil {
		return nil, err
	}
	if t.Enabled() {
		return nil, Errorf(ECONFLICT, "Two-factor sign-in is already on")
	}
	step, ok := svc.matchTOTP(t.Secret, code)
	if !ok {
		return nil, errBadCode
	}
	codes, hashes := newRecoveryCodes()
	t.EnabledAt, t.LastStep = svc.now(), step
	err = svc.store.Update(ctx, func(tx Tx) error {
		if err := tx.PutTwoFactor(ctx, svc.sealedTwoFactor(t)); err != nil {
			return err
		}
		return tx.SetRecoveryCodes(ctx, u.AccountID, hashes)
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// DisableTwoFactor turns the second factor off (or abandons a set-up) after
// checking the password and, if it is on, a code or recovery code.
func (svc *Service) DisableTwoFactor(ctx context.Context, u *User, password, code string) error {
	ok, err := svc.passwords.Verify(u.PasswordHash, password)
	if err != nil {
		return err
	} else if !ok {
		return Errorf(EINVALID, "Current password is invalid")
	}
	t, err := svc.store.TwoFactor(ctx, u.AccountID)
	if ErrorCode(err) == ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if t.Enabled() {
		if err := svc.CheckTwoFactor(ctx, u.AccountID, code); err != nil {
			return err
		}
	}
	return svc.store.Update(ctx, func(tx Tx) error { return tx.DeleteTwoFactor(ctx, u.AccountID) })
}

// CheckTwoFactor accepts a code from the member's app (this time step or
// the one either side, each step only once) or one of their recovery
// codes, which is then used up. Anything else is EINVALID.
func (svc *Service) CheckTwoFactor(ctx context.Context, accountID int64, code string) error {
	t, err := svc.store.TwoFactor(ctx, accountID)
	if ErrorCode(err) == ENOTFOUND || err == nil && !t.Enabled() {
		return errBadCode
	} else if err != nil {
		return err
	}
	secret, sealed, err := svc.secrets.open(t.Secret, twoFactorAAD(accountID))
	if err != nil {
		// The server key is missing or wrong: no app code can be checked,
		// but recovery codes (stored as hashes) still let the member in.
		slog.ErrorContext(ctx, "two-factor: cannot open the secret; only recovery codes work", "account", accountID, "err", err)
	}
	t.Secret = secret
	if err := svc.checkCode(ctx, t, code); err != nil {
		return err
	}
	if secret != "" && !sealed && svc.secrets != nil { // kept before the server had a key: encrypt it now
		return svc.store.Update(ctx, func(tx Tx) error {
			return tx.SetTwoFactorSecret(ctx, accountID, svc.secrets.seal(t.Secret, twoFactorAAD(accountID)))
		})
	}
	return nil
}

// checkCode accepts a TOTP code of t's secret, each step once, or one of
// the account's recovery codes, which is used up.
func (svc *Service) checkCode(ctx context.Context, t *TwoFactor, code string) error {
	accountID := t.AccountID
	code = normalizeCode(code)
	if len(code) == int(totpDigits) {
		step, ok := svc.matchTOTP(t.Secret, code)
		if !ok || step <= t.LastStep {
			return errBadCode
		}
		var fresh bool
		err := svc.store.Update(ctx, func(tx Tx) error {
			var err error
			fresh, err = tx.UseTwoFactorStep(ctx, accountID, step)
			return err
		})
		if err != nil {
			return err
		} else if !fresh {
			return errBadCode
		}
		return nil
	}
	if code == "" {
		return errBadCode
	}
	var taken bool
	err := svc.store.Update(ctx, func(tx Tx) error {
		var err error
		taken, err = tx.TakeRecoveryCode(ctx, accountID, HashSecret(code))
		return err
	})
	if err != nil {
		return err
	} else if !taken {
		return errBadCode
	}
	return nil
}

// twoFactorLockKey is the key wrong codes of an account's second step are
// counted under, as wrong passwords are per login (signin_lockout.go): a
// new pending sign-in allows five more codes, so without it someone who has
// the password could try codes without end. It cannot be a SignInKey
// (those are 64 hex digits), so no typed login shares it.
func twoFactorLockKey(accountID int64) string { return "2fa:" + FormatID(accountID) }

// twoFactorAAD binds an account's sealed secret to that account.
func twoFactorAAD(accountID int64) string { return "two_factor:" + FormatID(accountID) }

// twoFactor reads the account's second factor with its secret opened;
// sealed says whether it was stored encrypted.
func (svc *Service) twoFactor(ctx context.Context, accountID int64) (t *TwoFactor, sealed bool, err error) {
	if t, err = svc.store.TwoFactor(ctx, accountID); err != nil {
		return nil, false, err
	}
	if t.Secret, sealed, err = svc.secrets.open(t.Secret, twoFactorAAD(accountID)); err != nil {
		return nil, false, fmt.Errorf("two-factor of account %d: %w", accountID, err)
	}
	return t, sealed, nil
}

// sealedTwoFactor is a copy of t to store: its secret encrypted if the
// server has a key.
func (svc *Service) sealedTwoFactor(t *TwoFactor) *TwoFactor {
	c := *t
	c.Secret = svc.secrets.seal(t.Secret, twoFactorAAD(t.AccountID))
	return &c
}

// matchTOTP finds the time step, now or one either side, that code is for.
func (svc *Service) matchTOTP(secret, code string) (int64, bool) {
	code = normalizeCode(code)
	if len(code) != int(totpDigits) || secret == "" { // an empty key would make codes anyone can compute
		return 0, false
	}
	now := svc.now()
	step := now.Unix() / totpPeriod
	found, match := int64(0), false
	for _, s := range []int64{step - 1, step, step + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			found, match = s, true
		}
	}
	return found, match
}

// TOTPCode returns the code for secret at t: for tests and the command line.
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totpOpts)
}

// normalizeCode drops spaces and dashes and lower-cases, so codes can be
// typed as shown or run together.
func normalizeCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			return -1
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A')
		}
		return r
	}, strings.TrimSpace(s))
}

// newRecoveryCodes returns recoveryCodeCount codes of 80 random bits, as
// shown ("abcd-efgh-ijkl-mnop") and as stored (SHA-256 of the normalised
// code: they are random enough that no salt or stretching is needed).
func newRecoveryCodes() (codes, hashes []string) {
	enc := base32.StdEncoding.WithPadding(base32.NoPadding)
	for range recoveryCodeCount {
		var b [10]byte
		_, _ = rand.Read(b[:])
		s := strings.ToLower(enc.EncodeToString(b[:]))
		codes = append(codes, s[0:4]+"-"+s[4:8]+"-"+s[8:12]+"-"+s[12:16])
		hashes = append(hashes, HashSecret(s))
	}
	return codes, hashes
}

// BeginPendingSignIn records that account typed the right password and
// returns the token the browser keeps until the second factor is given.
func (svc *Service) BeginPendingSignIn(ctx context.Context, accountID int64) (string, error) {
	token := NewSecret()
	now := svc.now()
	p := &PendingSignIn{TokenHash: HashSecret(token), AccountID: accountID, ExpiresAt: now.Add(pendingSignInLifetime)}
	if err := svc.store.Update(ctx, func(tx Tx) error { return tx.CreatePendingSignIn(ctx, p, now) }); err != nil {
		return "", err
	}
	return token, nil
}

// errSignInExpired means the password must be typed again.
var errSignInExpired = Errorf(EUNAUTHORIZED, "Your sign-in expired: enter your password again")

// PendingSignInValid reports whether the pending sign-in behind token still waits for a code.
func (svc *Service) PendingSignInValid(ctx context.Context, token string) error {
	p, err := svc.store.PendingSignIn(ctx, HashSecret(token))
	if ErrorCode(err) == ENOTFOUND || err == nil && (svc.now().After(p.ExpiresAt) || p.Attempts >= pendingSignInAttempts) {
		return errSignInExpired
	}
	return err
}

// CompleteSignIn checks the second factor of a pending sign-in and, if it
// is right, ends the pending sign-in and returns who signed in. A wrong
// code is EINVALID and the pending sign-in waits for another, up to a few
// tries; once it has expired the answer is EUNAUTHORIZED.
func (svc *Service) CompleteSignIn(ctx context.Context, token, code string) (*Account, *User, error) {
	hash := HashSecret(token)
	p, err := svc.store.PendingSignIn(ctx, hash)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, errSignInExpired
	} else if err != nil {
		return nil, nil, err
	}
	if svc.now().After(p.ExpiresAt) || p.Attempts >= pendingSignInAttempts {
		_ = svc.store.Update(ctx, func(tx Tx) error { _, err := tx.DeletePendingSignIn(ctx, hash); return err })
		return nil, nil, errSignInExpired
	}
	lockKey := twoFactorLockKey(p.AccountID)
	if err := svc.reserveSignInAttempt(ctx, lockKey); err != nil {
		return nil, nil, err
	}
	if err := svc.CheckTwoFactor(ctx, p.AccountID, code); err != nil {
		if ErrorCode(err) == EINVALID { // the attempt is counted already
			if err2 := svc.store.Update(ctx, func(tx Tx) error { return tx.FailPendingSignIn(ctx, hash) }); err2 != nil {
				return nil, nil, err2
			}
		}
		return nil, nil, err
	}
	if err := svc.clearSignInFailures(ctx, lockKey); err != nil {
		return nil, nil, err
	}
	var gone bool
	err = svc.store.Update(ctx, func(tx Tx) error {
		var err error
		gone, err = tx.DeletePendingSignIn(ctx, hash)
		return err
	})
	if err != nil {
		return nil, nil, err
	} else if !gone { // used at the same moment by another request
		return nil, nil, errSignInExpired
	}
	u, err := svc.store.User(ctx, p.AccountID)
	if err != nil {
		return nil, nil, err
	}
	if err := u.CanSignIn(); err != nil {
		return nil, nil, err
	}
	a, err := svc.store.Account(ctx, p.AccountID)
	if err != nil {
		return nil, nil, err
	}
	if a.Suspended() {
		return nil, nil, svc.suspendedError(ctx, a)
	}
	return a, u, nil
}

// CancelPendingSignIn forgets a pending sign-in (the member went back to the password form).
func (svc *Service) CancelPendingSignIn(ctx context.Context, token string) error {
	return svc.store.Update(ctx, func(tx Tx) error { _, err := tx.DeletePendingSignIn(ctx, HashSecret(token)); return err })
}

// StaffNeedsTwoFactor reports whether u is staff on an instance that
// requires a second factor of staff and has not set one up.
func (svc *Service) StaffNeedsTwoFactor(ctx context.Context, u *User) (bool, error) {
	if !svc.instance.RequireStaffTwoFactor || !u.IsStaff() {
		return false, nil
	}
	on, err := svc.HasTwoFactor(ctx, u.AccountID)
	return !on, err
}
