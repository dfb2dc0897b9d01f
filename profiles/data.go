package profiles

import (
	"gopkg.in/yaml.v3"

	"github.com/loadchaos/loadgen/internal/dataset"
	"github.com/loadchaos/loadgen/internal/placeholder"
	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// readDataFile reads http.data, `data: FILE` or `data: {file: FILE, order:
// ORDER}`; nil when absent. The file is read when the run starts, so a
// profile names it without its being here.
func readDataFile(f *yamlfields.Fields) *DataFile {
	if !f.Has("data") {
		return nil
	}
	d := &DataFile{Order: dataset.Orders[0]}
	if n := yamlfields.Resolve(f.Take("data")); n.Kind == yaml.MappingNode {
		s := f.Section("data")
		s.Require("file", &d.File)
		s.Read("order", &d.Order)
		if _, err := dataset.ParseOrder(d.Order); err != nil {
			s.Fail("order", "%v", err)
		}
		s.Check("file", d.File != "", "must not be empty")
		s.Close()
		return d
	}
	if !f.Read("data", &d.File) {
		return nil
	}
	f.Check("data", d.File != "", "must not be empty: a data file's path, or {file: PATH, order: ORDER}")
	return d
}

// checkBody reports a body's first bad placeholder on its line. Whether a
// {{data.COLUMN}} names a column of the file is known only once the run
// has read it.
func checkBody(f *yamlfields.Fields, body string, withData bool) {
	pieces, err := placeholder.Parse(body)
	if err != nil {
		f.Fail("body", "%v", err)
		return
	}
	for _, p := range pieces {
		if p.Kind == placeholder.Data && !withData {
			f.Fail("body", "{{data.%s}}: no data file: give http.data", p.Text)
			return
		}
	}
}
