package loadtest

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"starling/internal/shareddata"
)

// checkFollows fails if edges has self-follows, duplicates or users out of range.
func checkFollows(t *testing.T, edges []Edge, n int) {
	t.Helper()
	seen := map[Edge]bool{}
	for _, e := range edges {
		if e.From == e.To || e.From < 0 || e.To < 0 || e.From >= n || e.To >= n || seen[e] {
			t.Fatalf("bad or repeated follow %+v among %d users", e, n)
		}
		seen[e] = true
	}
}

func inDegrees(edges []Edge, n int) []int {
	in := make([]int, n)
	for _, e := range edges {
		in[e.To]++
	}
	return in
}

func TestZipfFollows(t *testing.T) {
	t.Run("Reproducible", func(t *testing.T) {
		a, b := ZipfFollows(200, 10, 1.1, 42), ZipfFollows(200, 10, 1.1, 42)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Fatalf("same seed, different graphs:\n%s", diff)
		}
		if c := ZipfFollows(200, 10, 1.1, 43); cmp.Equal(a, c) {
			t.Fatal("different seeds gave the same graph")
		}
	})
	t.Run("Skewed", func(t *testing.T) {
		const n, k = 1000, 20
		edges := ZipfFollows(n, k, 1.1, 1)
		checkFollows(t, edges, n)
		if len(edges) != n*k {
			t.Fatalf("%d follows, want %d", len(edges), n*k)
		}
		out := make([]int, n)
		for _, e := range edges {
			out[e.From]++
		}
		if slices.Min(out) != k || slices.Max(out) != k {
			t.Fatalf("out-degrees from %d to %d, want all %d", slices.Min(out), slices.Max(out), k)
		}
		in := inDegrees(edges, n)
		slices.Sort(in)
		top, median := in[n-1], in[n/2]
		if top < 10*max(median, 1) {
			t.Fatalf("top user has %d followers, median %d: want a far more popular top", top, median)
		}
		t.Logf("in-degree: top %d, median %d, minimum %d", top, median, in[0])
	})
	t.Run("FewUsers", func(t *testing.T) {
		// Asking for more follows than there are others means following everyone.
		edges := ZipfFollows(6, 20, 1.1, 1)
		checkFollows(t, edges, 6)
		if len(edges) != 6*5 {
			t.Fatalf("%d follows among 6 users, want all 30", len(edges))
		}
	})
	t.Run("AlmostEveryone", func(t *testing.T) {
		// Heavy skew and follows close to n: rejection sampling alone would stall.
		edges := ZipfFollows(50, 45, 3, 7)
		checkFollows(t, edges, 50)
		if len(edges) != 50*45 {
			t.Fatalf("%d follows, want %d", len(edges), 50*45)
		}
	})
	t.Run("Degenerate", func(t *testing.T) {
		if got := ZipfFollows(1, 5, 1.1, 1); got != nil {
			t.Fatalf("one user: %v", got)
		}
		if got := ZipfFollows(10, 0, 1.1, 1); got != nil {
			t.Fatalf("no follows: %v", got)
		}
	})
}

func TestReadEdgeList(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		g, err := ReadEdgeList(strings.NewReader("% a comment\n# another\n\n1 0\n2\t0 1.5\n3,1\n0 1\n5 5\n"))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&EdgeList{Pairs: [][2]int64{{1, 0}, {2, 0}, {3, 1}, {0, 1}, {5, 5}}, Nodes: 5}, g); diff != "" {
			t.Fatalf("edge list (-want +got):\n%s", diff)
		}
		// Onto 3 users, 3 becomes 0 and 5 becomes 2: every edge is followed
		// both ways, "3,1" and "0 1" repeat "1 0", and "5 5" is a self-loop.
		want := []Edge{{1, 0}, {0, 1}, {2, 0}, {0, 2}}
		if diff := cmp.Diff(want, g.Follows(3)); diff != "" {
			t.Fatalf("follows on 3 users (-want +got):\n%s", diff)
		}
		if got := g.Follows(1); got != nil {
			t.Fatalf("follows on 1 user: %v", got)
		}
	})
	for name, in := range map[string]string{
		"ErrOneColumn": "1 2\n3\n",
		"ErrNotNumber": "1 x\n",
		"ErrNegative":  "-1 2\n",
	} {
		t.Run(name, func(t *testing.T) {
			if g, err := ReadEdgeList(strings.NewReader(in)); err == nil {
				t.Fatalf("accepted %q: %+v", in, g)
			}
		})
	}
}

// TestReadEdgeListReed98 reads a real Facebook friendship graph.
func TestReadEdgeListReed98(t *testing.T) {
	f, err := os.Open(shareddata.Path(t, "socfb-Reed98", "socfb-Reed98.edges"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := ReadEdgeList(f)
	if err != nil {
		t.Fatal(err)
	}
	if g.Nodes != 962 || len(g.Pairs) != 18812 {
		t.Fatalf("%d nodes, %d edges; want 962 and 18,812", g.Nodes, len(g.Pairs))
	}
	follows := g.Follows(962)
	checkFollows(t, follows, 962)
	if len(follows) != 2*18812 {
		t.Fatalf("%d follows, want both directions of every edge: %d", len(follows), 2*18812)
	}
	// Folded onto fewer users, ids collide: still valid, just fewer follows.
	small := g.Follows(100)
	checkFollows(t, small, 100)
	if len(small) == 0 || len(small) > 100*99 {
		t.Fatalf("%d follows among 100 users", len(small))
	}
}
