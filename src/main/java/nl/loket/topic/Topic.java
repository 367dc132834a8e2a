package nl.loket.topic;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A subject residents can chat about, with its own queue and opening hours. */
public record Topic(String id, String nameNl, String nameEn, int sortOrder, OpeningHours hours,
                    int callbackThresholdSeconds, List<DigitalAlternative> digitalAlternatives, String notice,
                    String noticeEn) {

    /**
     * A link to where a resident can arrange this online ("Dit kunt u ook online regelen"), as the
     * administrator keeps it: the Dutch {@code title}, the English {@code titleEn} (null: none) and the {@code url}.
     */
    public record DigitalAlternative(String title, String titleEn, String url) {

        /** The link as a resident reads it: the English title for English readers when there is one, else the Dutch one. */
        public ResidentAlternative in(String locale) {
            return new ResidentAlternative("en".equals(locale) && titleEn != null ? titleEn : title, url);
        }
    }

    /** A digital alternative with its title in the reader's language. */
    public record ResidentAlternative(
            @Schema(description = "in the requested language: the English title for lang=en when there is one, else the Dutch title")
            String title, String url) {
    }

    public String name(String locale) {
        return "en".equals(locale) ? nameEn : nameNl;
    }

    /** The urgent notice in the reader's language; English readers get the Dutch one when there is no English one. */
    public String notice(String locale) {
        return "en".equals(locale) && noticeEn != null ? noticeEn : notice;
    }

    /** The digital alternatives with their titles in the reader's language. */
    public List<ResidentAlternative> digitalAlternatives(String locale) {
        return digitalAlternatives.stream().map(a -> a.in(locale)).toList();
    }
}
