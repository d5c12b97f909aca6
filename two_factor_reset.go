package starling

import (
	"context"
	"strings"
)

// ResetTwoFactor turns off the second factor of a member who lost both
// their authenticator and their recovery codes, so they can sign in with
// their password alone and set it up again. Only an admin may (EFORBIDDEN
// otherwise; the role is read afresh, not taken from staff), and only with
// a reason (EINVALID without), which the audit log keeps as
// "two_factor.reset" with the account's ID. Every session and app token of
// the member is revoked in the same transaction: whoever held one may be
// why the member is locked out. ENOTFOUND if accountID is no local member;
// a member without a second factor is refused with EINVALID, so a
// mistyped ID does not sign someone out for nothing.
func (svc *Service) ResetTwoFactor(ctx context.Context, staff *User, accountID int64, reason string) error {
	if staff == nil {
		return Errorf(EFORBIDDEN, "This action is not allowed")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Errorf(EINVALID, "Validation failed: give a reason, for the audit log")
	}
	if err := checkText("reason", reason, MaxAuditReasonChars); err != nil {
		return err
	}
	if staff.AccountID == accountID {
		// Turning one's own second factor off asks for a code
		// (DisableTwoFactor): a stolen admin session must not skip that.
		return Errorf(EFORBIDDEN, "Turn off your own two-factor sign-in from your settings")
	}
	return svc.store.Update(ctx, func(tx Tx) error {
		admin, err := tx.User(ctx, staff.AccountID)
		if err != nil || admin.Role != RoleAdmin || admin.Disabled {
			return Errorf(EFORBIDDEN, "This action is not allowed")
		}
		if _, err := tx.User(ctx, accountID); err != nil {
			return err
		}
		if _, err := tx.TwoFactor(ctx, accountID); ErrorCode(err) == ENOTFOUND {
			return Errorf(EINVALID, "Validation failed: this member has no two-factor sign-in to reset")
		} else if err != nil {
			return err
		}
		if err := tx.DeleteTwoFactor(ctx, accountID); err != nil {
			return err
		}
		if err := tx.DeleteAccountTokens(ctx, accountID); err != nil {
			return err
		}
		return svc.audit(ctx, tx, staff.AccountID, "two_factor.reset", "account", accountID, reason)
	})
}
