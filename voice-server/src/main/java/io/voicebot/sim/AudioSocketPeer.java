package io.voicebot.sim;

import io.voicebot.telephony.audiosocket.Frame;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Asterisk's side of one AudioSocket session, as app_audiosocket.c + res_audiosocket.c behave: connect (2 s),
 * send the UUID frame, send the caller's audio in 20 ms frames on an absolute clock, and end with result 0 when
 * the server sends kind 0x00 or closes, -1 on a bad frame, a caller hangup, or 2 s without activity either way.
 */
public final class AudioSocketPeer implements AutoCloseable {
    /** A frame from the server and when it arrived (System.nanoTime()). */
    public record ReceivedFrame(long nanos, Frame frame) {}

    static final int CONNECT_TIMEOUT_MS = 2000; // MAX_CONNECT_TIMEOUT_MSEC
    static final long INACTIVITY_NANOS = TimeUnit.MILLISECONDS.toNanos(2000); // MAX_WAIT_TIMEOUT_MSEC
    private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(20);

    private final Socket socket;
    private final UUID uuid;
    private final OutputStream out;
    private final int sampleRate;
    private final boolean idleFrames;
    private final ConcurrentLinkedQueue<short[]> outgoing = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Character> dtmf = new ConcurrentLinkedQueue<>();
    private final List<ReceivedFrame> received = new ArrayList<>();
    private final CompletableFuture<Integer> result = new CompletableFuture<>();
    private volatile long lastActivity = System.nanoTime();
    private volatile String endReason = "";

    private AudioSocketPeer(Socket socket, UUID uuid, int sampleRate, boolean idleFrames) throws IOException {
        this.socket = socket;
        this.uuid = uuid;
        this.out = socket.getOutputStream();
        this.sampleRate = sampleRate;
        this.idleFrames = idleFrames;
    }

    /**
     * Connects and sends the UUID frame.
     *
     * @param sampleRate 8000 like app_audiosocket (slin); other slin rates as the channel driver would use
     * @param idleFrames send silence while there is no caller audio, like a channel with steady RTP; false
     *                   models a channel that produces no frames (then only the server's frames keep it alive)
     */
    public static AudioSocketPeer connect(String host, int port, UUID uuid, int sampleRate, boolean idleFrames)
            throws IOException {
        Frame.Kind.audioFor(sampleRate);
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        AudioSocketPeer peer = new AudioSocketPeer(s, uuid, sampleRate, idleFrames);
        peer.write(Frame.uuid(uuid));
        Thread reader = new Thread(peer::readLoop, "as-peer-read-" + uuid);
        reader.setDaemon(true);
        reader.start();
        Thread sender = new Thread(peer::sendLoop, "as-peer-send-" + uuid);
        sender.setDaemon(true);
        sender.setPriority(Thread.MAX_PRIORITY);
        sender.start();
        return peer;
    }

    /** The UUID this leg sent: voicebot's id of the call (GET /api/calls/{uuid}). */
    public UUID uuid() {
        return uuid;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Queues caller audio (at {@link #sampleRate()}); it goes out 20 ms per frame. Completes when sent. */
    public synchronized CompletableFuture<Void> send(short[] pcm) {
        int n = sampleRate / 50;
        for (int i = 0; i < pcm.length; i += n) {
            short[] frame = new short[n];
            System.arraycopy(pcm, i, frame, 0, Math.min(n, pcm.length - i));
            outgoing.add(frame);
        }
        CompletableFuture<Void> d = new CompletableFuture<>();
        markers.add(d);
        outgoing.add(new short[0]); // marker: everything queued before it has been sent
        return d;
    }

    private final ConcurrentLinkedQueue<CompletableFuture<Void>> markers = new ConcurrentLinkedQueue<>();

    /** Queues a 16-bit mono WAV at this session's rate. */
    public CompletableFuture<Void> sendWav(Path wav) throws IOException {
        return send(readWav(wav, sampleRate));
    }

    /** Sends a DTMF frame (kind 0x03) before the next audio frame. */
    public void sendDtmf(char digit) {
        dtmf.add(digit);
    }

    /** Sends a kind 0x00 frame (what a server would send; Asterisk's app never does). */
    public void sendHangupFrame() throws IOException {
        write(Frame.hangup());
    }

    /** The caller hangs up: ast_read fails, AudioSocket() returns -1 and closes the socket. */
    public void hangupCaller() {
        finish(-1, "caller hung up");
    }

    /** What AudioSocket() returned to the dialplan: 0 (server ended it) or -1. */
    public CompletableFuture<Integer> result() {
        return result;
    }

    public String endReason() {
        return endReason;
    }

    /** Frames received after the first {@code from}, so a watcher can read new frames without copying all. */
    public synchronized List<ReceivedFrame> receivedSince(int from) {
        return from >= received.size() ? List.of() : List.copyOf(received.subList(from, received.size()));
    }

    public synchronized List<ReceivedFrame> received() {
        return List.copyOf(received);
    }

    /** All audio the server sent, concatenated (silence frames included). */
    public synchronized short[] receivedAudio() {
        int total = 0;
        for (ReceivedFrame f : received) {
            if (f.frame().kind().isAudio()) {
                total += f.frame().samples().length;
            }
        }
        short[] all = new short[total];
        int at = 0;
        for (ReceivedFrame f : received) {
            if (f.frame().kind().isAudio()) {
                short[] s = f.frame().samples();
                System.arraycopy(s, 0, all, at, s.length);
                at += s.length;
            }
        }
        return all;
    }

    public void writeReceivedWav(Path file) throws IOException {
        writeWav(file, receivedAudio(), sampleRate);
    }

    @Override
    public void close() {
        finish(-1, "closed");
    }

    private void write(Frame f) throws IOException {
        int len = f.payloadLength();
        ByteBuffer b = ByteBuffer.allocate(3 + len);
        b.put((byte) f.kind().code()).putShort((short) len);
        if (f.samples() != null) {
            b.order(ByteOrder.LITTLE_ENDIAN);
            for (short s : f.samples()) {
                b.putShort(s);
            }
        } else {
            b.put(f.payload());
        }
        synchronized (out) {
            out.write(b.array());
            out.flush();
        }
        lastActivity = System.nanoTime();
    }

    private void sendLoop() {
        short[] silence = new short[sampleRate / 50];
        long start = System.nanoTime();
        long n = 0;
        try {
            while (!result.isDone()) {
                long wait = start + n * PERIOD - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                n++;
                if (System.nanoTime() - lastActivity > INACTIVITY_NANOS) {
                    finish(-1, "no activity for 2000 ms");
                    return;
                }
                Character d;
                while ((d = dtmf.poll()) != null) {
                    write(Frame.dtmf(d));
                }
                short[] frame = outgoing.poll();
                while (frame != null && frame.length == 0) {
                    CompletableFuture<Void> m = markers.poll();
                    if (m != null) {
                        m.complete(null);
                    }
                    frame = outgoing.poll();
                }
                if (frame != null) {
                    write(Frame.audio(sampleRate, frame));
                } else if (idleFrames) {
                    write(Frame.audio(sampleRate, silence));
                }
            }
        } catch (IOException e) {
            finish(-1, "write failed: " + e.getMessage());
        }
    }

    private void readLoop() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[3];
            while (true) {
                int got = in.readNBytes(header, 0, 3);
                if (got < 3 || header[0] == 0x00) {
                    // Socket closure or requested hangup: graceful, AudioSocket() returns 0.
                    finish(0, got < 3 ? "server closed the socket" : "server sent a hangup frame");
                    return;
                }
                Frame.Kind kind = Frame.Kind.of(header[0]);
                int length = ((header[1] & 0xff) << 8) | (header[2] & 0xff);
                if (kind == null || !kind.isAudio()) {
                    finish(-1, String.format("received kind 0x%02x, not hangup or audio", header[0] & 0xff));
                    return;
                }
                if (length < 1) {
                    finish(-1, "invalid message length 0");
                    return;
                }
                byte[] payload = new byte[length];
                try {
                    in.readFully(payload);
                } catch (EOFException e) {
                    finish(-1, "insufficient payload read");
                    return;
                }
                long now = System.nanoTime();
                lastActivity = now;
                short[] samples = new short[length / 2];
                ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
                synchronized (this) {
                    received.add(new ReceivedFrame(now, new Frame(kind, null, samples)));
                }
            }
        } catch (IOException e) {
            finish(-1, "read failed: " + e.getMessage());
        }
    }

    private void finish(int code, String reason) {
        synchronized (result) {
            if (result.isDone()) {
                return;
            }
            endReason = reason;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        // The result first: whoever a marker wakes can tell that the audio was cut off, not sent.
        result.complete(code);
        markers.forEach(m -> m.complete(null));
    }

    /** Reads a 16-bit mono PCM WAV whose rate equals expectedRate. */
    public static short[] readWav(Path wav, int expectedRate) throws IOException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            if (f.getChannels() != 1 || f.getSampleSizeInBits() != 16
                    || f.getEncoding() != AudioFormat.Encoding.PCM_SIGNED) {
                throw new IOException(wav + ": need 16-bit signed mono PCM, got " + f);
            }
            if ((int) f.getSampleRate() != expectedRate) {
                throw new IOException(wav + ": sample rate " + (int) f.getSampleRate() + " Hz, the session uses "
                        + expectedRate + " Hz");
            }
            byte[] bytes = in.readAllBytes();
            short[] samples = new short[bytes.length / 2];
            ByteBuffer.wrap(bytes).order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                    .asShortBuffer().get(samples);
            return samples;
        } catch (UnsupportedAudioFileException e) {
            throw new IOException(wav + ": not a WAV file: " + e.getMessage(), e);
        }
    }

    public static void writeWav(Path file, short[] samples, int rate) throws IOException {
        byte[] bytes = new byte[samples.length * 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(samples);
        AudioFormat f = new AudioFormat(rate, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(bytes), f, samples.length)) {
            AudioSystem.write(in, javax.sound.sampled.AudioFileFormat.Type.WAVE, file.toFile());
        }
    }
}
