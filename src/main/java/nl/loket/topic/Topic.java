package nl.loket.topic;

import java.util.List;

/** A subject residents can chat about, with its own queue and opening hours. */
public record Topic(String id, String nameNl, String nameEn, int sortOrder, OpeningHours hours,
                    int callbackThresholdSeconds, List<DigitalAlternative> digitalAlternatives, String notice) {

    public record DigitalAlternative(String title, String url) {
    }

    public String name(String locale) {
        return "en".equals(locale) ? nameEn : nameNl;
    }
}
