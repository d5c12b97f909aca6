package starling_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"starling"
	"starling/apptest"
	"starling/datagen"
)

// benchCommunity is a generated community: 10,000 accounts following on
// average 100 others with a power-law tail, and the given number of posts.
func benchCommunity(b *testing.B, posts int) (*starling.Service, *datagen.Result) {
	b.Helper()
	svc, db := apptest.MustService(b, "sqlite", apptest.Instance())
	start := time.Now()
	res, err := datagen.Fill(context.Background(), db, datagen.Options{Accounts: 10000, Posts: posts, MeanFollows: 100, Readers: 200, Seed: 42})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("generated 10000 accounts, %d follows (max %d followers), %d posts in %v", res.Follows, res.MaxFollowers, posts, time.Since(start).Round(time.Millisecond))
	return svc, res
}

var benchSizes = []int{10_000, 100_000, 1_000_000}

// BenchmarkPostStatus measures posting through the use case: validation,
// parsing, one transaction with fan-out to followers' home timelines.
// "typical" posts as an account of median popularity; "top" as the most
// followed account (nearly every member follows it).
func BenchmarkPostStatus(b *testing.B) {
	for _, posts := range benchSizes {
		b.Run(fmt.Sprintf("posts=%d", posts), func(b *testing.B) {
			svc, res := benchCommunity(b, posts)
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
					b.ReportMetric(float64(author.FollowersCount), "followers")
					b.ReportAllocs()
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						if _, err := svc.PostStatus(ctx, author, starling.NewStatus{Text: fmt.Sprintf("Benchmark post %d about #socialcare", i)}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkHomeTimeline measures reading a page of 20 from the home timeline
// of a random reader, hydrated for output (authors, counts, viewer flags).
func BenchmarkHomeTimeline(b *testing.B) {
	for _, posts := range benchSizes {
		b.Run(fmt.Sprintf("posts=%d", posts), func(b *testing.B) {
			svc, res := benchCommunity(b, posts)
			ctx := context.Background()
			readers := make([]*starling.Account, len(res.ReaderIDs))
			for i, id := range res.ReaderIDs {
				a, err := svc.Account(ctx, id)
				if err != nil {
					b.Fatal(err)
				}
				readers[i] = a
			}
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
	}
}
