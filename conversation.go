package starling

import "context"

// Conversation is a direct-message thread as one participant sees it.
type Conversation struct {
	ID             int64 // the thread's conversation ID
	AccountID      int64 // whose view this is
	ParticipantIDs []int64
	LastStatusID   int64
	Unread         bool

	// Filled in by hydration.
	Participants []*Account
	LastStatus   *Status
}

// ConversationStore keeps each participant's list of direct conversations.
type ConversationStore interface {
	// TouchConversation records a new direct status s for every participant:
	// it becomes the last status and is unread for all but its author.
	TouchConversation(ctx context.Context, s *Status, participantIDs []int64) error
	// Conversations pages through an account's conversations by last status, newest first.
	Conversations(ctx context.Context, accountID int64, p Page) ([]*Conversation, error)
	// Conversation returns one of the account's conversations, or ENOTFOUND.
	Conversation(ctx context.Context, accountID, id int64) (*Conversation, error)
	MarkConversationRead(ctx context.Context, accountID, id int64) error
	// RemoveConversation hides it from the account's list until a new message arrives.
	RemoveConversation(ctx context.Context, accountID, id int64) error
}
