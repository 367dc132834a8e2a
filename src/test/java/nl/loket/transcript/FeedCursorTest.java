package nl.loket.transcript;

import nl.loket.platform.ValidationException;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A cursor carries its feed's filters, which nobody can change; one issued before it carried them still continues. */
class FeedCursorTest {

    private static final FeedCursor CURSORS = new FeedCursor("a-secret-of-forty-characters-or-so-000000");
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00.123456Z");
    private static final UUID ID = UUID.fromString("6a1c3f2e-0000-4000-8000-000000000001");

    @Test
    void aCursorGivesBackItsPositionAndFilters() {
        FeedCursor.Filters filters = new FeedCursor.Filters(Instant.parse("2026-11-30T23:00:00Z"), "closed", "paspoort.id");
        FeedCursor.Position p = CURSORS.decode(CURSORS.encode(new FeedCursor.Position(AT, ID, filters)));
        assertThat(p).isEqualTo(new FeedCursor.Position(AT, ID, filters));
        // left out: the cursor's; the same: the cursor's; another one: refused naming the filter
        assertThat(p.continuing(FeedCursor.Filters.NONE)).isEqualTo(filters);
        assertThat(p.continuing(new FeedCursor.Filters(Instant.parse("2026-12-01T00:00:00+01:00"), null, "paspoort.id"))).isEqualTo(filters);
        assertThatThrownBy(() -> p.continuing(new FeedCursor.Filters(null, "active", null))).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).singleElement()
                        .satisfies(f -> assertThat(f.message()).startsWith("Deze cursor hoort bij een ander filter (state)")));
        assertThat(CURSORS.decode(CURSORS.encode(new FeedCursor.Position(AT, ID))).filters()).isEqualTo(FeedCursor.Filters.NONE);
    }

    @Test
    void aCursorWhoseFiltersWereChangedIsRefused() {
        String cursor = CURSORS.encode(new FeedCursor.Position(AT, ID, new FeedCursor.Filters(null, null, "a")));
        String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        String other = raw.replace("." + Base64.getUrlEncoder().withoutPadding().encodeToString("a".getBytes(StandardCharsets.UTF_8)) + ".",
                "." + Base64.getUrlEncoder().withoutPadding().encodeToString("b".getBytes(StandardCharsets.UTF_8)) + ".");
        assertThat(other).isNotEqualTo(raw);
        assertThatThrownBy(() -> CURSORS.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(other.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(ValidationException.class);
    }

    /** An integrator halfway through a pass while Loket is upgraded: the cursor continues, with the filters sent, as it did. */
    @Test
    void aCursorIssuedBeforeCursorsCarriedFiltersStillContinues() throws Exception {
        String body = AT.getEpochSecond() + "." + AT.getNano() + "." + ID;
        byte[] key = MessageDigest.getInstance("SHA-256").digest(("loket-feed-cursor:" + "a-secret-of-forty-characters-or-so-000000")
                .getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String signature = Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        String old = Base64.getUrlEncoder().withoutPadding().encodeToString((body + "." + signature).getBytes(StandardCharsets.UTF_8));
        FeedCursor.Position p = CURSORS.decode(old);
        assertThat(p.updatedAt()).isEqualTo(AT);
        assertThat(p.id()).isEqualTo(ID);
        FeedCursor.Filters sent = new FeedCursor.Filters(null, null, "a");
        assertThat(p.continuing(sent)).isEqualTo(sent);
    }

    /**
     * An integrator's pages go to any node: during a rolling upgrade a cursor this version issued
     * reaches a node of the version before, which continues it with the filters sent (as it always
     * did). That node's reading, as deployed (FeedCursor at commit b33cf40): the signature over the
     * body, then the body's first three dot-separated parts, whatever follows them.
     */
    @Test
    void aCursorIssuedNowContinuesOnANodeOfTheVersionBefore() throws Exception {
        String cursor = CURSORS.encode(new FeedCursor.Position(AT, ID, new FeedCursor.Filters(Instant.parse("2026-11-30T23:00:00Z"), "closed", "a")));
        String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        int cut = raw.lastIndexOf('.');
        String body = raw.substring(0, cut);
        byte[] key = MessageDigest.getInstance("SHA-256").digest(("loket-feed-cursor:" + "a-secret-of-forty-characters-or-so-000000")
                .getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        assertThat(raw.substring(cut + 1)).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8))));
        String[] parts = body.split("\\.");
        assertThat(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]))).isEqualTo(AT);
        assertThat(UUID.fromString(parts[2])).isEqualTo(ID);
    }

    /**
     * A cursor of the version just before this one (a4a8210), whose body put the filters' mark
     * first: an integrator's cursor from before the upgrade continues its own feed here.
     */
    @Test
    void aCursorWithTheMarkFirstStillContinuesItsFeed() throws Exception {
        String body = "f." + AT.getEpochSecond() + "." + AT.getNano() + "." + ID + "." + "1764543600_0" + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString("closed".getBytes(StandardCharsets.UTF_8)) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString("a".getBytes(StandardCharsets.UTF_8));
        byte[] key = MessageDigest.getInstance("SHA-256").digest(("loket-feed-cursor:" + "a-secret-of-forty-characters-or-so-000000")
                .getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String signature = Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        FeedCursor.Position p = CURSORS.decode(Base64.getUrlEncoder().withoutPadding()
                .encodeToString((body + "." + signature).getBytes(StandardCharsets.UTF_8)));
        assertThat(p.updatedAt()).isEqualTo(AT);
        assertThat(p.id()).isEqualTo(ID);
        assertThat(p.continuing(FeedCursor.Filters.NONE))
                .isEqualTo(new FeedCursor.Filters(Instant.parse("2025-11-30T23:00:00Z"), "closed", "a"));
    }
}
