package nl.loket.topic;

import java.util.List;

/** A subject residents can chat about, with its own queue and opening hours. */
public record Topic(String id, String nameNl, String nameEn, int sortOrder, OpeningHours hours,
                    int callbackThresholdSeconds, List<DigitalAlternative> digitalAlternatives, String notice,
                    String noticeEn) {

    public record DigitalAlternative(String title, String url) {
    }

    public String name(String locale) {
        return "en".equals(locale) ? nameEn : nameNl;
    }

    /** The urgent notice in the reader's language; English readers get the Dutch one when there is no English one. */
    public String notice(String locale) {
        return "en".equals(locale) && noticeEn != null ? noticeEn : notice;
    }
}
