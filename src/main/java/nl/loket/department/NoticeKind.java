package nl.loket.department;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.Arrays;
import java.util.Optional;

/** How reachable a department is; the order is the severity, worst first (what an agent must not miss). */
public enum NoticeKind {
    UNREACHABLE("unreachable"),
    APPOINTMENT_ONLY("appointment_only"),
    REDUCED("reduced"),
    NORMAL("normal");

    private final String wire;

    NoticeKind(String wire) {
        this.wire = wire;
    }

    /** As the API and the database spell it. */
    public String wire() {
        return wire;
    }

    public static Optional<NoticeKind> of(String wire) {
        return Arrays.stream(values()).filter(k -> k.wire.equals(wire)).findFirst();
    }

    /** The column holds the wire spelling. */
    @Converter
    public static class Column implements AttributeConverter<NoticeKind, String> {
        @Override
        public String convertToDatabaseColumn(NoticeKind kind) {
            return kind == null ? null : kind.wire;
        }

        @Override
        public NoticeKind convertToEntityAttribute(String value) {
            return value == null ? null : of(value).orElseThrow(() -> new IllegalStateException("unknown notice kind in the database"));
        }
    }
}
