package starling

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// A member's archive (UK GDPR's rights of access and portability) is a zip
// of JSON files, one per kind of data Starling holds about them, their
// media files under media/, and an index.html and posts.html to browse
// offline. It is streamed as it is built: the data is read a page at a
// time, so memory stays bounded however much the member posted.

// ArchiveStore reads what archives and subject-access lookups need beyond
// the other stores.
type ArchiveStore interface {
	// ArchiveStatusIDs returns up to limit IDs of the account's statuses
	// (reblogs and direct messages included) below maxID (0: from the newest), newest first.
	ArchiveStatusIDs(ctx context.Context, accountID, maxID int64, limit int) ([]int64, error)
	// ArchiveStatuses reads statuses by ID like Statuses, but past the row
	// cache: a member's whole history, read once, must not push out the
	// rows everyone is reading.
	ArchiveStatuses(ctx context.Context, ids []int64) (map[int64]*Status, error)
	// SentFollowRequests pages through the follow requests the account sent.
	SentFollowRequests(ctx context.Context, accountID int64, p Page) ([]AccountRef, error)
	// AccountReports lists, newest first, the reports the account filed or,
	// with about, the reports about it.
	AccountReports(ctx context.Context, accountID int64, about bool, limit int) ([]*Report, error)
	// AuditEntriesFor lists, newest first, the audit entries about a target.
	AuditEntriesFor(ctx context.Context, targetType string, targetID int64, limit int) ([]*AuditEntry, error)
	// MentioningStatusIDs returns, newest first, statuses by others that mention the account.
	MentioningStatusIDs(ctx context.Context, accountID int64, limit int) ([]int64, error)
	// AccountDataCounts counts the rows of each kind that belong to or
	// name the account, keyed by a short name ("statuses", "favourites", …).
	AccountDataCounts(ctx context.Context, accountID int64) (map[string]int, error)
	// AccountPollVotes returns the account's poll votes, oldest first.
	AccountPollVotes(ctx context.Context, accountID int64, limit int) ([]ArchiveVote, error)
	// StartArchiveDownload records a download at at, unless the account
	// had one after notBefore: then it returns false and records nothing.
	StartArchiveDownload(ctx context.Context, accountID int64, at, notBefore time.Time) (bool, error)
}

// ArchiveInterval is how often a member may download their archive: it
// reads everything they ever posted, so a tight loop of downloads would
// load the server for nothing.
const ArchiveInterval = 10 * time.Minute

// archivePage is how many rows the archive reads at a time.
const archivePage = 200

// ArchiveWriter writes an archive to w.
type ArchiveWriter func(w io.Writer) error

// DownloadArchive lets a member download their own archive, once per
// ArchiveInterval (ERATELIMITED otherwise). It returns the writer that
// streams it, so the caller can send headers first.
func (svc *Service) DownloadArchive(ctx context.Context, a *Account, u *User) (ArchiveWriter, error) {
	if a == nil || u == nil || u.AccountID != a.ID {
		return nil, Errorf(EUNAUTHORIZED, "This action requires a signed-in user")
	}
	now := svc.now()
	var ok bool
	err := svc.store.Update(ctx, func(tx Tx) (err error) {
		ok, err = tx.StartArchiveDownload(ctx, a.ID, now, now.Add(-ArchiveInterval))
		return err
	})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, Errorf(ERATELIMITED, "You downloaded your archive a few minutes ago; try again in %d minutes", int(ArchiveInterval/time.Minute))
	}
	return svc.archiveWriter(ctx, a.ID), nil
}

// ArchiveFileName is the name the archive of a is offered under.
func ArchiveFileName(a *Account, at time.Time) string {
	return "starling-archive-" + a.Username + "-" + at.UTC().Format("20060102") + ".zip"
}

// archiveWriter returns the writer of the archive of accountID. The
// archive is built from the primary store, so it holds what was last
// written.
func (svc *Service) archiveWriter(ctx context.Context, accountID int64) ArchiveWriter {
	return func(w io.Writer) error {
		z := zip.NewWriter(w)
		ar := &archive{svc: svc, q: svc.store, z: z, accountID: accountID, at: svc.now()}
		if err := ar.write(ctx); err != nil {
			return err
		}
		return z.Close()
	}
}

// archive is one archive being written.
type archive struct {
	svc       *Service
	q         Tx
	z         *zip.Writer
	accountID int64
	at        time.Time
	account   *Account
	user      *User
	files     []archiveFile // what index.html lists
	media     int           // how many media files
	posts     int           // how many posts
}

type archiveFile struct{ name, about string }

// create starts a file in the zip, noting it for the index.
func (ar *archive) create(name, about string) (io.Writer, error) {
	if about != "" {
		ar.files = append(ar.files, archiveFile{name, about})
	}
	return ar.z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: ar.at})
}

// writeJSON writes one JSON file holding v.
func (ar *archive) writeJSON(name, about string, v any) error {
	w, err := ar.create(name, about)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// jsonList writes a JSON array whose elements come a page at a time.
type jsonList struct {
	w   io.Writer
	n   int
	err error
}

func (ar *archive) startList(name, about string) (*jsonList, error) {
	w, err := ar.create(name, about)
	if err != nil {
		return nil, err
	}
	_, err = io.WriteString(w, "[")
	return &jsonList{w: w}, err
}

func (l *jsonList) add(v any) error {
	if l.err != nil {
		return l.err
	}
	b, err := json.MarshalIndent(v, "  ", "  ")
	if err != nil {
		l.err = err
		return err
	}
	sep := ",\n  "
	if l.n == 0 {
		sep = "\n  "
	}
	l.n++
	if _, l.err = io.WriteString(l.w, sep); l.err == nil {
		_, l.err = l.w.Write(b)
	}
	return l.err
}

func (l *jsonList) close() error {
	if l.err != nil {
		return l.err
	}
	_, err := io.WriteString(l.w, "\n]\n")
	return err
}

func (ar *archive) write(ctx context.Context) error {
	var err error
	if ar.account, err = ar.q.Account(ctx, ar.accountID); err != nil {
		return err
	}
	if ar.user, err = ar.q.User(ctx, ar.accountID); err != nil {
		return err
	}
	steps := []func(context.Context) error{
		ar.writeAccount, ar.writePosts, ar.writeRelations, ar.writeLists, ar.writeInteractions,
		ar.writeSettings, ar.writeModeration, ar.writeReports, ar.writeSessions, ar.writeNotifications, ar.writeVotes, ar.writeMedia, ar.writePostsHTML, ar.writeIndex,
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := step(ctx); err != nil {
			return fmt.Errorf("archive: %w", err)
		}
	}
	return nil
}
