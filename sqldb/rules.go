package sqldb

import (
	"context"
	"fmt"

	"starling"
)

// Rules implements starling.RuleStore.
func (q *queries) Rules(ctx context.Context) ([]*starling.Rule, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT id, position, text, hint, created_at, updated_at FROM rules ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("select rules: %w", err)
	}
	defer rows.Close()
	var out []*starling.Rule
	for rows.Next() {
		var r starling.Rule
		var created, updated int64
		if err := rows.Scan(&r.ID, &r.Position, &r.Text, &r.Hint, &created, &updated); err != nil {
			return nil, err
		}
		r.CreatedAt, r.UpdatedAt = fromMS(created), fromMS(updated)
		out = append(out, &r)
	}
	return out, rows.Err()
}

// PutRule implements starling.RuleStore.
func (q *queries) PutRule(ctx context.Context, r *starling.Rule) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO rules (id, position, text, hint, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET position = excluded.position, text = excluded.text, hint = excluded.hint, updated_at = excluded.updated_at`,
		r.ID, r.Position, r.Text, r.Hint, ms(r.CreatedAt), ms(r.UpdatedAt))
	if err != nil {
		return fmt.Errorf("put rule: %w", err)
	}
	return nil
}

// DeleteRule implements starling.RuleStore.
func (q *queries) DeleteRule(ctx context.Context, id int64) error {
	n, err := q.exec(ctx, `DELETE FROM rules WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("delete rule: %w", err)
	} else if n == 0 {
		return starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return nil
}

// InstanceText implements starling.RuleStore.
func (q *queries) InstanceText(ctx context.Context, name string) (*starling.InstanceText, error) {
	t := &starling.InstanceText{Name: name}
	var updated int64
	err := q.q.QueryRowContext(ctx, `SELECT body, updated_at FROM instance_texts WHERE name = $1`, name).Scan(&t.Body, &updated)
	if err != nil {
		return nil, notFound(err)
	}
	t.UpdatedAt = fromMS(updated)
	return t, nil
}

// PutInstanceText implements starling.RuleStore.
func (q *queries) PutInstanceText(ctx context.Context, t *starling.InstanceText) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO instance_texts (name, body, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, t.Name, t.Body, ms(t.UpdatedAt))
	if err != nil {
		return fmt.Errorf("put instance text: %w", err)
	}
	return nil
}
