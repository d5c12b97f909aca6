package starling

import (
	"context"
	"sort"
	"strings"
	"time"
)

// NewStatus is what a member posts.
type NewStatus struct {
	Text           string
	SpoilerText    string
	Sensitive      bool
	Visibility     Visibility // "" means public
	Language       string
	InReplyToID    int64
	ApplicationID  int64
	IdempotencyKey string  // repeats of a request with the same key return the first status
	MediaIDs       []int64 // the author's uploads to attach, at most MaxAttachments
	Poll           *NewPoll
	QuoteOfID      int64       // a post to quote
	QuotePolicy    QuotePolicy // who may quote this one; "" is public
	// ConfirmPersonalData is the author's word that what the safeguarding
	// check found is not personal data; it counts only where the policy is
	// SafeguardWarn.
	ConfirmPersonalData bool
}

// MaxAttachments is how many files one post may carry, as on Mastodon.
const MaxAttachments = 4

// idempotencyWindow is how long a repeated Idempotency-Key returns the first result.
const idempotencyWindow = time.Hour

// checkText validates status text and spoiler against the length limit.
func (svc *Service) checkStatusText(text, spoiler string, media int) error {
	if err := checkEncoding("Text", text); err != nil {
		return err
	}
	if err := checkEncoding("Spoiler text", spoiler); err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" && media == 0 { // a picture may speak for itself
		return Errorf(EINVALID, "Validation failed: Text can't be blank")
	}
	if n := svc.text.Length(text) + svc.text.Length(spoiler); n > svc.instance.MaxChars {
		return Errorf(EINVALID, "Validation failed: Text character limit of %d exceeded (%d characters)", svc.instance.MaxChars, n)
	}
	return nil
}

func checkLanguage(lang string) error {
	if lang == "" {
		return nil
	}
	if len(lang) > 16 || strings.IndexFunc(lang, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r >= '0' && r <= '9')
	}) >= 0 {
		return Errorf(EINVALID, "Validation failed: Language is not a valid language code")
	}
	return nil
}

// PostStatus publishes a status by author: stores it, puts it in followers'
// home timelines and notifies mentioned accounts, all in one transaction, so
// an acknowledged post is complete or absent, never half there.
func (svc *Service) PostStatus(ctx context.Context, author *Account, in NewStatus) (*Status, error) {
	vis, err := ParseVisibility(string(in.Visibility), VisibilityPublic)
	if err != nil {
		return nil, err
	}
	if err := svc.checkStatusText(in.Text, in.SpoilerText, len(in.MediaIDs)); err != nil {
		return nil, err
	}
	texts := postTexts(&in) // before checkPoll trims the answers: offsets are into what was sent
	if len(in.MediaIDs) > MaxAttachments {
		return nil, Errorf(EINVALID, "Validation failed: A post can carry at most %d attachments", MaxAttachments)
	}
	if in.Poll != nil {
		if len(in.MediaIDs) > 0 {
			return nil, Errorf(EINVALID, "Validation failed: A post can carry images or a poll, not both")
		}
		if err := svc.checkPoll(in.Poll); err != nil {
			return nil, err
		}
	}
	if err := checkLanguage(in.Language); err != nil {
		return nil, err
	}
	quotePolicy, err := ParseQuotePolicy(string(in.QuotePolicy), QuotePublic)
	if err != nil {
		return nil, err
	}
	if k := in.IdempotencyKey; len(k) > 256 || checkEncoding("Idempotency-Key", k) != nil {
		return nil, Errorf(EINVALID, "Validation failed: Idempotency-Key must be text of at most 256 bytes")
	}
	if err := svc.checkPersonalData(ctx, author, subjectPost, in.ConfirmPersonalData, texts...); err != nil {
		return nil, err
	}
	analysis := svc.text.Analyze(in.Text)
	now := svc.now()
	var id int64
	err = svc.store.Update(ctx, func(tx Tx) error {
		if in.IdempotencyKey != "" {
			prev, err := tx.StatusByIdempotencyKey(ctx, author.ID, in.IdempotencyKey, now.Add(-idempotencyWindow))
			if err == nil {
				id = prev
				return nil
			} else if ErrorCode(err) != ENOTFOUND {
				return err
			}
		}
		s := &Status{
			ID: svc.newID(now), AccountID: author.ID, Text: in.Text, SpoilerText: strings.TrimSpace(in.SpoilerText),
			Sensitive: in.Sensitive || strings.TrimSpace(in.SpoilerText) != "", Visibility: vis, Language: in.Language,
			ApplicationID: in.ApplicationID, CreatedAt: now,
		}
		s.ConversationID = s.ID
		if in.InReplyToID != 0 {
			parent, err := svc.readableStatus(ctx, tx, author, in.InReplyToID)
			if ErrorCode(err) == ENOTFOUND || err == nil && parent.ReblogOfID != 0 {
				return Errorf(ENOTFOUND, "The post you are trying to reply to does not appear to exist.")
			} else if err != nil {
				return err
			}
			s.InReplyToID, s.InReplyToAccountID, s.ConversationID = parent.ID, parent.AccountID, parent.ConversationID
		}
		mentioned, err := svc.resolveMentions(ctx, tx, analysis.Mentions)
		if err != nil {
			return err
		}
		s.Content = svc.renderWithMentions(in.Text, analysis.Mentions, mentioned)
		s.Tags = svc.normalizeTags(analysis.Tags)
		s.MentionIDs = mentionIDs(analysis.Mentions, mentioned)
		if svc.instance.AltText == AltTextRequired {
			if err := describedMedia(ctx, tx, in.MediaIDs); err != nil {
				return err
			}
		}
		s.MediaIDs, s.MediaCount = in.MediaIDs, len(in.MediaIDs)
		s.QuotePolicy = quotePolicy
		var quotedAuthor int64
		if in.QuoteOfID != 0 {
			quoted, err := svc.checkQuote(ctx, tx, author, in.QuoteOfID)
			if err != nil {
				return err
			}
			s.QuoteOfID, s.QuoteState, quotedAuthor = quoted.ID, QuoteAccepted, quoted.AccountID
		}
		if err := tx.CreateStatus(ctx, s); err != nil {
			return err
		}
		if in.Poll != nil {
			if err := svc.createPoll(ctx, tx, s, in.Poll, now); err != nil {
				return err
			}
		}
		if err := svc.enqueueCard(ctx, tx, s, analysis.URLs, now); err != nil {
			return err
		}
		if err := tx.FanOut(ctx, s, svc.fanOutScope(author, now)); err != nil {
			return err
		}
		if err := svc.notifyMentions(ctx, tx, s, s.MentionIDs); err != nil {
			return err
		}
		if quotedAuthor != 0 {
			if err := svc.notify(ctx, tx, quotedAuthor, author.ID, NotifyQuote, s.ID); err != nil {
				return err
			}
		}
		if s.Visibility == VisibilityDirect {
			if err := tx.TouchConversation(ctx, s, append([]int64{author.ID}, s.MentionIDs...)); err != nil {
				return err
			}
		}
		if in.IdempotencyKey != "" {
			if err := tx.SaveIdempotencyKey(ctx, author.ID, in.IdempotencyKey, s.ID, now); err != nil {
				return err
			}
		}
		id = s.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return svc.GetStatus(ctx, author, id)
}

// resolveMentions finds the accounts behind mentions, keyed by MentionRef.Key.
// Mentions of unknown accounts stay plain text.
func (svc *Service) resolveMentions(ctx context.Context, q Tx, refs []MentionRef) (map[string]*Account, error) {
	out := map[string]*Account{}
	for _, m := range refs {
		domain := m.Domain
		if svc.instance.IsLocalDomain(domain) {
			domain = ""
		}
		a, err := q.AccountByUsername(ctx, m.Username, strings.ToLower(domain))
		if ErrorCode(err) == ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		out[m.Key()] = a
	}
	return out, nil
}

func (svc *Service) renderWithMentions(text string, refs []MentionRef, accounts map[string]*Account) string {
	urls := make(map[string]string, len(accounts))
	for _, m := range refs {
		if a := accounts[m.Key()]; a != nil {
			urls[m.Key()] = svc.instance.ProfileURL(a)
		}
	}
	return svc.text.Render(text, urls)
}

func (svc *Service) normalizeTags(tags []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		if n := svc.text.NormalizeTag(t); n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

func mentionIDs(refs []MentionRef, accounts map[string]*Account) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, m := range refs {
		if a := accounts[m.Key()]; a != nil && !seen[a.ID] {
			seen[a.ID] = true
			out = append(out, a.ID)
		}
	}
	return out
}

// notifyMentions notifies each mentioned local account except the author.
func (svc *Service) notifyMentions(ctx context.Context, tx Tx, s *Status, ids []int64) error {
	for _, id := range ids {
		if id == s.AccountID {
			continue
		}
		n := &Notification{ID: svc.newID(s.CreatedAt), AccountID: id, FromAccountID: s.AccountID, Type: NotifyMention, StatusID: s.ID, CreatedAt: s.CreatedAt}
		if _, err := tx.CreateNotification(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

// GetStatus returns a status viewer may read, hydrated for output.
func (svc *Service) GetStatus(ctx context.Context, viewer *Account, id int64) (*Status, error) {
	list, err := svc.loadStatusesIn(ctx, svc.store, viewer, []int64{id}, readOne, FilterThread)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, Errorf(ENOTFOUND, "Record not found")
	}
	return list[0], nil
}

// GetStatuses returns the statuses viewer may read among ids, in order.
func (svc *Service) GetStatuses(ctx context.Context, viewer *Account, ids []int64) ([]*Status, error) {
	return svc.loadStatusesIn(ctx, svc.store, viewer, ids, readOne, FilterThread)
}

// StatusChange is an edit: nil fields keep their value.
type StatusChange struct {
	Text        *string
	SpoilerText *string
	Sensitive   *bool
	Language    *string
	// MediaIDs, when not nil, are the post's attachments from now on, in
	// order: new uploads join, those left out are taken off and deleted.
	MediaIDs *[]int64
	// Media changes the descriptions and focus of the post's attachments.
	Media map[int64]MediaChange
	// ConfirmPersonalData: see NewStatus. It covers Media's descriptions.
	ConfirmPersonalData bool
}

// EditStatus changes the text of the viewer's own status, keeping the old
// version in its history and notifying those who reblogged it.
func (svc *Service) EditStatus(ctx context.Context, viewer *Account, id int64, c StatusChange) (*Status, error) {
	err := svc.store.Update(ctx, func(tx Tx) error {
		s, err := tx.Status(ctx, id)
		if err != nil {
			return err
		}
		if s.AccountID != viewer.ID || s.ReblogOfID != 0 {
			return Errorf(ENOTFOUND, "Record not found") // as Mastodon: only your own statuses exist here
		}
		if err := svc.checkPersonalData(ctx, viewer, subjectPost, c.ConfirmPersonalData, editTexts(&c)...); err != nil {
			return err
		}
		now := svc.now()
		if s.EditedAt.IsZero() { // keep the original as the first version of the history
			if err := tx.CreateStatusEdit(ctx, editOf(s, svc.newID(s.CreatedAt), s.CreatedAt)); err != nil {
				return err
			}
		}
		text, spoiler := s.Text, s.SpoilerText
		if c.Text != nil {
			text = *c.Text
		}
		if c.SpoilerText != nil {
			spoiler = strings.TrimSpace(*c.SpoilerText)
		}
		if err := svc.editMedia(ctx, tx, s, c, now); err != nil {
			return err
		}
		if err := svc.checkStatusText(text, spoiler, s.MediaCount); err != nil {
			return err
		}
		if c.Language != nil {
			if err := checkLanguage(*c.Language); err != nil {
				return err
			}
			s.Language = *c.Language
		}
		if c.Sensitive != nil {
			s.Sensitive = *c.Sensitive
		}
		if spoiler != "" {
			s.Sensitive = true
		}
		analysis := svc.text.Analyze(text)
		mentioned, err := svc.resolveMentions(ctx, tx, analysis.Mentions)
		if err != nil {
			return err
		}
		oldMentions := s.MentionIDs
		s.Text, s.SpoilerText = text, spoiler
		s.Content = svc.renderWithMentions(text, analysis.Mentions, mentioned)
		s.Tags = svc.normalizeTags(analysis.Tags)
		s.MentionIDs = mentionIDs(analysis.Mentions, mentioned)
		s.EditedAt = now
		if err := tx.UpdateStatus(ctx, s); err != nil {
			return err
		}
		if err := tx.CreateStatusEdit(ctx, editOf(s, svc.newID(now), now)); err != nil {
			return err
		}
		var added []int64
		for _, m := range s.MentionIDs {
			if !contains(oldMentions, m) {
				added = append(added, m)
			}
		}
		if err := svc.notifyMentions(ctx, tx, s, added); err != nil {
			return err
		}
		return svc.notifyRebloggersOfEdit(ctx, tx, s)
	})
	if err != nil {
		return nil, err
	}
	return svc.GetStatus(ctx, viewer, id)
}

// editMedia makes an edit's changes to a post's attachments: a new set or
// order, and new descriptions. Uploads taken off are deleted at once, as
// a deleted post's are.
func (svc *Service) editMedia(ctx context.Context, tx Tx, s *Status, c StatusChange, now time.Time) error {
	if c.MediaIDs != nil {
		ids := *c.MediaIDs
		if len(ids) > MaxAttachments {
			return Errorf(EINVALID, "Validation failed: A post can carry at most %d attachments", MaxAttachments)
		}
		if len(ids) > 0 && s.PollID != 0 {
			return Errorf(EINVALID, "Validation failed: A post can carry images or a poll, not both")
		}
		if svc.instance.AltText == AltTextRequired {
			if err := describedMedia(ctx, tx, ids); err != nil {
				return err
			}
		}
		s.MediaIDs = ids
		removed, err := tx.SetStatusMedia(ctx, s)
		if err != nil {
			return err
		}
		s.MediaCount = len(ids)
		for _, id := range removed {
			if err := enqueueMediaSweep(ctx, tx, id, now); err != nil {
				return err
			}
		}
	}
	for id, change := range c.Media {
		m, err := tx.Media(ctx, id)
		if ErrorCode(err) == ENOTFOUND || err == nil && m.StatusID != s.ID {
			return Errorf(EINVALID, "Validation failed: media_attributes must name attachments of this post")
		} else if err != nil {
			return err
		}
		if err := change.apply(m); err != nil {
			return err
		}
		if svc.instance.AltText == AltTextRequired && strings.TrimSpace(m.Description) == "" {
			return Errorf(EINVALID, "Validation failed: Every image needs a description (alt text) in this community")
		}
		if err := tx.UpdateMedia(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func editOf(s *Status, id int64, at time.Time) *StatusEdit {
	return &StatusEdit{ID: id, StatusID: s.ID, AccountID: s.AccountID, Text: s.Text, Content: s.Content,
		SpoilerText: s.SpoilerText, Sensitive: s.Sensitive, CreatedAt: at}
}

// notifyRebloggersOfEdit sends an "update" notification to every account
// that reblogged s, so nobody unknowingly amplifies changed words.
func (svc *Service) notifyRebloggersOfEdit(ctx context.Context, tx Tx, s *Status) error {
	p := Page{Limit: 1000}
	for {
		refs, err := tx.RebloggedBy(ctx, s.ID, p)
		if err != nil {
			return err
		}
		for _, r := range refs {
			if r.AccountID == s.AccountID {
				continue
			}
			n := &Notification{ID: svc.newID(s.EditedAt), AccountID: r.AccountID, FromAccountID: s.AccountID, Type: NotifyUpdate, StatusID: s.ID, CreatedAt: s.EditedAt}
			if _, err := tx.CreateNotification(ctx, n); err != nil {
				return err
			}
		}
		if len(refs) < p.Limit {
			return nil
		}
		p.MaxID = refs[len(refs)-1].RowID
	}
}

// DeleteStatus deletes the viewer's own status (or reblog) and returns it with
// its source text, so clients can offer to redraft it.
func (svc *Service) DeleteStatus(ctx context.Context, viewer *Account, id int64) (*Status, error) {
	s, err := svc.GetStatus(ctx, viewer, id)
	if err != nil {
		return nil, err
	}
	if s.AccountID != viewer.ID {
		return nil, Errorf(ENOTFOUND, "Record not found") // as Mastodon: only your own statuses exist here
	}
	now := svc.now()
	err = svc.store.Update(ctx, func(tx Tx) error { return deleteStatusWithMedia(ctx, tx, s, now) })
	if err != nil {
		return nil, err
	}
	return s, nil
}

// deleteStatusWithMedia deletes s in tx and queues, in the same
// transaction, the deletion of its media files now: they go with the post,
// not a day later with the sweep of unattached uploads. s.Media is used if
// hydrated, else read.
func deleteStatusWithMedia(ctx context.Context, tx Tx, s *Status, now time.Time) error {
	media := s.Media
	if media == nil && s.MediaCount > 0 {
		byStatus, err := tx.MediaOfStatuses(ctx, []int64{s.ID})
		if err != nil {
			return err
		}
		media = byStatus[s.ID]
	}
	if err := tx.DeleteStatus(ctx, s); err != nil {
		return err
	}
	for _, m := range media {
		if err := enqueueMediaSweep(ctx, tx, m.ID, now); err != nil {
			return err
		}
	}
	return nil
}

// StatusHistory returns the versions of a status viewer may read, oldest first.
func (svc *Service) StatusHistory(ctx context.Context, viewer *Account, id int64) ([]*StatusEdit, *Status, error) {
	s, err := svc.GetStatus(ctx, viewer, id)
	if err != nil {
		return nil, nil, err
	}
	edits, err := svc.store.StatusHistory(ctx, s.ID)
	if err != nil {
		return nil, nil, err
	}
	if len(edits) == 0 { // never edited: the history is the status as it is
		edits = []*StatusEdit{editOf(s, s.ID, s.CreatedAt)}
	}
	return edits, s, nil
}

// StatusContext returns the ancestors (oldest first) and descendants (in
// thread order, depth first) of a status that viewer may read.
func (svc *Service) StatusContext(ctx context.Context, viewer *Account, id int64) (ancestors, descendants []*Status, err error) {
	s, err := svc.GetStatus(ctx, viewer, id)
	if err != nil {
		return nil, nil, err
	}
	if s.ReblogOfID != 0 {
		s = s.Reblog
	}
	const maxThread = 4096
	ids, err := svc.store.ConversationStatuses(ctx, s.ConversationID, maxThread)
	if err != nil {
		return nil, nil, err
	}
	byID, err := svc.store.Statuses(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	byID[s.ID] = s
	// Ancestors: follow in_reply_to upwards; a parent outside the thread
	// (an older status whose conversation differs) is fetched on its own.
	var up []*Status
	seen := map[int64]bool{s.ID: true}
	for cur := s; cur.InReplyToID != 0 && !seen[cur.InReplyToID] && len(up) < 40; {
		seen[cur.InReplyToID] = true
		p, ok := byID[cur.InReplyToID]
		if !ok {
			if p, err = svc.store.Status(ctx, cur.InReplyToID); ErrorCode(err) == ENOTFOUND {
				break
			} else if err != nil {
				return nil, nil, err
			}
		}
		up = append(up, p)
		cur = p
	}
	for i, j := 0, len(up)-1; i < j; i, j = i+1, j-1 {
		up[i], up[j] = up[j], up[i]
	}
	// Descendants: depth-first over replies, each level oldest first.
	children := map[int64][]*Status{}
	for _, c := range byID {
		if c.InReplyToID != 0 {
			children[c.InReplyToID] = append(children[c.InReplyToID], c)
		}
	}
	for _, cs := range children {
		sort.Slice(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
	}
	var down []*Status
	var walk func(id int64)
	walk = func(id int64) {
		for _, c := range children[id] {
			if seen[c.ID] {
				continue
			}
			seen[c.ID] = true
			down = append(down, c)
			walk(c.ID)
		}
	}
	walk(s.ID)
	if ancestors, err = svc.readableHydrated(ctx, viewer, up); err != nil {
		return nil, nil, err
	}
	descendants, err = svc.readableHydrated(ctx, viewer, down)
	return ancestors, descendants, err
}

// readableHydrated filters already-loaded statuses by visibility and hydrates them.
func (svc *Service) readableHydrated(ctx context.Context, viewer *Account, list []*Status) ([]*Status, error) {
	if err := svc.loadReblogs(ctx, svc.store, list); err != nil {
		return nil, err
	}
	list, err := svc.filterReadable(ctx, svc.store, viewer, list)
	if err != nil {
		return nil, err
	}
	if err := svc.hydrate(ctx, svc.store, viewer, list); err != nil {
		return nil, err
	}
	return svc.applyFilters(ctx, svc.store, viewer, list, readTimeline, FilterThread)
}

func contains(list []int64, x int64) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

// StatusSource returns one of the viewer's own statuses for editing; the
// source of other people's statuses is not shown, as on Mastodon.
func (svc *Service) StatusSource(ctx context.Context, viewer *Account, id int64) (*Status, error) {
	s, err := svc.store.Status(ctx, id)
	if err != nil {
		return nil, err
	}
	if s.AccountID != viewer.ID || s.ReblogOfID != 0 {
		return nil, Errorf(ENOTFOUND, "Record not found")
	}
	return s, nil
}
