package mapping

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/ext"
	"github.com/google/cel-go/interpreter"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// filterVars says which CEL variable a rule sees and its native type. Only
// the variable of the rule's from is declared, so `group` in an Activity
// rule is an "undeclared reference" at Compile, not a runtime surprise.
var filterVars = map[elevsynkv1.RegisterObject]struct {
	name string
	typ  reflect.Type
}{
	elevsynkv1.RegisterActivity:     {"activity", reflect.TypeFor[Activity]()},
	elevsynkv1.RegisterGroup:        {"group", reflect.TypeFor[Group]()},
	elevsynkv1.RegisterSchool:       {"school", reflect.TypeFor[School]()},
	elevsynkv1.RegisterOrganisation: {"organisation", reflect.TypeFor[Organisation]()},
}

// filterCostLimit bounds one filter evaluation. Real filters cost tens; the
// limit only stops a pathological one (nested comprehensions over literal
// lists) from stalling a reconcile.
const filterCostLimit = 100_000

// celEnvs builds one environment per register object, sharing the native
// type registrations.
func celEnvs() (map[elevsynkv1.RegisterObject]*cel.Env, error) {
	base, err := cel.NewEnv(
		ext.NativeTypes(reflect.TypeFor[Activity](), reflect.TypeFor[Group](),
			reflect.TypeFor[School](), reflect.TypeFor[Organisation](), ext.ParseStructTags(true)),
		ext.Strings(),
	)
	if err != nil {
		return nil, fmt.Errorf("mapping: CEL environment: %w", err)
	}
	envs := make(map[elevsynkv1.RegisterObject]*cel.Env, len(filterVars))
	for from, v := range filterVars {
		e, err := base.Extend(cel.Variable(v.name, cel.ObjectType("mapping."+v.typ.Name())))
		if err != nil {
			return nil, fmt.Errorf("mapping: CEL environment for %s: %w", from, err)
		}
		envs[from] = e
	}
	return envs, nil
}

// filter is a compiled rule filter; nil means "every object".
type filter struct {
	prg cel.Program
	// boolChecked is false for an expression of type dyn, whose result
	// must be checked at each evaluation.
	boolChecked bool
}

// compileFilter returns the problems with src located at line:column.
func compileFilter(env *cel.Env, rule, src string) (*filter, []Problem) {
	ast, iss := env.Compile(src)
	if iss.Err() != nil {
		var ps []Problem
		for _, e := range iss.Errors() {
			ps = append(ps, Problem{Rule: rule, Field: "filter",
				Line: e.Location.Line(), Column: e.Location.Column() + 1, Message: e.Message})
		}
		return nil, ps
	}
	out := ast.OutputType()
	if !out.IsExactType(types.BoolType) && !out.IsExactType(types.DynType) {
		// Point at the expression's top operator, where its type comes from.
		line, col := 1, 1
		if loc := ast.NativeRep().SourceInfo().GetStartLocation(ast.NativeRep().Expr().ID()); loc.Line() > 0 {
			line, col = loc.Line(), loc.Column()+1
		}
		return nil, []Problem{{Rule: rule, Field: "filter", Line: line, Column: col,
			Message: fmt.Sprintf("the filter must be true or false, but this expression gives %s", out)}}
	}
	prg, err := env.Program(ast, cel.EvalOptions(cel.OptOptimize), cel.CostLimit(filterCostLimit))
	if err != nil {
		return nil, []Problem{{Rule: rule, Field: "filter", Message: err.Error()}}
	}
	return &filter{prg: prg, boolChecked: out.IsExactType(types.BoolType)}, nil
}

// activation hands CEL the one variable of a rule without building a map
// per object.
type activation struct {
	name string
	val  any
}

func (a *activation) ResolveName(n string) (any, bool) {
	if n == a.name {
		return a.val, true
	}
	return nil, false
}

func (a *activation) Parent() interpreter.Activation { return nil }

// filterFailure says what kind of CEL runtime error a filter met, without
// its text: cel-go quotes the values involved ("no such key: <value>",
// a string that failed to convert), and those are register data.
func filterFailure(err error) string {
	msg := err.Error()
	kind := "a runtime error"
	for _, k := range []struct{ prefix, kind string }{
		{"no such key", "a missing map key"},
		{"no such overload", "no function for these argument types"},
		{"division by zero", "a division by zero"},
		{"modulus by zero", "a modulus by zero"},
		{"index out of range", "an index out of range"},
		{"the filter gave", "a result that is not true or false"},
		{"operation cancelled", "the cost limit"},
		{"actual cost limit exceeded", "the cost limit"},
	} {
		if strings.Contains(msg, k.prefix) {
			kind = k.kind
			break
		}
	}
	return "the filter failed on this register object with " + kind + " (the details are not shown: they can quote register data); guard the expression, e.g. with has() or size()"
}

// match evaluates f on the object in act.
func (f *filter) match(act *activation) (bool, error) {
	if f == nil {
		return true, nil
	}
	v, _, err := f.prg.Eval(act)
	if err != nil {
		return false, err
	}
	b, ok := v.Value().(bool)
	if !ok {
		return false, fmt.Errorf("the filter gave %s, not true or false", v.Type().TypeName())
	}
	return b, nil
}
