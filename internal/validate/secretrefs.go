package validate

import (
	"fmt"
	"reflect"
	"strings"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// secretRef is one SecretReference in a spec and where it is.
type secretRef struct {
	Path string // e.g. spec.ss12000.auth.oauth2.secretRef
	Name string
}

var secretRefType = reflect.TypeFor[elevsynkv1.SecretReference]()

// secretRefs finds every SecretReference set in spec by walking its type,
// so a field added to the API is checked without a change here.
func secretRefs(spec any) []secretRef {
	var out []secretRef
	walkRefs(reflect.ValueOf(spec), "spec", &out)
	return out
}

func walkRefs(v reflect.Value, path string, out *[]secretRef) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkRefs(v.Elem(), path, out)
		}
	case reflect.Slice:
		for i := range v.Len() {
			walkRefs(v.Index(i), fmt.Sprintf("%s[%d]", path, i), out)
		}
	case reflect.Struct:
		if v.Type() == secretRefType {
			*out = append(*out, secretRef{Path: path, Name: v.Interface().(elevsynkv1.SecretReference).Name})
			return
		}
		for i := range v.NumField() {
			f := v.Type().Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case !f.IsExported() || name == "-":
			case name == "" && f.Anonymous:
				walkRefs(v.Field(i), path, out) // inlined
			case name == "":
				walkRefs(v.Field(i), path+"."+f.Name, out)
			default:
				walkRefs(v.Field(i), path+"."+name, out)
			}
		}
	}
}
