// Package monitor drives pubwatch's flow for each source: fetch, hash,
// extract, store, diff, and finally the run's reports. It also holds the
// daemon loop that checks sources when the store says they are due.
package monitor
