package sqldb

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"starling"
)

// TouchConversation implements starling.ConversationStore.
func (q *queries) TouchConversation(ctx context.Context, s *starling.Status, participantIDs []int64) error {
	ids := append([]int64(nil), participantIDs...)
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	parts := make([]string, 0, len(ids))
	for i, id := range ids {
		if i == 0 || id != ids[i-1] {
			parts = append(parts, strconv.FormatInt(id, 10))
		}
	}
	joined := strings.Join(parts, ",")
	for _, p := range parts {
		id, _ := strconv.ParseInt(p, 10, 64)
		_, err := q.q.ExecContext(ctx, `INSERT INTO account_conversations (account_id, conversation_id, participant_ids, last_status_id, unread, hidden)
			VALUES ($1, $2, $3, $4, $5, FALSE)
			ON CONFLICT (account_id, conversation_id) DO UPDATE SET participant_ids = excluded.participant_ids,
				last_status_id = excluded.last_status_id, unread = excluded.unread, hidden = FALSE`,
			id, s.ConversationID, joined, s.ID, id != s.AccountID)
		if err != nil {
			return fmt.Errorf("touch conversation: %w", err)
		}
	}
	return nil
}

func scanConversations(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}) ([]*starling.Conversation, error) {
	var out []*starling.Conversation
	for rows.Next() {
		var c starling.Conversation
		var parts string
		if err := rows.Scan(&c.AccountID, &c.ID, &parts, &c.LastStatusID, &c.Unread); err != nil {
			return nil, err
		}
		for _, p := range strings.Split(parts, ",") {
			if id, err := strconv.ParseInt(p, 10, 64); err == nil {
				c.ParticipantIDs = append(c.ParticipantIDs, id)
			}
		}
		out = append(out, &c)
	}
	return out, rows.Err()
}

// Conversations implements starling.ConversationStore.
func (q *queries) Conversations(ctx context.Context, accountID int64, p starling.Page) ([]*starling.Conversation, error) {
	a := args{accountID}
	where, order, rev := a.page("last_status_id", p)
	rows, err := q.q.QueryContext(ctx, `SELECT account_id, conversation_id, participant_ids, last_status_id, unread
		FROM account_conversations WHERE account_id = $1 AND hidden = FALSE`+where+order, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out, err := scanConversations(rows)
	if rev {
		reverse(out)
	}
	return out, err
}

// Conversation implements starling.ConversationStore.
func (q *queries) Conversation(ctx context.Context, accountID, id int64) (*starling.Conversation, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT account_id, conversation_id, participant_ids, last_status_id, unread
		FROM account_conversations WHERE account_id = $1 AND conversation_id = $2 AND hidden = FALSE`, accountID, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out, err := scanConversations(rows)
	if err != nil {
		return nil, err
	} else if len(out) == 0 {
		return nil, starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return out[0], nil
}

// MarkConversationRead implements starling.ConversationStore.
func (q *queries) MarkConversationRead(ctx context.Context, accountID, id int64) error {
	n, err := q.exec(ctx, `UPDATE account_conversations SET unread = FALSE WHERE account_id = $1 AND conversation_id = $2 AND hidden = FALSE`, accountID, id)
	if err != nil {
		return err
	} else if n == 0 {
		return starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return nil
}

// RemoveConversation implements starling.ConversationStore.
func (q *queries) RemoveConversation(ctx context.Context, accountID, id int64) error {
	n, err := q.exec(ctx, `UPDATE account_conversations SET hidden = TRUE WHERE account_id = $1 AND conversation_id = $2 AND hidden = FALSE`, accountID, id)
	if err != nil {
		return err
	} else if n == 0 {
		return starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return nil
}
