package fetch

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Error is a failed fetch. Its message names the URL as configured (with
// ${VAR} placeholders, never secret values) and what went wrong.
type Error struct {
	// URL is the source's display URL.
	URL string
	// Status is the HTTP status of the last attempt, 0 if none arrived.
	Status int
	// RetryAfter is how long the server asked us to wait (429, 503).
	RetryAfter time.Duration
	// Temporary errors (network errors, 5xx, 429) are worth retrying.
	Temporary bool
	// Attempts is how many requests were made.
	Attempts int
	Err      error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("fetching %s: %v", e.URL, e.Err)
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var fe *Error
	ok := errors.As(err, &fe)
	return fe, ok
}

// redactor hides secret values in messages.
type redactor []string

func (r redactor) String(s string) string {
	for _, secret := range r {
		if len(secret) >= 3 {
			s = strings.ReplaceAll(s, secret, "***")
		}
	}
	return s
}

// redactedError keeps an error's chain but hides secrets in its message.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func (r redactor) Error(err error) error {
	if err == nil || len(r) == 0 {
		return err
	}
	msg := r.String(err.Error())
	if msg == err.Error() {
		return err
	}
	return &redactedError{msg: msg, err: err}
}
