// Package emf writes metrics in CloudWatch Embedded Metric Format: one
// JSON line per flush on the function's output, which CloudWatch Logs
// turns into metrics with no call to CloudWatch. It knows nothing of
// what is counted (pkg/metrics does).
package emf

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
)

// Entry is one flush: counts that share their dimensions and properties.
type Entry struct {
	// DimensionSets are the sets of dimension keys each metric is
	// published under, each key's value in Dimensions. None is one empty
	// set: the metrics have no dimension (an alarm over every function).
	DimensionSets [][]string
	Dimensions    map[string]string
	// Counts are the metrics, by name, in unit Count.
	Counts map[string]float64
	// Properties are searchable in the log line but are not dimensions:
	// a high-cardinality value (a tenant, a request id) costs nothing here.
	Properties map[string]string
}

// Emitter writes entries to one writer, a line at a time.
type Emitter struct {
	namespace string
	now       func() time.Time
	mu        sync.Mutex
	w         io.Writer
}

// New returns an Emitter writing metrics of namespace to w.
func New(w io.Writer, namespace string) *Emitter {
	return &Emitter{namespace: namespace, now: time.Now, w: w}
}

// WithClock returns e with the clock of its timestamps (tests).
func (e *Emitter) WithClock(now func() time.Time) *Emitter {
	return &Emitter{namespace: e.namespace, now: now, w: e.w}
}

type metric struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

type directive struct {
	Namespace  string     `json:"Namespace"`
	Dimensions [][]string `json:"Dimensions"`
	Metrics    []metric   `json:"Metrics"`
}

type metadata struct {
	Timestamp         int64       `json:"Timestamp"`
	CloudWatchMetrics []directive `json:"CloudWatchMetrics"`
}

// Emit writes en as one EMF line. An entry with no count writes nothing.
// A name used twice (a metric, a dimension, a property) or a dimension
// set naming a key without a value is an error, written nowhere.
func (e *Emitter) Emit(en Entry) error {
	if len(en.Counts) == 0 {
		return nil
	}
	root := make(map[string]any, len(en.Counts)+len(en.Dimensions)+len(en.Properties)+1)
	put := func(k string, v any) error {
		if _, dup := root[k]; dup || k == "_aws" || k == "" {
			return fmt.Errorf("emf: name %q used twice", k)
		}
		root[k] = v
		return nil
	}
	d := directive{Namespace: e.namespace, Dimensions: en.DimensionSets}
	if len(d.Dimensions) == 0 {
		d.Dimensions = [][]string{{}}
	}
	for _, set := range d.Dimensions {
		if len(set) > 30 {
			return errors.New("emf: more than 30 dimensions in a set")
		}
		for _, k := range set {
			if en.Dimensions[k] == "" {
				return fmt.Errorf("emf: dimension %q has no value", k)
			}
		}
	}
	for k, v := range en.Dimensions {
		if err := put(k, v); err != nil {
			return err
		}
	}
	for k, v := range en.Properties {
		if err := put(k, v); err != nil {
			return err
		}
	}
	for name, v := range en.Counts {
		if err := put(name, v); err != nil {
			return err
		}
		d.Metrics = append(d.Metrics, metric{Name: name, Unit: "Count"})
	}
	// Map order is random: a line reads the same every time.
	slices.SortFunc(d.Metrics, func(a, b metric) int { return strings.Compare(a.Name, b.Name) })
	root["_aws"] = metadata{Timestamp: e.now().UnixMilli(), CloudWatchMetrics: []directive{d}}
	b, err := json.Marshal(root)
	if err != nil {
		return fmt.Errorf("emf: %w", err)
	}
	b = append(b, '\n')
	e.mu.Lock()
	defer e.mu.Unlock()
	_, err = e.w.Write(b)
	return err
}
