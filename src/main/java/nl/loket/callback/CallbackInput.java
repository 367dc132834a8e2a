package nl.loket.callback;

import nl.loket.platform.PhoneNumbers;
import nl.loket.platform.Problem;
import nl.loket.platform.ValidationException;
import nl.loket.privacy.ResidentName;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What a resident or agent fills in for a callback, checked and normalised. */
public record CallbackInput(String phone, String name, String window, String note) {

    private static final Set<String> WINDOWS = Set.of("asap", "morning", "afternoon");

    /** Validates every field at once, so the form can show all its errors together. */
    public static CallbackInput of(String phone, String name, String window, String note) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String e164 = null;
        try {
            e164 = PhoneNumbers.normalise(phone, "phone");
        } catch (ValidationException e) {
            errors.addAll(e.errors());
        }
        String w = window == null || window.isBlank() ? "asap" : window;
        if (!WINDOWS.contains(w)) {
            errors.add(new Problem.FieldError("window", "Kies asap, morning of afternoon. / Choose asap, morning or afternoon."));
        }
        String n = ResidentName.clean(name);
        if (n != null && n.length() > ResidentName.MAX_LENGTH) {
            errors.add(new Problem.FieldError("name", "Hoogstens 100 tekens. / At most 100 characters."));
        }
        String t = note == null || note.isBlank() ? null : note.strip();
        if (t != null && t.length() > 1000) {
            errors.add(new Problem.FieldError("note", "Hoogstens 1000 tekens. / At most 1000 characters."));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new CallbackInput(e164, n, w, t);
    }
}
