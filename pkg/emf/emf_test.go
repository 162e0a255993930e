package emf_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/emf"
)

// doc is an EMF line as CloudWatch reads it.
type doc struct {
	AWS struct {
		Timestamp         int64 `json:"Timestamp"`
		CloudWatchMetrics []struct {
			Namespace  string     `json:"Namespace"`
			Dimensions [][]string `json:"Dimensions"`
			Metrics    []struct {
				Name string `json:"Name"`
				Unit string `json:"Unit"`
			} `json:"Metrics"`
		} `json:"CloudWatchMetrics"`
	} `json:"_aws"`
}

func TestEmit(t *testing.T) {
	var buf bytes.Buffer
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	e := emf.New(&buf, "portalpass").WithClock(func() time.Time { return at })
	err := e.Emit(emf.Entry{
		DimensionSets: [][]string{{}, {"Channel"}},
		Dimensions:    map[string]string{"Channel": "sms"},
		Counts:        map[string]float64{"LoginRequested": 2, "DeliveryFailed": 1},
		Properties:    map[string]string{"tenant": "acme"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Emit(emf.Entry{Counts: map[string]float64{"RateLimited": 1}}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one line per flush, got %q", buf.String())
	}
	var d doc
	var root map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &d); err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal([]byte(lines[0]), &root)
	if d.AWS.Timestamp != at.UnixMilli() || len(d.AWS.CloudWatchMetrics) != 1 {
		t.Fatalf("metadata: %s", lines[0])
	}
	dir := d.AWS.CloudWatchMetrics[0]
	if dir.Namespace != "portalpass" || len(dir.Dimensions) != 2 || len(dir.Dimensions[0]) != 0 || dir.Dimensions[1][0] != "Channel" {
		t.Errorf("directive: %s", lines[0])
	}
	if len(dir.Metrics) != 2 || dir.Metrics[0].Name != "DeliveryFailed" || dir.Metrics[1].Name != "LoginRequested" || dir.Metrics[0].Unit != "Count" {
		t.Errorf("metrics: %+v", dir.Metrics)
	}
	if root["LoginRequested"] != 2.0 || root["DeliveryFailed"] != 1.0 || root["Channel"] != "sms" || root["tenant"] != "acme" {
		t.Errorf("values: %s", lines[0])
	}
	for _, set := range dir.Dimensions {
		for _, k := range set {
			if k == "tenant" {
				t.Errorf("tenant is a dimension: %s", lines[0])
			}
		}
	}
	var d2 doc
	_ = json.Unmarshal([]byte(lines[1]), &d2)
	if got := d2.AWS.CloudWatchMetrics[0].Dimensions; len(got) != 1 || len(got[0]) != 0 {
		t.Errorf("an entry without dimensions is one empty set: %s", lines[1])
	}
}

func TestEmitRefuses(t *testing.T) {
	var buf bytes.Buffer
	e := emf.New(&buf, "portalpass")
	for name, en := range map[string]emf.Entry{
		"dimension without value": {DimensionSets: [][]string{{"Channel"}}, Counts: map[string]float64{"X": 1}},
		"name used twice":         {Counts: map[string]float64{"X": 1}, Properties: map[string]string{"X": "y"}},
		"reserved name":           {Counts: map[string]float64{"X": 1}, Properties: map[string]string{"_aws": "y"}},
	} {
		if err := e.Emit(en); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := e.Emit(emf.Entry{}); err != nil {
		t.Errorf("empty entry: %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("refused or empty entries wrote %q", buf.String())
	}
}
