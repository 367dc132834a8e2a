package nl.loket.topic;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import nl.loket.queue.OfferPolicy;
import nl.loket.queue.QueueService;
import nl.loket.queue.QueueSnapshot;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What a resident sees before starting a chat. Public. */
@Path("/api/v1/topics")
@Tag(name = "resident")
public class TopicResource {

    private final TopicCatalog topics;
    private final QueueService queues;
    private final Instance<TopicNotices> notices;

    public TopicResource(TopicCatalog topics, QueueService queues, Instance<TopicNotices> notices) {
        this.topics = topics;
        this.queues = queues;
        this.notices = notices;
    }

    /**
     * {@code callbackReason}: why a resident arriving now would be offered a callback (the
     * reasons of the resident socket's {@code callback_offer}; {@code closing} when closed), or
     * null; {@code departmentNotices}: the departments' notices in force with a text for
     * residents (docs/departments.md); {@code digitalAlternatives}: the links with their title in the
     * requested language (the Dutch one when there is no English one); {@code noticeLang}: the language
     * {@code notice} is in (nl for an English reader when there is no English notice), null without one.
     */
    public record TopicView(String id, String name, boolean open, Instant nextOpenAt, int queueLength,
                            Integer estimatedWaitSeconds, boolean callbackOffered, String callbackReason, String notice,
                            String noticeLang,
                            List<Topic.ResidentAlternative> digitalAlternatives,
                            List<TopicNotices.ResidentNotice> departmentNotices) {
    }

    @GET
    @Operation(summary = "Topics with open state, queue length and estimated wait for a new arrival, and the departments' "
            + "reachability notices for residents, and the digital alternatives with each link's title in the requested language "
            + "(its English titleEn for lang=en when the administrator gave one, else the Dutch title)")
    public Uni<List<TopicView>> list(@QueryParam("lang") String lang, @HeaderParam("Accept-Language") String acceptLanguage) {
        String locale = Locales.pick(lang, acceptLanguage);
        Instant asked = Instant.now();
        Uni<Map<String, List<TopicNotices.ResidentNotice>>> residentNotices = notices.isResolvable()
                ? notices.get().forResidents(locale, asked) : Uni.createFrom().item(Map.of());
        return Uni.combine().all().unis(topics.ordered(), queues.snapshot(), residentNotices).asTuple().map(t -> {
            Instant now = Instant.now();
            QueueSnapshot snapshot = t.getItem2();
            Map<String, List<TopicNotices.ResidentNotice>> byTopic = t.getItem3();
            return t.getItem1().stream().map(topic -> {
                boolean open = topics.isOpen(topic, now);
                QueueSnapshot.TopicLoad load = snapshot.topic(topic.id());
                Integer ewt = open ? load.estimate(load.waiting() + 1) : null;
                // what a resident arriving now would be offered, and why: the widget can go straight to the
                // callback form, and say why in its words
                String reason = open ? topics.offerReason(topic, load, ewt, now) : OfferPolicy.CLOSING;
                return new TopicView(topic.id(), topic.name(locale), open,
                        open ? null : topics.nextOpenAt(topic, now).orElse(null), load.waiting(), ewt, reason != null,
                        reason, topic.notice(locale), topic.noticeLang(locale), topic.digitalAlternatives(locale), byTopic.getOrDefault(topic.id(), List.of()));
            }).toList();
        });
    }
}
