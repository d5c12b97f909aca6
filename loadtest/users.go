package loadtest

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
)

// User is an account the load acts as.
type User struct {
	Token    string
	ID       string
	Username string
}

// ReadTokens reads access tokens, one a line; blank lines and lines starting
// with '#' are skipped.
func ReadTokens(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		t := strings.TrimSpace(sc.Text())
		if t != "" && !strings.HasPrefix(t, "#") {
			out = append(out, t)
		}
	}
	return out, sc.Err()
}

// WriteTokens writes the users' tokens, one a line, to the file path.
func WriteTokens(path string, users []User) error {
	var b strings.Builder
	for _, u := range users {
		b.WriteString(u.Token + "\n")
	}
	// The tokens are credentials: only the owner may read them.
	return os.WriteFile(path, []byte(b.String()), 0o600)
}

// resolveUsers finds the account behind each token.
func resolveUsers(ctx context.Context, c *Client, tokens []string, workers int) ([]User, error) {
	users := make([]User, len(tokens))
	err := parallel(ctx, len(tokens), workers, func(i int) error {
		a, err := c.VerifyCredentials(ctx, tokens[i])
		if err != nil {
			return fmt.Errorf("token on line %d: %w", i+1, err)
		}
		users[i] = User{Token: tokens[i], ID: a.ID, Username: a.Username}
		return nil
	})
	return users, err
}

// registerUsers creates n accounts through the registration API, as an app
// would: register an app, get an app token, sign up with it.
func registerUsers(ctx context.Context, c *Client, n, workers int) ([]User, error) {
	id, secret, err := c.CreateApp(ctx, "starling bench")
	if err != nil {
		return nil, fmt.Errorf("register app: %w", err)
	}
	appToken, err := c.AppToken(ctx, id, secret)
	if err != nil {
		return nil, fmt.Errorf("app token: %w", err)
	}
	// A random prefix per run, so repeated runs against one server do not
	// collide. Usernames must be at most 30 letters, digits or underscores.
	var b [4]byte
	_, _ = rand.Read(b[:])
	prefix := "bench" + hex.EncodeToString(b[:])
	tokens := make([]string, n)
	err = parallel(ctx, n, workers, func(i int) error {
		name := fmt.Sprintf("%s_%d", prefix, i)
		tok, err := c.CreateAccount(ctx, appToken, name, name+"@bench.example", "bench-password-"+prefix)
		var se *StatusError
		if errors.As(err, &se) && se.Code == http.StatusTooManyRequests {
			return fmt.Errorf("sign up %s: %w (the server limits sign-ups; on Starling run STARLING_RATE_LIMITS=off starling serve --auth-rate 0)", name, err)
		} else if err != nil {
			return fmt.Errorf("sign up %s: %w", name, err)
		}
		tokens[i] = tok
		return nil
	})
	if err != nil {
		return nil, err
	}
	users, err := resolveUsers(ctx, c, tokens, workers)
	if err != nil {
		return nil, fmt.Errorf("new accounts: %w (servers that confirm e-mail first cannot be used with --register)", err)
	}
	return users, nil
}

// parallel calls fn(0) … fn(n-1) on up to workers goroutines and returns the
// first error; after an error, calls not yet started are skipped.
func parallel(ctx context.Context, n, workers int, fn func(i int) error) error {
	var next atomic.Int64
	var once sync.Once
	var first error
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range min(max(workers, 1), max(n, 1)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || failed.Load() || ctx.Err() != nil {
					return
				}
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
					failed.Store(true)
					return
				}
			}
		})
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}
