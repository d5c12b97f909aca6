package starling

import (
	"context"
	"time"
)

// The archive's record of the member's own safety settings that came with
// moderation: the servers they block, and what staff decided about their
// account (with the member's appeals). Who on the staff acted stays out,
// as on the member's own warning page.

// ArchiveDomainBlock is a server the member blocks.
type ArchiveDomainBlock struct {
	Domain    string    `json:"domain"`
	CreatedAt time.Time `json:"created_at"`
}

// ArchiveWarning is a staff action on the member's account, as the member
// was told it.
type ArchiveWarning struct {
	ID         string     `json:"id"`
	Action     string     `json:"action"`
	Text       string     `json:"text"`
	StatusIDs  []string   `json:"status_ids"`
	CreatedAt  time.Time  `json:"created_at"`
	AppealText string     `json:"appeal_text,omitempty"`
	AppealedAt *time.Time `json:"appealed_at,omitempty"`
}

func (ar *archive) writeModeration(ctx context.Context) error {
	blocks := []ArchiveDomainBlock{}
	p := Page{Limit: archivePage}
	for {
		list, err := ar.q.DomainBlocks(ctx, ar.accountID, p)
		if err != nil {
			return err
		}
		for _, b := range list {
			blocks = append(blocks, ArchiveDomainBlock{Domain: b.Domain, CreatedAt: b.CreatedAt})
		}
		if len(list) < p.Limit {
			break
		}
		p.MaxID = list[len(list)-1].ID
	}
	if err := ar.writeJSON("domain_blocks.json", "Servers you block", blocks); err != nil {
		return err
	}
	warnings, err := ar.q.AccountWarnings(ctx, ar.accountID, 10000)
	if err != nil {
		return err
	}
	out := []ArchiveWarning{}
	for _, w := range warnings {
		x := ArchiveWarning{ID: FormatID(w.ID), Action: string(w.Action), Text: w.Text, StatusIDs: []string{}, CreatedAt: w.CreatedAt, AppealText: w.AppealText}
		for _, id := range w.StatusIDs {
			x.StatusIDs = append(x.StatusIDs, FormatID(id))
		}
		if w.Appealed() {
			t := w.AppealedAt
			x.AppealedAt = &t
		}
		out = append(out, x)
	}
	return ar.writeJSON("moderation_warnings.json", "Actions the moderators took on your account, with the reasons you were given and your appeals", out)
}
