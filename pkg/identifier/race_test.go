//go:build race

package identifier_test

// raceEnabled thins out the slowest sweeps under the race detector.
const raceEnabled = true
