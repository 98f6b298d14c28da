package ropa

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Formats lists the formats Write writes.
func Formats() []string { return []string{"json", "csv", "md", "xlsx"} }

// Write writes the records in a format: json (the records as GraphQL
// answers them), csv (one row per line), md (a document per record) or
// xlsx (one sheet per organisation, as supervisory authorities' templates
// are laid out).
func Write(w io.Writer, r *Records, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "csv":
		return writeCSV(w, r)
	case "md":
		return writeMarkdown(w, r)
	case "xlsx":
		return writeXLSX(w, r)
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats(), ", "))
}

func writeCSV(w io.Writer, r *Records) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return fmt.Errorf("writing the records as CSV: %w", err)
	}
	for _, row := range r.Rows() {
		if err := cw.Write(row.Cells()); err != nil {
			return fmt.Errorf("writing the records as CSV: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeMarkdown(w io.Writer, r *Records) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Records of processing activities (GDPR Art. 30)\n\nAs of %s.\n", r.At.UTC().Format("2006-01-02 15:04 MST"))
	org, record, activity := "", "", ""
	for _, row := range r.Rows() {
		if row.Organisation != org || row.Record != record {
			org, record, activity = row.Organisation, row.Record, ""
			fmt.Fprintf(&b, "\n## %s: %s record\n", org, row.Record)
		}
		if row.Activity != activity {
			activity = row.Activity
			fmt.Fprintf(&b, "\n### %s\n", activity)
		}
		fmt.Fprintf(&b, "- **%s**: %s", row.Field, mdEscape(row.Entry))
		if row.Sources != "" {
			fmt.Fprintf(&b, " <sub>%s</sub>", row.Sources)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscape keeps Markdown from reading a line's text as markup.
func mdEscape(s string) string {
	return strings.NewReplacer("*", `\*`, "_", `\_`, "<", "&lt;", "|", `\|`).Replace(s)
}

// columnWidths are the widths of Header's columns in the spreadsheet.
var columnWidths = []float64{24, 11, 34, 34, 80, 40}

func writeXLSX(w io.Writer, r *Records) error {
	f := excelize.NewFile()
	defer f.Close()
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("writing the records as a spreadsheet: %w", err)
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE4EE"}}})
	if err != nil {
		return fmt.Errorf("writing the records as a spreadsheet: %w", err)
	}
	rows := r.Rows()
	var sheets []string
	for _, row := range rows {
		if !slices.Contains(sheets, row.Organisation) {
			sheets = append(sheets, row.Organisation)
		}
	}
	if len(sheets) == 0 {
		sheets = []string{"Records"}
	}
	next := map[string]int{}
	for i, name := range sheets {
		sheet := sheetName(name)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return fmt.Errorf("writing the records as a spreadsheet: %w", err)
			}
		} else if _, err := f.NewSheet(sheet); err != nil {
			return fmt.Errorf("writing the records as a spreadsheet: %w", err)
		}
		if err := f.SetSheetRow(sheet, "A1", &Header); err != nil {
			return fmt.Errorf("writing the records as a spreadsheet: %w", err)
		}
		last, _ := excelize.ColumnNumberToName(len(Header))
		if err := f.SetCellStyle(sheet, "A1", last+"1", head); err != nil {
			return fmt.Errorf("writing the records as a spreadsheet: %w", err)
		}
		for c, width := range columnWidths {
			col, _ := excelize.ColumnNumberToName(c + 1)
			if err := f.SetColWidth(sheet, col, col, width); err != nil {
				return fmt.Errorf("writing the records as a spreadsheet: %w", err)
			}
		}
		if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return fmt.Errorf("writing the records as a spreadsheet: %w", err)
		}
		next[name] = 2
	}
	for _, row := range rows {
		sheet, n := sheetName(row.Organisation), next[row.Organisation]
		cells := row.Cells()
		values := make([]any, len(cells))
		for i, c := range cells {
			values[i] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := f.SetSheetRow(sheet, cell, &values); err != nil {
			return fmt.Errorf("writing the records as a spreadsheet: %w", err)
		}
		end, _ := excelize.CoordinatesToCellName(len(cells), n)
		if err := f.SetCellStyle(sheet, cell, end, wrap); err != nil {
			return fmt.Errorf("writing the records as a spreadsheet: %w", err)
		}
		next[row.Organisation] = n + 1
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("writing the records as a spreadsheet: %w", err)
	}
	return nil
}

// sheetName makes an organisation's name a valid sheet name: at most 31
// characters, none of : \ / ? * [ ].
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	return s
}
