package nl.loket.resident;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import nl.loket.cluster.Follower;
import nl.loket.conversation.ConversationEvent;
import nl.loket.conversation.ConversationRow;
import nl.loket.conversation.ConversationState;
import nl.loket.conversation.Conversations;
import nl.loket.conversation.Message;
import nl.loket.platform.Failures;
import nl.loket.platform.Frames;
import nl.loket.platform.Pump;
import nl.loket.privacy.EndedReads;
import nl.loket.queue.WaitEstimate;
import nl.loket.resident.ResidentProtocol.Out;
import nl.loket.security.TokenService;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One resident connection on this node. Changes of its conversation arrive from memory (the
 * hub) and are applied in version order: a {@code state} frame when what the resident sees
 * changed, {@code callback_created} once, then the new messages (never notes). A version skip
 * that is not filled within {@link #GAP_WAIT_MILLIS}, a change too big to be carried, or the
 * listener coming back makes it read the conversation once. Queue positions, estimates and
 * callback offers come from the {@link WaitingRoom}, computed once per topic.
 *
 * <p>The fields without {@code volatile} are touched only inside the {@link Pump}'s runs, which
 * happen one at a time.
 */
final class ResidentSession implements Follower {

    /** How long a version skip may wait for the missing change before the conversation is read. */
    static final long GAP_WAIT_MILLIS = 100;

    private final WebSocketConnection connection;
    private final UUID conversationId;
    private final Conversations conversations;
    private final WaitingRoom room;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final Pump pump;
    private final EndedReads endedReads;
    private final TokenService tokens;

    private final ConcurrentLinkedQueue<ConversationEvent> inbox = new ConcurrentLinkedQueue<>();
    /** Messages the resident sent again that were stored before: their answer waits for its turn (see {@link #repeated}). */
    private final ConcurrentLinkedQueue<Message> repeats = new ConcurrentLinkedQueue<>();
    private volatile boolean readNeeded = true;
    private volatile boolean gapTimer;
    private volatile boolean gapExpired;
    /**
     * The waiting room's latest word not yet told. Cleared only if it is still the one told: read
     * and then cleared, a newer place set between the two was lost, and the resident kept hearing
     * the older position until the next change of the queue.
     */
    private final AtomicReference<WaitingRoom.Place> place = new AtomicReference<>();

    private final TreeMap<Long, ConversationEvent> pending = new TreeMap<>();
    private long version = -1;
    private int lastSeq;
    private ConversationState state;
    private Out.State lastState;
    /** The callback offer this connection told, so an offer is not repeated on every queue change, and is withdrawn once it no longer holds. */
    private final OfferTold offer = new OfferTold();
    private boolean toldCallback;

    ResidentSession(WebSocketConnection connection, UUID conversationId, int after, Conversations conversations,
                    WaitingRoom room, ObjectMapper mapper, Vertx vertx, Failures failures, EndedReads endedReads, TokenService tokens) {
        this.connection = connection;
        this.endedReads = endedReads;
        this.tokens = tokens;
        this.conversationId = conversationId;
        this.lastSeq = after;
        this.conversations = conversations;
        this.room = room;
        this.mapper = mapper;
        this.vertx = vertx;
        this.pump = new Pump(this::deliver, e -> failures.record("delivery", e,
                "Delivery to resident connection %s (conversation %s) failed; retried shortly", connection.id(), conversationId),
                (millis, task) -> vertx.setTimer(millis, id -> task.run()));
    }

    /** Close code of a socket whose place a newer one of its conversation took (docs/protocol.md). */
    static final int REPLACED = 4001;
    static final String REPLACED_TEXT = "Dit gesprek is in een ander venster of op een ander netwerk verder gegaan. "
            + "/ This conversation continued in another window or on another network.";

    UUID conversationId() {
        return conversationId;
    }

    WebSocketConnection connection() {
        return connection;
    }

    /** Reads the conversation and tells the resident where they stand and what they missed. */
    void start() {
        pump.trigger();
    }

    @Override
    public void onEvent(ConversationEvent event) {
        inbox.add(event);
        pump.trigger();
    }

    @Override
    public void resync() {
        readNeeded = true;
        pump.trigger();
    }

    /**
     * The resident sent a message again that was stored before (its answer was lost with a
     * socket): the answer is the stored message, sent in its turn. Sent at once it overtook the
     * opening read after a reconnect (a later seq before the state and the earlier messages, and
     * a client that resumes after its highest seq then missed those for good); one this
     * connection has not had yet comes with the read or the change that carries it.
     */
    void repeated(Message message) {
        repeats.add(message);
        pump.trigger();
    }

    /** The waiting room's latest word on this resident's place in the queue. */
    void place(WaitingRoom.Place place) {
        this.place.set(place);
        pump.trigger();
    }

    /**
     * A newer socket of this conversation took this one's place (it was at its limit of sockets,
     * V47): mostly one a phone left on a network it moved away from, which hears nothing of this;
     * sometimes a live window, which says so and offers to carry on there. Closed with
     * {@link #REPLACED}, on which the widget does not reconnect by itself: two live windows would
     * otherwise take turns replacing each other for ever.
     */
    @Override
    public void replaced() {
        send(new Out.Error("replaced", REPLACED_TEXT, null))
                // a dead socket may not take the frame: it is closed all the same
                .onFailure().recoverWithNull()
                .chain(() -> connection.close(new CloseReason(REPLACED, "replaced")))
                .subscribe().with(ok -> { }, e -> { }); // already closing or gone: its close handler does the rest
    }

    @Override
    public void typing(UUID conversationId, String from, boolean stopped) {
        if ("agent".equals(from)) {
            send(stopped ? Out.Typing.AGENT_STOPPED : Out.Typing.AGENT).subscribe().with(ok -> { }, e -> { });
        }
    }

    Uni<Void> send(Out frame) {
        return Frames.send(connection, mapper, frame);
    }

    // ---- one run of the pump -------------------------------------------------------------------

    private Uni<Void> deliver() {
        if (!connection.isOpen()) {
            return Uni.createFrom().voidItem();
        }
        for (ConversationEvent e; (e = inbox.poll()) != null; ) {
            pending.put(e.version(), e);
        }
        if (readNeeded) {
            readNeeded = false;
            gapExpired = false;
            // a read that fails is read again (the pump retries): the resync or gap that asked for it is not repeated
            return read().onFailure().invoke(e -> readNeeded = true).chain(this::deliver);
        }
        List<Out> frames = new ArrayList<>();
        while (true) {
            Map.Entry<Long, ConversationEvent> first = pending.firstEntry();
            if (first == null) {
                gapExpired = false;
                break;
            }
            ConversationEvent e = first.getValue();
            if (e.version() <= version) {
                pending.pollFirstEntry();
                continue;
            }
            if (e.version() > version + 1) {
                if (gapExpired) {
                    gapExpired = false;
                    readNeeded = true;
                    return sendAll(frames).chain(this::deliver);
                }
                waitForGap();
                break;
            }
            pending.pollFirstEntry();
            if (e.elided()) {
                // too big to be carried in a notification: read it
                readNeeded = true;
                return sendAll(frames).chain(this::deliver);
            }
            if (e.state() == ConversationState.QUEUED && state != ConversationState.QUEUED) {
                // back in a queue (a transfer, the agent gone): where, takes one read
                long changes = room.changes();
                return sendAll(frames).chain(() -> conversations.position(conversationId)
                                .chain(position -> room.place(this, e.topic(), position, changes))
                                // the change is taken: should its place fail, a read tells the state and place
                                .onFailure().invoke(x -> readNeeded = true))
                        .chain(p -> sendAll(apply(e, p)))
                        .chain(this::deliver);
            }
            frames.addAll(apply(e, null));
        }
        WaitingRoom.Place p = place.get();
        if (p != null && state == ConversationState.QUEUED) {
            // a newer one set meanwhile stays, and its trigger runs the pump again
            place.compareAndSet(p, null);
            frames.addAll(queued(p));
        }
        for (Message m; (m = repeats.poll()) != null; ) {
            if (m.seq() <= lastSeq) {
                frames.add(Out.MessageEvent.of(m));
            }
        }
        return sendAll(frames);
    }

    /** A missing change usually arrives a moment later (another node's commit); if not, the conversation is read. */
    private void waitForGap() {
        if (gapTimer) {
            return;
        }
        gapTimer = true;
        vertx.setTimer(GAP_WAIT_MILLIS, id -> {
            gapTimer = false;
            gapExpired = true;
            pump.trigger();
        });
    }

    /** The conversation as stored now: state, place and everything after the last seq sent. */
    private Uni<Void> read() {
        WaitingRoom.Fresh counted = room.fresh(conversationId);
        long changes = counted != null ? counted.changes() : room.changes();
        Uni<Optional<Conversations.Placed>> placed = counted == null ? conversations.findPlaced(conversationId)
                // created on this node a moment ago and nothing in the topic moved: the place is known
                : conversations.find(conversationId).chain(row -> row.isPresent() && !row.get().topic().equals(counted.topic())
                        ? conversations.findPlaced(conversationId)
                        : Uni.createFrom().item(row.map(c -> new Conversations.Placed(c, counted.position()))));
        return placed.chain(found -> {
            if (found.isEmpty()) {
                // a valid resident token whose subject is no conversation (a callback request's, say)
                return send(new Out.Error("not_found", "Onbekend gesprek. / Unknown conversation.", null))
                        .chain(() -> connection.close(new CloseReason(1008, "unknown conversation")));
            }
            ConversationRow conv = found.get().conversation();
            if (version < 0 && endedReads.over(conv.closedAt())) {
                // ended longer ago than its resident may read it: a token left in a browser opens nothing (README, Privacy)
                return send(new Out.Error("access_ended", EndedReads.MESSAGE, null))
                        .chain(() -> connection.close(new CloseReason(1008, "conversation ended")));
            }
            if (lastSeq > conv.lastSeq()) {
                // resumed after more than the conversation has (a stale or mistaken ?after=): every message up to that
                // number would have been held back as already seen
                lastSeq = conv.lastSeq();
            }
            Uni<List<Message>> missed = conv.lastSeq() > lastSeq
                    ? conversations.messagesAfter(conversationId, lastSeq, false) : Uni.createFrom().item(List.of());
            Uni<WaitingRoom.Place> where = conv.state() == ConversationState.QUEUED
                    ? room.place(this, conv.topic(), found.get().position(), changes)
                    : Uni.createFrom().nullItem();
            return Uni.combine().all().unis(missed, where).with((messages, p) -> sendAll(apply(ConversationEvent.read(conv, messages), p)))
                    .chain(sending -> sending);
        });
    }

    /**
     * What the resident must hear about a change, in this order: the state (when it changed; with
     * the place in the queue while waiting, and the callback offer or its withdrawal), callback_created
     * once, the new messages.
     */
    private List<Out> apply(ConversationEvent e, WaitingRoom.Place p) {
        List<Out> frames = new ArrayList<>();
        version = e.version();
        ConversationState before = state;
        state = e.state();
        if (state == ConversationState.QUEUED) {
            if (p != null) {
                frames.addAll(queued(p));
            }
        } else {
            if (before == ConversationState.QUEUED || before == null) {
                room.left(this);
            }
            // a place told while waiting is stale now; back in a queue, the fresh one is read
            place.set(null);
            offer.left();
            Out.State s = state == ConversationState.ACTIVE
                    ? new Out.State(state.wire(), null, null, e.agentName(), null)
                    : new Out.State(state.wire(), null, null, null, e.closeReason());
            if (!s.equals(lastState)) {
                frames.add(s);
                lastState = s;
            }
        }
        if (e.callbackId() != null && !toldCallback) {
            // the request's own token: it opens the request (to show and cancel it), never the conversation
            frames.add(new Out.CallbackCreated(e.callbackId().toString(), tokens.resident(e.callbackId())));
            toldCallback = true;
        }
        for (Message m : e.messages()) {
            if (m.seq() > lastSeq) {
                if (!m.isNote()) {
                    frames.add(Out.MessageEvent.of(m));
                }
                lastSeq = m.seq();
            }
        }
        return frames;
    }

    /** The state frame while waiting, and a callback offer when its reason first holds, or its withdrawal once it no longer does. */
    private List<Out> queued(WaitingRoom.Place p) {
        List<Out> frames = new ArrayList<>(2);
        Out.State s = new Out.State(ConversationState.QUEUED.wire(), p.position(), p.estimatedWaitSeconds(), null, null);
        Out.State last = lastState;
        // at the same place, a small drift of the estimate is not worth a frame (WaitEstimate.worthTelling)
        if (last == null || !last.state().equals(s.state()) || !Objects.equals(last.position(), s.position())
                || WaitEstimate.worthTelling(last.estimatedWaitSeconds(), s.estimatedWaitSeconds())) {
            frames.add(s);
            lastState = s;
        }
        Out told = offer.next(p, System.nanoTime());
        if (told != null) {
            frames.add(told);
        }
        return frames;
    }

    private Uni<Void> sendAll(List<Out> frames) {
        return Frames.sendAll(connection, mapper, frames);
    }
}
