package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"starling"
)

const mediaColumns = `id, account_id, status_id, type, file_key, content_type, file_size, width, height,
	preview_key, preview_width, preview_height, blurhash, description, focus_x, focus_y, created_at`

// CreateMedia implements starling.MediaStore.
func (q *queries) CreateMedia(ctx context.Context, m *starling.MediaAttachment) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO media_attachments (`+mediaColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		m.ID, m.AccountID, nullID(m.StatusID), m.Type, m.FileKey, m.ContentType, m.Size, m.Width, m.Height,
		m.PreviewKey, m.PreviewWidth, m.PreviewHeight, m.Blurhash, m.Description, m.FocusX, m.FocusY, ms(m.CreatedAt))
	if err != nil {
		return fmt.Errorf("create media: %w", err)
	}
	return nil
}

// SetStatusMedia implements starling.MediaStore.
func (q *queries) SetStatusMedia(ctx context.Context, s *starling.Status) ([]int64, error) {
	current, err := q.ids(ctx, `SELECT id FROM media_attachments WHERE status_id = $1`, args{s.ID})
	if err != nil {
		return nil, fmt.Errorf("status media: %w", err)
	}
	var removed []int64
	for _, id := range current {
		if !slices.Contains(s.MediaIDs, id) {
			if _, err := q.q.ExecContext(ctx, `UPDATE media_attachments SET status_id = NULL, position = 0 WHERE id = $1`, id); err != nil {
				return nil, fmt.Errorf("detach media: %w", err)
			}
			removed = append(removed, id)
		}
	}
	for i, id := range s.MediaIDs {
		n, err := q.exec(ctx, `UPDATE media_attachments SET status_id = $1, position = $2
			WHERE id = $3 AND account_id = $4 AND (status_id IS NULL OR status_id = $1)`, s.ID, i, id, s.AccountID)
		if err != nil {
			return nil, fmt.Errorf("attach media: %w", err)
		}
		if n != 1 {
			return nil, starling.Errorf(starling.EINVALID, "Validation failed: Media attachments must be your own uploads, each on one post only")
		}
	}
	if _, err := q.q.ExecContext(ctx, `UPDATE statuses SET media_count = $1 WHERE id = $2`, len(s.MediaIDs), s.ID); err != nil {
		return nil, fmt.Errorf("status media: %w", err)
	}
	q.touch.status(s.ID)
	return removed, nil
}

// DeleteUnattachedMedia implements starling.MediaStore.
func (q *queries) DeleteUnattachedMedia(ctx context.Context, id int64) (bool, error) {
	n, err := q.exec(ctx, `DELETE FROM media_attachments WHERE id = $1 AND status_id IS NULL`, id)
	if err != nil {
		return false, fmt.Errorf("delete media: %w", err)
	}
	return n > 0, nil
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
	list, err := q.mediaWhere(ctx, `id = $1`, args{id})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return list[0], nil
}

// MediaOfStatuses implements starling.MediaStore.
func (q *queries) MediaOfStatuses(ctx context.Context, statusIDs []int64) (map[int64][]*starling.MediaAttachment, error) {
	out := map[int64][]*starling.MediaAttachment{}
	if len(statusIDs) == 0 {
		return out, nil
	}
	var a args
	list, err := q.mediaWhere(ctx, `status_id IN `+a.in(statusIDs)+` ORDER BY status_id, position`, a)
	for _, m := range list {
		out[m.StatusID] = append(out[m.StatusID], m)
	}
	return out, err
}

func (q *queries) mediaWhere(ctx context.Context, where string, a args) ([]*starling.MediaAttachment, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT `+mediaColumns+` FROM media_attachments WHERE `+where, a...)
	if err != nil {
		return nil, fmt.Errorf("read media: %w", err)
	}
	defer rows.Close()
	var out []*starling.MediaAttachment
	for rows.Next() {
		m := &starling.MediaAttachment{}
		var status sql.NullInt64
		var created int64
		if err := rows.Scan(&m.ID, &m.AccountID, &status, &m.Type, &m.FileKey, &m.ContentType, &m.Size, &m.Width, &m.Height,
			&m.PreviewKey, &m.PreviewWidth, &m.PreviewHeight, &m.Blurhash, &m.Description, &m.FocusX, &m.FocusY, &created); err != nil {
			return nil, fmt.Errorf("read media: %w", err)
		}
		m.StatusID, m.CreatedAt = status.Int64, fromMS(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// attachMedia gives a new status its uploads, in the order the author gave
// them: the author's own, not yet on another post.
func (q *queries) attachMedia(ctx context.Context, s *starling.Status) error {
	for i, id := range s.MediaIDs {
		res, err := q.q.ExecContext(ctx, `UPDATE media_attachments SET status_id = $1, position = $2
			WHERE id = $3 AND account_id = $4 AND status_id IS NULL`, s.ID, i, id, s.AccountID)
		if err != nil {
			return fmt.Errorf("attach media: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return starling.Errorf(starling.EINVALID, "Validation failed: Media attachments must be your own uploads, each on one post only")
		}
	}
	return nil
}
