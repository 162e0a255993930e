package e164

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   string // "": an error
		region string
	}{
		{"US", "+14155550123", "+14155550123", "US"},
		{"Canada by patterns", "+16135550123", "+16135550123", "CA"},
		{"Antigua by leading digits", "+12684601234", "+12684601234", "AG"},
		{"Dominican Republic", "+18095551234", "+18095551234", "DO"},
		{"UK", "+442079460000", "+442079460000", "GB"},
		{"UK trunk prefix dropped", "+4402079460000", "+442079460000", "GB"},
		{"UK mobile", "+447924123456", "+447924123456", "GB"},
		{"Guernsey", "+441481256789", "+441481256789", "GG"},
		{"Isle of Man", "+441624756789", "+441624756789", "IM"},
		{"Germany trunk prefix dropped", "+4903012345678", "+493012345678", "DE"},
		{"Germany mobile", "+4915112345678", "+4915112345678", "DE"},
		{"Italy keeps its zero", "+390612345678", "+390612345678", "IT"},
		{"Vatican", "+390669812345", "+390669812345", "VA"},
		{"Kazakhstan", "+77012345678", "+77012345678", "KZ"},
		{"Russia", "+74951234567", "+74951234567", "RU"},
		{"Argentina mobile", "+5491112345678", "+5491112345678", "AR"},
		{"Argentina mobile, national 0 and 15", "+540111512345678", "+5491112345678", "AR"},
		{"France trunk prefix dropped", "+330612345678", "+33612345678", "FR"},
		{"Japan trunk prefix dropped", "+810312345678", "+81312345678", "JP"},
		{"international freephone", "+80012345678", "+80012345678", "001"},

		{"empty", "", "", ""},
		{"plus only", "+", "", ""},
		{"no plus", "14155550123", "", ""},
		{"space", "+1 4155550123", "", ""},
		{"letter", "+1415555012a", "", ""},
		{"too short after plus", "+12", "", ""},
		{"code only", "+441", "", ""},
		{"zero code", "+04155550123", "", ""},
		{"unknown code", "+9991234567", "", ""},
		{"US too short", "+1415555012", "", ""},
		{"US too long", "+141555501234", "", ""},
		{"US area code 0", "+10155550123", "", ""},
		{"UIFN wrong length", "+97912345678", "", ""},
		{"Brazil too long", "+5501121200000000", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, region, err := validate(tt.in)
			if got != tt.want || (tt.want != "" && region != tt.region) {
				t.Errorf("validate(%q) = %q, %q, %v; want %q, %q", tt.in, got, region, err, tt.want, tt.region)
			}
			if tt.want == "" {
				if code := login.ErrorCode(err); code != login.CodeInvalidIdentifier {
					t.Errorf("validate(%q) code = %q; want %q (%v)", tt.in, code, login.CodeInvalidIdentifier, err)
				}
				return
			}
			if again, err := Validate(got); again != got || err != nil {
				t.Errorf("Validate(%q) = %q, %v; want it unchanged", got, again, err)
			}
		})
	}
}

// TestCompiles compiles every expression in the tables, so none can
// panic at run time.
func TestCompiles(t *testing.T) {
	seen := make([]bool, slotCount)
	use := func(p pattern) {
		if p.expr == "" {
			return
		}
		if seen[p.slot] && compiled[p.slot].re.String() != p.expr {
			t.Errorf("slot %d holds %q and %q", p.slot, compiled[p.slot].re, p.expr)
		}
		p.re()
		seen[p.slot] = true
	}
	for i, c := range countries {
		if i > 0 && countries[i-1].code >= c.code {
			t.Errorf("countries not sorted at +%d", c.code)
		}
		use(c.prefix)
		for _, r := range c.regions {
			use(r.lead)
			use(r.general)
			for _, d := range r.types {
				use(d.pattern)
			}
		}
	}
	for slot, ok := range seen {
		if !ok {
			t.Errorf("slot %d unused", slot)
		}
	}
}

// TestNoLibrary checks the package builds without the phone-number
// library, whose start-up cost is what it exists to avoid.
func TestNoLibrary(t *testing.T) {
	goTool := goTool(t)
	out, err := exec.Command(goTool, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/portalpass/portalpass/pkg/identifier") {
		t.Fatalf("go list -deps lists no pkg/identifier:\n%s", out)
	}
	for _, dep := range deps {
		if strings.Contains(dep, "nyaruka/phonenumbers") || strings.Contains(dep, "protobuf") {
			t.Errorf("package e164 depends on %s", dep)
		}
	}
}

// TestTablesUpToDate checks tables.go is what the generator writes now.
func TestTablesUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	goTool := goTool(t)
	out := filepath.Join(t.TempDir(), "tables.go")
	if msg, err := exec.Command(goTool, "run", "./internal/gen", "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("go run ./internal/gen: %v\n%s", err, msg)
	}
	got, err := os.ReadFile("tables.go")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("tables.go is stale: run go generate ./pkg/identifier/e164/")
	}
}

func goTool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	return p
}

func ExampleValidate() {
	for _, num := range []string{"+4402079460000", "+14155550123", "+1415555012"} {
		e164, err := Validate(num)
		if err != nil {
			fmt.Println(num, "refused:", login.ErrorCode(err))
			continue
		}
		fmt.Println(num, "is", e164)
	}
	// Output:
	// +4402079460000 is +442079460000
	// +14155550123 is +14155550123
	// +1415555012 refused: invalid_identifier
}

// BenchmarkValidate measures a number's first call (its expressions not
// yet compiled) and warm calls.
func BenchmarkValidate(b *testing.B) {
	for _, bb := range []struct{ name, in string }{
		{"US", "+14155550123"},
		{"UK", "+4402079460000"},
		{"DE", "+4915112345678"},
	} {
		b.Run(bb.name+"/first", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				compiled = [slotCount]lazyRegexp{}
				if _, err := Validate(bb.in); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bb.name+"/warm", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Validate(bb.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestConcurrentFirstUse validates from many goroutines while the
// expressions are still being compiled (run it with -race).
func TestConcurrentFirstUse(t *testing.T) {
	compiled = [slotCount]lazyRegexp{}
	nums := map[string]string{
		"+14155550123": "+14155550123", "+16135550123": "+16135550123",
		"+4402079460000": "+442079460000", "+4915112345678": "+4915112345678",
		"+540111512345678": "+5491112345678", "+1415555012": "",
	}
	done := make(chan error)
	for range 8 {
		go func() {
			for in, want := range nums {
				if got, _ := Validate(in); got != want {
					done <- fmt.Errorf("Validate(%q) = %q; want %q", in, got, want)
					return
				}
			}
			done <- nil
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
