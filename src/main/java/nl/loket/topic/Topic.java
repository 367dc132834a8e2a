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

        /**
         * The link as a resident reads it: the English title for English readers when there is one, else the
         * Dutch one, and which of the two it is.
         */
        public ResidentAlternative in(String locale) {
            boolean english = "en".equals(locale) && titleEn != null;
            return new ResidentAlternative(english ? titleEn : title, url, english ? "en" : "nl");
        }
    }

    /**
     * A digital alternative with its title in the reader's language, and the language the title is in: an
     * English reader gets the Dutch title when there is no English one, and a screen reader must read that
     * title as Dutch (the widget marks it with {@code lang="nl"}).
     */
    public record ResidentAlternative(
            @Schema(description = "in the requested language: the English title for lang=en when there is one, else the Dutch title")
            String title, String url,
            @Schema(description = "the language the title is in: en, or nl (also for lang=en when the link has no English title)")
            String lang) {
    }

    public String name(String locale) {
        return "en".equals(locale) ? nameEn : nameNl;
    }

    /** The urgent notice in the reader's language; English readers get the Dutch one when there is no English one. */
    public String notice(String locale) {
        return "en".equals(locale) && noticeEn != null ? noticeEn : notice;
    }

    /** The language {@link #notice(String)} is in for this reader (nl or en), null when there is no notice. */
    public String noticeLang(String locale) {
        if (notice(locale) == null) {
            return null;
        }
        return "en".equals(locale) && noticeEn != null ? "en" : "nl";
    }

    /** The digital alternatives with their titles in the reader's language. */
    public List<ResidentAlternative> digitalAlternatives(String locale) {
        return digitalAlternatives.stream().map(a -> a.in(locale)).toList();
    }
}
