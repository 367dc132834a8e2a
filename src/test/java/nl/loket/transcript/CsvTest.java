package nl.loket.transcript;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTest {

    @Test
    void aFormulaNeverStartsACellWhateverTheSpreadsheetSplitsOn() {
        assertThat(Csv.cell("=1+1")).isEqualTo("'=1+1");
        assertThat(Csv.cell("-2")).isEqualTo("'-2");
        // a Dutch spreadsheet splits on semicolons, where a quote in the middle of its cell is no quote: defused there too
        assertThat(Csv.cell("prima;=cmd|' /C calc'!A0")).isEqualTo("\"prima;'=cmd|' /C calc'!A0\"");
        assertThat(Csv.cell("a, \"b\"")).isEqualTo("\"a, \"\"b\"\"\"");
        assertThat(Csv.cell("gewoon goed")).isEqualTo("gewoon goed");
        assertThat(Csv.cell("a - b; c")).isEqualTo("\"a - b; c\"");
        assertThat(Csv.row("x", null, "1;2")).isEqualTo("x,,\"1;2\"\r\n");
    }

    /**
     * A resident's comment in the ratings export, read as a spreadsheet set to Dutch reads a CSV
     * file: split on semicolons and line breaks, a quote being a quote only as a cell's first
     * character. The comment sits mid-line, after "id,topic,score,", so its own quotes are no
     * quotes there: a semicolon or a line break in it starts a new cell, which must not be a formula.
     */
    @Test
    void aCommentCannotStartAFormulaCellInASpreadsheetThatSplitsOnSemicolons() {
        List<String> comments = List.of(
                "prima;=cmd|' /C calc'!A0;",
                "ok\n=1+1;",
                "ok\r\n+1;",
                "a;@SUM(1);",
                "a;-1;",
                "a;\"=1+1\";",
                "a\t=1+1;");
        for (String comment : comments) {
            String line = Csv.row("3ad3034b-242d-4549-9c76-fd612bd14378", "paspoort-id", "1", comment,
                    "2026-12-06T14:03:17Z", "Anne");
            for (char separator : new char[] {',', ';', '\t'}) {
                assertThat(cells(line, separator)).as("%s split on '%s'", comment, separator)
                        .noneMatch(cell -> !cell.isEmpty() && "=+-@".indexOf(cell.charAt(0)) >= 0);
            }
        }
    }

    /** The cells of {@code csv} as a spreadsheet splits them on {@code separator} and line breaks. */
    private static List<String> cells(String csv, char separator) {
        List<String> cells = new ArrayList<>();
        int i = 0;
        while (i < csv.length()) {
            StringBuilder cell = new StringBuilder();
            if (csv.charAt(i) == '"') {
                for (i++; i < csv.length(); i++) {
                    char c = csv.charAt(i);
                    if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (c == '"') {
                        i++;
                        break;
                    } else {
                        cell.append(c);
                    }
                }
            }
            for (; i < csv.length() && csv.charAt(i) != separator && csv.charAt(i) != '\r' && csv.charAt(i) != '\n'; i++) {
                cell.append(csv.charAt(i));
            }
            cells.add(cell.toString());
            if (i < csv.length() && csv.charAt(i) == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                i++;
            }
            i++;
        }
        return cells;
    }
}
