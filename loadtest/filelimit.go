//go:build linux || darwin

package loadtest

import "syscall"

// raiseFileLimit raises this process's soft limit on open files to at least
// need, as far as the hard limit allows, and returns the limit now in force.
// (Go already raises the soft limit to the hard one at start-up on Linux;
// this covers other systems and says what the limit is.)
func raiseFileLimit(need uint64) (uint64, error) {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return 0, err
	}
	if r.Cur >= need {
		return r.Cur, nil
	}
	r.Cur = min(need, r.Max)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return 0, err
	}
	return r.Cur, nil
}
