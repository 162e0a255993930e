// Package config reads a Lambda function's environment into a validated
// Config, and builds the aws.Config its AWS clients use.
//
// Only functions' mains import it: every other package takes its settings
// as constructor arguments. Config.AWS builds the aws.Config from the
// variables Lambda sets, with no file reads and no network, which keeps
// cold starts short (see Config.AWS).
package config
