// Package awsjson calls AWS services that speak the JSON protocol (KMS,
// SQS) with a signed HTTP POST, for the few operations the send queue
// needs (KMS Encrypt and Decrypt, SQS SendMessage).
//
// Why not the SDK's kms and sqs clients: request-login's cold start. Their
// packages build large serialization schemas at program start, linked or
// used or not (GODEBUG=inittrace=1: kms/schemas 2.0 ms, sqs/schemas
// 0.7 ms and their endpoint tables 0.9 ms on the build machine), which put
// request-login near 2x a bare function's cold start (infra/coldstart:
// 1.95-2.3x with them, 1.74x without, the same as before the queue).
// Signing reuses the SDK's SigV4 signer, which the DynamoDB client links
// anyway.
package awsjson

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Limits of one call.
const (
	attempts    = 3                      // tries of a call that failed transiently
	backoff     = 100 * time.Millisecond // before the second try, doubled for the third
	callTimeout = 3 * time.Second        // per try
	maxAnswer   = 1 << 20                // bytes of an answer read
)

// Client calls one service of one region.
type Client struct {
	service  string // signing name and endpoint prefix: "kms", "sqs"
	version  string // JSON protocol version: "1.1" (KMS), "1.0" (SQS)
	prefix   string // X-Amz-Target prefix: "TrentService", "AmazonSQS"
	endpoint string
	creds    aws.CredentialsProvider
	region   string
	http     *http.Client
	signer   *v4.Signer
}

// KMS returns a KMS client for cfg (its Region, Credentials and
// BaseEndpoint, the AWS_ENDPOINT_URL override).
func KMS(cfg aws.Config) *Client { return newClient(cfg, "kms", "1.1", "TrentService") }

// SQS returns an SQS client for cfg.
func SQS(cfg aws.Config) *Client { return newClient(cfg, "sqs", "1.0", "AmazonSQS") }

func newClient(cfg aws.Config, service, version, prefix string) *Client {
	ep := "https://" + service + "." + cfg.Region + ".amazonaws.com"
	if strings.HasPrefix(cfg.Region, "cn-") {
		ep += ".cn"
	}
	if cfg.BaseEndpoint != nil && *cfg.BaseEndpoint != "" {
		ep = *cfg.BaseEndpoint
	}
	return &Client{service: service, version: version, prefix: prefix, endpoint: ep, creds: cfg.Credentials,
		region: cfg.Region, http: &http.Client{}, signer: v4.NewSigner()}
}

// Error is an error answer of the service: its status and error code,
// never its message (which may quote a request).
type Error struct {
	Service   string
	Operation string
	Status    int
	Code      string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d %s", e.Service, e.Operation, e.Status, e.Code)
}

// transient reports whether a try may succeed later.
func (e *Error) transient() bool {
	return e.Status >= 500 || e.Status == 429 || strings.Contains(e.Code, "Throttl") ||
		e.Code == "RequestThrottled" || e.Code == "RequestLimitExceeded"
}

// Call calls operation op with in as the JSON request and decodes the
// answer into out. A transient failure (network, 5xx, throttling) is
// tried again, at most attempts times in all.
func (c *Client) Call(ctx context.Context, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("%s %s: encode: %w", c.service, op, err)
	}
	wait := backoff
	for try := 1; ; try++ {
		err = c.once(ctx, op, body, out)
		var ae *Error
		var ne net.Error
		retry := errors.As(err, &ae) && ae.transient() || errors.As(err, &ne)
		if err == nil || !retry || try == attempts || ctx.Err() != nil {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait *= 2
	}
}

func (c *Client) once(ctx context.Context, op string, body []byte, out any) error {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s %s: %w", c.service, op, err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-"+c.version)
	req.Header.Set("X-Amz-Target", c.prefix+"."+op)
	var creds aws.Credentials
	if c.creds != nil {
		if creds, err = c.creds.Retrieve(ctx); err != nil {
			return fmt.Errorf("%s %s: credentials: %w", c.service, op, err)
		}
	}
	sum := sha256.Sum256(body)
	if err := c.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), c.service, c.region, time.Now().UTC()); err != nil {
		return fmt.Errorf("%s %s: sign: %w", c.service, op, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", c.service, op, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("%s %s: read: %w", c.service, op, err)
	}
	if resp.StatusCode != http.StatusOK {
		return &Error{Service: c.service, Operation: op, Status: resp.StatusCode, Code: errorCode(resp.Header, b)}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s %s: decode: %w", c.service, op, err)
	}
	return nil
}

// errorCode reads the error code of an answer: the JSON __type (after
// its namespace), else the x-amzn-ErrorType header; letters, digits and
// . _ - only.
func errorCode(h http.Header, body []byte) string {
	var e struct {
		Type string `json:"__type"`
	}
	_ = json.Unmarshal(body, &e)
	code := e.Type
	if code == "" {
		code = h.Get("X-Amzn-Errortype")
	}
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	code, _, _ = strings.Cut(code, ":")
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' {
			return r
		}
		return -1
	}, code)
}
