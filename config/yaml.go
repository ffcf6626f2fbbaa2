package config

import (
	"github.com/go-viper/mapstructure/v2"
	"go.yaml.in/yaml/v3"
)

type mapstructureConfig = mapstructure.DecoderConfig

func yamlUnmarshal(data []byte, v any) error { return yaml.Unmarshal(data, v) }
