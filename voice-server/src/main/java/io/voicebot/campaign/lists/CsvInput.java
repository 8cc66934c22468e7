package io.voicebot.campaign.lists;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A CSV file as people export it: UTF-8 with or without BOM, or Windows-1252 (what Excel writes on Western
 * Windows; Latin-1 is a subset of it for printable text). One pass over the bytes decides: valid UTF-8 is UTF-8,
 * anything else Windows-1252, and a byte Windows-1252 leaves undefined is an error naming its line rather than
 * a character silently replaced. The delimiter (comma, semicolon or tab) is the one the header line uses most
 * outside quotes.
 */
final class CsvInput {
    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final int CHUNK = 64 * 1024;

    private final Path file;
    private final String name;
    private final Charset charset;
    private final int bomLength;
    private final char delimiter;

    private CsvInput(Path file, String name, Charset charset, int bomLength, char delimiter) {
        this.file = file;
        this.name = name;
        this.charset = charset;
        this.bomLength = bomLength;
        this.delimiter = delimiter;
    }

    /** Reads the file once to settle its encoding, then its first line for the delimiter. */
    static CsvInput open(Path file, String name) throws IOException, ListImportException {
        Scan scan = new Scan();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[CHUNK];
            for (int n; (n = in.read(buf)) > 0; ) {
                scan.feed(buf, n);
            }
        }
        scan.end();
        if (scan.bytes == 0 || scan.bytes == scan.bom) {
            throw new ListImportException(name + ": the file is empty; expected a header line with a phone column");
        }
        if (scan.utf16) {
            throw new ListImportException(name + ": the file is UTF-16 (it starts with a UTF-16 byte order mark); "
                    + "save it as CSV UTF-8");
        }
        if (scan.nulLine > 0) {
            throw new ListImportException(name + ": line " + scan.nulLine + ": contains a NUL byte (0x00), which no "
                    + "CSV text has; is the file UTF-16 or a spreadsheet? Save it as CSV UTF-8");
        }
        Charset cs;
        if (scan.utf8Valid) {
            cs = StandardCharsets.UTF_8;
        } else if (scan.undefinedLine > 0) {
            throw new ListImportException(String.format("%s: line %d: byte 0x%02X is not a character in "
                    + "Windows-1252, and the file is not UTF-8 either (line %d is not valid UTF-8); save it as "
                    + "CSV UTF-8", name, scan.undefinedLine, scan.undefinedByte, scan.invalidUtf8Line));
        } else {
            cs = WINDOWS_1252;
        }
        int bom = cs == StandardCharsets.UTF_8 ? scan.bom : 0;
        CsvInput probe = new CsvInput(file, name, cs, bom, ',');
        try (Reader r = probe.reader()) {
            return new CsvInput(file, name, cs, bom, delimiterOf(r));
        }
    }

    Charset charset() {
        return charset;
    }

    char delimiter() {
        return delimiter;
    }

    /**
     * The text after any byte order mark. Decoding reports errors instead of replacing: the scan found none, so
     * one here means the file changed underneath.
     */
    Reader reader() throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            in.skipNBytes(bomLength);
        } catch (IOException e) {
            in.close();
            throw e;
        }
        CharsetDecoder dec = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return new BufferedReader(new InputStreamReader(in, dec), CHUNK);
    }

    /** The delimiter the first line (the header) uses most outside quotes; comma when it has none. */
    static char delimiterOf(Reader r) throws IOException {
        int commas = 0;
        int semicolons = 0;
        int tabs = 0;
        boolean quoted = false;
        for (int c; (c = r.read()) >= 0; ) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                break;
            } else if (!quoted) {
                switch (c) {
                    case ',' -> commas++;
                    case ';' -> semicolons++;
                    case '\t' -> tabs++;
                    default -> { }
                }
            }
        }
        if (tabs > commas && tabs > semicolons) {
            return '\t';
        }
        return semicolons > commas ? ';' : ',';
    }

    /** One pass over the bytes: UTF-8 validity, Windows-1252 holes, NULs and BOMs, each with its line. */
    private static final class Scan {
        long bytes;
        int bom;
        boolean utf16;
        boolean utf8Valid = true;
        long invalidUtf8Line;
        long undefinedLine;
        int undefinedByte;
        long nulLine;
        private long line = 1;
        private boolean lastCr;
        private int need;          // UTF-8 continuation bytes still expected
        private int lo = 0x80;     // allowed range of the next continuation byte
        private int hi = 0xBF;
        private final byte[] head = new byte[3];

        void feed(byte[] buf, int n) {
            for (int i = 0; i < n; i++) {
                int b = buf[i] & 0xFF;
                if (bytes < 3) {
                    head[(int) bytes] = (byte) b;
                    if (bytes == 1 && (head[0] & 0xFF) == 0xFF && b == 0xFE
                            || bytes == 1 && (head[0] & 0xFF) == 0xFE && b == 0xFF) {
                        utf16 = true;
                    }
                    if (bytes == 2 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && b == 0xBF) {
                        bom = 3;
                    }
                }
                bytes++;
                if (utf8Valid) {
                    utf8(b);   // before counting a line end: a sequence cut by it is on the line it ends
                }
                if (b == '\n') {
                    if (!lastCr) {
                        line++;
                    }
                } else if (b == '\r') {
                    line++;
                }
                lastCr = b == '\r';
                if (b == 0 && nulLine == 0) {
                    nulLine = line;
                }
                if ((b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D) && undefinedLine == 0) {
                    undefinedLine = line;
                    undefinedByte = b;
                }
            }
        }

        private void utf8(int b) {
            if (need > 0) {
                if (b < lo || b > hi) {
                    invalid();
                    return;
                }
                need--;
                lo = 0x80;
                hi = 0xBF;
                return;
            }
            if (b < 0x80) {
                return;
            }
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                lo = b == 0xE0 ? 0xA0 : 0x80;   // no overlong forms
                hi = b == 0xED ? 0x9F : 0xBF;   // no surrogates
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                lo = b == 0xF0 ? 0x90 : 0x80;
                hi = b == 0xF4 ? 0x8F : 0xBF;   // nothing above U+10FFFF
            } else {
                invalid();
            }
        }

        private void invalid() {
            utf8Valid = false;
            invalidUtf8Line = line;
        }

        void end() {
            if (utf8Valid && need > 0) {
                invalid();
            }
        }
    }
}
