package report

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"time"

	"github.com/elevsynk/elevsynk/internal/atomicfile"
)

// The page is one file with its style, script and data inline: no external
// script or font, so it opens offline and behind any authentication.
var (
	//go:embed assets/report.html
	pageHTML string
	//go:embed assets/report.css
	pageCSS string
	//go:embed assets/report.js
	pageJS string

	page = template.Must(template.New("report").Parse(pageHTML))
)

// WriteJSON writes the report's data, indented.
func WriteJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteHTML writes the report as one self-contained page.
func WriteHTML(w io.Writer, r Report) error {
	// json.Marshal escapes <, > and &, so no value can end the script
	// element it sits in.
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	title := r.DisplayName
	if title == "" {
		title = r.Tenant
	}
	return page.Execute(w, struct {
		Title, Tenant, Generated, Notice string
		CSS                              template.CSS
		JS, Data                         template.JS
	}{title, r.Tenant, r.GeneratedAt.Format(time.RFC3339), r.Notice, template.CSS(pageCSS), template.JS(pageJS), template.JS(data)})
}

// WriteFile writes the report to path with mode 0600, atomically (a temp
// file renamed over it), as HTML or JSON by the name's extension.
func WriteFile(path string, r Report) error {
	write := WriteHTML
	switch filepath.Ext(path) {
	case ".json":
		write = WriteJSON
	case ".html", ".htm":
	default:
		return fmt.Errorf("report %s: the name must end in .html or .json", path)
	}
	if err := atomicfile.Write(path, 0o600, func(w io.Writer) error { return write(w, r) }); err != nil {
		return fmt.Errorf("report %s: %w", path, err)
	}
	return nil
}
