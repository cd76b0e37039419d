// Package export is what every reader of a register's file export shares:
// the error that says where a file is wrong, the text encodings Swedish
// exports come in, and the register objects a file format leaves implicit
// (duties and teaching activities), derived with stable ids.
//
// A reader (imsxml, oneroster, schoolsoft, unikum, csvmap) turns files into
// a roster.Snapshot; a transport (internal/source/fileget) fetches the
// files. Neither knows the other.
package export
