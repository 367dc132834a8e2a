package nl.loket.transcript;

/**
 * CSV as spreadsheets read it (RFC 4180, CRLF). A cell that starts with = + - @ (or a tab or carriage return) gets a
 * leading apostrophe, and a cell with a comma or a semicolon (the list separator of a Dutch
 * spreadsheet) is quoted, so that a resident's comment never runs as a formula in the program
 * that opens the export.
 */
public final class Csv {

    private Csv() {
    }

    public static String cell(String value) {
        if (value == null) {
            return "";
        }
        String s = value;
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        // a semicolon too: a spreadsheet set to Dutch splits CSV on it, and "a;=cmd|..." would start a cell with a formula
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
