package loadtest

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Edge is a follow between users, by their index in the user list: From follows To.
type Edge struct{ From, To int }

// ZipfFollows builds a follow graph on n users in which each user follows
// min(follows, n-1) others, and the chance of being followed falls with
// popularity rank as 1/(rank+1)^skew: a few users get many followers, most
// get few, as on real social networks. Ranks are a random permutation, so the
// popular users are not always the first ones. The same seed gives the same
// graph. There are no self-follows and no duplicates.
func ZipfFollows(n, follows int, skew float64, seed uint64) []Edge {
	if n < 2 || follows < 1 {
		return nil
	}
	follows = min(follows, n-1)
	rng := rand.New(rand.NewPCG(seed, 0x5a1b))
	rankOf := rng.Perm(n)
	// cum[i] is the total weight of users 0..i, to draw users by binary search.
	cum := make([]float64, n)
	total := 0.0
	for u := range n {
		total += 1 / math.Pow(float64(rankOf[u]+1), skew)
		cum[u] = total
	}
	draw := func() int {
		return min(sort.SearchFloat64s(cum, rng.Float64()*total), n-1)
	}

	edges := make([]Edge, 0, n*follows)
	picked := make(map[int]bool, follows)
	for u := range n {
		clear(picked)
		// Rejection sampling is fast while the wanted users are a small part
		// of the weight; when they are not (follows close to n), fall back to
		// an exact weighted sample of what is left.
		for tries := 0; len(picked) < follows && tries < 50*follows; tries++ {
			if v := draw(); v != u {
				picked[v] = true
			}
		}
		if len(picked) < follows {
			fillWeighted(rng, picked, u, follows, n, func(v int) float64 { return 1 / math.Pow(float64(rankOf[v]+1), skew) })
		}
		targets := make([]int, 0, len(picked))
		for v := range picked {
			targets = append(targets, v)
		}
		slices.Sort(targets) // map order is random; the graph must not be
		for _, v := range targets {
			edges = append(edges, Edge{From: u, To: v})
		}
	}
	return edges
}

// fillWeighted adds users other than self to picked, drawn without
// replacement with probability proportional to weight, until it holds want.
// It uses Efraimidis–Spirakis keys: u^(1/w) for uniform u, highest keys win.
func fillWeighted(rng *rand.Rand, picked map[int]bool, self, want, n int, weight func(int) float64) {
	type keyed struct {
		v   int
		key float64
	}
	var rest []keyed
	for v := range n {
		if v != self && !picked[v] {
			rest = append(rest, keyed{v, math.Pow(rng.Float64(), 1/weight(v))})
		}
	}
	slices.SortFunc(rest, func(a, b keyed) int {
		if a.key != b.key {
			if a.key > b.key {
				return -1
			}
			return 1
		}
		return a.v - b.v
	})
	for _, k := range rest {
		if len(picked) >= want {
			break
		}
		picked[k.v] = true
	}
}

// EdgeList is an undirected graph read from a file.
type EdgeList struct {
	Pairs [][2]int64 // as in the file, self-loops and duplicates included
	Nodes int        // distinct node ids seen
}

// ReadEdgeList reads an edge list: one edge "u v" per line, ids as
// non-negative integers separated by spaces, tabs or a comma. Further columns
// (weights, times) are ignored, as are blank lines and lines starting with
// '%' or '#' (comments in the Network Repository and SNAP formats).
func ReadEdgeList(r io.Reader) (*EdgeList, error) {
	g := &EdgeList{}
	seen := map[int64]bool{}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '%' || text[0] == '#' {
			continue
		}
		f := strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' })
		if len(f) < 2 {
			return nil, fmt.Errorf("line %d: want two node ids, got %q", line, text)
		}
		var p [2]int64
		for i := range p {
			id, err := strconv.ParseInt(f[i], 10, 64)
			if err != nil || id < 0 {
				return nil, fmt.Errorf("line %d: %q is not a node id", line, f[i])
			}
			p[i] = id
			seen[id] = true
		}
		g.Pairs = append(g.Pairs, p)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	g.Nodes = len(seen)
	return g, nil
}

// Follows maps the graph onto n users (node id modulo n) and returns a follow
// each way for every edge, without self-follows or duplicates, in the order
// the edges come.
func (g *EdgeList) Follows(n int) []Edge {
	if n < 2 {
		return nil
	}
	seen := map[Edge]bool{}
	var out []Edge
	add := func(e Edge) {
		if e.From != e.To && !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	for _, p := range g.Pairs {
		a, b := int(p[0]%int64(n)), int(p[1]%int64(n))
		add(Edge{a, b})
		add(Edge{b, a})
	}
	return out
}
