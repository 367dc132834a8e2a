package nl.loket.transcript;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTest {

    @Test
    void aFormulaNeverStartsACellWhateverTheSpreadsheetSplitsOn() {
        assertThat(Csv.cell("=1+1")).isEqualTo("'=1+1");
        assertThat(Csv.cell("-2")).isEqualTo("'-2");
        // a Dutch spreadsheet splits on semicolons: quoted, the comment stays one cell
        assertThat(Csv.cell("prima;=cmd|' /C calc'!A0")).isEqualTo("\"prima;=cmd|' /C calc'!A0\"");
        assertThat(Csv.cell("a, \"b\"")).isEqualTo("\"a, \"\"b\"\"\"");
        assertThat(Csv.cell("gewoon goed")).isEqualTo("gewoon goed");
        assertThat(Csv.row("x", null, "1;2")).isEqualTo("x,,\"1;2\"\r\n");
    }
}
