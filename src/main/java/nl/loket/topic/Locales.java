package nl.loket.topic;

/** Loket speaks Dutch, and English to whoever asks for it. */
public final class Locales {

    private Locales() {
    }

    public static String pick(String explicit, String acceptLanguage) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit.toLowerCase().startsWith("en") ? "en" : "nl";
        }
        return acceptLanguage != null && acceptLanguage.toLowerCase().startsWith("en") ? "en" : "nl";
    }
}
