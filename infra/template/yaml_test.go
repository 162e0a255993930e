package template

import (
	"fmt"
	"os"
	"strings"
	"testing"

	yaml "github.com/oasdiff/yaml3"
)

// load reads a CloudFormation template into plain Go values (maps,
// slices, strings, numbers, bools), with the short tags (!Ref, !Sub,
// !GetAtt, !If, ...) turned into their long forms ({"Ref": x},
// {"Fn::Sub": x}, {"Fn::GetAtt": [resource, attribute]}), as
// CloudFormation reads them.
func load(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	v, err := convert(&doc)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: not a mapping", path)
	}
	return m
}

func convert(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return nil, fmt.Errorf("line %d: want one document", n.Line)
		}
		return convert(n.Content[0])
	case yaml.AliasNode:
		return convert(n.Alias)
	}
	var v any
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("line %d: key %q twice", n.Content[i].Line, k)
			}
			x, err := convert(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[k] = x
		}
		v = m
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			x, err := convert(c)
			if err != nil {
				return nil, err
			}
			s = append(s, x)
		}
		v = s
	case yaml.ScalarNode:
		if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
			v = n.Value // a short tag's argument is the text as written
		} else if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %d: %v", n.Line, err)
		}
	default:
		return nil, fmt.Errorf("line %d: unexpected node", n.Line)
	}
	if !strings.HasPrefix(n.Tag, "!") || strings.HasPrefix(n.Tag, "!!") {
		return v, nil
	}
	switch name := strings.TrimPrefix(n.Tag, "!"); name {
	case "Ref", "Condition":
		return map[string]any{name: v}, nil
	case "GetAtt":
		// !GetAtt A.B.C is [A, B.C]: the resource name has no dot.
		if s, ok := v.(string); ok {
			res, attr, _ := strings.Cut(s, ".")
			v = []any{res, attr}
		}
		return map[string]any{"Fn::GetAtt": v}, nil
	default:
		return map[string]any{"Fn::" + name: v}, nil
	}
}

// TestLoad: the short tags come out in their long forms.
func TestLoad(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "t*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(f, "A: !Ref X\nB: !GetAtt F.Version.Version\nC: !If [Cond, !Sub \"${X}:live\", !Ref \"AWS::NoValue\"]\nD: 3\n")
	f.Close()
	m := load(t, f.Name())
	if !same(m["A"], ref("X")) || !same(m["B"], getAtt("F", "Version.Version")) || m["D"] != 3 {
		t.Errorf("load = %v", m)
	}
	c := m["C"].(map[string]any)["Fn::If"].([]any)
	if c[0] != "Cond" || !same(c[1], map[string]any{"Fn::Sub": "${X}:live"}) || !same(c[2], ref("AWS::NoValue")) {
		t.Errorf("If = %v", c)
	}
}

func ref(name string) map[string]any { return map[string]any{"Ref": name} }

func getAtt(res, attr string) map[string]any {
	return map[string]any{"Fn::GetAtt": []any{res, attr}}
}

// same compares two loaded values.
func same(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

// get walks a path of map keys (and slice indexes as ints).
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			s, ok := v.([]any)
			if !ok || k >= len(s) {
				return nil
			}
			v = s[k]
		}
	}
	return v
}

func str(v any, path ...any) string {
	s, _ := get(v, path...).(string)
	return s
}

func list(v any, path ...any) []any {
	s, _ := get(v, path...).([]any)
	return s
}

// strings returns a value that is one string or a list of them as a list.
func stringsOf(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
