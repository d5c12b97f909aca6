package starling

import (
	"crypto/rand"
	"encoding/binary"
	"strconv"
	"sync"
	"time"
)

// IDs are 64-bit and ordered by creation time: the milliseconds since the
// Unix epoch in the high bits, then 16 bits that keep IDs made in the same
// millisecond apart. Sorting by ID sorts by time, so timelines page with an
// index range scan, and an ID can be made for a past moment (imports, demo data).
const idTimeShift = 16

// IDGenerator makes unique, time-ordered IDs. The low 16 bits start at a
// random value each millisecond, so separate processes writing to the same
// database (a server and the admin command, or several app servers) are very
// unlikely to collide; within one process IDs never repeat and always grow.
// The zero value is ready to use.
type IDGenerator struct {
	mu     sync.Mutex
	lastMS int64
	seq    uint16
	start  uint16
}

// Next returns a new ID for the moment t.
func (g *IDGenerator) Next(t time.Time) int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	ms := t.UnixMilli()
	if ms < g.lastMS {
		ms = g.lastMS // the clock went back; stay monotonic
	}
	if ms == g.lastMS {
		g.seq++
		if g.seq == g.start { // 65536 IDs in this millisecond: borrow the next one
			ms++
			g.lastMS = ms
			g.start = randomUint16() & 0x7fff
			g.seq = g.start
		}
	} else {
		g.lastMS = ms
		g.start = randomUint16() & 0x7fff // leave room to count up within the ms
		g.seq = g.start
	}
	return ms<<idTimeShift | int64(g.seq)
}

// IDTime returns the moment encoded in id.
func IDTime(id int64) time.Time { return time.UnixMilli(id >> idTimeShift).UTC() }

// MinIDAt returns the smallest ID that could have been made at t, for paging by date.
func MinIDAt(t time.Time) int64 { return t.UnixMilli() << idTimeShift }

// ParseID parses an ID as the API renders it (a decimal string). It returns
// 0 and false for anything that is not a positive 64-bit integer.
func ParseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, false
	}
	return id, true
}

// FormatID renders an ID for the API.
func FormatID(id int64) string { return strconv.FormatInt(id, 10) }

func randomUint16() uint16 {
	var b [2]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return binary.LittleEndian.Uint16(b[:])
}
