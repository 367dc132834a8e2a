package nl.loket.conversation;

/** What Loket tells a resident in its own words; Dutch first, English for locale "en". */
public enum SystemText {
    AGENT_GONE("Uw medewerker is niet meer bereikbaar. U staat weer vooraan in de wachtrij.",
            "Your agent is no longer reachable. You are back at the front of the queue."),
    TRANSFERRED_TOPIC("U wordt doorverbonden met een medewerker voor %s. U houdt uw plek in de wachtrij.",
            "You are being transferred to an agent for %s. You keep your place in the queue."),
    TRANSFERRED_AGENT("U wordt doorverbonden met %s.", "You are being transferred to %s."),
    CALLBACK_MADE("Er is een terugbelverzoek gemaakt. Een medewerker belt u terug op het nummer dat u heeft gegeven.",
            "A callback request has been made. An agent will call you back on the number you gave."),
    REDACTED("Wij hebben een burgerservicenummer of rekeningnummer uit een bericht verwijderd. Deel deze gegevens niet in de chat; "
            + "een medewerker vraagt er zo nodig op een veilige manier naar.",
            "We removed a citizen service number or bank account number from a message. Please do not share these in the chat; "
            + "an agent will ask for them in a safe way if needed."),
    CLOSED("Het gesprek is afgesloten. Bedankt voor uw vraag.", "The conversation has ended. Thank you for your question."),
    TIMEOUT("Het gesprek is gesloten omdat er %s geen bericht is gestuurd.",
            "The conversation was closed because no message was sent for %s.");

    private final String nl;
    private final String en;

    SystemText(String nl, String en) {
        this.nl = nl;
        this.en = en;
    }

    public String nl(Object... args) {
        return String.format(nl, args);
    }

    public String en(Object... args) {
        return String.format(en, args);
    }

    /** A period as the resident reads it: "30 minuten" / "30 minutes", "45 seconden" / "45 seconds". */
    public static String period(java.time.Duration d, String locale) {
        boolean en = "en".equals(locale);
        long minutes = d.toMinutes();
        if (minutes > 0 && d.toSecondsPart() == 0) {
            return minutes + (en ? (minutes == 1 ? " minute" : " minutes") : (minutes == 1 ? " minuut" : " minuten"));
        }
        long seconds = Math.max(1, d.toSeconds());
        return seconds + (en ? (seconds == 1 ? " second" : " seconds") : (seconds == 1 ? " seconde" : " seconden"));
    }

    public String in(String locale, Object... args) {
        return String.format("en".equals(locale) ? en : nl, args);
    }
}
