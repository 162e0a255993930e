//go:build race

package e164

// raceEnabled thins out the slowest sweeps under the race detector.
const raceEnabled = true
