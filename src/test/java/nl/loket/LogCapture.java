package nl.loket;

import org.jboss.logmanager.ExtLogRecord;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Every log record (any level) written while open, as an operator's log shipper would get it,
 * and everything printed to System.err past the log format: for tests that assert what is
 * logged, and what is not.
 */
public final class LogCapture implements AutoCloseable {

    /** The records as they come (live); {@link #records()} is a copy. */
    public final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream originalErr = System.err;
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public LogCapture() {
        handler.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(handler);
        System.setErr(new PrintStream(new Tee(err, originalErr), true, StandardCharsets.UTF_8));
    }

    /** What was printed to System.err raw (a library's stack trace), not through the log. */
    public String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Records of any logger at {@code level} or above. */
    public List<LogRecord> atLeast(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue()).toList();
    }

    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** Records of Loket's own loggers at {@code level} or above. */
    public List<LogRecord> loket(Level level) {
        return records.stream().filter(r -> r.getLoggerName() != null && r.getLoggerName().startsWith("nl.loket"))
                .filter(r -> r.getLevel().intValue() >= level.intValue()).toList();
    }

    /** Loket's records at {@code level} or above whose message contains {@code text}. */
    public List<LogRecord> loket(Level level, String text) {
        return loket(level).stream().filter(r -> message(r).contains(text)).toList();
    }

    /** Everything captured, messages and failures with their messages, one line per record. */
    public String all() {
        return records.stream().map(LogCapture::describe).collect(Collectors.joining("\n"));
    }

    /** The message as the log shows it, its arguments filled in. */
    public static String message(LogRecord r) {
        if (r instanceof ExtLogRecord ext) {
            return ext.getFormattedMessage();
        }
        String message = r.getMessage();
        try {
            return r.getParameters() == null || r.getParameters().length == 0 ? message : String.format(message, r.getParameters());
        } catch (RuntimeException e) {
            return message;
        }
    }

    public static String describe(LogRecord r) {
        StringBuilder line = new StringBuilder(r.getLevel() + " [" + r.getLoggerName() + "] " + message(r));
        for (Throwable t = r.getThrown(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            line.append(" :: ").append(t);
        }
        return line.toString();
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
        System.setErr(originalErr);
    }

    /** Writes to both streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
