package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"starling"
)

const mediaColumns = `id, account_id, status_id, type, file_key, content_type, file_size, width, height, description, focus_x, focus_y, created_at`

// CreateMedia implements starling.MediaStore.
func (q *queries) CreateMedia(ctx context.Context, m *starling.MediaAttachment) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO media_attachments (`+mediaColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		m.ID, m.AccountID, nullID(m.StatusID), m.Type, m.FileKey, m.ContentType, m.Size, m.Width, m.Height, m.Description, m.FocusX, m.FocusY, ms(m.CreatedAt))
	if err != nil {
		return fmt.Errorf("create media: %w", err)
	}
	return nil
}

// UpdateMedia implements starling.MediaStore.
func (q *queries) UpdateMedia(ctx context.Context, m *starling.MediaAttachment) error {
	_, err := q.q.ExecContext(ctx, `UPDATE media_attachments SET status_id = $2, description = $3, focus_x = $4, focus_y = $5 WHERE id = $1`,
		m.ID, nullID(m.StatusID), m.Description, m.FocusX, m.FocusY)
	if err != nil {
		return fmt.Errorf("update media: %w", err)
	}
	return nil
}

// Media implements starling.MediaStore.
func (q *queries) Media(ctx context.Context, id int64) (*starling.MediaAttachment, error) {
	m := &starling.MediaAttachment{}
	var status sql.NullInt64
	var created int64
	err := q.q.QueryRowContext(ctx, `SELECT `+mediaColumns+` FROM media_attachments WHERE id = $1`, id).Scan(
		&m.ID, &m.AccountID, &status, &m.Type, &m.FileKey, &m.ContentType, &m.Size, &m.Width, &m.Height, &m.Description, &m.FocusX, &m.FocusY, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, starling.Errorf(starling.ENOTFOUND, "Record not found")
	} else if err != nil {
		return nil, fmt.Errorf("read media: %w", err)
	}
	m.StatusID, m.CreatedAt = status.Int64, fromMS(created)
	return m, nil
}
