package nl.loket.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every Loket setting, with its default. Environment variables map as LOKET_SECTION_KEY. Quarkus
 * checks the constraints at start-up (quarkus-hibernate-validator): a negative period or count
 * stops the start with a message naming the setting rather than being taken as it is.
 */
@ConfigMapping(prefix = "loket")
public interface LoketConfig {

    /**
     * Browser origins (the sites that embed the widget) allowed for CORS on the widget's endpoints and
     * for the resident WebSocket; empty = same origin only. Everything else is same origin only.
     */
    Optional<List<String>> allowedOrigins();

    /** Opens every topic around the clock (demos and tests). */
    @WithDefault("false")
    boolean alwaysOpen();

    /** Password of the "admin" user created when no user exists yet; none = no bootstrap user. */
    Optional<String> bootstrapAdminPassword();

    Tokens tokens();

    Grace grace();

    Limits limits();

    Cluster cluster();

    Sockets sockets();

    Callbacks callbacks();

    Privacy privacy();

    Feed feed();

    Security security();

    interface Security {
        /**
         * Seconds a browser that reached Loket over https keeps to https only
         * ({@code Strict-Transport-Security: max-age=}); 0 sends no such header, for a proxy that
         * sends its own (nl.loket.web.SecurityHeaders).
         */
        @WithDefault("31536000")
        @PositiveOrZero
        long hstsMaxAge();
    }

    interface Feed {
        /** Changes younger than this are held back from the change feed, so a late commit is never skipped. */
        @WithDefault("5s")
        @DurationMin(millis = 0)
        Duration safetyLag();

        /**
         * A page of the change feed held back longer than this (beyond the safety lag) by an open
         * transaction on a conversation is logged at WARN with that session's pid, at most once a
         * minute per node (nl.loket.transcript.FeedBound).
         */
        @WithDefault("60s")
        @DurationMin(millis = 1)
        Duration boundWarnAfter();

        /**
         * How often a node that served no page of the change feed in that time measures the
         * feed's bound afresh, so that {@code loket_feed_bound_lag_seconds} is never older than
         * about twice this (nl.loket.transcript.FeedBound).
         */
        @WithDefault("15s")
        @DurationMin(millis = 1)
        Duration boundRefresh();

        /** Signs change-feed cursors; generated on first start and kept in the database (schema loket_keys). */
        String cursorSecret();
    }

    interface Privacy {
        /** Remove BSNs and IBANs from messages, notes, summaries, callback notes and rating comments. */
        @WithDefault("true")
        boolean redaction();

        /** Days after a conversation or callback request ended that its personal data is purged. */
        @WithDefault("28")
        @Positive
        int retentionDays();

        /** Days the audit log is kept. */
        @WithDefault("365")
        @Positive
        int auditDays();

        /**
         * How long after a conversation's end its resident token still reads it (transcript,
         * socket history): the page open at the end downloads it then; later reads are refused.
         */
        @WithDefault("15m")
        @DurationMin(millis = 0)
        Duration residentReadAfterEnd();
    }

    interface Callbacks {
        /** After "no answer", the request can be claimed again this much later. */
        @WithDefault("30m")
        @DurationMin(millis = 0)
        Duration retryDelay();

        /** After this many attempts without reaching the resident, the request has failed. */
        @WithDefault("3")
        @Positive
        int maxAttempts();
    }

    interface Tokens {
        /** Issuer of the built-in tokens (and of resident tokens). */
        @WithDefault("loket")
        String issuer();

        /** Audience ("aud") put in every token Loket issues and required in every token it accepts. */
        @WithDefault("loket")
        String audience();

        /** Lifetime of a staff token: a shift. */
        @WithDefault("8h")
        @DurationMin(millis = 1)
        Duration staffLifetime();

        /** Lifetime of a resident token. */
        @WithDefault("24h")
        @DurationMin(millis = 1)
        Duration residentLifetime();

        /**
         * Signs and verifies resident tokens (HMAC-SHA256, key id {@code resident}); generated on
         * first start and kept in the database (schema loket_keys), so every node shares it.
         */
        String residentSecret();
    }

    interface Grace {
        /** How long a queued resident may be disconnected before the conversation is abandoned. */
        @WithDefault("60s")
        @DurationMin(millis = 0)
        Duration resident();

        /** How long an agent may be disconnected before their conversations go back to the queue. */
        @WithDefault("30s")
        @DurationMin(millis = 0)
        Duration agent();

        /** An active conversation with no message for this long is closed with reason timeout. */
        @WithDefault("30m")
        @DurationMin(millis = 1)
        Duration inactivity();
    }

    interface Limits {
        /** Frames a resident connection may send per window before it is closed with 1008. */
        @WithDefault("20")
        @Positive
        int residentFrames();

        /** Frames an agent connection may send per window before it is closed with 1008. */
        @WithDefault("100")
        @Positive
        int agentFrames();

        @WithDefault("10s")
        @DurationMin(millis = 1)
        Duration frameWindow();

        /** Open (queued or active) conversations one client address may have at once; 0 switches the limit off. */
        @WithDefault("3")
        @PositiveOrZero
        int openConversationsPerAddress();

        /**
         * Live callback requests (open, claimed, or merged into another for the same number) one
         * client address may have at once, asked directly or from its chats; 0 switches the limit off.
         */
        @WithDefault("3")
        @PositiveOrZero
        int openCallbacksPerAddress();

        /** Open resident connections per conversation (tabs, devices); the next one replaces the oldest (V47). */
        @WithDefault("3")
        @Positive
        int socketsPerConversation();

        /**
         * Conversations being started at once on one node; further starts wait in line, so a surge
         * of arrivals leaves database connections and event-loop turns to the chats going on.
         * Starts in one topic take turns on a lock in the database anyway: beyond a few, more at
         * once only hold pool connections while they wait for their turn.
         */
        @WithDefault("4")
        @Positive
        int concurrentStarts();

        /** Starts that may wait in that line per node; beyond it a start is answered 503 with Retry-After. */
        @WithDefault("5000")
        @PositiveOrZero
        int waitingStarts();

        /** Requests per minute per client address on the public POST endpoints. */
        @WithDefault("60")
        @Positive
        int publicRatePerMinute();

        /** Failed logins of a username (from any address) before each further attempt has to wait. */
        @WithDefault("5")
        @PositiveOrZero
        int loginFailures();

        /** Failed logins are forgotten after this long (per username: this long without one). */
        @WithDefault("5m")
        @DurationMin(millis = 1)
        Duration loginWindow();

        /** Failed logins from one client address, over all usernames, per window; then 429 until it ends. */
        @WithDefault("20")
        @Positive
        int loginFailuresPerAddress();

        /** The first wait after loginFailures failures; it doubles with each further failure. */
        @WithDefault("1s")
        @DurationMin(millis = 1)
        Duration loginDelay();

        /** The longest wait between two attempts on one username. */
        @WithDefault("60s")
        @DurationMin(millis = 1)
        Duration loginMaxDelay();
    }

    interface Cluster {
        /** How often a node proves it is alive. */
        @WithDefault("2s")
        @DurationMin(millis = 1)
        Duration heartbeat();

        /** A node silent for this long is dead: its connections count as gone. */
        @WithDefault("10s")
        @DurationMin(millis = 1)
        Duration deadAfter();

        /** How often the timers (grace periods, inactivity) are swept. */
        @WithDefault("1s")
        @DurationMin(millis = 1)
        Duration sweep();

        /**
         * How long a sweep leaves a conversation it could not move alone (a row PostgreSQL
         * refuses) out of its runs before trying it again by itself (Sweeps).
         */
        @WithDefault("60s")
        @DurationMin(millis = 1)
        Duration sweepRetry();
    }

    interface Sockets {
        /**
         * A connection from which nothing came for this long (no pong to the server's pings, no
         * frame) is closed; more than two ping intervals, so one lost pong is not enough.
         */
        @WithDefault("60s")
        @DurationMin(millis = 1)
        Duration unansweredAfter();

        /** How often the connections are looked over for that. */
        @WithDefault("10s")
        @DurationMin(millis = 1)
        Duration sweep();
    }
}
