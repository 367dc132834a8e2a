package nl.loket.privacy;

import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.config.LoketConfig;

/** Applies redaction where the configuration wants it (on by default). */
@ApplicationScoped
public class Privacy {

    private final boolean enabled;

    public Privacy(LoketConfig config) {
        this.enabled = config.privacy().redaction();
    }

    public Redactor.Result redact(String text) {
        return enabled ? Redactor.redact(text) : new Redactor.Result(text, 0, 0);
    }

    /**
     * The text with BSNs and IBANs removed, and any NUL character (which PostgreSQL refuses in
     * text: a name, note or summary with one failed with an internal error); null stays null.
     */
    public String clean(String text) {
        return text == null ? null : redact(text.replace("\u0000", "")).text();
    }
}
