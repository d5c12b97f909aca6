package starling_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"starling"
	"starling/apptest"
	"starling/datagen"
	"starling/sqldb"
	"starling/text"
)

// benchDir holds the generated benchmark databases; TestMain removes it.
var benchDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

type community struct {
	svc *starling.Service
	res *datagen.Result
	err error
}

var (
	communitiesMu sync.Mutex
	communities   = map[[2]int]*community{}
)

// benchCommunity returns a generated community on SQLite — 10,000 accounts
// following on average 100 others with a power-law tail (the most followed
// has nearly 10,000 followers), and the given number of posts, of whom
// `active` read their home timelines (and so receive fan-out) — made once per
// size and shared by the benchmarks of one run.
func benchCommunity(b *testing.B, posts, active int) (*starling.Service, *datagen.Result) {
	b.Helper()
	communitiesMu.Lock()
	defer communitiesMu.Unlock()
	key := [2]int{posts, active}
	if c := communities[key]; c != nil {
		if c.err != nil {
			b.Fatal(c.err)
		}
		return c.svc, c.res
	}
	c := &community{}
	communities[key] = c
	if benchDir == "" {
		if benchDir, c.err = os.MkdirTemp("", "starling-bench-"); c.err != nil {
			b.Fatal(c.err)
		}
	}
	ctx := context.Background()
	db, err := sqldb.Open(ctx, "", filepath.Join(benchDir, fmt.Sprint(posts, "-", active)))
	if err != nil {
		c.err = err
		b.Fatal(err)
	}
	start := time.Now()
	c.res, c.err = datagen.Fill(ctx, db, datagen.Options{Accounts: 10000, Posts: posts, MeanFollows: 100, Readers: active, Seed: 42})
	if c.err != nil {
		b.Fatal(c.err)
	}
	b.Logf("generated 10000 accounts (%d active), %d follows (max %d followers), %d posts in %v",
		active, c.res.Follows, c.res.MaxFollowers, posts, time.Since(start).Round(time.Millisecond))
	in := apptest.Instance()
	c.svc = starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, nil)
	return c.svc, c.res
}

var benchSizes = []int{10_000, 100_000, 1_000_000}

// benchActive is how many of the 10,000 accounts read their timelines lately.
const benchActive = 2000

// BenchmarkPostStatus measures posting through the use case: validation,
// parsing, one transaction with fan-out to the home timelines of active
// followers (a fifth of the community), fsynced. "typical" posts as an
// account of median popularity; "top" as the most followed account (nearly
// every member follows it).
func BenchmarkPostStatus(b *testing.B) {
	for _, posts := range benchSizes {
		b.Run(fmt.Sprintf("posts=%d", posts), func(b *testing.B) {
			svc, res := benchCommunity(b, posts, benchActive)
			ctx := context.Background()
			for _, who := range []struct {
				name string
				id   int64
			}{{"typical", res.AccountIDs[len(res.AccountIDs)/2]}, {"top", res.AccountIDs[0]}} {
				b.Run("author="+who.name, func(b *testing.B) {
					author, err := svc.Account(ctx, who.id)
					if err != nil {
						b.Fatal(err)
					}
					b.ReportAllocs()
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						if _, err := svc.PostStatus(ctx, author, starling.NewStatus{Text: fmt.Sprintf("Benchmark post %d about #socialcare", i)}); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(author.FollowersCount), "followers")
				})
			}
			// Many members posting at once (a conference hall): 32 concurrent
			// posters, each a different typical account; group commit lets
			// their writes share fsyncs.
			b.Run("authors=32-concurrent", func(b *testing.B) {
				authors := make([]*starling.Account, 32)
				for i := range authors {
					a, err := svc.Account(ctx, res.AccountIDs[len(res.AccountIDs)/2+i])
					if err != nil {
						b.Fatal(err)
					}
					authors[i] = a
				}
				var next atomic.Int64
				b.SetParallelism(16) // 16 × GOMAXPROCS(2) = 32 goroutines
				b.ReportAllocs()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					author := authors[next.Add(1)%32]
					for i := 0; pb.Next(); i++ {
						if _, err := svc.PostStatus(ctx, author, starling.NewStatus{Text: fmt.Sprintf("Parallel post %d about #adassspring", i)}); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		})
	}
}

// BenchmarkHomeTimeline measures reading a page of 20 from the home timeline
// of a random reader (each follows ~100 accounts; the timeline holds 800
// entries), hydrated for output: authors, tags, mentions, viewer flags.
func BenchmarkHomeTimeline(b *testing.B) {
	for _, posts := range benchSizes {
		b.Run(fmt.Sprintf("posts=%d", posts), func(b *testing.B) {
			svc, res := benchCommunity(b, posts, benchActive)
			ctx := context.Background()
			readers := make([]*starling.Account, len(res.ReaderIDs))
			for i, id := range res.ReaderIDs {
				a, err := svc.Account(ctx, id)
				if err != nil {
					b.Fatal(err)
				}
				readers[i] = a
			}
			b.Run("limit=20", func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 2))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					list, err := svc.HomeTimeline(ctx, readers[rng.IntN(len(readers))], starling.Page{Limit: 20})
					if err != nil {
						b.Fatal(err)
					}
					if len(list) == 0 {
						b.Fatal("empty home timeline")
					}
				}
			})
			// The same reads by members who each follow three of the
			// community's busiest hashtags, merged in as the timeline is read.
			b.Run("limit=20,followed-tags=3", func(b *testing.B) {
				tags := []string{"socialcare", "carers", "dementia"}
				for _, r := range readers {
					for _, tag := range tags {
						if _, err := svc.FollowTag(ctx, r, tag); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.Cleanup(func() { // the community is shared with the other benchmarks
					for _, r := range readers {
						for _, tag := range tags {
							_, _ = svc.UnfollowTag(ctx, r, tag)
						}
					}
				})
				rng := rand.New(rand.NewPCG(1, 2))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					list, err := svc.HomeTimeline(ctx, readers[rng.IntN(len(readers))], starling.Page{Limit: 20})
					if err != nil {
						b.Fatal(err)
					}
					if len(list) == 0 {
						b.Fatal("empty home timeline")
					}
				}
			})
		})
	}
}

// BenchmarkPostStatusEveryoneActive is the worst case of fan-out: the most
// followed account (9,991 followers) posts when every member reads their
// timeline, so each post writes nearly 10,000 feed rows.
func BenchmarkPostStatusEveryoneActive(b *testing.B) {
	svc, res := benchCommunity(b, 1_000_000, 10000)
	ctx := context.Background()
	author, err := svc.Account(ctx, res.AccountIDs[0])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := svc.PostStatus(ctx, author, starling.NewStatus{Text: fmt.Sprintf("To everyone %d #adassspring", i)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(author.FollowersCount), "followers")
}
