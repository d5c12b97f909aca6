package starling

import (
	"context"
	"time"
)

// Block is a member shutting an account out: neither sees the other's
// posts, and neither can follow or interact with the other.
type Block struct {
	ID              int64
	AccountID       int64
	TargetAccountID int64
	CreatedAt       time.Time
}

// Mute is a member hiding an account's posts from themselves, and its
// notifications unless Notifications is false, while still following it;
// the muted account is not told.
type Mute struct {
	ID              int64
	AccountID       int64
	TargetAccountID int64
	Notifications   bool
	ExpiresAt       time.Time // zero: until lifted
	CreatedAt       time.Time
}

// MuteRef is a muted account in a paged list, with its mute.
type MuteRef struct {
	AccountRef
	ExpiresAt time.Time
}

// BlockStore keeps blocks and mutes.
type BlockStore interface {
	// CreateBlock stores b; false if the account blocks the target already.
	CreateBlock(ctx context.Context, b *Block) (bool, error)
	// DeleteBlock lifts a block; false if there was none.
	DeleteBlock(ctx context.Context, accountID, targetID int64) (bool, error)
	// Blocks pages through the accounts an account blocks, by block ID.
	Blocks(ctx context.Context, accountID int64, p Page) ([]AccountRef, error)
	// PutMute stores m, or changes the account's mute of the target to it.
	PutMute(ctx context.Context, m *Mute) error
	// DeleteMute lifts a mute; false if there was none. With mutedSince
	// non-zero, only a mute created then (a later one stays).
	DeleteMute(ctx context.Context, accountID, targetID int64, mutedSince time.Time) (bool, error)
	// Mutes pages through the accounts an account mutes, by mute ID.
	Mutes(ctx context.Context, accountID int64, p Page) ([]MuteRef, error)
	// Shunned returns the accounts whose posts are hidden from an account:
	// those it blocks or mutes, and those that block it; and, of them,
	// those whose notifications are hidden too (all but mutes that keep them).
	Shunned(ctx context.Context, accountID int64) (posts, notifications map[int64]bool, err error)
}
