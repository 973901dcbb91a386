package io.memsync.transport;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Test peer speaking WebSocket over a plain {@link Socket}, written for misbehaving on purpose where the JDK client
 * cannot: stay silent before or after the upgrade, never answer a close frame, announce a huge frame and send only
 * its start, send binary or fragmented frames before the handshake. Frames it sends are masked, as a client's must be.
 */
public final class RawSocketPeer implements Closeable {
    /** WebSocket opcodes. */
    public static final int TEXT = 1;
    /** Binary opcode. */
    public static final int BINARY = 2;
    /** Continuation opcode. */
    public static final int CONTINUATION = 0;
    /** Close opcode. */
    public static final int CLOSE = 8;
    /** Ping opcode. */
    public static final int PING = 9;

    /** A frame read from the host. */
    public record Frame(int opcode, boolean fin, byte[] payload) {
        /** @return the payload as UTF-8 text */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** @return the status code of a close frame, or -1 */
        public int closeCode() {
            return opcode == CLOSE && payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawSocketPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Opens a TCP connection to the endpoint's port and sends nothing.
     *
     * @param endpoint {@code ws://127.0.0.1:<port>/memsync}
     * @return the peer
     * @throws IOException when the connection fails
     */
    public static RawSocketPeer tcp(String endpoint) throws IOException {
        URI uri = URI.create(endpoint);
        Socket s = new Socket();
        s.setTcpNoDelay(true); // a frame's header and payload are separate writes
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
        return new RawSocketPeer(s);
    }

    /**
     * Opens a connection and performs the WebSocket upgrade (reads the 101 response, nothing after it).
     *
     * @param endpoint {@code ws://127.0.0.1:<port>/memsync}
     * @return the peer
     * @throws IOException when the connection or the upgrade fails
     */
    public static RawSocketPeer upgraded(String endpoint) throws IOException {
        RawSocketPeer p = tcp(endpoint);
        try {
            URI uri = URI.create(endpoint);
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            String request = "GET " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            p.out.write(request.getBytes(StandardCharsets.US_ASCII));
            p.out.flush();
            p.socket.setSoTimeout(10_000);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            while (last4 != 0x0d0a0d0a) {
                int b = p.in.read();
                if (b < 0) {
                    throw new EOFException("connection closed during the upgrade: " + head);
                }
                head.write(b);
                last4 = (last4 << 8) | b;
            }
            String response = head.toString(StandardCharsets.US_ASCII);
            if (!response.startsWith("HTTP/1.1 101")) {
                throw new IOException("upgrade refused: " + response);
            }
            p.socket.setSoTimeout(0);
            return p;
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /**
     * Sends one masked frame.
     *
     * @param opcode  the opcode
     * @param fin     whether it ends its message
     * @param payload the payload
     * @throws IOException when writing fails
     */
    public void send(int opcode, boolean fin, byte[] payload) throws IOException {
        byte[] mask = header(opcode, fin, payload.length);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        out.write(masked);
        out.flush();
    }

    /**
     * Sends a text frame.
     *
     * @param text the text
     * @throws IOException when writing fails
     */
    public void sendText(String text) throws IOException {
        send(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends only the header (and masking key) of a frame announcing {@code length} payload bytes, and then
     * {@code sent} bytes of that payload.
     *
     * @param opcode the opcode
     * @param length the announced payload length
     * @param sent   how many payload bytes to actually send
     * @throws IOException when writing fails
     */
    public void sendFrameStart(int opcode, long length, int sent) throws IOException {
        header(opcode, true, length);
        out.write(new byte[sent]);
        out.flush();
    }

    private byte[] header(int opcode, boolean fin, long length) throws IOException {
        ByteArrayOutputStream h = new ByteArrayOutputStream(14);
        h.write((fin ? 0x80 : 0) | opcode);
        if (length < 126) {
            h.write(0x80 | (int) length);
        } else if (length < 65536) {
            h.write(0x80 | 126);
            h.write((int) (length >>> 8));
            h.write((int) length & 0xff);
        } else {
            h.write(0x80 | 127);
            for (int i = 56; i >= 0; i -= 8) {
                h.write((int) (length >>> i) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        h.write(mask);
        out.write(h.toByteArray());
        return mask;
    }

    /**
     * Reads the next frame from the host.
     *
     * @param timeout how long to wait
     * @return the frame, or {@code null} when the host closed the connection (end of stream or reset)
     * @throws IOException        on other read failures
     * @throws SocketTimeoutException when nothing arrives in time
     */
    public Frame read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            if (len > 64L * 1024 * 1024) {
                throw new IOException("frame of " + len + " bytes from the host");
            }
            byte[] payload = new byte[(int) len];
            in.readFully(payload);
            return new Frame(b0 & 0x0f, (b0 & 0x80) != 0, payload);
        } catch (EOFException e) {
            return null;
        } catch (SocketException e) {
            if (socket.isClosed()) {
                throw e;
            }
            return null; // reset by the host
        }
    }

    /**
     * Reads and discards whatever arrives until the host closes the connection.
     *
     * @param timeout the longest wait
     * @return whether the host closed it in time
     * @throws IOException on read failures other than a close or reset
     */
    public boolean awaitClosedByHost(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[8192];
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            try {
                if (in.read(buf) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true; // reset
            }
        }
    }

    /** @return the local port, which the host's log lines name */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** Closes the socket without a close frame. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
