package io.voicebot.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** AMI framing as manager.c does it: "Name: value\r\n" lines, a message ends at an empty line. */
final class AmiWireCodec {
    /** manager.c reads at most 1024 bytes a line; we are more lenient but still bounded. */
    static final int MAX_LINE = 8192;
    /** manager.c keeps AST_MAX_MANHEADERS (128) headers and ignores the rest. */
    static final int MAX_HEADERS = 128;

    private AmiWireCodec() {}

    /** Thrown for input that ends the session: an over-long line. */
    static final class MalformedException extends IOException {
        MalformedException(String message) {
            super(message);
        }
    }

    /** The next message, or null at end of stream. Empty messages (stray blank lines) are skipped. */
    static AmiMessage read(InputStream in) throws IOException {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        int lineNo = 0;
        while (true) {
            String line = readLine(in, lineNo);
            if (line == null) {
                return null;
            }
            lineNo++;
            if (line.isEmpty()) {
                if (headers.isEmpty()) {
                    continue;
                }
                return new AmiMessage(headers);
            }
            int colon = line.indexOf(':');
            // A line without a colon is no header; manager.c never matches it either.
            if (colon > 0 && headers.size() < MAX_HEADERS) {
                String value = line.substring(colon + 1);
                int i = 0;
                while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                    i++;
                }
                headers.add(Map.entry(line.substring(0, colon).trim(), value.substring(i)));
            }
        }
    }

    private static String readLine(InputStream in, int lineNo) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                byte[] bytes = buf.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            if (buf.size() >= MAX_LINE) {
                throw new MalformedException("AMI line " + (lineNo + 1) + " of a message is longer than "
                        + MAX_LINE + " bytes");
            }
            buf.write(b);
        }
    }

    /** Builds one outgoing message; {@link #end()} adds the terminating blank line. */
    static final class Out {
        private final StringBuilder sb = new StringBuilder(256);

        Out header(String name, Object value) {
            sb.append(name).append(": ").append(value).append("\r\n");
            return this;
        }

        /** "ActionID: x" only when the request carried one, as astman_send_response_full does. */
        Out actionId(AmiMessage request) {
            String id = request.get("ActionID");
            if (!id.isEmpty()) {
                header("ActionID", id);
            }
            return this;
        }

        Out raw(String text) {
            sb.append(text);
            return this;
        }

        String end() {
            return sb.append("\r\n").toString();
        }
    }

    static Out out() {
        return new Out();
    }

    static String response(AmiMessage request, String response, String message) {
        Out o = out().header("Response", response).actionId(request);
        if (message != null) {
            o.header("Message", message);
        }
        return o.end();
    }
}
