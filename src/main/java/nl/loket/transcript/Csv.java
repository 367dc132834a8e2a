package nl.loket.transcript;

/**
 * CSV as spreadsheets read it (RFC 4180, CRLF). A cell with a comma, a semicolon (the list
 * separator of a Dutch spreadsheet), a quote or a line break is quoted. A formula character
 * (= + - @) gets a leading apostrophe wherever a spreadsheet may start a cell with it: at the
 * start of the cell, and after a semicolon, tab or line break inside it, quotes in between
 * included. Quoting alone does not keep such a text in one cell: a spreadsheet set to Dutch splits
 * the line on semicolons and line breaks, and there a quote counts only as a cell's first character,
 * which a comment in the middle of a line is not. A cell that starts with a tab or a carriage
 * return gets the apostrophe too. So a resident's comment never runs as a formula in the program
 * that opens the export.
 */
public final class Csv {

    /** What a spreadsheet runs as a formula when a cell starts with it. */
    private static final String FORMULA = "=+-@";
    /** After these a spreadsheet that splits on semicolons (or tabs) starts a new cell, quoted text or not. */
    private static final String CELL_BREAKS = ";\t\r\n";

    private Csv() {
    }

    public static String cell(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder defused = new StringBuilder(value.length() + 2);
        boolean cellMayStart = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (cellMayStart && (FORMULA.indexOf(c) >= 0 || i == 0 && (c == '\t' || c == '\r'))) {
                defused.append('\'');
            }
            defused.append(c);
            if (CELL_BREAKS.indexOf(c) >= 0) {
                cellMayStart = true;
            } else if (c != '"') {
                cellMayStart = false;
            }
        }
        String s = defused.toString();
        if (s.indexOf('"') >= 0 || s.indexOf(',') >= 0 || s.indexOf(';') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0) {
            s = '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    public static String row(String... values) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(cell(values[i]));
        }
        return line.append("\r\n").toString();
    }
}
