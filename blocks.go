package starling

import (
	"context"
	"encoding/json"
	"time"
)

// BlockAccount makes viewer block target: each stops following the other
// (and loses the other's posts from home and lists), and from then on
// neither sees the other's posts or can follow or interact with the other.
func (svc *Service) BlockAccount(ctx context.Context, viewer *Account, targetID int64) (*Relationship, error) {
	if targetID == viewer.ID {
		return nil, Errorf(EINVALID, "Validation failed: You cannot block yourself")
	}
	now := svc.now()
	err := svc.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.Account(ctx, targetID); err != nil {
			return err
		}
		created, err := tx.CreateBlock(ctx, &Block{ID: svc.newID(now), AccountID: viewer.ID, TargetAccountID: targetID, CreatedAt: now})
		if err != nil || !created {
			return err
		}
		if err := svc.unfollow(ctx, tx, viewer.ID, targetID); err != nil {
			return err
		}
		return svc.unfollow(ctx, tx, targetID, viewer.ID)
	})
	if err != nil {
		return nil, err
	}
	return svc.Relationship(ctx, viewer, targetID)
}

// UnblockAccount lifts viewer's block of target; follows do not come back.
func (svc *Service) UnblockAccount(ctx context.Context, viewer *Account, targetID int64) (*Relationship, error) {
	err := svc.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.Account(ctx, targetID); err != nil {
			return err
		}
		_, err := tx.DeleteBlock(ctx, viewer.ID, targetID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return svc.Relationship(ctx, viewer, targetID)
}

// MaxMuteDuration bounds a timed mute; longer is "until lifted".
const MaxMuteDuration = 365 * 24 * time.Hour

// MuteAccount hides target's posts from viewer, and its notifications
// unless notifications is false, for duration (0: until lifted). Muting
// again changes the mute.
func (svc *Service) MuteAccount(ctx context.Context, viewer *Account, targetID int64, notifications bool, duration time.Duration) (*Relationship, error) {
	if targetID == viewer.ID {
		return nil, Errorf(EINVALID, "Validation failed: You cannot mute yourself")
	}
	if duration < 0 || duration > MaxMuteDuration {
		return nil, Errorf(EINVALID, "Validation failed: duration must be between 0 (until lifted) and %d seconds", int(MaxMuteDuration.Seconds()))
	}
	now := svc.now()
	m := &Mute{ID: svc.newID(now), AccountID: viewer.ID, TargetAccountID: targetID, Notifications: notifications, CreatedAt: now}
	err := svc.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.Account(ctx, targetID); err != nil {
			return err
		}
		if duration > 0 {
			m.ExpiresAt = now.Add(duration)
			args, err := json.Marshal(muteEndArgs{Account: viewer.ID, Target: targetID, MutedAt: now.UnixMilli()})
			if err != nil {
				return err
			}
			if err := tx.EnqueueJob(ctx, &Job{Kind: muteEndJob, Args: args}, m.ExpiresAt, time.Time{}); err != nil {
				return err
			}
		}
		return tx.PutMute(ctx, m)
	})
	if err != nil {
		return nil, err
	}
	return svc.Relationship(ctx, viewer, targetID)
}

// UnmuteAccount lifts viewer's mute of target.
func (svc *Service) UnmuteAccount(ctx context.Context, viewer *Account, targetID int64) (*Relationship, error) {
	err := svc.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.Account(ctx, targetID); err != nil {
			return err
		}
		_, err := tx.DeleteMute(ctx, viewer.ID, targetID, time.Time{})
		return err
	})
	if err != nil {
		return nil, err
	}
	return svc.Relationship(ctx, viewer, targetID)
}

const muteEndJob = "mute.end"

type muteEndArgs struct {
	Account, Target int64
	MutedAt         int64 // ms: the mute this job ends, not a later one
}

// muteEnded lifts a timed mute when its time is up, unless the member has
// muted the account again since.
func (svc *Service) muteEnded(ctx context.Context, j *Job) error {
	var a muteEndArgs
	if err := json.Unmarshal(j.Args, &a); err != nil {
		return err
	}
	return svc.store.Update(ctx, func(tx Tx) error {
		_, err := tx.DeleteMute(ctx, a.Account, a.Target, time.UnixMilli(a.MutedAt))
		return err
	})
}

// Blocks pages through the accounts viewer blocks, newest block first.
func (svc *Service) Blocks(ctx context.Context, viewer *Account, p Page) ([]*Account, []AccountRef, error) {
	refs, err := svc.store.Blocks(ctx, viewer.ID, p.Clamp(40, 80))
	if err != nil {
		return nil, nil, err
	}
	accounts, err := svc.refAccounts(ctx, refs)
	return accounts, refs, err
}

// MutedAccount is an account viewer mutes, with when the mute ends.
type MutedAccount struct {
	*Account
	MuteExpiresAt time.Time // zero: until lifted
}

// Mutes pages through the accounts viewer mutes, newest mute first.
func (svc *Service) Mutes(ctx context.Context, viewer *Account, p Page) ([]MutedAccount, []AccountRef, error) {
	mutes, err := svc.store.Mutes(ctx, viewer.ID, p.Clamp(40, 80))
	if err != nil {
		return nil, nil, err
	}
	refs := make([]AccountRef, len(mutes))
	for i, m := range mutes {
		refs[i] = m.AccountRef
	}
	accounts, err := svc.refAccounts(ctx, refs)
	if err != nil {
		return nil, nil, err
	}
	byID := map[int64]*Account{}
	for _, a := range accounts {
		byID[a.ID] = a
	}
	var out []MutedAccount
	for _, m := range mutes {
		if a := byID[m.AccountID]; a != nil {
			out = append(out, MutedAccount{Account: a, MuteExpiresAt: m.ExpiresAt})
		}
	}
	return out, refs, nil
}

// refAccounts loads the accounts of a page of refs, in order.
func (svc *Service) refAccounts(ctx context.Context, refs []AccountRef) ([]*Account, error) {
	ids := make([]int64, len(refs))
	for i, r := range refs {
		ids[i] = r.AccountID
	}
	return svc.hydrateAccounts(ctx, svc.store, ids)
}
