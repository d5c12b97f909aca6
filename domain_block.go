package starling

import (
	"context"
	"net"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/idna"
)

// DomainBlock is a member hiding a whole server: the posts and
// notifications of accounts on Domain, or a subdomain of it, are left out
// of what the member reads, and accounts there no longer follow the member
// (as Mastodon's user domain blocks do).
type DomainBlock struct {
	ID        int64
	AccountID int64
	Domain    string // normalised: lower-case ASCII (punycode), no scheme, port or path
	CreatedAt time.Time
}

// DomainBlockStore keeps members' domain blocks.
type DomainBlockStore interface {
	// CreateDomainBlock stores b; false if the member blocks the domain already.
	CreateDomainBlock(ctx context.Context, b *DomainBlock) (bool, error)
	// DeleteDomainBlock lifts a member's block of domain; false if there was none.
	DeleteDomainBlock(ctx context.Context, accountID int64, domain string) (bool, error)
	// DomainBlocks pages through a member's domain blocks by ID.
	DomainBlocks(ctx context.Context, accountID int64, p Page) ([]*DomainBlock, error)
	// CountDomainBlocks returns how many domains a member blocks.
	CountDomainBlocks(ctx context.Context, accountID int64) (int, error)
	// FollowersOnDomain returns the accounts on domain, or a subdomain of
	// it, that follow or ask to follow targetID.
	FollowersOnDomain(ctx context.Context, targetID int64, domain string) ([]int64, error)
}

// MaxDomainBlocks bounds how many domains one member may block, so the
// one lookup every read makes stays small.
const MaxDomainBlocks = 1000

// NormalizeDomain turns what a member typed ("Example.ORG",
// "https://example.org/about", "bücher.example") into the stored form: the
// host alone, lower-case, internationalised names in punycode
// ("xn--bcher-kva.example"). It returns EINVALID if that is not a host name
// of at least two labels.
func NormalizeDomain(s string) (string, error) {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "://"); i >= 0 {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			return "", invalidDomain()
		}
		s = u.Host
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 { // "user@example.org" names its server too
		s = s[i+1:]
	}
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	s = strings.TrimSuffix(s, ".")
	if s == "" || net.ParseIP(s) != nil {
		return "", invalidDomain()
	}
	ascii, err := idna.Lookup.ToASCII(s)
	if err != nil {
		return "", invalidDomain()
	}
	ascii = strings.ToLower(ascii)
	labels := strings.Split(ascii, ".")
	if len(ascii) > 253 || len(labels) < 2 {
		return "", invalidDomain()
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", invalidDomain()
		}
		for _, c := range l {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return "", invalidDomain()
			}
		}
	}
	return ascii, nil
}

func invalidDomain() error {
	return Errorf(EINVALID, "Validation failed: Domain is not a valid server name, such as example.org")
}

// DomainMatches reports whether an account's domain is blocked by a block
// of blocked: the same domain or a subdomain of it. Local accounts ("")
// never match.
func DomainMatches(accountDomain, blocked string) bool {
	if accountDomain == "" || blocked == "" {
		return false
	}
	d := strings.ToLower(accountDomain) // as the SQL in package sqldb compares
	return d == blocked || strings.HasSuffix(d, "."+blocked)
}

// BlockDomain makes viewer block domain (normalised by NormalizeDomain):
// accounts there that follow viewer stop following. Blocking a domain
// twice changes nothing. This server's own domain cannot be blocked.
func (svc *Service) BlockDomain(ctx context.Context, viewer *Account, domain string) (string, error) {
	d, err := NormalizeDomain(domain)
	if err != nil {
		return "", err
	}
	own := strings.ToLower(svc.instance.Domain)
	if host, _, err := net.SplitHostPort(own); err == nil {
		own = host
	}
	if own == d || strings.HasSuffix(own, "."+d) {
		return "", Errorf(EINVALID, "Validation failed: You cannot block this server's own domain")
	}
	now := svc.now()
	err = svc.store.Update(ctx, func(tx Tx) error {
		n, err := tx.CountDomainBlocks(ctx, viewer.ID)
		if err != nil {
			return err
		}
		if n >= MaxDomainBlocks {
			return Errorf(EINVALID, "Validation failed: You can block at most %d domains", MaxDomainBlocks)
		}
		created, err := tx.CreateDomainBlock(ctx, &DomainBlock{ID: svc.newID(now), AccountID: viewer.ID, Domain: d, CreatedAt: now})
		if err != nil || !created {
			return err
		}
		followers, err := tx.FollowersOnDomain(ctx, viewer.ID, d)
		if err != nil {
			return err
		}
		for _, id := range followers {
			if err := svc.unfollow(ctx, tx, id, viewer.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return d, err
}

// UnblockDomain lifts viewer's block of domain; followers do not come back.
func (svc *Service) UnblockDomain(ctx context.Context, viewer *Account, domain string) error {
	d, err := NormalizeDomain(domain)
	if err != nil {
		return err
	}
	return svc.store.Update(ctx, func(tx Tx) error {
		_, err := tx.DeleteDomainBlock(ctx, viewer.ID, d)
		return err
	})
}

// DomainBlocks pages through the domains viewer blocks, newest block first.
func (svc *Service) DomainBlocks(ctx context.Context, viewer *Account, p Page) ([]*DomainBlock, error) {
	return svc.store.DomainBlocks(ctx, viewer.ID, p.Clamp(100, 200))
}
