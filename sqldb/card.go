package sqldb

import (
	"context"
	"fmt"

	"starling"
)

const cardColumns = `id, url, title, description, author_name, provider_name, image_key, image_width, image_height, blurhash, fetched_at`

func scanCard(row interface{ Scan(...any) error }) (*starling.Card, error) {
	c := &starling.Card{}
	var fetched int64
	err := row.Scan(&c.ID, &c.URL, &c.Title, &c.Description, &c.AuthorName, &c.ProviderName, &c.ImageKey, &c.ImageWidth, &c.ImageHeight, &c.Blurhash, &fetched)
	c.FetchedAt = fromMS(fetched)
	return c, err
}

// CardByURL implements starling.CardStore.
func (q *queries) CardByURL(ctx context.Context, url string) (*starling.Card, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT `+cardColumns+` FROM preview_cards WHERE url = $1`, url)
	if err != nil {
		return nil, fmt.Errorf("read card: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return scanCard(rows)
}

// SaveCard implements starling.CardStore: an upsert on the URL, so a card
// fetched again replaces the old one and keeps its ID.
func (q *queries) SaveCard(ctx context.Context, c *starling.Card) error {
	err := q.q.QueryRowContext(ctx, `INSERT INTO preview_cards (`+cardColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (url) DO UPDATE SET title = excluded.title, description = excluded.description, author_name = excluded.author_name,
			provider_name = excluded.provider_name, image_key = excluded.image_key, image_width = excluded.image_width,
			image_height = excluded.image_height, blurhash = excluded.blurhash, fetched_at = excluded.fetched_at
		RETURNING id`, c.ID, c.URL, c.Title, c.Description, c.AuthorName, c.ProviderName, c.ImageKey, c.ImageWidth, c.ImageHeight, c.Blurhash, ms(c.FetchedAt)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("save card: %w", err)
	}
	return nil
}

// SetStatusCard implements starling.CardStore.
func (q *queries) SetStatusCard(ctx context.Context, statusID, cardID int64) error {
	if _, err := q.q.ExecContext(ctx, `UPDATE statuses SET card_id = $1 WHERE id = $2`, cardID, statusID); err != nil {
		return fmt.Errorf("set status card: %w", err)
	}
	q.touch.status(statusID)
	return nil
}

// Cards implements starling.CardStore.
func (q *queries) Cards(ctx context.Context, ids []int64) (map[int64]*starling.Card, error) {
	out := map[int64]*starling.Card{}
	if len(ids) == 0 {
		return out, nil
	}
	var a args
	rows, err := q.q.QueryContext(ctx, `SELECT `+cardColumns+` FROM preview_cards WHERE id IN `+a.in(ids), a...)
	if err != nil {
		return nil, fmt.Errorf("read cards: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCard(rows)
		if err != nil {
			return nil, err
		}
		out[c.ID] = c
	}
	return out, rows.Err()
}
