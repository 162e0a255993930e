package dynamo

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// TestCallsCountsOperations: an operation is one call, however many
// attempts the SDK's retryer makes of it (the server sees each).
func TestCallsCountsOperations(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"try again"}`))
	}))
	defer srv.Close()
	var calls Calls
	db := dynamodb.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
	}, func(o *dynamodb.Options) {
		o.APIOptions = append(o.APIOptions, calls.Add)
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = 3
			so.Backoff = noBackoff{}
		})
	})
	_, err := New(db, "t").GetTenant(t.Context(), "acme")
	if err == nil {
		t.Fatal("GetTenant against a failing server succeeded")
	}
	if got := hits.Load(); got != 3 {
		t.Errorf("the server saw %d attempts; want 3 (the retryer's)", got)
	}
	if got := calls.Count("GetItem"); got != 1 {
		t.Errorf("counted %d GetItem calls; want 1", got)
	}
	if got := calls.Total(); got != 1 {
		t.Errorf("Total = %d; want 1", got)
	}
	calls.Reset()
	if got := calls.Snapshot(); len(got) != 0 || calls.Total() != 0 {
		t.Errorf("after Reset: %v, %d; want nothing", got, calls.Total())
	}
}
