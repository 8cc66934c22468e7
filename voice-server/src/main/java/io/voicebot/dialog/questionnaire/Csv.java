package io.voicebot.dialog.questionnaire;

import io.voicebot.dialog.DialogException;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV (quotes, doubled quotes, newlines inside quotes); each row keeps the line it starts on. */
final class Csv {
    record Row(int line, List<String> cells) {}

    private Csv() {}

    static List<Row> parse(String source, String text) {
        List<Row> rows = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean cellStarted = false;
        int line = 1;
        int rowLine = 1;
        int quoteLine = 0;
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < t.length() && t.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    cell.append(c);
                }
            } else if (c == '"' && !cellStarted) {
                quoted = true;
                cellStarted = true;
                quoteLine = line;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
                cellStarted = false;
            } else if (c == '\r') {
                // CRLF: the \n ends the row
            } else if (c == '\n') {
                cells.add(cell.toString());
                rows.add(new Row(rowLine, List.copyOf(cells)));
                cells.clear();
                cell.setLength(0);
                cellStarted = false;
                line++;
                rowLine = line;
            } else {
                cell.append(c);
                cellStarted = true;
            }
        }
        if (quoted) {
            throw new DialogException(List.of(source + ": line " + quoteLine + ": quote opened here is never closed"));
        }
        if (cellStarted || !cells.isEmpty() || cell.length() > 0) {
            cells.add(cell.toString());
            rows.add(new Row(rowLine, List.copyOf(cells)));
        }
        return rows;
    }
}
