package starling

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ImportKind is what a CSV file holds, in Mastodon's export formats.
type ImportKind string

const (
	// ImportFollowing: "Account address,Show boosts,Notify on new posts,Languages".
	ImportFollowing ImportKind = "following"
	// ImportBlocks: one account address per line.
	ImportBlocks ImportKind = "blocks"
	// ImportMutes: "Account address,Hide notifications".
	ImportMutes ImportKind = "mutes"
	// ImportLists: "List name,Account address", one member per line.
	ImportLists ImportKind = "lists"
	// ImportDomainBlocks: one domain per line (Mastodon's domain_blocks.csv).
	ImportDomainBlocks ImportKind = "domain_blocks"
)

// MaxImportRows bounds one import.
const MaxImportRows = 5000

// ImportResult says what an import did.
type ImportResult struct {
	Done     int      // rows applied (or already so)
	NotFound []string // addresses of no account here
	Failed   []string // addresses refused (a block, a locked account for a list…)
	Remote   int      // addresses on other servers, which Starling cannot follow yet
}

// Import applies a CSV file exported from Starling or Mastodon to viewer:
// follows, blocks, mutes or list members are added to what is there (never
// removed). A file that is not CSV, or longer than MaxImportRows, is
// refused with the line at fault before anything is applied.
func (svc *Service) Import(ctx context.Context, viewer *Account, kind ImportKind, file io.Reader) (*ImportResult, error) {
	rows, err := readImport(file, kind)
	if err != nil {
		return nil, err
	}
	res := &ImportResult{}
	if kind == ImportDomainBlocks {
		return res, svc.importDomainBlocks(ctx, viewer, rows, res)
	}
	for _, row := range rows {
		addr := row[0]
		if kind == ImportLists {
			addr = field(row, 1)
		}
		target, err := svc.LookupAccount(ctx, addr)
		switch {
		case ErrorCode(err) == ENOTFOUND && !svc.localAddress(addr):
			res.Remote++
			continue
		case ErrorCode(err) == ENOTFOUND:
			res.NotFound = append(res.NotFound, addr)
			continue
		case err != nil:
			return res, err
		case target.ID == viewer.ID:
			continue
		}
		if err := svc.importRow(ctx, viewer, kind, row, target); ErrorCode(err) == EINVALID || ErrorCode(err) == EFORBIDDEN {
			res.Failed = append(res.Failed, addr)
			continue
		} else if err != nil {
			return res, err
		}
		res.Done++
	}
	return res, nil
}

func (svc *Service) importRow(ctx context.Context, viewer *Account, kind ImportKind, row []string, target *Account) error {
	switch kind {
	case ImportFollowing:
		reblogs, notify := csvBool(field(row, 1), true), csvBool(field(row, 2), false)
		_, err := svc.Follow(ctx, viewer, target.ID, FollowOptions{Reblogs: &reblogs, Notify: &notify})
		return err
	case ImportBlocks:
		_, err := svc.BlockAccount(ctx, viewer, target.ID)
		return err
	case ImportMutes:
		_, err := svc.MuteAccount(ctx, viewer, target.ID, csvBool(field(row, 1), true), 0)
		return err
	case ImportLists:
		return svc.importListMember(ctx, viewer, row[0], target)
	}
	return Errorf(EINVALID, "Validation failed: unknown kind of import")
}

// importDomainBlocks blocks the domain on each row; a row that is no
// domain, or names this server, is reported as failed.
func (svc *Service) importDomainBlocks(ctx context.Context, viewer *Account, rows [][]string, res *ImportResult) error {
	for _, row := range rows {
		d := strings.TrimSpace(row[0])
		if _, err := svc.BlockDomain(ctx, viewer, d); ErrorCode(err) == EINVALID {
			res.Failed = append(res.Failed, d)
			continue
		} else if err != nil {
			return err
		}
		res.Done++
	}
	return nil
}

// importListMember puts target on viewer's list of that name (made if
// missing), following target first, as a list holds only followed accounts.
func (svc *Service) importListMember(ctx context.Context, viewer *Account, title string, target *Account) error {
	rel, err := svc.Follow(ctx, viewer, target.ID, FollowOptions{})
	if err != nil {
		return err
	}
	if !rel.Following {
		return Errorf(EINVALID, "Validation failed: %s approves followers first", target.Username)
	}
	lists, err := svc.Lists(ctx, viewer)
	if err != nil {
		return err
	}
	var list *List
	for _, l := range lists {
		if strings.EqualFold(l.Title, strings.TrimSpace(title)) {
			list = l
		}
	}
	if list == nil {
		if list, err = svc.CreateList(ctx, viewer, List{Title: title}); err != nil {
			return err
		}
	}
	return svc.AddListMembers(ctx, viewer, list.ID, []int64{target.ID})
}

// localAddress reports whether an account address names this server (or
// no server).
func (svc *Service) localAddress(addr string) bool {
	_, domain, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(addr), "@"), "@")
	return svc.instance.IsLocalDomain(domain)
}

// readImport reads and checks a whole CSV file before any of it is
// applied: rows of the kind's shape, a header row skipped.
func readImport(file io.Reader, kind ImportKind) ([][]string, error) {
	switch kind {
	case ImportFollowing, ImportBlocks, ImportMutes, ImportLists, ImportDomainBlocks:
	default:
		return nil, Errorf(EINVALID, "Validation failed: choose what the file holds: following, blocks, mutes, lists or domain blocks")
	}
	r := csv.NewReader(file)
	r.FieldsPerRecord, r.TrimLeadingSpace, r.ReuseRecord = -1, true, false
	var rows [][]string
	for line := 1; ; line++ {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			return nil, Errorf(EINVALID, "Validation failed: the file is not CSV (line %d: %v)", perr.Line, perr.Err)
		} else if err != nil {
			return nil, err
		}
		for _, cell := range row {
			if err := checkEncoding(fmt.Sprintf("Line %d", line), cell); err != nil {
				return nil, err
			}
		}
		if line == 1 && (strings.EqualFold(strings.TrimSpace(row[0]), "Account address") || strings.EqualFold(strings.TrimSpace(row[0]), "List name")) {
			continue
		}
		if len(row) == 0 || strings.TrimSpace(strings.Join(row, "")) == "" {
			continue
		}
		if kind == ImportLists && (len(row) < 2 || strings.TrimSpace(row[0]) == "" || strings.TrimSpace(row[1]) == "") {
			return nil, Errorf(EINVALID, "Validation failed: line %d: a list file has a list name and an account address on each line", line)
		}
		if len(rows) == MaxImportRows {
			return nil, Errorf(EINVALID, "Validation failed: a file may hold at most %d lines", MaxImportRows)
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, Errorf(EINVALID, "Validation failed: the file holds no accounts")
	}
	return rows, nil
}

func field(row []string, i int) string {
	if i < len(row) {
		return strings.TrimSpace(row[i])
	}
	return ""
}

// csvBool reads Mastodon's "true"/"false" cells; anything else is def.
func csvBool(s string, def bool) bool {
	if v, err := strconv.ParseBool(strings.TrimSpace(s)); err == nil {
		return v
	}
	return def
}

// Export returns viewer's follows, blocks, mutes, list members or domain blocks as rows of
// the CSV files Import reads (and Mastodon writes), header first where
// Mastodon writes one. Addresses carry the domain, so another server can
// read them.
func (svc *Service) Export(ctx context.Context, viewer *Account, kind ImportKind) ([][]string, error) {
	address := func(a *Account) string {
		if a.Domain != "" {
			return a.Username + "@" + a.Domain
		}
		return a.Username + "@" + svc.instance.Domain
	}
	var rows [][]string
	each := func(page func(p Page) ([]AccountRef, error), row func(*Account, AccountRef) []string) error {
		p := Page{Limit: 200}
		for {
			refs, err := page(p)
			if err != nil {
				return err
			}
			accounts, err := svc.refAccounts(ctx, refs)
			if err != nil {
				return err
			}
			byID := map[int64]*Account{}
			for _, a := range accounts {
				byID[a.ID] = a
			}
			for _, r := range refs {
				if a := byID[r.AccountID]; a != nil {
					rows = append(rows, row(a, r))
				}
			}
			if len(refs) < p.Limit {
				return nil
			}
			p.MaxID = refs[len(refs)-1].RowID
		}
	}
	var err error
	switch kind {
	case ImportFollowing:
		rows = append(rows, []string{"Account address", "Show boosts", "Notify on new posts", "Languages"})
		rels := map[int64]*Relationship{}
		err = each(func(p Page) ([]AccountRef, error) {
			refs, err := svc.store.Following(ctx, viewer.ID, p)
			if err == nil && len(refs) > 0 {
				ids := make([]int64, len(refs))
				for i, r := range refs {
					ids[i] = r.AccountID
				}
				var page map[int64]*Relationship
				if page, err = svc.store.Relationships(ctx, viewer.ID, ids); err == nil {
					for id, r := range page {
						rels[id] = r
					}
				}
			}
			return refs, err
		}, func(a *Account, _ AccountRef) []string {
			r := rels[a.ID]
			return []string{address(a), strconv.FormatBool(r == nil || r.ShowingReblogs), strconv.FormatBool(r != nil && r.Notifying), ""}
		})
	case ImportBlocks:
		err = each(func(p Page) ([]AccountRef, error) { return svc.store.Blocks(ctx, viewer.ID, p) },
			func(a *Account, _ AccountRef) []string { return []string{address(a)} })
	case ImportMutes:
		rows = append(rows, []string{"Account address", "Hide notifications"})
		hide := map[int64]bool{}
		err = each(func(p Page) ([]AccountRef, error) {
			mutes, err := svc.store.Mutes(ctx, viewer.ID, p)
			refs := make([]AccountRef, len(mutes))
			for i, m := range mutes {
				refs[i] = m.AccountRef
			}
			if err == nil && len(refs) > 0 {
				var rels map[int64]*Relationship
				ids := make([]int64, len(refs))
				for i, r := range refs {
					ids[i] = r.AccountID
				}
				if rels, err = svc.store.Relationships(ctx, viewer.ID, ids); err == nil {
					for id, r := range rels {
						hide[id] = r.MutingNotifications
					}
				}
			}
			return refs, err
		}, func(a *Account, _ AccountRef) []string { return []string{address(a), strconv.FormatBool(hide[a.ID])} })
	case ImportLists:
		lists, lerr := svc.Lists(ctx, viewer)
		if lerr != nil {
			return nil, lerr
		}
		for _, l := range lists {
			err = each(func(p Page) ([]AccountRef, error) {
				ids, err := svc.store.ListMembers(ctx, l.ID, p)
				refs := make([]AccountRef, len(ids))
				for i, id := range ids {
					refs[i] = AccountRef{RowID: id, AccountID: id}
				}
				return refs, err
			}, func(a *Account, _ AccountRef) []string { return []string{l.Title, address(a)} })
			if err != nil {
				break
			}
		}
	case ImportDomainBlocks:
		p := Page{Limit: 200}
		for {
			blocks, derr := svc.store.DomainBlocks(ctx, viewer.ID, p)
			if derr != nil {
				return nil, derr
			}
			for _, b := range blocks {
				rows = append(rows, []string{b.Domain})
			}
			if len(blocks) < p.Limit {
				break
			}
			p.MaxID = blocks[len(blocks)-1].ID
		}
	default:
		return nil, Errorf(ENOTFOUND, "Record not found")
	}
	return rows, err
}
