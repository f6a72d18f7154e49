package io.jsworkflows.executor.runtime;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The field encodings of worker frames: a string as a 4-byte UTF-8 length (-1 for null) and its bytes, a map and a list
 * of header pairs as a count (-1 for null) and their strings. Why apart: {@link WorkerProtocol} says which fields a
 * message has, this says how one field is written, and bounds what a broken channel could make the reader allocate.
 */
final class FrameFields {

    private FrameFields() {
    }

    static void str(DataOutputStream d, String s) throws IOException {
        if (s == null) {
            d.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }

    static String str(DataInput d) throws IOException {
        int n = d.readInt();
        if (n < 0) {
            return null;
        }
        if (n > WorkerProtocol.MAX_FRAME) {
            throw new IOException("broken worker channel: string of " + n + " bytes");
        }
        byte[] b = new byte[n];
        d.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static void map(DataOutputStream d, Map<String, String> m) throws IOException {
        if (m == null) {
            d.writeInt(-1);
            return;
        }
        d.writeInt(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            str(d, e.getKey());
            str(d, e.getValue());
        }
    }

    static Map<String, String> map(DataInput d) throws IOException {
        int n = d.readInt();
        if (n < 0) {
            return null;
        }
        Map<String, String> m = HashMap.newHashMap(n);
        for (int i = 0; i < n; i++) {
            m.put(str(d), str(d));
        }
        return m;
    }

    static void pairs(DataOutputStream d, List<List<String>> pairs) throws IOException {
        if (pairs == null) {
            d.writeInt(-1);
            return;
        }
        d.writeInt(pairs.size());
        for (List<String> p : pairs) {
            str(d, p.get(0));
            str(d, p.size() > 1 ? p.get(1) : null);
        }
    }

    static List<List<String>> pairs(DataInput d) throws IOException {
        int n = d.readInt();
        if (n < 0) {
            return null;
        }
        List<List<String>> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String k = str(d);
            String v = str(d);
            l.add(v == null ? Collections.singletonList(k) : List.of(k, v));
        }
        return l;
    }

    /** A byte array output whose buffer is handed out without a copy. */
    static final class Out extends ByteArrayOutputStream {
        final DataOutputStream data = new DataOutputStream(this);

        Out(int size) {
            super(size);
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    /** Reads a ByteBuffer's remaining bytes. */
    static final class ByteBufferInput extends InputStream {
        private final ByteBuffer b;

        ByteBufferInput(ByteBuffer b) {
            this.b = b;
        }

        @Override
        public int read() {
            return b.hasRemaining() ? b.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            if (!b.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, b.remaining());
            b.get(dst, off, n);
            return n;
        }
    }
}
