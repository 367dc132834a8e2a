package nl.loket.privacy;

/**
 * A resident's name as it is stored: one line. Line breaks, tabs and every other kind of space
 * become one plain space; other control characters, bidirectional overrides and invisible
 * format characters are dropped (the joiners that some scripts need stay); the ends are
 * trimmed. A name cannot forge a line in a transcript or turn text around on screen.
 */
public final class ResidentName {

    public static final int MAX_LENGTH = 100;

    private ResidentName() {
    }

    /** The cleaned name, or null when nothing is left. Callers check {@link #MAX_LENGTH}. */
    public static String clean(String raw) {
        if (raw == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(raw.length());
        boolean space = false;
        for (int i = 0; i < raw.length(); ) {
            int cp = raw.codePointAt(i);
            i += Character.charCount(cp);
            if (separates(cp)) {
                space = out.length() > 0;
            } else if (!invisible(cp)) {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.appendCodePoint(cp);
            }
        }
        return out.isEmpty() ? null : out.toString();
    }

    private static boolean separates(int cp) {
        return switch (Character.getType(cp)) {
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            // tab, line feed, vertical tab, form feed, carriage return, file/group/record/unit separators, next line
            case Character.CONTROL -> (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F) || cp == 0x85;
            default -> false;
        };
    }

    private static boolean invisible(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.SURROGATE -> true;
            // zero-width non-joiner and joiner belong to names in several scripts
            case Character.FORMAT -> cp != 0x200C && cp != 0x200D;
            default -> false;
        };
    }
}
