// Package fileget fetches a register's file export from where a
// FileSource says it is: an HTTPS URL, an SFTP server, or a path on a
// mounted volume. It hands the files to a reader as an fs.FS (a zip file
// is opened as one) and says whether the export changed since the last
// fetch, so an unchanged export is not read again:
//
//   - HTTPS: the ETag or Last-Modified of the last fetch goes out as
//     If-None-Match or If-Modified-Since, and 304 Not Modified means
//     unchanged (RFC 9110 §13.1.1, §13.1.3); a server that sends neither
//     is compared by the content's SHA-256.
//   - SFTP and a volume: the names, sizes and modification times of the
//     files.
//
// A file that is still being written must not be read as the export: a
// download shorter than its Content-Length is an error (net/http reports
// it), and a file on a volume or SFTP server whose size or modification
// time changes between the listing before the read and the one after is an
// error (Export.Verify).
package fileget
