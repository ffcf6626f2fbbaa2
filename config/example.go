package config

import _ "embed"

// Example is the commented example configuration that 'pubwatch init'
// writes. It documents every key.
//
//go:embed example.yaml
var Example string
