package sqldb

import (
	"sync"
	"time"

	"starling"
)

// Timeline reads fetch the same statuses and authors again and again, and
// turning rows into Go values is most of their cost. Reads outside
// transactions therefore go through small in-process caches of statuses and
// accounts. Writes in this process evict what they change once they commit;
// writes by other processes (a second app server, the admin command) are seen
// within cacheTTL. Reads inside transactions never use the caches.
const (
	cacheTTL         = 2 * time.Second
	maxCachedStatus  = 20000
	maxCachedAccount = 10000
)

// rowCache holds copies of rows by ID for a short time.
type rowCache[V any] struct {
	mu    sync.Mutex
	max   int
	ttl   time.Duration
	items map[int64]cached[V]
	// epoch counts evictions. A read that began before an eviction may hold
	// the old row, so it is not cached (see put).
	epoch uint64
}

type cached[V any] struct {
	v  V
	at time.Time
}

func newRowCache[V any](max int) *rowCache[V] {
	return &rowCache[V]{max: max, ttl: cacheTTL, items: map[int64]cached[V]{}}
}

// lookup returns the fresh cached values among ids, the IDs it lacks, and
// the epoch to hand to put with the rows read for the missing ones.
func (c *rowCache[V]) lookup(ids []int64, now time.Time) (hits map[int64]V, misses []int64, epoch uint64) {
	hits = make(map[int64]V, len(ids))
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		if it, ok := c.items[id]; ok && now.Sub(it.at) < c.ttl {
			hits[id] = it.v
		} else {
			misses = append(misses, id)
		}
	}
	return hits, misses, c.epoch
}

// put stores values read from the database, unless something was evicted
// since the read began, in which case the values may already be stale.
func (c *rowCache[V]) put(vals map[int64]V, epoch uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch != c.epoch {
		return
	}
	if len(c.items)+len(vals) > c.max {
		// Full: drop an arbitrary tenth. Hot rows come back at once.
		n := len(c.items) / 10
		for id := range c.items {
			if n <= 0 {
				break
			}
			delete(c.items, id)
			n--
		}
	}
	for id, v := range vals {
		c.items[id] = cached[V]{v, now}
	}
}

// evict forgets ids; with no ids it forgets everything.
func (c *rowCache[V]) evict(ids []int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	if ids == nil {
		c.items = map[int64]cached[V]{}
		return
	}
	for _, id := range ids {
		delete(c.items, id)
	}
}

// caches are the row caches of one database.
type caches struct {
	statuses *rowCache[starling.Status]
	accounts *rowCache[starling.Account]
	apps     appCache
}

func newCaches() *caches {
	return &caches{statuses: newRowCache[starling.Status](maxCachedStatus), accounts: newRowCache[starling.Account](maxCachedAccount),
		apps: appCache{m: map[int64]*starling.Application{}}}
}

// appCache keeps applications, which never change once registered. It is
// bounded by the number of apps that post, and apps are few.
type appCache struct {
	mu sync.RWMutex
	m  map[int64]*starling.Application
}

// get copies the cached apps among ids into out and returns the IDs it lacks.
func (c *appCache) get(ids []int64, out map[int64]*starling.Application) (missing []int64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, id := range ids {
		if a, ok := c.m[id]; ok {
			cp := *a
			out[id] = &cp
		} else {
			missing = append(missing, id)
		}
	}
	return missing
}

func (c *appCache) put(a *starling.Application) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) < maxCachedAccount {
		cp := *a
		c.m[a.ID] = &cp
	}
}

// touched collects, during a transaction, the rows it changed, to evict
// from the caches after the commit. all means evict everything.
type touched struct {
	statuses []int64
	accounts []int64
	all      bool
}

func (t *touched) status(ids ...int64) {
	if t != nil {
		t.statuses = append(t.statuses, ids...)
	}
}

func (t *touched) account(ids ...int64) {
	if t != nil {
		t.accounts = append(t.accounts, ids...)
	}
}

// evict applies what a committed (or rolled back: evicting more is harmless)
// transaction touched.
func (c *caches) evict(t *touched) {
	switch {
	case t.all:
		c.statuses.evict(nil)
		c.accounts.evict(nil)
	default:
		if len(t.statuses) > 0 {
			c.statuses.evict(t.statuses)
		}
		if len(t.accounts) > 0 {
			c.accounts.evict(t.accounts)
		}
	}
}

// Evictions names rows a write changed, for the caches of other servers
// sharing the database: without them, another server would show the old
// rows for up to cacheTTL.
type Evictions struct {
	Statuses []int64 `json:"s,omitempty"`
	Accounts []int64 `json:"a,omitempty"`
	All      bool    `json:"all,omitempty"`
}

func (e Evictions) empty() bool { return !e.All && len(e.Statuses)+len(e.Accounts) == 0 }

// OnEvict has fn told, after every commit, which cached rows it changed.
// Call it before the store is used concurrently.
func (db *DB) OnEvict(fn func(Evictions)) { db.onEvict = fn }

// Evict forgets rows another server changed.
func (db *DB) Evict(e Evictions) {
	t := &touched{statuses: e.Statuses, accounts: e.Accounts, all: e.All}
	db.rows.evict(t)
	for _, r := range db.replicas {
		r.rows.evict(t)
	}
}

// evicted evicts what a transaction touched here and tells others.
func (db *DB) evicted(t *touched) {
	db.rows.evict(t)
	for _, r := range db.replicas {
		r.rows.evict(t)
	}
	if e := (Evictions{Statuses: t.statuses, Accounts: t.accounts, All: t.all}); db.onEvict != nil && !e.empty() {
		db.onEvict(e)
	}
}
