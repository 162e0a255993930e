package awsjson

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

func cfg(url string) aws.Config {
	return aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "session-token")}
}

// TestCall: a signed JSON POST with the operation's target; the answer
// decoded; a transient failure tried again, a refusal not; the error
// names the code, never the message.
func TestCall(t *testing.T) {
	var calls atomic.Int64
	var fail func(n int64, w http.ResponseWriter) bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if got := r.Header.Get("X-Amz-Target"); got != "TrentService.Encrypt" {
			t.Errorf("X-Amz-Target = %q", got)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
			t.Errorf("Content-Type = %q", ct)
		}
		if a := r.Header.Get("Authorization"); !strings.HasPrefix(a, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") || !strings.Contains(a, "/eu-west-1/kms/aws4_request") {
			t.Errorf("Authorization = %q", a)
		}
		if r.Header.Get("X-Amz-Security-Token") != "session-token" {
			t.Error("no session token")
		}
		b, _ := io.ReadAll(r.Body)
		var in struct{ Plaintext []byte }
		if err := json.Unmarshal(b, &in); err != nil || string(in.Plaintext) != "hello" {
			t.Errorf("body = %s", b)
		}
		if fail != nil && fail(n, w) {
			return
		}
		_, _ = io.WriteString(w, `{"CiphertextBlob":"c2VhbGVk"}`)
	}))
	defer srv.Close()
	c := KMS(cfg(srv.URL))
	in := struct{ Plaintext []byte }{[]byte("hello")}
	var out struct{ CiphertextBlob []byte }
	if err := c.Call(context.Background(), "Encrypt", in, &out); err != nil || string(out.CiphertextBlob) != "sealed" {
		t.Fatalf("Call = %q, %v", out.CiphertextBlob, err)
	}

	calls.Store(0)
	fail = func(n int64, w http.ResponseWriter) bool {
		if n > 2 {
			return false
		}
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"__type":"com.amazonaws.kms#ThrottlingException","message":"Rate exceeded for ana@example.com"}`)
		return true
	}
	if err := c.Call(context.Background(), "Encrypt", in, &out); err != nil || calls.Load() != 3 {
		t.Errorf("throttled twice: %v after %d calls; want success on the third", err, calls.Load())
	}

	calls.Store(0)
	fail = func(_ int64, w http.ResponseWriter) bool {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"__type":"InvalidCiphertextException","message":"bad for ana@example.com"}`)
		return true
	}
	err := c.Call(context.Background(), "Encrypt", in, &out)
	var ae *Error
	if !errors.As(err, &ae) || ae.Code != "InvalidCiphertextException" || ae.Status != 400 || calls.Load() != 1 {
		t.Errorf("refusal: %v after %d calls", err, calls.Load())
	}
	if strings.Contains(err.Error(), "ana@example.com") {
		t.Errorf("the error quotes the message: %v", err)
	}

	calls.Store(0)
	fail = func(_ int64, w http.ResponseWriter) bool {
		w.WriteHeader(http.StatusServiceUnavailable)
		return true
	}
	if err := c.Call(context.Background(), "Encrypt", in, &out); err == nil || calls.Load() != attempts {
		t.Errorf("503s: %v after %d calls; want an error after %d", err, calls.Load(), attempts)
	}
}

// TestEndpoint: the regional endpoint unless overridden.
func TestEndpoint(t *testing.T) {
	if got := SQS(aws.Config{Region: "eu-west-1"}).endpoint; got != "https://sqs.eu-west-1.amazonaws.com" {
		t.Errorf("endpoint = %q", got)
	}
	if got := KMS(aws.Config{Region: "cn-north-1"}).endpoint; got != "https://kms.cn-north-1.amazonaws.com.cn" {
		t.Errorf("endpoint = %q", got)
	}
}
