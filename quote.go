package starling

import (
	"context"
)

// QuotePolicy says who may quote a post.
type QuotePolicy string

const (
	QuotePublic    QuotePolicy = "public"    // anyone who can see it
	QuoteFollowers QuotePolicy = "followers" // the author's followers
	QuoteNobody    QuotePolicy = "nobody"    // only the author
)

// Quote states, as Mastodon names them.
const (
	QuoteAccepted = "accepted"
	QuoteRevoked  = "revoked" // the quoted author took the quote back
)

// ParseQuotePolicy reads a policy; "" is def. Mastodon's app names are
// taken too: "followers" for followers, "nobody" for nobody.
func ParseQuotePolicy(s string, def QuotePolicy) (QuotePolicy, error) {
	switch QuotePolicy(s) {
	case "":
		return def, nil
	case QuotePublic, QuoteFollowers, QuoteNobody:
		return QuotePolicy(s), nil
	}
	return "", Errorf(EINVALID, "Validation failed: quote_approval_policy must be public, followers or nobody")
}

// QuoteStore keeps who quotes whom.
type QuoteStore interface {
	// SetQuoteState changes the state of a quote (a status quoting another).
	SetQuoteState(ctx context.Context, statusID int64, state string) error
	// Quotes pages through the statuses quoting a status.
	Quotes(ctx context.Context, statusID int64, p Page) ([]int64, error)
}

// checkQuote finds the post author wants to quote and checks they may:
// it must be public or unlisted (or their own), and its author's policy
// must let them.
func (svc *Service) checkQuote(ctx context.Context, tx Tx, author *Account, id int64) (*Status, error) {
	q, err := svc.readableStatus(ctx, tx, author, id)
	if ErrorCode(err) == ENOTFOUND || err == nil && q.ReblogOfID != 0 {
		return nil, Errorf(ENOTFOUND, "The post you are trying to quote does not appear to exist.")
	} else if err != nil {
		return nil, err
	}
	if q.AccountID == author.ID {
		return q, nil
	}
	if q.Visibility != VisibilityPublic && q.Visibility != VisibilityUnlisted {
		return nil, Errorf(EFORBIDDEN, "Only public posts can be quoted")
	}
	switch q.QuotePolicy {
	case QuoteNobody:
		return nil, Errorf(EFORBIDDEN, "The author does not allow quotes of this post")
	case QuoteFollowers:
		if _, err := tx.Follow(ctx, author.ID, q.AccountID); ErrorCode(err) == ENOTFOUND {
			return nil, Errorf(EFORBIDDEN, "Only the author's followers may quote this post")
		} else if err != nil {
			return nil, err
		}
	}
	return q, nil
}

// RevokeQuote takes back a quote of one of viewer's posts: the quoting post
// stays, without the quoted one.
func (svc *Service) RevokeQuote(ctx context.Context, viewer *Account, quotedID, quotingID int64) (*Status, error) {
	err := svc.store.Update(ctx, func(tx Tx) error {
		s, err := tx.Status(ctx, quotingID)
		if err != nil {
			return err
		}
		quoted, err := tx.Status(ctx, quotedID)
		if err != nil {
			return err
		}
		if s.QuoteOfID != quotedID || quoted.AccountID != viewer.ID {
			return Errorf(ENOTFOUND, "Record not found")
		}
		return tx.SetQuoteState(ctx, quotingID, QuoteRevoked)
	})
	if err != nil {
		return nil, err
	}
	return svc.GetStatus(ctx, viewer, quotingID)
}

// QuotesOf lists the posts quoting one of viewer's posts that viewer may read.
func (svc *Service) QuotesOf(ctx context.Context, viewer *Account, id int64, p Page) ([]*Status, error) {
	s, err := svc.readableStatus(ctx, svc.store, viewer, id)
	if err != nil {
		return nil, err
	}
	if s.AccountID != viewer.ID {
		return nil, Errorf(EFORBIDDEN, "Only the author sees who quoted a post")
	}
	ids, err := svc.store.Quotes(ctx, id, p.Clamp(defaultTimelineLimit, maxTimelineLimit))
	if err != nil {
		return nil, err
	}
	return svc.loadStatuses(ctx, svc.store, viewer, ids)
}

type quotesLoaded struct{}

// hydrateQuotes sets Quote on the statuses that quote a post the viewer may
// read, one level deep: a quoted post shows without its own quote.
func (svc *Service) hydrateQuotes(ctx context.Context, q Tx, viewer *Account, list []*Status) error {
	if ctx.Value(quotesLoaded{}) != nil {
		return nil
	}
	var ids []int64
	for _, s := range list {
		if s.QuoteOfID != 0 && s.QuoteState == QuoteAccepted {
			ids = append(ids, s.QuoteOfID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	quoted, err := svc.loadStatuses(context.WithValue(ctx, quotesLoaded{}, true), q, viewer, ids)
	if err != nil {
		return err
	}
	byID := make(map[int64]*Status, len(quoted))
	for _, s := range quoted {
		byID[s.ID] = s
	}
	for _, s := range list {
		if s.QuoteState == QuoteAccepted {
			s.Quote = byID[s.QuoteOfID]
		}
	}
	return nil
}
