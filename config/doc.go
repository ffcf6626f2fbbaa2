// Package config loads and validates pubwatch's YAML configuration.
//
// Loading is strict: defaults come first, then the file, then PUBWATCH_*
// environment variables, and every problem (unknown keys, bad selectors,
// bad regexes, duplicate names…) is reported at once, each naming the source
// and the field. Selectors and regexes are compiled while loading, so the
// rest of the program never sees an invalid one.
package config
