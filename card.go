package starling

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"time"
)

// CardData is what a linked page says about itself, as a CardFetcher
// reads it; Image holds the bytes of its picture, if any.
type CardData struct {
	URL          string
	Title        string
	Description  string
	AuthorName   string
	ProviderName string
	ImageURL     string
	Image        []byte
}

// CardFetcher reads the preview of a linked page. Package linkcards
// implements it over package outbound, which refuses private addresses.
type CardFetcher interface {
	Fetch(ctx context.Context, url string) (*CardData, error)
}

// Card is the preview of a link, shared by every post that links there.
type Card struct {
	ID           int64
	URL          string
	Title        string
	Description  string
	AuthorName   string
	ProviderName string
	ImageKey     string // in the media files; "" without an image
	ImageWidth   int
	ImageHeight  int
	Blurhash     string
	FetchedAt    time.Time
}

// CardStore keeps link previews.
type CardStore interface {
	// CardByURL reads the card of a link; ENOTFOUND when there is none.
	CardByURL(ctx context.Context, url string) (*Card, error)
	// SaveCard stores c, replacing the card of the same URL, and sets c.ID.
	SaveCard(ctx context.Context, c *Card) error
	// SetStatusCard shows card on a status.
	SetStatusCard(ctx context.Context, statusID, cardID int64) error
	// Cards reads cards by ID.
	Cards(ctx context.Context, ids []int64) (map[int64]*Card, error)
}

// cardJob fetches the preview of a new post's first link, after the post
// is stored: the post never waits for another site.
const cardJob = "cards.fetch"

// cardFresh is how long a fetched preview serves every post linking there.
const cardFresh = 7 * 24 * time.Hour

type cardArgs struct {
	Status int64  `json:"status"`
	URL    string `json:"url"`
}

// SetCardFetcher turns on link previews. Without it posts get no cards.
func (svc *Service) SetCardFetcher(f CardFetcher) { svc.cards = f }

// enqueueCard schedules the preview of s's first link.
func (svc *Service) enqueueCard(ctx context.Context, tx Tx, s *Status, urls []string, now time.Time) error {
	if svc.cards == nil || len(urls) == 0 || s.Visibility == VisibilityDirect {
		return nil // direct messages stay between their people: no request to the linked site
	}
	args, _ := json.Marshal(cardArgs{Status: s.ID, URL: urls[0]})
	return tx.EnqueueJob(ctx, &Job{Kind: cardJob, Args: args}, now, time.Time{})
}

// fetchCard is the job: reuse a fresh card of the URL or fetch one, then
// show it on the status. A page that cannot be previewed gets no card, and
// the job is done: retrying would only knock on the same door.
func (svc *Service) fetchCard(ctx context.Context, j *Job) error {
	var a cardArgs
	if err := json.Unmarshal(j.Args, &a); err != nil {
		return err
	}
	if _, err := svc.store.Status(ctx, a.Status); ErrorCode(err) == ENOTFOUND {
		return nil // deleted meanwhile
	} else if err != nil {
		return err
	}
	now := svc.now()
	card, err := svc.store.CardByURL(ctx, a.URL)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return err
	}
	if card == nil || now.Sub(card.FetchedAt) > cardFresh {
		fetchCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
		data, err := svc.cards.Fetch(fetchCtx, a.URL)
		cancel()
		if err != nil {
			slog.InfoContext(ctx, "link preview: none", "url", a.URL, "err", err)
			return nil
		}
		card = &Card{ID: svc.newID(now), URL: a.URL, Title: data.Title, Description: data.Description, AuthorName: data.AuthorName,
			ProviderName: data.ProviderName, FetchedAt: now}
		svc.storeCardImage(ctx, card, data.Image)
		if err := svc.store.Update(ctx, func(tx Tx) error { return tx.SaveCard(ctx, card) }); err != nil {
			return err
		}
	}
	return svc.store.Update(ctx, func(tx Tx) error { return tx.SetStatusCard(ctx, a.Status, card.ID) })
}

// storeCardImage keeps a small copy of the page's picture, cleaned as
// uploads are, so readers' browsers never fetch from the linked site.
func (svc *Service) storeCardImage(ctx context.Context, c *Card, image []byte) {
	if len(image) == 0 || svc.images == nil || svc.files == nil {
		return
	}
	img, err := svc.images.Process(bytes.NewReader(image))
	if err != nil {
		return
	}
	var r [12]byte
	_, _ = rand.Read(r[:])
	key := "cards/" + hex.EncodeToString(r[:]) + img.PreviewExt
	if err := svc.files.Put(ctx, key, bytes.NewReader(img.Preview), int64(len(img.Preview)), img.PreviewContentType); err != nil {
		return
	}
	c.ImageKey, c.ImageWidth, c.ImageHeight, c.Blurhash = key, img.PreviewWidth, img.PreviewHeight, img.Blurhash
}
