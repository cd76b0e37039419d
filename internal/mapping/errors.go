package mapping

import (
	"fmt"
	"strings"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// Problem is one thing wrong with one field of one rule, located so that a
// school IT administrator can find and fix it.
type Problem struct {
	Rule  string // rule name; "" for a spec-wide problem
	Field string // e.g. filter, room.name, owners[0].role
	// Line and Column are 1-based positions in the field's text; 0 when
	// the problem is not at a place in the text.
	Line, Column int
	Message      string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Rule != "" {
		fmt.Fprintf(&b, "rule %q: ", p.Rule)
	}
	b.WriteString(p.Field)
	if p.Line > 0 {
		fmt.Fprintf(&b, " %d:%d", p.Line, p.Column)
	}
	b.WriteString(": ")
	b.WriteString(p.Message)
	return b.String()
}

// RuleError is p in the form Mapping status carries.
func (p Problem) RuleError() elevsynkv1.RuleError {
	msg := p.Message
	if p.Line > 0 {
		msg = fmt.Sprintf("%d:%d: %s", p.Line, p.Column, p.Message)
	}
	return elevsynkv1.RuleError{Rule: p.Rule, Field: p.Field, Message: msg}
}

// CompileError lists every problem Compile found, in rule order.
type CompileError struct {
	Problems []Problem
}

func (e *CompileError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "mapping: " + strings.Join(parts, "; ")
}

// RuleErrors gives one entry per rule (status lists them by rule), the
// first problem with a count of the others.
func (e *CompileError) RuleErrors() []elevsynkv1.RuleError {
	return firstPerRule(e.Problems, func(p Problem) (string, elevsynkv1.RuleError) { return p.Rule, p.RuleError() })
}

// EvalError is a rule that failed on one register object during Evaluate.
// Object is a register id (a UUID, not personal data); messages never
// carry names or account keys.
type EvalError struct {
	Rule    string
	Field   string
	Object  string
	Message string
}

func (e EvalError) String() string {
	return fmt.Sprintf("rule %q: %s on %s: %s", e.Rule, e.Field, e.Object, e.Message)
}

// EvaluationError is every EvalError of one Evaluate. When it is returned
// the State is incomplete, and callers keep their last good one.
type EvaluationError struct {
	Errors []EvalError
	// Dropped counts errors beyond the ones kept, so a rule that fails on
	// every one of 20 000 activities does not make a 20 000-line error.
	Dropped int
}

const maxEvalErrors = 50

func (e *EvaluationError) add(x EvalError) {
	if len(e.Errors) < maxEvalErrors {
		e.Errors = append(e.Errors, x)
		return
	}
	e.Dropped++
}

func (e *EvaluationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, x := range e.Errors {
		parts[i] = x.String()
	}
	s := "mapping: evaluation failed: " + strings.Join(parts, "; ")
	if e.Dropped > 0 {
		s += fmt.Sprintf(" (and %d more)", e.Dropped)
	}
	return s
}

// RuleErrors gives one entry per failing rule, for status.
func (e *EvaluationError) RuleErrors() []elevsynkv1.RuleError {
	return firstPerRule(e.Errors, func(x EvalError) (string, elevsynkv1.RuleError) {
		return x.Rule, elevsynkv1.RuleError{Rule: x.Rule, Field: x.Field, Message: x.Object + ": " + x.Message}
	})
}

func firstPerRule[T any](items []T, conv func(T) (string, elevsynkv1.RuleError)) []elevsynkv1.RuleError {
	var out []elevsynkv1.RuleError
	at := map[string]int{}
	more := map[string]int{}
	for _, it := range items {
		rule, re := conv(it)
		if _, seen := at[rule]; seen {
			more[rule]++
			continue
		}
		at[rule] = len(out)
		out = append(out, re)
	}
	for rule, n := range more {
		out[at[rule]].Message += fmt.Sprintf(" (and %d more)", n)
	}
	return out
}
