package jwtsign_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"math/big"
	"testing"

	"github.com/portalpass/portalpass/pkg/jwtsign"
)

// der encodes r and s as an ASN.1 DER ECDSA signature.
func der(t testing.TB, r, s *big.Int) []byte {
	t.Helper()
	b, err := asn1.Marshal(struct{ R, S *big.Int }{r, s})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDERToRaw(t *testing.T) {
	n := elliptic.P256().Params().N
	nMinus1 := new(big.Int).Sub(n, big.NewInt(1))
	high := new(big.Int).Lsh(big.NewInt(1), 255) // top bit set: DER adds a 0x00 byte
	short := big.NewInt(0x1234)                  // 2 bytes: padded to 32
	tests := []struct {
		name string
		in   []byte
		r, s *big.Int // want; nil: an error
	}{
		{"short r and s", der(t, short, big.NewInt(1)), short, big.NewInt(1)},
		{"31-byte r", der(t, new(big.Int).Lsh(big.NewInt(1), 247), high), new(big.Int).Lsh(big.NewInt(1), 247), high},
		{"top bit set", der(t, high, high), high, high},
		{"n-1", der(t, nMinus1, nMinus1), nMinus1, nMinus1},
		{"r zero", der(t, big.NewInt(0), big.NewInt(1)), nil, nil},
		{"s negative", der(t, big.NewInt(1), big.NewInt(-1)), nil, nil},
		{"r equals n", der(t, n, big.NewInt(1)), nil, nil},
		{"s over 32 bytes", der(t, big.NewInt(1), new(big.Int).Lsh(big.NewInt(1), 300)), nil, nil},
		{"trailing data", append(der(t, big.NewInt(1), big.NewInt(2)), 0), nil, nil},
		{"empty", nil, nil, nil},
		{"not a sequence", []byte{0x02, 0x01, 0x01}, nil, nil},
		{"one integer", []byte{0x30, 0x03, 0x02, 0x01, 0x01}, nil, nil},
		{"three integers", []byte{0x30, 0x09, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01}, nil, nil},
		{"non-minimal integer", []byte{0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01}, nil, nil},
		{"truncated", der(t, high, high)[:20], nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := jwtsign.DERToRaw(tt.in)
			if tt.r == nil {
				if err == nil {
					t.Fatalf("DERToRaw(%x) = %x; want an error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("DERToRaw(%x): %v", tt.in, err)
			}
			want := make([]byte, 64)
			tt.r.FillBytes(want[:32])
			tt.s.FillBytes(want[32:])
			if !bytes.Equal(got, want) {
				t.Errorf("DERToRaw(%x) = %x; want %x", tt.in, got, want)
			}
			back, err := jwtsign.RawToDER(got)
			if err != nil || !bytes.Equal(back, tt.in) {
				t.Errorf("RawToDER(%x) = %x, %v; want %x", got, back, err, tt.in)
			}
		})
	}
}

// TestDERToRawSignatures converts real signatures, many of which have a
// short r or s, and verifies them in raw form.
func TestDERToRawSignatures(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		digest := sha256.Sum256([]byte{byte(i)})
		sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
		if err != nil {
			t.Fatal(err)
		}
		raw, err := jwtsign.DERToRaw(sig)
		if err != nil || len(raw) != 64 {
			t.Fatalf("DERToRaw: %d bytes, %v", len(raw), err)
		}
		r, s := new(big.Int).SetBytes(raw[:32]), new(big.Int).SetBytes(raw[32:])
		if !ecdsa.Verify(&key.PublicKey, digest[:], r, s) {
			t.Fatalf("signature %d does not verify in raw form", i)
		}
	}
}

func TestRawToDERLength(t *testing.T) {
	for _, n := range []int{0, 63, 65} {
		if _, err := jwtsign.RawToDER(make([]byte, n)); err == nil {
			t.Errorf("RawToDER(%d bytes) = nil error; want an error", n)
		}
	}
}

func FuzzDERToRaw(f *testing.F) {
	high := new(big.Int).Lsh(big.NewInt(1), 255)
	f.Add(der(f, big.NewInt(1), big.NewInt(2)))
	f.Add(der(f, high, high))
	f.Add([]byte{0x30, 0x00})
	f.Add([]byte{0x30, 0x80, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, in []byte) {
		raw, err := jwtsign.DERToRaw(in)
		if err != nil {
			return
		}
		if len(raw) != 64 {
			t.Fatalf("DERToRaw(%x) = %d bytes", in, len(raw))
		}
		// Only canonical DER is accepted: it re-encodes to the input.
		back, err := jwtsign.RawToDER(raw)
		if err != nil || !bytes.Equal(back, in) {
			t.Fatalf("RawToDER(DERToRaw(%x)) = %x, %v", in, back, err)
		}
	})
}

func BenchmarkDERToRaw(b *testing.B) {
	high := new(big.Int).Lsh(big.NewInt(1), 255)
	in := der(b, high, big.NewInt(12345))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jwtsign.DERToRaw(in); err != nil {
			b.Fatal(err)
		}
	}
}
