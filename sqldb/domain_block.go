package sqldb

import (
	"context"
	"fmt"

	"starling"
)

// onBlockedDomain is the SQL condition that the account aliased acct is on
// the domain of the domain block aliased db, or a subdomain of it
// (starling.DomainMatches). Stored domains are lower-case host names, whose
// letters, digits, dots and hyphens hold no LIKE wildcard.
const onBlockedDomain = `acct.domain <> '' AND (lower(acct.domain) = db.domain OR lower(acct.domain) LIKE '%.' || db.domain)`

// CreateDomainBlock implements starling.DomainBlockStore.
func (q *queries) CreateDomainBlock(ctx context.Context, b *starling.DomainBlock) (bool, error) {
	n, err := q.exec(ctx, `INSERT INTO domain_blocks (id, account_id, domain, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		b.ID, b.AccountID, b.Domain, ms(b.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("block domain: %w", err)
	}
	return n > 0, nil
}

// DeleteDomainBlock implements starling.DomainBlockStore.
func (q *queries) DeleteDomainBlock(ctx context.Context, accountID int64, domain string) (bool, error) {
	n, err := q.exec(ctx, `DELETE FROM domain_blocks WHERE account_id = $1 AND domain = $2`, accountID, domain)
	if err != nil {
		return false, fmt.Errorf("unblock domain: %w", err)
	}
	return n > 0, nil
}

// DomainBlocks implements starling.DomainBlockStore.
func (q *queries) DomainBlocks(ctx context.Context, accountID int64, p starling.Page) ([]*starling.DomainBlock, error) {
	a := args{accountID}
	where, order, rev := a.page("id", p)
	rows, err := q.q.QueryContext(ctx, `SELECT id, account_id, domain, created_at FROM domain_blocks WHERE account_id = $1`+where+order, a...)
	if err != nil {
		return nil, fmt.Errorf("domain blocks: %w", err)
	}
	defer rows.Close()
	var out []*starling.DomainBlock
	for rows.Next() {
		var b starling.DomainBlock
		var created int64
		if err := rows.Scan(&b.ID, &b.AccountID, &b.Domain, &created); err != nil {
			return nil, err
		}
		b.CreatedAt = fromMS(created)
		out = append(out, &b)
	}
	if rev {
		reverse(out)
	}
	return out, rows.Err()
}

// CountDomainBlocks implements starling.DomainBlockStore.
func (q *queries) CountDomainBlocks(ctx context.Context, accountID int64) (int, error) {
	var n int
	if err := q.q.QueryRowContext(ctx, `SELECT count(*) FROM domain_blocks WHERE account_id = $1`, accountID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count domain blocks: %w", err)
	}
	return n, nil
}

// FollowersOnDomain implements starling.DomainBlockStore.
func (q *queries) FollowersOnDomain(ctx context.Context, targetID int64, domain string) ([]int64, error) {
	return q.ids(ctx, `SELECT acct.id FROM (SELECT account_id FROM follows WHERE target_account_id = $1
		UNION SELECT account_id FROM follow_requests WHERE target_account_id = $1) f
		JOIN accounts acct ON acct.id = f.account_id
		JOIN (SELECT CAST($2 AS TEXT) AS domain) db ON `+onBlockedDomain, args{targetID, domain})
}
